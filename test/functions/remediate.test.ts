import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';

import { makeRemediateHandler, registerRemediate } from '../../functions/remediate.js';
import { parseCommand } from '../../shared/adapters/servicebus/command-schema.js';
import type { RemediationDeps } from '../../shared/app/remediation/index.js';
import { payloadHash } from '../../shared/core/policy/index.js';
import { ThrottledError, TransientError } from '../../shared/ports/index.js';
import { allHistory, apId, command, harness, MIN, T0 } from '../unit/app/remediation/support.js';

// The queue handler with a REAL InvocationContext; Graph is the scripted in-memory stand-in (FakeTenant).

function context(meta: Record<string, unknown> = { messageId: 'msg-1', deliveryCount: 1 }) {
  const logs: { level: string; args: unknown[] }[] = [];
  const ctx = new InvocationContext({
    invocationId: 'inv-1',
    functionName: 'remediate',
    triggerMetadata: meta,
    logHandler: (level, ...args) => void logs.push({ level, args }),
  });
  return { ctx, logs };
}

const unblock = command({ action: 'allow-next-enrollment', autopilotId: apId('SN-1'), serialNumber: 'SN-1' });

function setup() {
  const h = harness();
  h.tenant.blockedDevice('SN-1');
  const deps = h.deps();
  const handler = makeRemediateHandler(() => Promise.resolve(deps));
  return { h, deps, handler };
}

describe('remediate queue handler', () => {
  it.each([
    ['an object (application/json)', (c: unknown) => c],
    ['a JSON string', (c: unknown) => JSON.stringify(c)],
    ['bytes', (c: unknown) => new TextEncoder().encode(JSON.stringify(c))],
  ])('executes a valid command delivered as %s', async (_n, encode) => {
    const { h, handler } = setup();
    const { ctx, logs } = context();
    await handler(encode(unblock), ctx);
    expect(h.tenant.writes).toHaveLength(1);
    const finished = logs.find((l) => l.args[0] === 'remediate.finished');
    expect(finished?.level).toBe('information');
    expect(finished?.args[1]).toMatchObject({ key: unblock.idempotencyKey, outcome: 'succeeded', deliveryCount: 1 });
  });

  it.each([
    ['unknown action', { ...unblock, action: 'reboot-device' }, /unknown action "reboot-device"/],
    ['missing fields', { schemaVersion: 1, action: 'autopilot-sync' }, /idempotencyKey/],
    ['wrong schema version', { ...unblock, schemaVersion: 2 }, /schemaVersion/],
    [
      'target of another action',
      { ...unblock, target: { action: 'autopilot-sync' } },
      /target.action must equal action/,
    ],
    ['bad target shape', { ...unblock, target: { action: 'allow-next-enrollment', autopilotId: '' } }, /target/],
    [
      'more than 20 members',
      {
        ...unblock,
        action: 'add-to-device-prep-group',
        target: {
          action: 'add-to-device-prep-group',
          groupId: 'g',
          members: Array.from({ length: 21 }, (_, i) => ({ objectId: `o${i}`, serialNumber: null })),
        },
      },
      /members/,
    ],
    ['not JSON', '{"schemaVersion":1,', /body is not JSON/],
  ])('%s: recorded, alerted, completed without retry, no Graph call', async (_n, body, reason) => {
    const { h, handler } = setup();
    const { ctx, logs } = context({ messageId: 'bad-1', deliveryCount: 1 });
    await expect(handler(body, ctx)).resolves.toBeUndefined();
    expect(h.tenant.writes).toHaveLength(0);
    const [row] = await allHistory(h.stores);
    expect(row).toMatchObject({ type: 'invalid-message', status: 'invalid-message', subjectKey: 'tenant' });
    expect(row!.reason).toMatch(reason);
    expect(row!.before).toMatchObject({ messageId: 'bad-1' });
    expect(h.alerts.alerts).toHaveLength(1);
    expect(h.alerts.alerts[0]!.summary).toMatch(reason);
    expect(logs.some((l) => l.level === 'error' && l.args[0] === 'remediate.invalid-message')).toBe(true);
  });

  it('an invalid message whose record cannot be written is thrown back (retried, then dead-lettered with the error)', async () => {
    const { deps } = setup();
    const handler = makeRemediateHandler(() =>
      Promise.resolve<RemediationDeps>({
        ...deps,
        history: { ...deps.history, append: () => Promise.reject(new Error('table unavailable')) },
      }),
    );
    await expect(handler({ nonsense: true }, context().ctx)).rejects.toThrow(/table unavailable/);
  });

  it('in progress elsewhere: re-scheduled for the claim expiry, this delivery completes', async () => {
    const { h, handler } = setup();
    await h.stores.claims.claim({
      action: unblock.action,
      key: unblock.idempotencyKey,
      payloadHash: payloadHash(unblock),
      owner: 'other',
      now: T0,
      ttlMs: 10 * MIN,
    });
    const { ctx, logs } = context();
    await handler(unblock, ctx);
    expect(h.queue.sent).toEqual([{ command: unblock, notBefore: T0 + 10 * MIN }]);
    expect(h.tenant.writes).toHaveLength(0);
    expect(logs.some((l) => l.level === 'warning' && l.args[0] === 'remediate.in-progress-rescheduled')).toBe(true);
  });

  it('a throttled write whose deferral storage refused: re-scheduled for the Retry-After, not redelivered at once', async () => {
    const { h, deps } = setup();
    h.tenant.failNext('allowNextEnrollment', new ThrottledError('429', { retryAfterMs: 60 * MIN, requestId: 'r' }));
    // Fault injection: the claim's hold and the deferred row both fail, so nothing durable says "not before".
    const handler = makeRemediateHandler(() =>
      Promise.resolve<RemediationDeps>({
        ...deps,
        claims: {
          claim: (i) => deps.claims.claim(i),
          complete: (c, o, n) => deps.claims.complete(c, o, n),
          release: (c) => deps.claims.release(c),
          hold: () => Promise.reject(new Error('table unavailable')),
          get: (a, k) => deps.claims.get(a, k),
          deleteOlderThan: (c) => deps.claims.deleteOlderThan(c),
        },
        history: {
          query: (q) => deps.history.query(q),
          deleteOlderThan: (c) => deps.history.deleteOlderThan(c),
          append: (rows) =>
            rows.some((r) => r.status === 'deferred')
              ? Promise.reject(new Error('table unavailable'))
              : deps.history.append(rows),
        },
      }),
    );
    const { ctx, logs } = context();
    await handler(unblock, ctx);
    expect(h.queue.sent).toEqual([{ command: unblock, notBefore: T0 + 60 * MIN }]);
    expect(h.tenant.writes).toHaveLength(1);
    expect(logs.some((l) => l.level === 'warning' && l.args[0] === 'remediate.in-progress-rescheduled')).toBe(true);
  });

  it('a transient failure is thrown so Service Bus redelivers', async () => {
    const { h, handler } = setup();
    h.tenant.failNext('allowNextEnrollment', new TransientError('503', { status: 503 }));
    await expect(handler(unblock, context().ctx)).rejects.toBeInstanceOf(TransientError);
  });

  it('parseCommand accepts what planRun produces', () => {
    expect(parseCommand(JSON.parse(JSON.stringify(unblock)))).toEqual({ ok: true, command: unblock });
  });

  it('registerRemediate registers without a host (library test mode)', () => {
    expect(() => registerRemediate(() => Promise.reject(new Error('not used')))).not.toThrow();
  });
});
