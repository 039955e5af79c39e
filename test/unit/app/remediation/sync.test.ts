import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../../shared/app/remediation/index.js';
import { deferredSyncKey, syncKey } from '../../../../shared/core/policy/index.js';
import { TransientError } from '../../../../shared/ports/index.js';
import { command, harness, MIN, outcomes, T0 } from './support.js';

// Governor flow on in-memory stores with the scripted Graph stand-in (FakeTenant).

const MARGIN = 15_000;
const syncCommand = (over = {}, mode: 'enforce' | 'plan' = 'enforce') =>
  command(
    { action: 'autopilot-sync' },
    { idempotencyKey: syncKey('contoso', T0), reasons: ['r1', 'r2'], createdAt: new Date(T0).toISOString(), ...over },
    mode,
  );

describe('executeRemediation: autopilot-sync through the governor', () => {
  it('window open: one call; the governor row records it and clears the reasons', async () => {
    const h = harness();
    await h.stores.governor.put({ ...(await h.stores.governor.get('contoso')), pendingReasons: ['r1', 'r2', 'r3'] });
    const out = await executeRemediation(syncCommand(), h.deps());
    expect(out).toMatchObject({ status: 'succeeded', graphRequestId: 'req-1' });
    expect(h.tenant.writes.map((w) => w.method)).toEqual(['triggerAutopilotSync']);
    expect(await h.stores.governor.get('contoso')).toMatchObject({
      lastTriggeredAt: T0,
      nextAllowedAt: T0 + 10 * MIN + MARGIN,
      pendingReasons: [],
      holder: null,
      holderUntil: null,
    });
    expect((await outcomes(h.stores))[0]).toMatchObject({
      subjectKey: 'tenant',
      status: 'succeeded',
      graphRequestId: 'req-1',
    });
  });

  it('service triggered 3 min ago: deferred to trigger + 10 min + margin, scheduled ONCE', async () => {
    const h = harness();
    h.clock.t = T0 + 3 * MIN;
    h.tenant.settings = { ...h.tenant.settings, lastManualSyncTriggerAt: T0 };
    const expected = T0 + 10 * MIN + MARGIN;
    const out = await executeRemediation(syncCommand({ createdAt: new Date(T0 + 3 * MIN).toISOString() }), h.deps());
    expect(out).toMatchObject({ status: 'deferred', retryAt: expected });
    expect(out.detail).toMatch(/scheduled for 2026-11-22T10:10:15.000Z/);
    expect(h.tenant.writes).toHaveLength(0);
    expect(h.queue.sent).toHaveLength(1);
    expect(h.queue.sent[0]!.notBefore).toBe(expected);
    expect(h.queue.sent[0]!.command.idempotencyKey).toBe(deferredSyncKey('contoso', expected));
    expect(await h.stores.governor.get('contoso')).toMatchObject({
      scheduledFor: expected,
      pendingReasons: ['r1', 'r2'],
    });

    // A second sync command in the same closed window parks its reasons on the scheduled run.
    const second = syncCommand({
      idempotencyKey: 'contoso:autopilot-sync:tenant:other',
      reasons: ['r9'],
      createdAt: new Date(T0 + 3 * MIN).toISOString(),
    });
    const out2 = await executeRemediation(second, h.deps());
    expect(out2).toMatchObject({ status: 'deferred', retryAt: expected });
    expect(out2.detail).toMatch(/already scheduled/);
    expect(h.queue.sent).toHaveLength(1);
    expect((await h.stores.governor.get('contoso')).pendingReasons).toEqual(['r1', 'r2', 'r9']);

    // At the opening time the scheduled command calls once and covers every parked reason.
    h.clock.t = expected;
    h.tenant.settings = { ...h.tenant.settings, syncStatus: 'completed' };
    expect((await executeRemediation(h.queue.sent[0]!.command, h.deps())).status).toBe('succeeded');
    expect(h.tenant.writes).toHaveLength(1);
    expect(await h.stores.governor.get('contoso')).toMatchObject({ pendingReasons: [], scheduledFor: null });
  });

  it('a sync already running: deferred, no call', async () => {
    const h = harness();
    h.tenant.settings = { lastSyncAt: null, lastManualSyncTriggerAt: T0 - 30 * MIN, syncStatus: 'inProgress' };
    const out = await executeRemediation(syncCommand(), h.deps());
    expect(out).toMatchObject({ status: 'deferred', retryAt: T0 + 2 * MIN });
    expect(h.tenant.writes).toHaveLength(0);
  });

  it.each([
    ['409', { kind: 'in-progress' as const, requestId: 'req-409' }, T0 + 2 * MIN],
    ['429', { kind: 'too-soon' as const, retryAfterMs: 7 * MIN, requestId: 'req-429' }, T0 + 7 * MIN + MARGIN],
  ])('%s from the service is a deferral after exactly one request', async (_n, answer, until) => {
    const h = harness();
    h.tenant.syncAnswers.push(answer);
    const out = await executeRemediation(syncCommand(), h.deps());
    expect(out).toMatchObject({ status: 'deferred', retryAt: until, graphRequestId: answer.requestId });
    expect(h.tenant.writes).toHaveLength(1);
    expect(h.queue.sent.map((s) => s.notBefore)).toEqual([until]);
    const row = await h.stores.governor.get('contoso');
    expect(row).toMatchObject({ holder: null, scheduledFor: until });
    expect(row.nextAllowedAt).toBe(until);
  });

  it('a sync after the command was planned already covers it: no call', async () => {
    const h = harness();
    h.tenant.settings = { lastSyncAt: null, lastManualSyncTriggerAt: T0 + MIN, syncStatus: 'completed' };
    h.clock.t = T0 + 20 * MIN;
    const out = await executeRemediation(syncCommand(), h.deps());
    expect(out.status).toBe('no-longer-applies');
    expect(h.tenant.writes).toHaveLength(0);
  });

  it('covered, but other reasons are parked on this run: it still serves them', async () => {
    const h = harness();
    h.tenant.settings = { lastSyncAt: null, lastManualSyncTriggerAt: T0 + MIN, syncStatus: 'completed' };
    await h.stores.governor.put({ ...(await h.stores.governor.get('contoso')), pendingReasons: ['r1', 'late'] });
    h.clock.t = T0 + 20 * MIN;
    expect((await executeRemediation(syncCommand(), h.deps())).status).toBe('succeeded');
    expect(h.tenant.writes).toHaveLength(1);
  });

  it('plan mode: records what it would do, no call, nothing scheduled', async () => {
    const h = harness();
    const out = await executeRemediation(syncCommand({}, 'plan'), h.deps());
    expect(out.status).toBe('planned');
    expect(out.detail).toMatch(/would call POST \/beta\/deviceManagement\/windowsAutopilotSettings\/sync now/);
    expect(h.tenant.writes).toHaveLength(0);
    expect(h.queue.sent).toHaveLength(0);
  });

  it('another instance holds the window: deferred until its hold ends', async () => {
    const h = harness();
    await h.stores.governor.put({
      ...(await h.stores.governor.get('contoso')),
      holder: 'worker-2',
      holderUntil: T0 + MIN,
    });
    const out = await executeRemediation(syncCommand(), h.deps());
    expect(out).toMatchObject({ status: 'deferred', retryAt: T0 + MIN });
    expect(h.tenant.writes).toHaveLength(0);
  });

  it('a failed bookkeeping write after the 204 does not turn the sync into a retry', async () => {
    const h = harness();
    let puts = 0;
    const governor = {
      get: (t: string) => h.stores.governor.get(t),
      put: (st: Parameters<typeof h.stores.governor.put>[0]) =>
        ++puts === 1 ? h.stores.governor.put(st) : Promise.reject(new Error('table down')),
    };
    const out = await executeRemediation(syncCommand(), h.deps({ governor }));
    expect(out.status).toBe('succeeded');
    expect(h.tenant.writes).toHaveLength(1);
    expect(h.logger.lines.some((l) => l.event === 'remediation.governor-not-updated')).toBe(true);
  });

  it('transient failure of the call: hold and claim released, rethrown', async () => {
    const h = harness();
    h.tenant.failNext('triggerAutopilotSync', new TransientError('502', { status: 502 }));
    const cmd = syncCommand();
    await expect(executeRemediation(cmd, h.deps())).rejects.toBeInstanceOf(TransientError);
    expect(await h.stores.claims.get(cmd.action, cmd.idempotencyKey)).toBeNull();
    expect((await h.stores.governor.get('contoso')).holder).toBeNull();
  });
});

describe('autopilot-sync with more reasons than the governor row lists', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `fp-${String(i).padStart(6, '0')}`);

  it('a message with 1,500 reasons is deferred with the row bounded; the scheduled run answers them all', async () => {
    const h = harness();
    h.clock.t = T0 + 3 * MIN;
    h.tenant.settings = { ...h.tenant.settings, lastManualSyncTriggerAt: T0 };
    const planned = new Date(T0 + 3 * MIN).toISOString();
    const out = await executeRemediation(syncCommand({ reasons: many(1_500), createdAt: planned }), h.deps());
    expect(out.status).toBe('deferred');
    const row = await h.stores.governor.get('contoso');
    expect(row.pendingReasons).toHaveLength(1_000);
    expect(row.unlisted).toEqual({ count: 500, plannedAt: T0 + 3 * MIN });

    h.clock.t = T0 + 10 * MIN + MARGIN;
    const scheduled = await executeRemediation(h.queue.sent[0]!.command, h.deps());
    expect(scheduled.status).toBe('succeeded');
    expect(scheduled.detail).toMatch(/for 1500 reason\(s\)/);
    expect(await h.stores.governor.get('contoso')).toMatchObject({ pendingReasons: [], unlisted: null });
  });

  it('covered by a later sync: unlisted reasons planned before it go too, no call', async () => {
    const h = harness();
    const g = await h.stores.governor.get('contoso');
    await h.stores.governor.put({ ...g, pendingReasons: ['r1', 'r2'], unlisted: { count: 29_000, plannedAt: T0 } });
    h.tenant.settings = { lastSyncAt: null, lastManualSyncTriggerAt: T0 + MIN, syncStatus: 'completed' };
    h.clock.t = T0 + 20 * MIN;
    expect((await executeRemediation(syncCommand(), h.deps())).status).toBe('no-longer-applies');
    expect(h.tenant.writes).toHaveLength(0);
    expect(await h.stores.governor.get('contoso')).toMatchObject({ pendingReasons: [], unlisted: null });
  });

  it('covered by a later sync, but unlisted reasons were planned after it: it still serves them', async () => {
    const h = harness();
    const g = await h.stores.governor.get('contoso');
    await h.stores.governor.put({
      ...g,
      pendingReasons: ['r1', 'r2'],
      unlisted: { count: 5, plannedAt: T0 + 2 * MIN },
    });
    h.tenant.settings = { lastSyncAt: null, lastManualSyncTriggerAt: T0 + MIN, syncStatus: 'completed' };
    h.clock.t = T0 + 20 * MIN;
    expect((await executeRemediation(syncCommand(), h.deps())).status).toBe('succeeded');
    expect(h.tenant.writes).toHaveLength(1);
    expect(await h.stores.governor.get('contoso')).toMatchObject({ pendingReasons: [], unlisted: null });
  });
});
