import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';

import { makeRemediateHandler } from '../../functions/remediate.js';
import type { RemediationDeps } from '../../shared/app/remediation/index.js';
import type { CommandTarget, GroupInfo, Mode, RemediationCommand } from '../../shared/core/model/index.js';
import {
  allHistory,
  apId,
  command,
  GROUP,
  harness,
  outcomes,
  POLICY_NAME,
  policyWith,
  SP,
} from '../unit/app/remediation/support.js';

// Issue 13.1: the worker trusts nothing it is sent. Hand-made queue messages go through the real queue handler
// with a REAL InvocationContext; Graph is the scripted in-memory stand-in (FakeTenant), whose write log proves
// "nothing written". Every forged message must be refused (or lowered), recorded, alerted, and completed: the
// handler returns, so Service Bus does not redeliver it.

function context(messageId = 'forged-1') {
  const logs: { level: string; args: unknown[] }[] = [];
  const ctx = new InvocationContext({
    invocationId: `inv-${messageId}`,
    functionName: 'remediate',
    triggerMetadata: { messageId, deliveryCount: 1 },
    logHandler: (level, ...args) => void logs.push({ level, args }),
  });
  return { ctx, logs };
}

const OTHER_SP = '44444444-4444-4444-8444-444444444444';
const FOREIGN_GROUP = '55555555-5555-4555-8555-555555555555';
const member = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const unblock: CommandTarget = { action: 'allow-next-enrollment', autopilotId: apId('SN-1'), serialNumber: 'SN-1' };
const addMember = (objectId = member(1), groupId = GROUP): CommandTarget => ({
  action: 'add-to-device-prep-group',
  groupId,
  members: [{ objectId, serialNumber: 'SN-M1' }],
});
const restoreOwner = (servicePrincipalId = SP, groupId = GROUP): CommandTarget => ({
  action: 'restore-device-prep-owner',
  groupId,
  servicePrincipalId,
});

interface Setup {
  readonly group?: Partial<GroupInfo>;
  readonly deps?: Partial<RemediationDeps>;
}

/** A tenant in which every forged message below WOULD succeed if the worker obeyed it. */
function setup(opts: Setup = {}) {
  const h = harness();
  h.tenant.blockedDevice('SN-1');
  h.tenant.blockedDevice('SN-9', { id: 'ap-SN-9' });
  h.tenant.group(GROUP, opts.group ?? {});
  h.tenant.group(FOREIGN_GROUP);
  h.tenant.group('dp-group');
  h.tenant.device(member(1));
  h.tenant.device('not-a-guid');
  h.tenant.device(member(2), 'Another team\u2019s policy');
  h.tenant.device(member(3), POLICY_NAME.toUpperCase());
  const deps = h.deps(opts.deps);
  return { h, deps, handler: makeRemediateHandler(() => Promise.resolve(deps)) };
}

async function deliver(s: ReturnType<typeof setup>, body: unknown) {
  const { ctx, logs } = context();
  await expect(s.handler(body, ctx)).resolves.toBeUndefined(); // completed, never thrown back for redelivery
  return logs;
}

async function expectRefused(s: ReturnType<typeof setup>, cmd: RemediationCommand, detail: RegExp) {
  await deliver(s, cmd);
  expect(s.h.tenant.writes).toEqual([]);
  const rows = await outcomes(s.h.stores);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.status === 'refused')).toBe(true);
  expect(rows[0]!.reason).toMatch(detail);
  expect(s.h.alerts.alerts).toHaveLength(1);
  expect(s.h.alerts.alerts[0]).toMatchObject({ kind: 'remediation-failed', severity: 'warning' });
  expect(s.h.alerts.alerts[0]!.summary).toMatch(detail);
  // Completed, not retried: the same message again changes nothing and alerts no more.
  await deliver(s, cmd);
  expect(s.h.tenant.writes).toEqual([]);
  expect(s.h.alerts.alerts).toHaveLength(1);
}

describe('forged queue messages (real InvocationContext)', () => {
  describe('mode escalation: the configuration caps the mode', () => {
    it.each([
      ['allow-next-enrollment', unblock],
      ['add-to-device-prep-group', addMember()],
      ['restore-device-prep-owner', restoreOwner()],
      ['autopilot-sync', { action: 'autopilot-sync' }],
    ] as const)(
      'config plan, message enforce (%s): nothing written, recorded as planned with the reason',
      async (action, target) => {
        const s = setup({ deps: { policy: policyWith(action, 'plan') } });
        await deliver(s, command(target, {}, 'enforce'));
        expect(s.h.tenant.writes).toEqual([]);
        const rows = await outcomes(s.h.stores);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.status === 'planned' && r.mode === 'plan')).toBe(true);
        expect(rows[0]!.reason).toMatch(/the message asked for enforce; the configuration has \S+ in plan/);
        expect((await allHistory(s.h.stores)).some((r) => r.type === 'attempt')).toBe(false);
      },
    );

    it('the lowered run never blocks the real enforce command once the configuration allows it again', async () => {
      const cmd = command(unblock, {}, 'enforce');
      const s = setup({ deps: { policy: policyWith('allow-next-enrollment', 'plan') } });
      await deliver(s, cmd);
      expect(await s.h.stores.claims.get(cmd.action, cmd.idempotencyKey)).toBeNull();
      expect(await s.h.stores.claims.get(cmd.action, `${cmd.idempotencyKey}-plan`)).toMatchObject({
        status: 'completed',
      });

      const enforcing = makeRemediateHandler(() => Promise.resolve(s.h.deps()));
      await enforcing(cmd, context('later').ctx);
      expect(s.h.tenant.writes.map((w) => w.method)).toEqual(['allowNextEnrollment']);
    });

    it('config off, message enforce: refused, recorded, alerted, nothing written', async () => {
      const s = setup({ deps: { policy: policyWith('allow-next-enrollment', 'off') } });
      await expectRefused(s, command(unblock, {}, 'enforce'), /allow-next-enrollment is off in the configuration/);
    });

    it.each<Mode>(['plan', 'off'])(
      'an action missing from REMEDIATION_ENABLED_ACTIONS is off whatever the message says (%s asked)',
      async (asked) => {
        const s = setup({
          deps: { policy: { ...policyWith('allow-next-enrollment', 'enforce'), enabledActions: ['autopilot-sync'] } },
        });
        await deliver(s, command(unblock, { idempotencyKey: `k-${asked}` }, asked));
        expect(s.h.tenant.writes).toEqual([]);
        expect((await outcomes(s.h.stores)).map((r) => r.status)).toEqual(['refused']);
      },
    );
  });

  it('a foreign service principal id: refused, recorded, alerted, completed; the Provisioning Client is looked up by appId', async () => {
    const s = setup();
    await expectRefused(
      s,
      command(restoreOwner(OTHER_SP)),
      new RegExp(`names service principal ${OTHER_SP}, but the Intune Provisioning Client is ${SP}`),
    );
  });

  it('no Intune Provisioning Client service principal in the tenant: the owner add is refused', async () => {
    const s = setup();
    s.h.tenant.servicePrincipals.clear();
    await expectRefused(s, command(restoreOwner()), /no service principal for the Intune Provisioning Client/);
  });

  it.each([
    [
      'autopilotId',
      { action: 'allow-next-enrollment', autopilotId: 'ap-SN-9', serialNumber: 'SN-9' },
      /target.autopilotId/,
    ],
    ['groupId', { action: 'restore-device-prep-owner', groupId: 'dp-group', servicePrincipalId: SP }, /target.groupId/],
    [
      'servicePrincipalId',
      { action: 'restore-device-prep-owner', groupId: GROUP, servicePrincipalId: 'Intune Provisioning Client' },
      /target.servicePrincipalId/,
    ],
    [
      'member objectId',
      { action: 'add-to-device-prep-group', groupId: GROUP, members: [{ objectId: 'not-a-guid', serialNumber: null }] },
      /target.members.0.objectId/,
    ],
    [
      'serial number over the bound',
      { action: 'allow-next-enrollment', autopilotId: apId('SN-1'), serialNumber: 'S'.repeat(257) },
      /target.serialNumber/,
    ],
  ])('a non-GUID %s: rejected as an invalid message, recorded, alerted, no Graph call', async (_n, target, reason) => {
    const s = setup({
      deps: {
        devicePrepGroups: [
          { groupId: GROUP, policyName: POLICY_NAME },
          { groupId: 'dp-group', policyName: POLICY_NAME },
        ],
      },
    });
    const logs = await deliver(s, command(target as CommandTarget));
    expect(s.h.tenant.writes).toEqual([]);
    const [row] = await allHistory(s.h.stores);
    expect(row).toMatchObject({ type: 'invalid-message', status: 'invalid-message', subjectKey: 'tenant' });
    expect(row!.reason).toMatch(reason);
    expect(s.h.alerts.alerts).toHaveLength(1);
    expect(logs.some((l) => l.level === 'error' && l.args[0] === 'remediate.invalid-message')).toBe(true);
  });

  it.each([
    ['add a member', addMember(member(1), FOREIGN_GROUP)],
    ['restore the owner', restoreOwner(SP, FOREIGN_GROUP)],
  ])('a group not in DEVICE_PREP_GROUPS (%s): refused, recorded, alerted', async (_n, target) => {
    const s = setup();
    await expectRefused(s, command(target), /not in the configured device-preparation allowlist/);
  });

  it.each([
    [
      'a device of another device-preparation policy',
      member(2),
      /enrollmentProfileName "Another team’s policy", not the group's policy/,
    ],
    ['a device whose profile name differs only in case', member(3), /not the group's policy/],
    ['an object that is not a device in this tenant', member(7), /is not a device in this tenant/],
  ])('a member that does not belong (%s): refused, recorded, alerted', async (_n, objectId, detail) => {
    const s = setup();
    await expectRefused(s, command(addMember(objectId)), detail);
  });

  it('one member that does not belong refuses the whole batch (nothing written for the others)', async () => {
    const s = setup();
    const target: CommandTarget = {
      action: 'add-to-device-prep-group',
      groupId: GROUP,
      members: [
        { objectId: member(1), serialNumber: 'SN-M1' },
        { objectId: member(2), serialNumber: 'SN-M2' },
      ],
    };
    await expectRefused(s, command(target), /device 00000000-0000-4000-8000-000000000002 has enrollmentProfileName/);
  });

  it.each([
    ['add a member', addMember()],
    ['restore the owner', restoreOwner()],
  ])('a role-assignable group (%s): refused, recorded, alerted', async (_n, target) => {
    const s = setup({ group: { isAssignableToRole: true } });
    await expectRefused(s, command(target), /role-assignable, which device preparation does not support/);
  });

  it('a message for another tenant: refused without calling Graph', async () => {
    const s = setup();
    await deliver(s, command(unblock, { tenant: 'fabrikam' }));
    expect(s.h.tenant.writes).toEqual([]);
    expect((await outcomes(s.h.stores)).map((r) => [r.status, r.subjectKey])).toEqual([['refused', 'tenant']]);
    expect(s.h.alerts.alerts).toHaveLength(1);
  });
});
