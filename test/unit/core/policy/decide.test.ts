import { describe, expect, it } from 'vitest';

import type { PolicyConfig } from '../../../../shared/config/config.js';
import type { DecisionKind, Finding, Mode } from '../../../../shared/core/model/index.js';
import {
  decide,
  isEscalation,
  modeFor,
  type PolicyContext,
  type PolicySettings,
} from '../../../../shared/core/policy/index.js';
import { ctx, ENFORCE_ALL, finding, GROUP, MIN, OTHER_GROUP, REFUSED_BY_BLOCK, REMEDIES, T0 } from './fixtures.js';

// Compile-time check: the config's PolicyConfig is accepted wherever the core asks for PolicySettings.
const _sameShape: (p: PolicyConfig) => PolicySettings = (p) => p;

const withModes = (modes: Partial<Record<string, Mode>>, enabled = ENFORCE_ALL.enabledActions): PolicySettings => ({
  ...ENFORCE_ALL,
  enabledActions: enabled,
  actionModes: { ...ENFORCE_ALL.actionModes, ...modes },
});

interface Case {
  readonly name: string;
  readonly finding: Finding;
  readonly ctx?: Partial<PolicyContext>;
  readonly kind: DecisionKind;
  readonly mode?: Mode;
  readonly reason: RegExp;
  readonly escalation?: boolean;
  readonly notBefore?: number;
}

// Issue 14 items 4–5 changed what counts as unblock evidence: structured, userless, newer than the last unblock.
const blockEvidence = REFUSED_BY_BLOCK;

const cases: Case[] = [
  // No remedy
  {
    name: 'no remedy, warning -> alert-only',
    finding: finding(null),
    kind: 'alert-only',
    mode: 'off',
    reason: /detect-and-alert/,
  },
  {
    name: 'no remedy, info -> skip',
    finding: finding(null, { severity: 'info' }),
    kind: 'skip',
    reason: /informational/,
  },
  // Mode per action
  {
    name: 'action not enabled -> alert-only',
    finding: finding(REMEDIES.sync),
    ctx: { policy: withModes({}, ['allow-next-enrollment']) },
    kind: 'alert-only',
    mode: 'off',
    reason: /autopilot-sync is off/,
  },
  {
    name: 'action mode off, info finding -> skip',
    finding: finding(REMEDIES.sync, { severity: 'info' }),
    ctx: { policy: withModes({ 'autopilot-sync': 'off' }) },
    kind: 'skip',
    mode: 'off',
    reason: /is off.*informational/,
  },
  {
    name: 'plan mode -> remediate in plan',
    finding: finding(REMEDIES.sync),
    ctx: { policy: withModes({ 'autopilot-sync': 'plan' }) },
    kind: 'remediate',
    mode: 'plan',
    reason: /^plan only: would trigger the Autopilot service sync/,
  },
  {
    name: 'enforce -> remediate',
    finding: finding(REMEDIES.sync),
    kind: 'remediate',
    mode: 'enforce',
    reason: /^will trigger/,
  },
  {
    name: 'off wins over an unsafe target',
    finding: finding(REMEDIES.member('obj-1', 'SN-1', OTHER_GROUP)),
    ctx: { policy: withModes({ 'add-to-device-prep-group': 'off' }) },
    kind: 'alert-only',
    mode: 'off',
    reason: /is off/,
  },
  // Unblock gates
  {
    name: 'unblock in Fix pending -> alert-only',
    finding: finding(REMEDIES.unblock(), {
      evidence: { ...blockEvidence, remediationState: 'automaticRemediationRequired' },
    }),
    kind: 'alert-only',
    mode: 'enforce',
    reason: /Fix pending/,
  },
  {
    name: 'unblock in Attention required -> alert-only',
    finding: finding(REMEDIES.unblock(), {
      evidence: { ...blockEvidence, remediationState: 'manualRemediationRequired' },
    }),
    kind: 'alert-only',
    reason: /Attention required/,
  },
  {
    name: 'unblock without a recorded deployment -> alert-only',
    finding: finding(REMEDIES.unblock(), { evidence: { userlessEnrollmentStatus: 'blocked' } }),
    kind: 'alert-only',
    reason: /no deployment of this device is known/,
  },
  {
    name: 'unblock with a userless 0x80180014 refusal on record -> remediate',
    finding: finding(REMEDIES.unblock(), { evidence: blockEvidence }),
    kind: 'remediate',
    reason: /unblock the next enrollment of device SN-1/,
  },
  {
    name: 'unblock when the policy does not require a failure event -> remediate (still only userless-blocked)',
    finding: finding(REMEDIES.unblock(), { evidence: { userlessEnrollmentStatus: 'blocked' } }),
    ctx: { policy: { ...ENFORCE_ALL, unblockRequiresFailureEvent: false } },
    kind: 'remediate',
    reason: /unblock/,
  },
  {
    name: 'explicit deployment facts -> remediate',
    finding: finding(REMEDIES.unblock(), { evidence: { userlessEnrollmentStatus: 'blocked' } }),
    ctx: {
      evidence: {
        lastDeployment: {
          eventId: 'e',
          serialNumber: 'SN-1',
          deploymentState: 'failure',
          enrollmentType: 'azureADJoinedWithWhiteGlove',
          failureCode: 0x80180014,
          startedAt: T0 - MIN,
        },
      },
    },
    kind: 'remediate',
    reason: /unblock/,
  },
  {
    name: 'explicit remediationState wins over evidence',
    finding: finding(REMEDIES.unblock(), {
      evidence: { ...blockEvidence, remediationState: 'automaticRemediationRequired' },
    }),
    ctx: { evidence: { remediationState: 'noRemediationRequired' } },
    kind: 'remediate',
    reason: /unblock/,
  },
  // Group gates (both group actions)
  {
    name: 'member add to a group outside the allowlist -> alert-only',
    finding: finding(REMEDIES.member('obj-1', 'SN-1', OTHER_GROUP)),
    kind: 'alert-only',
    reason: /not a configured device-preparation group/,
  },
  {
    name: 'owner restore outside the allowlist -> alert-only',
    finding: finding(REMEDIES.owner(OTHER_GROUP)),
    kind: 'alert-only',
    reason: /never written/,
  },
  {
    name: 'allowlist match ignores case',
    finding: finding(REMEDIES.member('obj-1', 'SN-1', GROUP.toUpperCase())),
    kind: 'remediate',
    reason: /add device SN-1/,
  },
  {
    name: 'dynamic group (evidence) -> alert-only',
    finding: finding(REMEDIES.member('obj-1'), { evidence: { groupIsDynamic: true } }),
    kind: 'alert-only',
    reason: /is dynamic/,
  },
  {
    name: 'missing group -> alert-only',
    finding: finding(REMEDIES.owner(), { evidence: { groupExists: false } }),
    kind: 'alert-only',
    reason: /no longer exists/,
  },
  {
    name: 'non-security group -> alert-only',
    finding: finding(REMEDIES.member('obj-1'), { evidence: { groupSecurityEnabled: false } }),
    kind: 'alert-only',
    reason: /not a security group/,
  },
  {
    name: 'role-assignable group -> alert-only',
    finding: finding(REMEDIES.owner(), { evidence: { isAssignableToRole: true } }),
    kind: 'alert-only',
    reason: /role-assignable/,
  },
  {
    name: 'explicit group shape wins over evidence',
    finding: finding(REMEDIES.member('obj-1'), { evidence: { groupIsDynamic: true } }),
    ctx: { evidence: { group: { exists: true, isDynamic: false, securityEnabled: true, isAssignableToRole: false } } },
    kind: 'remediate',
    reason: /add device obj-1/,
  },
  {
    name: 'owner restore on a good group -> remediate',
    finding: finding(REMEDIES.owner()),
    kind: 'remediate',
    reason: /restore the Intune Provisioning Client/,
  },
  // Per-device limits
  {
    name: 'max attempts per day reached -> escalate',
    finding: finding(REMEDIES.unblock(), { evidence: blockEvidence }),
    ctx: { history: { attemptsLast24h: 3, lastAttemptAt: T0 - 5 * 60 * MIN, finding: null } },
    kind: 'alert-only',
    reason: /^escalate: 3 attempts in the last 24 h reached the limit of 3/,
    escalation: true,
  },
  {
    name: 'inside the cooldown -> defer to the end of it',
    finding: finding(REMEDIES.member('obj-1')),
    ctx: { history: { attemptsLast24h: 1, lastAttemptAt: T0 - 10 * MIN, finding: null } },
    kind: 'defer',
    reason: /cooling down.*50 min/,
    notBefore: T0 + 50 * MIN,
  },
  {
    name: 'cooldown from the finding record',
    finding: finding(REMEDIES.owner()),
    ctx: {
      history: {
        attemptsLast24h: 0,
        lastAttemptAt: null,
        finding: { attempts: 1, lastAttemptAt: T0 - 30 * MIN, firstSeenAt: T0 - 99 * MIN },
      },
    },
    kind: 'defer',
    reason: /cooling down/,
    notBefore: T0 + 30 * MIN,
  },
  {
    name: 'cooldown over -> remediate',
    finding: finding(REMEDIES.member('obj-1')),
    ctx: { history: { attemptsLast24h: 1, lastAttemptAt: T0 - 61 * MIN, finding: null } },
    kind: 'remediate',
    reason: /attempt 2/,
  },
  {
    name: 'sync ignores per-device limits (the governor paces it)',
    finding: finding(REMEDIES.sync),
    ctx: { history: { attemptsLast24h: 9, lastAttemptAt: T0 - MIN, finding: null } },
    kind: 'remediate',
    reason: /sync/,
  },
  {
    name: 'safety gate wins over limits',
    finding: finding(REMEDIES.unblock(), {
      evidence: { ...blockEvidence, remediationState: 'automaticRemediationRequired' },
    }),
    ctx: { history: { attemptsLast24h: 9, lastAttemptAt: T0 - MIN, finding: null } },
    kind: 'alert-only',
    reason: /Fix pending/,
    escalation: false,
  },
];

describe('decide', () => {
  it.each(cases)('$name', (c) => {
    const d = decide(c.finding, ctx(c.ctx));
    expect(d.kind).toBe(c.kind);
    expect(d.reason).toMatch(c.reason);
    if (c.mode !== undefined) expect(d.mode).toBe(c.mode);
    if (c.escalation !== undefined) expect(isEscalation(d)).toBe(c.escalation);
    expect(d.notBefore).toBe(c.notBefore ?? null);
    expect(d.finding).toBe(c.finding);
    expect(d.remedy).toBe(c.finding.remedy);
    expect(d.action).toBe(c.finding.remedy?.action ?? null);
  });

  it('numbers the attempt from history and the finding record', () => {
    const f = finding(REMEDIES.owner());
    expect(decide(f, ctx()).attempt).toBe(1);
    expect(
      decide(f, ctx({ history: { attemptsLast24h: 2, lastAttemptAt: T0 - 200 * MIN, finding: null } })).attempt,
    ).toBe(3);
    const record = { attempts: 4, lastAttemptAt: T0 - 200 * MIN, firstSeenAt: T0 - 999 * MIN };
    expect(decide(f, ctx({ history: { attemptsLast24h: 0, lastAttemptAt: null, finding: record } })).attempt).toBe(5);
  });

  it('is pure: same input, same decision', () => {
    const f = finding(REMEDIES.member('obj-1'));
    expect(decide(f, ctx())).toEqual(decide(f, ctx()));
  });

  it('modeFor: disabled actions are off, enabled ones use their own mode', () => {
    expect(modeFor('autopilot-sync', withModes({ 'autopilot-sync': 'plan' }))).toBe('plan');
    expect(modeFor('autopilot-sync', withModes({}, []))).toBe('off');
  });
});
