// When a destructive fix is proposed for a person's approval, and that the policy never runs one on its own.
import { describe, expect, it } from 'vitest';
import { ACTION_MODULES } from '../../../../shared/core/actions/index.js';
import { proposalFor, stateChanges, stateFromEvidence } from '../../../../shared/core/approvals/index.js';
import { CODES } from '../../../../shared/core/catalog/index.js';
import type { Decision, Finding, Mode, RemedyTarget } from '../../../../shared/core/model/index.js';
import { ACTIONS } from '../../../../shared/core/model/index.js';
import { decide, NO_HISTORY, planRun, type PolicySettings } from '../../../../shared/core/policy/index.js';
import { ENFORCE_ALL, T0 } from '../policy/fixtures.js';

const AP = 'ad000000-0000-4000-8000-000000000008';
const MD = 'ed000000-0000-4000-8000-000000000008';

const policy = (mode: Mode): PolicySettings => ({
  ...ENFORCE_ALL,
  defaultMode: mode,
  enabledActions: [...ACTIONS],
  actionModes: Object.fromEntries(ACTIONS.map((a) => [a, mode])) as PolicySettings['actionModes'],
});

function finding(code: string, evidence: Finding['evidence'], remedy: RemedyTarget | null = null): Finding {
  return {
    code,
    subject: { kind: 'device', key: '9TQ4L83', serialNumber: '9TQ4L83', autopilotId: AP },
    severity: 'error',
    title: code,
    evidence,
    fingerprint: `fp-${code}`,
    remedy,
  };
}

const IDENTITY = {
  autopilotId: AP,
  serialNumber: '9TQ4L83',
  enrollmentState: 'enrolled',
  managedDeviceId: MD,
  azureAdDeviceId: '0d000000-0000-4000-8000-000000000008',
};

const decision = (f: Finding, over: Partial<Decision> = {}): Decision => ({
  finding: f,
  kind: 'alert-only',
  action: null,
  mode: 'off',
  reason: 'detect-and-alert',
  remedy: null,
  notBefore: null,
  attempt: 1,
  ...over,
});

describe('proposalFor: only for the findings whose documented fix it is', () => {
  it('Attention required, a deleted Entra object and a stale registration propose deregistering the Autopilot record', () => {
    for (const code of [CODES.AP_ATTENTION_REQUIRED, CODES.AP_ENTRA_OBJECT_MISSING, CODES.AP_REGISTRATION_STALE]) {
      const f = finding(code, { ...IDENTITY, remediationState: 'manualRemediationRequired' });
      const p = proposalFor(f, decision(f), policy('enforce'));
      expect(p?.action, code).toBe('deregister-autopilot-device');
      expect(p?.target).toEqual({ action: 'deregister-autopilot-device', autopilotId: AP, serialNumber: '9TQ4L83' });
      expect(p?.docs.length, code).toBeGreaterThan(0);
      expect(p?.docs.every((d) => d.page.url.startsWith('https://learn.microsoft.com/'))).toBe(true);
      // The exact state read goes with the proposal, ids normalised.
      expect(p?.state).toMatchObject({ enrollmentState: 'enrolled', managedDeviceId: MD });
    }
  });

  it('findings with another documented fix are never proposed (Fix pending, duplicates, profile problems)', () => {
    for (const code of [
      CODES.AP_FIX_PENDING,
      CODES.AP_DUPLICATE_SERIAL,
      CODES.AP_PROFILE_NOT_ASSIGNED,
      CODES.AP_MANAGED_DEVICE_MISSING,
      CODES.AP_USERLESS_BLOCKED_HW_CHANGE,
    ]) {
      const f = finding(code, IDENTITY);
      expect(proposalFor(f, decision(f), policy('enforce')), code).toBeNull();
    }
  });

  it('a blocked device gets the Intune-record deletion only after Unblock reached the daily limit (cheaper fix ruled out)', () => {
    const remedy = { action: 'allow-next-enrollment' as const, autopilotId: AP, serialNumber: '9TQ4L83' };
    const f = finding(CODES.AP_USERLESS_BLOCKED, { ...IDENTITY, userlessEnrollmentStatus: 'blocked' }, remedy);
    const p = policy('enforce');
    // The policy would still unblock: no proposal.
    const unblocking = decide(f, { history: NO_HISTORY, now: T0, policy: p, allowedGroupIds: [] });
    expect(proposalFor(f, unblocking, p)).toBeNull();
    // Three unblocks in 24 h and still blocked: the limit is reached, the deletion is proposed.
    const history = { attemptsLast24h: 3, lastAttemptAt: T0 - 3_600_000, finding: null };
    const exhausted = decide(f, { history, now: T0, policy: p, allowedGroupIds: [] });
    expect(exhausted.kind).toBe('alert-only');
    const proposal = proposalFor(f, exhausted, p);
    expect(proposal?.action).toBe('delete-intune-device-record');
    expect(proposal?.target).toEqual({
      action: 'delete-intune-device-record',
      managedDeviceId: MD,
      autopilotId: AP,
      serialNumber: '9TQ4L83',
    });
    // No Intune record known: nothing to delete, nothing proposed.
    const unmanaged = finding(CODES.AP_USERLESS_BLOCKED, { ...IDENTITY, managedDeviceId: null }, remedy);
    expect(proposalFor(unmanaged, { ...exhausted, finding: unmanaged }, p)).toBeNull();
  });

  it('an action turned off is never proposed; plan mode still proposes (approving then plans)', () => {
    const f = finding(CODES.AP_ATTENTION_REQUIRED, IDENTITY);
    const off: PolicySettings = {
      ...policy('enforce'),
      actionModes: { ...policy('enforce').actionModes, 'deregister-autopilot-device': 'off' },
    };
    expect(proposalFor(f, decision(f), off)).toBeNull();
    expect(proposalFor(f, decision(f), policy('plan'))?.action).toBe('deregister-autopilot-device');
  });

  it('evidence without a GUID id or a serial number proposes nothing', () => {
    const f = finding(CODES.AP_ATTENTION_REQUIRED, { ...IDENTITY, autopilotId: 'not-a-guid' });
    expect(proposalFor(f, decision(f), policy('enforce'))).toBeNull();
    const g = finding(CODES.AP_ATTENTION_REQUIRED, { ...IDENTITY, serialNumber: '  ' });
    expect(proposalFor(g, decision(g), policy('enforce'))).toBeNull();
  });
});

describe('no approval: the policy never executes a destructive action, in any mode', () => {
  const destructive: RemedyTarget[] = [
    { action: 'delete-intune-device-record', managedDeviceId: MD, autopilotId: AP, serialNumber: '9TQ4L83' },
    { action: 'deregister-autopilot-device', autopilotId: AP, serialNumber: '9TQ4L83' },
  ];
  for (const mode of ['plan', 'enforce'] as const) {
    it(`${mode}: a finding carrying a destructive remedy is alert only and plans no command`, () => {
      const p = policy(mode);
      for (const remedy of destructive) {
        const f = finding(CODES.AP_ATTENTION_REQUIRED, IDENTITY, remedy);
        const d = decide(f, { history: NO_HISTORY, now: T0, policy: p, allowedGroupIds: [] });
        expect(d.kind).toBe('alert-only');
        expect(d.reason).toMatch(/only a person's approval runs it/);
        // Even a decision forged to "remediate" becomes no command: the modules plan nothing.
        const forged: Decision = { ...d, kind: 'remediate', mode, action: remedy.action, remedy };
        const plan = planRun([forged], { size: 100, source: 'test' }, p, 'contoso', 'run-1', T0);
        expect(plan.commands).toEqual([]);
      }
    });
  }

  it('every action that deletes is marked as needing approval', () => {
    expect(ACTIONS.filter((a) => ACTION_MODULES[a].requiresApproval === true).sort()).toEqual([
      'delete-intune-device-record',
      'deregister-autopilot-device',
    ]);
  });
});

describe('state comparison', () => {
  it('names every recorded field that reads differently now, and ignores fields the proposal did not record', () => {
    const proposed = stateFromEvidence({ enrollmentState: 'enrolled', managedDeviceId: MD.toUpperCase() });
    expect(stateChanges(proposed, { enrollmentState: 'enrolled', managedDeviceId: MD, remediationState: 'x' })).toEqual(
      [],
    );
    expect(
      stateChanges(proposed, { enrollmentState: 'notContacted', managedDeviceId: null, remediationState: 'x' }),
    ).toEqual(['enrollmentState: enrolled → notContacted', `managedDeviceId: ${MD} → none`]);
  });
});
