// A write Graph throttles (429, Retry-After) is not made again before the Retry-After, whatever fails while the
// worker defers it: the deferred outcome row, the claim write or the scheduled re-send. Microsoft Graph throttling
// guidance, "Microsoft Graph throttling guidance" (https://learn.microsoft.com/graph/throttling): on a 429, wait the
// number of seconds in Retry-After before retrying. The simulator (real HTTP) is Graph and answers the unblock with
// 429 once; the stores are Table Storage on Azurite; the queue is the in-process one, whose timer moves the
// simulator's clock, so an hour of waiting takes no real time.
import { describe, expect, it } from 'vitest';

import { executeRemediation, type RemediationDeps } from '../../../shared/app/remediation/index.js';
import {
  StorageUnavailableError,
  type ClaimStore,
  type HistoryStore,
  type RemediationQueue,
  type Stores,
} from '../../../shared/ports/index.js';
import type { InProcessQueue } from '../../../shared/adapters/inprocess/queue.js';
import type { Simulator } from '../../../sim/index.js';
import {
  apId,
  blockedAfterFailure,
  MIN,
  simHarness,
  tableStores,
  UNBLOCK_WRITE,
  unblockCommand,
  withAzurite,
  azuriteAndSimForFile,
} from './support.js';

const RETRY_AFTER_S = 3600;

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;

azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

const unavailable = (table: string) => new StorageUnavailableError(table, 'connect ECONNREFUSED 127.0.0.1:1');

/**
 * Fault-injection wrapper around the real (Azurite) claim store: the first claim write after the claim itself (the
 * one the deferral makes) throws as if Table Storage were unreachable; every other call goes to the real store.
 */
function claimWriteFailsOnce(real: ClaimStore): ClaimStore {
  let failed = false;
  return new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const call = (...args: unknown[]): unknown => (value as (...a: unknown[]) => unknown).apply(target, args);
      if (prop === 'claim' || prop === 'get' || failed) return call;
      return () => {
        failed = true;
        return Promise.reject(unavailable('medicClaims'));
      };
    },
  });
}

/** Fault-injection wrapper around the real (Azurite) history store: the first append of a 'deferred' row throws. */
function deferredRowFailsOnce(real: HistoryStore): HistoryStore {
  let failed = false;
  return {
    append: (records) => {
      if (!failed && records.some((r) => r.status === 'deferred')) {
        failed = true;
        return Promise.reject(unavailable('medicHistory'));
      }
      return real.append(records);
    },
    query: (q) => real.query(q),
    deleteOlderThan: (c) => real.deleteOlderThan(c),
  };
}

/** Fault-injection wrapper around the in-process queue: the first scheduled send (the deferral's re-send) throws. */
function scheduledSendFailsOnce(real: InProcessQueue): RemediationQueue {
  let failed = false;
  return {
    send: (command, notBefore) => {
      if (!failed && notBefore !== null && notBefore !== undefined) {
        failed = true;
        return Promise.reject(new Error('Service Bus: ServiceUnavailable (fault injected)'));
      }
      return real.send(command, notBefore);
    },
  };
}

interface Scenario {
  readonly tag: string;
  /** The faulty parts handed to the worker in place of the real ones. */
  readonly faults: (stores: Stores, queue: InProcessQueue) => Partial<RemediationDeps>;
  /** Another copy of the same command (same key) a later poll scheduled this long after the first. */
  readonly copyAfterMs?: number;
}

/** One blocked device whose unblock Graph throttles once, run through the queue until nothing is left. */
async function throttledOnce(s: Scenario) {
  const stores = await tableStores(azurite, s.tag);
  const h = simHarness(sim, stores);
  const serial = `SN-${s.tag.toUpperCase()}`;
  await blockedAfterFailure(sim, stores, serial, sim.clock.nowMs() - 10 * MIN);
  sim.faults.add({
    method: 'POST',
    path: `${apId(serial)}/allowNextEnrollment$`,
    status: 429,
    retryAfterSeconds: RETRY_AFTER_S,
    times: 1,
  });
  const deps = h.deps('queue-worker', s.faults(stores, h.queue));
  h.queue.setHandler((command) => executeRemediation(command, deps));
  const start = sim.clock.nowMs();
  const command = unblockCommand(serial, `contoso:allow-next-enrollment:${apId(serial)}:fp-${serial}-a1`, start);
  await h.queue.send(command);
  if (s.copyAfterMs !== undefined) await h.queue.send(command, start + s.copyAfterMs);
  const since = sim.requests().at(-1)?.seq ?? 0;
  const report = await h.queue.drain({ waitForScheduled: true });
  const unblocks = sim
    .requests(since)
    .filter((r) => r.kind === 'write' && r.batch === undefined && UNBLOCK_WRITE.test(r.path))
    .filter((r) => r.path.includes(apId(serial)))
    .map((r) => ({ status: r.status, at: Date.parse(r.time) }));
  return { report, unblocks, serial, dead: h.queue.deadLetters };
}

/** The checks every scenario makes: one 429, then one write no earlier than its Retry-After, and nothing lost. */
async function expectRetryAfterHonoured(s: Scenario): Promise<void> {
  const { report, unblocks, serial, dead } = await throttledOnce(s);
  expect(unblocks.map((u) => u.status)[0], 'the first unblock is the throttled one').toBe(429);
  const throttledAt = unblocks[0]!.at;
  const early = unblocks.slice(1).filter((u) => u.at < throttledAt + RETRY_AFTER_S * 1000);
  expect(
    early.map((u) => `${u.status} ${Math.round((u.at - throttledAt) / 1000)} s after the 429`),
    'no unblock is sent again before the Retry-After',
  ).toEqual([]);
  // Nothing lost: the command comes back once the Retry-After has passed and unblocks the device, once.
  expect(unblocks.map((u) => u.status)).toEqual([429, 204]);
  expect(dead).toEqual([]);
  expect(report).toMatchObject({ deadLettered: 0, remaining: 0 });
  expect(sim.tenant.identity(apId(serial))?.userlessEnrollmentStatus).toBe('allowed');
}

describe('a throttled write is not retried before its Retry-After, whatever fails while deferring it', () => {
  it('the scheduled re-send fails: the message comes back at once, and waits for the Retry-After', async () => {
    await expectRetryAfterHonoured({
      tag: 'thrSend',
      faults: (_s, queue) => ({ queue: scheduledSendFailsOnce(queue) }),
    });
  });

  it('the deferred outcome row cannot be written: the redelivery still waits for the Retry-After', async () => {
    await expectRetryAfterHonoured({
      tag: 'thrHist',
      faults: (stores) => ({ history: deferredRowFailsOnce(stores.history) }),
    });
  });

  it('the claim cannot be written: the take-over after the claim expires still waits for the Retry-After', async () => {
    await expectRetryAfterHonoured({
      tag: 'thrClaim',
      faults: (stores) => ({ claims: claimWriteFailsOnce(stores.claims) }),
    });
  });

  // The claim stays in progress only until its TTL (10 min here); the copy at 20 min takes it over and must find the
  // deferral in history.
  it('the claim cannot be written, and a copy of the command arrives after the claim has expired', async () => {
    await expectRetryAfterHonoured({
      tag: 'thrClaimCopy',
      faults: (stores) => ({ claims: claimWriteFailsOnce(stores.claims) }),
      copyAfterMs: 20 * MIN,
    });
  });

  it('neither the claim nor the deferred row can be written: the message comes back at the Retry-After', async () => {
    await expectRetryAfterHonoured({
      tag: 'thrBoth',
      faults: (stores) => ({
        claims: claimWriteFailsOnce(stores.claims),
        history: deferredRowFailsOnce(stores.history),
      }),
    });
  });

  // Write pacing: until the first copy of a paced command runs, every poll schedules another copy of it (same key, a
  // later time). A copy that comes after the deferral must meet it, not a free key.
  it('nothing fails, and a later poll’s copy of the same command arrives 5 minutes after the 429', async () => {
    await expectRetryAfterHonoured({ tag: 'thrCopy', faults: () => ({}), copyAfterMs: 5 * MIN });
  });
});
