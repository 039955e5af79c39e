// The worker's half of "no approval, no destructive write": whatever a queue message says, a delete runs only for
// an approved request that names exactly its target — in plan mode nothing is written either way.
// Graph is the scripted FakeTenant (unit test); test/integration/approvals runs the same against the simulator.
import { beforeEach, describe, expect, it } from 'vitest';
import { executeRemediation } from '../../../../shared/app/remediation/index.js';
import { ACTIONS, type CommandTarget, type Mode } from '../../../../shared/core/model/index.js';
import type { PolicySettings } from '../../../../shared/core/policy/index.js';
import { command, ENFORCE_POLICY, harness, outcomes, T0, type Harness } from '../remediation/support.js';
import { AP, DELETE_RECORD, DEREGISTER, MD, request, SERIAL } from './fixtures.js';

/** Every action on, in enforce (the destructive ones need approval whatever their mode). */
const ALL_ON: PolicySettings = { ...ENFORCE_POLICY, enabledActions: [...ACTIONS] };

let h: Harness;
beforeEach(async () => {
  const base = harness();
  h = { ...base, deps: (over = {}) => base.deps({ policy: ALL_ON, ...over }) };
  h.tenant.blockedDevice(SERIAL, { id: AP, remediationState: 'manualRemediationRequired', managedDeviceId: MD });
  h.tenant.managedDevices.add(MD);
  await h.stores.findings.upsertMany([
    {
      subjectKey: SERIAL,
      code: 'AP_ATTENTION_REQUIRED',
      fingerprint: 'fp-attention',
      severity: 'error',
      title: 'Attention required',
      status: 'open',
      firstSeenAt: T0,
      lastSeenAt: T0,
      resolvedAt: null,
      attempts: 0,
      lastAttemptAt: null,
      evidence: {},
    },
  ]);
});

const targets = (approvalId: string): CommandTarget[] => [
  { ...DEREGISTER, approvalId },
  { ...DELETE_RECORD, approvalId },
];

describe('a destructive command without an approved request is refused and writes nothing', () => {
  for (const mode of ['plan', 'enforce'] as const satisfies readonly Mode[]) {
    it(`${mode}: no request, a pending one, a rejected one`, async () => {
      const pending = request(DEREGISTER);
      const rejected = request(DELETE_RECORD, { status: 'rejected', decidedBy: 'alice', decidedAt: T0 });
      await h.stores.approvals.create(pending);
      await h.stores.approvals.create(rejected);
      const cases: [CommandTarget, RegExp][] = [
        ...targets('0'.repeat(32)).map((t): [CommandTarget, RegExp] => [t, /there is no approval request/]),
        [{ ...DEREGISTER, approvalId: pending.id }, /is pending, not approved/],
        [{ ...DELETE_RECORD, approvalId: rejected.id }, /is rejected, not approved/],
      ];
      for (const [i, [target, why]] of cases.entries()) {
        const out = await executeRemediation(command(target, { idempotencyKey: `k-${mode}-${i}` }, mode), h.deps());
        expect(out.status).toBe('refused');
        expect(out.detail).toMatch(why);
      }
      expect(h.tenant.writes).toEqual([]);
      expect((await outcomes(h.stores)).every((r) => r.status === 'refused')).toBe(true);
    });
  }

  it('an approved request does not cover another target (the message cannot swap the device)', async () => {
    const approved = request(DEREGISTER, { status: 'approved', decidedBy: 'alice', decidedAt: T0 });
    await h.stores.approvals.create(approved);
    const other = { ...DEREGISTER, autopilotId: 'a0000000-0000-4000-8000-00000000a002', approvalId: approved.id };
    const out = await executeRemediation(command(other), h.deps());
    expect(out.status).toBe('refused');
    expect(out.detail).toMatch(/not the one approval request .* names/);
    expect(h.tenant.writes).toEqual([]);
  });

  it('an approved request whose refusal was recorded (its command could not be queued) is not acted on', async () => {
    // The decision records a refusal when queueing the command fails, and tells the person nothing will be done. A
    // queue that took the message after all must not make that untrue.
    const approved = request(DEREGISTER, { status: 'approved', decidedBy: 'alice', decidedAt: T0 });
    await h.stores.approvals.create(approved);
    await h.stores.approvals.recordExecution(approved.id, {
      status: 'refused',
      detail: 'approved, but its command could not be queued (ServiceBusError)',
      at: T0,
    });
    const out = await executeRemediation(command({ ...DEREGISTER, approvalId: approved.id }), h.deps());
    expect(out.status).toBe('refused');
    expect(out.detail).toMatch(/was refused before: approved, but its command could not be queued/);
    expect(h.tenant.writes).toEqual([]);
  });

  it('a worker without an approval store refuses every destructive command', async () => {
    const approved = request(DEREGISTER, { status: 'approved', decidedBy: 'alice', decidedAt: T0 });
    await h.stores.approvals.create(approved);
    const deps = { ...h.deps(), approvals: undefined };
    const out = await executeRemediation(command({ ...DEREGISTER, approvalId: approved.id }), deps);
    expect(out.status).toBe('refused');
    expect(h.tenant.writes).toEqual([]);
  });

  it('approved, but the configuration has the action in plan: planned, nothing written', async () => {
    const approved = request(DEREGISTER, { status: 'approved', decidedBy: 'alice', decidedAt: T0 });
    await h.stores.approvals.create(approved);
    const deps = h.deps({
      policy: { ...ALL_ON, actionModes: { ...ALL_ON.actionModes, 'deregister-autopilot-device': 'plan' } },
    });
    const out = await executeRemediation(command({ ...DEREGISTER, approvalId: approved.id }), deps);
    expect(out.status).toBe('planned');
    expect(out.detail).toMatch(/DELETE \/v1.0\/deviceManagement\/windowsAutopilotDeviceIdentities\//);
    expect(h.tenant.writes).toEqual([]);
  });
});
