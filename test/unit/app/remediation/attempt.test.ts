import { describe, expect, it } from 'vitest';

import { AttemptNotRecordedError, executeRemediation } from '../../../../shared/app/remediation/index.js';
import type { CommandTarget } from '../../../../shared/core/model/index.js';
import { syncKey } from '../../../../shared/core/policy/index.js';
import { StorageUnavailableError, type HistoryStore, type IntuneActions } from '../../../../shared/ports/index.js';
import { actionsWith, allHistory, apId, command, GROUP, harness, SP, T0 } from './support.js';

// Issue 13.2, no hidden writes: before every tenant write a history row of type 'attempt' names the exact Graph
// call; when that row cannot be written, the tenant is not written. Scripted Graph stand-in (FakeTenant); the
// storage-cut end-to-end run is test/e2e/storage-cut.test.ts.

const member = '00000000-0000-4000-8000-000000000001';
const TARGETS: readonly (readonly [
  string,
  CommandTarget,
  { method: string; path: string; body: unknown; fallback?: string },
])[] = [
  [
    'unblock',
    { action: 'allow-next-enrollment', autopilotId: apId('SN-1'), serialNumber: 'SN-1' },
    {
      method: 'POST',
      path: `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${apId('SN-1')}/allowNextEnrollment`,
      body: null,
    },
  ],
  [
    'add member',
    { action: 'add-to-device-prep-group', groupId: GROUP, members: [{ objectId: member, serialNumber: 'SN-M1' }] },
    {
      method: 'PATCH',
      path: `/v1.0/groups/${GROUP}`,
      body: { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${member}`] },
      fallback: `per-member POST /v1.0/groups/${GROUP}/members/$ref on conflict`,
    },
  ],
  [
    'restore owner',
    { action: 'restore-device-prep-owner', groupId: GROUP, servicePrincipalId: SP },
    {
      method: 'POST',
      path: `/v1.0/groups/${GROUP}/owners/$ref`,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${SP}` },
    },
  ],
  [
    'autopilot sync',
    { action: 'autopilot-sync' },
    { method: 'POST', path: '/beta/deviceManagement/windowsAutopilotSettings/sync', body: null },
  ],
];

function arrange(h: ReturnType<typeof harness>): void {
  h.tenant.blockedDevice('SN-1');
  h.tenant.group(GROUP);
  h.tenant.device(member);
}

function cmd(target: CommandTarget) {
  return target.action === 'autopilot-sync'
    ? command(target, { idempotencyKey: syncKey('contoso', T0) })
    : command(target);
}

/** Everything the worker does to history and to the tenant, in order. */
function recorder(h: ReturnType<typeof harness>, failAttempts: Error | null = null) {
  const events: string[] = [];
  const history: HistoryStore = {
    append: async (records) => {
      const types = [...new Set(records.map((r) => r.type))].join(',');
      if (failAttempts !== null && types === 'attempt') {
        events.push('history:attempt FAILED');
        throw failAttempts;
      }
      await h.stores.history.append(records);
      events.push(`history:${types}`);
    },
    query: (q) => h.stores.history.query(q),
    deleteOlderThan: (c) => h.stores.history.deleteOlderThan(c),
  };
  const log =
    <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    (...a: A) => {
      events.push(`graph:${name}`);
      return fn(...a);
    };
  const actions: IntuneActions = actionsWith(h.tenant, {
    triggerAutopilotSync: log('triggerAutopilotSync', () => h.tenant.triggerAutopilotSync()),
    allowNextEnrollment: log('allowNextEnrollment', (id: string) => h.tenant.allowNextEnrollment(id)),
    addGroupMembers: log('addGroupMembers', (g: string, ids: readonly string[]) => h.tenant.addGroupMembers(g, ids)),
    addGroupOwner: log('addGroupOwner', (g: string, o: string) => h.tenant.addGroupOwner(g, o)),
  });
  return { events, deps: h.deps({ history, actions }) };
}

describe('no hidden writes: the attempt row comes first', () => {
  it.each(TARGETS)(
    '%s: an attempt row naming the exact Graph call is stored before the write',
    async (_n, target, call) => {
      const h = harness();
      arrange(h);
      const { events, deps } = recorder(h);
      const out = await executeRemediation(cmd(target), deps);
      expect(out.status).toBe('succeeded');
      const attemptAt = events.indexOf('history:attempt');
      const writeAt = events.findIndex((e) => e.startsWith('graph:'));
      expect(attemptAt).toBeGreaterThanOrEqual(0);
      expect(writeAt).toBeGreaterThan(attemptAt);
      expect(events.filter((e) => e.startsWith('graph:'))).toHaveLength(1);
      const attempts = (await allHistory(h.stores)).filter((r) => r.type === 'attempt');
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        status: 'started',
        action: target.action,
        mode: 'enforce',
        idempotencyKey: cmd(target).idempotencyKey,
      });
      expect(attempts[0]!.before).toEqual(call);
      expect(attempts[0]!.reason).toContain(`about to call ${call.method} ${call.path}`);
    },
  );

  it.each(TARGETS)('%s: plan mode writes neither an attempt row nor the tenant', async (_n, target) => {
    const h = harness();
    arrange(h);
    const { events, deps } = recorder(h);
    const out = await executeRemediation({ ...cmd(target), mode: 'plan' }, deps);
    expect(out.status).toBe('planned');
    expect(events.some((e) => e.startsWith('graph:') || e === 'history:attempt')).toBe(false);
  });

  it.each(TARGETS)(
    '%s: when the attempt row cannot be written, nothing is written to the tenant and the claim is released',
    async (_n, target) => {
      const h = harness();
      arrange(h);
      const { events, deps } = recorder(
        h,
        new StorageUnavailableError('medicHistory', 'connect ECONNREFUSED 127.0.0.1:1'),
      );
      const c = cmd(target);
      const err = await executeRemediation(c, deps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AttemptNotRecordedError);
      expect((err as Error).message).toMatch(
        /nothing was written to the tenant: Table Storage is unreachable \(medicHistory\)/,
      );
      expect(events).not.toContain('graph:allowNextEnrollment');
      expect(events.some((e) => e.startsWith('graph:'))).toBe(false);
      expect(h.tenant.writes).toHaveLength(0);
      // Released, so a redelivery (once storage is back) may act at once; the sync also gives its window back.
      expect(await h.stores.claims.get(c.action, c.idempotencyKey)).toBeNull();
      expect((await h.stores.governor.get('contoso')).holder).toBeNull();

      // Storage is back: the redelivery writes once, with its attempt row first.
      const again = recorder(h);
      expect((await executeRemediation(c, again.deps)).status).toBe('succeeded');
      expect(h.tenant.writes).toHaveLength(1);
    },
  );
});
