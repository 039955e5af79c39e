import { describe, expect, it } from 'vitest';

import type { Evidence, Finding } from '../../../../shared/core/model/index.js';
import { decide, unblockNeedsHistory, resolveFlags, type PolicyContext } from '../../../../shared/core/policy/index.js';
import { ctx, ENFORCE_ALL, finding, MIN, REFUSED_BY_BLOCK, REMEDIES, T0 } from './fixtures.js';

// Issue 14 items 4–5: unblock (allowNextEnrollment) only what Microsoft documents as the one-time userless
// block, proven by structured evidence:
// - Windows Autopilot troubleshooting FAQ, section "Troubleshooting Windows Autopilot device import and
//   enrollment", "Why is error code 0x80180014 occurring when trying to re-enroll a previously enrolled
//   device?" (https://learn.microsoft.com/autopilot/troubleshooting-faq): self-deployment and pre-provisioning
//   mode devices that are reused, reset or redeployed fail with 0x80180014.
// - Windows Autopilot: What's new, "One-time self-deployment and pre-provisioning"
//   (https://learn.microsoft.com/autopilot/windows-autopilot-whats-new): only those two modes carry the block.
// - windowsAutopilotUserlessEnrollmentStatus "blocked: next userless enrollment cannot proceed"
//   (https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotuserlessenrollmentstatus?view=graph-rest-beta);
//   enrollmentState = blocked means something else (https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmentstate?view=graph-rest-beta).
// Rows marked DEFECT remediated on the code before the fix (it matched "80180014" anywhere in the evidence,
// accepted enrollmentState alone and ignored the deployment mode and the last unblock).

const HOUR = 60 * MIN;
const unblock = (evidence: Evidence): Finding => finding(REMEDIES.unblock(), { evidence });
const refused = (over: Record<string, string | number | null>): Evidence => ({ ...REFUSED_BY_BLOCK, ...over });

interface Case {
  readonly name: string;
  readonly evidence: Evidence;
  readonly ctx?: Partial<PolicyContext>;
  readonly remediate: boolean;
  readonly reason?: RegExp;
}

const cases: Case[] = [
  { name: 'pre-provisioning (Entra join) refused with 0x80180014', evidence: REFUSED_BY_BLOCK, remediate: true },
  {
    name: 'pre-provisioning (hybrid join)',
    evidence: refused({ lastDeploymentEnrollmentType: 'offlineDomainJoinedWithWhiteGlove' }),
    remediate: true,
  },
  {
    name: 'self-deploying (device authentication, with profile)',
    evidence: refused({ lastDeploymentEnrollmentType: 'azureADJoinedUsingDeviceAuthWithAutopilotProfile' }),
    remediate: true,
  },
  {
    name: 'self-deploying (device authentication, without profile)',
    evidence: refused({ lastDeploymentEnrollmentType: 'azureADJoinedUsingDeviceAuthWithoutAutopilotProfile' }),
    remediate: true,
  },
  {
    name: 'code as signed decimal number',
    evidence: refused({ lastDeploymentFailureCode: -2145910764 }),
    remediate: true,
  },
  {
    name: 'code as unsigned decimal string',
    evidence: refused({ lastDeploymentFailureCode: '2149056532' }),
    remediate: true,
  },
  {
    name: 'serial compared without case or spaces',
    evidence: refused({ lastDeploymentSerialNumber: ' sn-1 ' }),
    remediate: true,
  },
  {
    name: 'event matched through the Intune device id (no serial on it)',
    evidence: refused({ lastDeploymentSerialNumber: null }),
    remediate: true,
  },
  {
    name: 'DEFECT: a serial containing 80180014 is no failure event',
    evidence: { userlessEnrollmentStatus: 'blocked', serialNumber: 'X80180014Z' },
    remediate: false,
    reason: /no deployment of this device is known/,
  },
  {
    name: 'DEFECT: free-text failure details are no structured evidence',
    evidence: { userlessEnrollmentStatus: 'blocked', failureDetails: 'Enrollment failed 0x80180014' },
    remediate: false,
    reason: /no deployment of this device is known/,
  },
  {
    name: 'DEFECT: the code inside a longer value is not the code',
    evidence: refused({ lastDeploymentFailureCode: 'see 0x80180014' }),
    remediate: false,
    reason: /did not fail with 0x80180014/,
  },
  {
    name: 'DEFECT: enrollmentState = blocked alone is not the userless block',
    evidence: refused({ userlessEnrollmentStatus: 'allowed', enrollmentState: 'blocked' }),
    remediate: false,
    reason: /userlessEnrollmentStatus is not blocked/,
  },
  {
    name: 'DEFECT: a user-driven deployment is not a userless one',
    evidence: refused({ lastDeploymentEnrollmentType: 'azureADJoinedWithAutopilotProfile' }),
    remediate: false,
    reason: /not self-deploying or pre-provisioning \(enrollmentType azureADJoinedWithAutopilotProfile\)/,
  },
  {
    name: 'DEFECT: a failure older than the last unblock was already answered',
    evidence: REFUSED_BY_BLOCK,
    ctx: { history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null, lastUnblockAt: T0 - HOUR } },
    remediate: false,
    reason: /not newer than the last unblock \(2026-11-22T09:00:00\.000Z\)/,
  },
  {
    name: 'a failure newer than the last unblock',
    evidence: REFUSED_BY_BLOCK,
    ctx: { history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null, lastUnblockAt: T0 - 3 * HOUR } },
    remediate: true,
  },
  {
    name: 'a failure of unknown start when an unblock is on record',
    evidence: refused({ lastDeploymentStartedAt: null }),
    ctx: { history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null, lastUnblockAt: T0 - 3 * HOUR } },
    remediate: false,
    reason: /not newer than the last unblock/,
  },
  {
    name: 'another failure code',
    evidence: refused({ lastDeploymentFailureCode: '0x80180005' }),
    remediate: false,
    reason: /did not fail with 0x80180014/,
  },
  {
    name: 'the latest deployment succeeded',
    evidence: refused({ lastDeploymentState: 'success', lastDeploymentFailureCode: null }),
    remediate: false,
    reason: /latest deployment did not fail/,
  },
  {
    name: "another device's event",
    evidence: refused({ lastDeploymentSerialNumber: 'SN-2' }),
    remediate: false,
    reason: /another serial number/,
  },
  {
    name: 'Fix pending',
    evidence: refused({ remediationState: 'automaticRemediationRequired' }),
    remediate: false,
    reason: /Fix pending/,
  },
  {
    name: 'Attention required',
    evidence: refused({ remediationState: 'manualRemediationRequired' }),
    remediate: false,
    reason: /Attention required/,
  },
  {
    name: 'UNBLOCK_REQUIRES_FAILURE_EVENT=false still needs userlessEnrollmentStatus = blocked',
    evidence: { enrollmentState: 'blocked' },
    ctx: { policy: { ...ENFORCE_ALL, unblockRequiresFailureEvent: false } },
    remediate: false,
    reason: /userlessEnrollmentStatus is not blocked/,
  },
];

describe('unblock gate (allow-next-enrollment)', () => {
  it.each(cases)('$name', (c) => {
    const d = decide(unblock(c.evidence), ctx(c.ctx));
    expect(d.kind).toBe(c.remediate ? 'remediate' : 'alert-only');
    if (c.reason) expect(d.reason).toMatch(c.reason);
    if (!c.remediate) expect(d.reason).toMatch(/alert only$/);
  });

  it('asks for the last unblock from history only when the rest of the evidence already allows one', () => {
    const needs = (evidence: Evidence) =>
      unblockNeedsHistory(unblock(evidence), resolveFlags(evidence, undefined), ENFORCE_ALL);
    expect(needs(REFUSED_BY_BLOCK)).toBe(true);
    // Every self-deployed device carries the block: without a refused deployment, no history read.
    expect(needs({ userlessEnrollmentStatus: 'blocked' })).toBe(false);
    expect(needs(refused({ lastDeploymentState: 'success' }))).toBe(false);
    expect(needs(refused({ userlessEnrollmentStatus: 'allowed' }))).toBe(false);
    expect(
      unblockNeedsHistory(
        finding(REMEDIES.sync, { evidence: REFUSED_BY_BLOCK }),
        resolveFlags(REFUSED_BY_BLOCK, undefined),
        ENFORCE_ALL,
      ),
    ).toBe(false);
  });
});
