// A Retry-After binds the action on the device, not one idempotency key. A throttled write waits for it (the claim is
// held and a 'deferred' row names `after.notBefore`), but its attempt moves the device's next command to a new key:
// when the Retry-After is longer than the cooldown, a later poll plans the same unblock under that key, whose claim is
// free. That command must meet the deferral too and wait for the Retry-After, not write. Microsoft Graph throttling
// guidance (https://learn.microsoft.com/graph/throttling): wait the seconds in Retry-After before retrying. The
// simulator (real HTTP) is Graph; the stores are Table Storage on Azurite; the in-process queue's timer moves the
// simulator's clock.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  apId,
  azuriteAndSimForFile,
  blockedAfterFailure,
  MIN,
  simHarness,
  tableStores,
  UNBLOCK_WRITE,
  unblockCommand,
  withAzurite,
} from './support.js';

const RETRY_AFTER_MS = 2 * 60 * MIN;

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

interface Delivered {
  readonly key: string;
  readonly at: number;
  /** The outcome's status, or the time the message was sent back for (AlreadyInProgressError). */
  readonly result: string | number;
}

describe('a Retry-After holds every command of the action on the device', () => {
  it('a command under another key 40 minutes after the 429 waits for the Retry-After, then the device is unblocked', async () => {
    const stores = await tableStores(azurite, 'rakey');
    const h = simHarness(sim, stores);
    const serial = 'SN-RAKEY';
    await blockedAfterFailure(sim, stores, serial, sim.clock.nowMs() - 10 * MIN);
    sim.faults.add({
      method: 'POST',
      path: `${apId(serial)}/allowNextEnrollment$`,
      status: 429,
      retryAfterSeconds: RETRY_AFTER_MS / 1000,
      times: 1,
    });
    const deps = h.deps('queue-worker');
    const delivered: Delivered[] = [];
    h.queue.setHandler(async (command) => {
      const at = sim.clock.nowMs();
      try {
        const outcome = await executeRemediation(command, deps);
        delivered.push({ key: command.idempotencyKey, at, result: outcome.status });
      } catch (err) {
        const retryAt = (err as { retryAt?: unknown }).retryAt;
        delivered.push({ key: command.idempotencyKey, at, result: typeof retryAt === 'number' ? retryAt : 'threw' });
        throw err;
      }
    });

    const start = sim.clock.nowMs();
    const since = sim.requests().at(-1)?.seq ?? 0;
    const first = `contoso:allow-next-enrollment:${apId(serial)}:fp-${serial}-a1`;
    const second = `contoso:allow-next-enrollment:${apId(serial)}:fp-${serial}-a2`;
    await h.queue.send(unblockCommand(serial, first, start));
    // The next attempt, as a poll 40 minutes later plans it (past the cooldown, within the Retry-After).
    await h.queue.send(unblockCommand(serial, second, start + 40 * MIN), start + 40 * MIN);
    const report = await h.queue.drain({ waitForScheduled: true });

    const unblocks = sim
      .requests(since)
      .filter((r) => r.kind === 'write' && r.batch === undefined && UNBLOCK_WRITE.test(r.path))
      .map((r) => ({ status: r.status, at: Date.parse(r.time) }));
    expect(unblocks[0]?.status, 'the first unblock is the throttled one').toBe(429);
    const retryAt = unblocks[0]!.at + RETRY_AFTER_MS;
    expect(
      unblocks.slice(1).filter((u) => u.at < retryAt),
      'no unblock reaches Graph before the Retry-After',
    ).toEqual([]);
    const secondFirst = delivered.find((d) => d.key === second);
    // The simulator's clock also runs in real time: "40 minutes in" is to within a second.
    expect(secondFirst?.at ?? 0, 'the second command was delivered 40 minutes in').toBeGreaterThanOrEqual(
      start + 40 * MIN,
    );
    expect(secondFirst?.at ?? 0).toBeLessThan(start + 40 * MIN + 1000);
    // Sent back for the Retry-After (counted by the worker from the 429's answer, a few ms after the request), not run.
    const sentBackFor = Number(secondFirst?.result);
    expect(sentBackFor, 'the second command was sent back for the Retry-After').toBeGreaterThanOrEqual(retryAt);
    expect(sentBackFor).toBeLessThan(retryAt + 1000);
    // After the Retry-After the device is unblocked, once; nothing is lost.
    expect(unblocks.map((u) => u.status)).toEqual([429, 204]);
    expect(h.queue.deadLetters).toEqual([]);
    expect(report).toMatchObject({ deadLettered: 0, remaining: 0 });
    expect(sim.tenant.identity(apId(serial))?.userlessEnrollmentStatus).toBe('allowed');
  });
});
