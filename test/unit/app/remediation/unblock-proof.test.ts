import { describe, expect, it } from 'vitest';

import { subjectHistory } from '../../../../shared/app/poll/subject-history.js';
import { executeRemediation } from '../../../../shared/app/remediation/index.js';
import type { Finding } from '../../../../shared/core/model/index.js';
import { decide, isEscalation } from '../../../../shared/core/policy/index.js';
import { actionsWith, apId, command, ENFORCE_POLICY, harness, MIN, outcomes, T0, unblockFinding } from './support.js';

// Issue 14, items 5 (worker side) and 6. "Unblock" (allowNextEnrollment) lifts the block on userless re-enrollment
// that Graph reports as the identity's userlessEnrollmentStatus ("windowsAutopilotDeviceIdentity resource type",
// property userlessEnrollmentStatus, https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotdeviceidentity?view=graph-rest-beta);
// the portal gives no confirmation, so success is recorded only when a re-read shows the block gone
// ("allowNextEnrollment action", https://learn.microsoft.com/graph/api/intune-enrollment-windowsautopilotdeviceidentity-allownextenrollment?view=graph-rest-beta).
// Scripted Graph stand-in (FakeTenant).

const target = { action: 'allow-next-enrollment' as const, autopilotId: apId('SN-1'), serialNumber: 'SN-1' };
const FP = 'fp-block-1';

/** The poll's finding for SN-1, with a 0x80180014 failure at `failedAt`. */
const record = (attempts = 0, failedAt = T0 - 60 * MIN) => ({
  ...unblockFinding('SN-1', failedAt),
  fingerprint: FP,
  lastSeenAt: T0,
  attempts,
});

/** allowNextEnrollment answers 204 but the device stays blocked (as Graph does in Fix pending, or when the re-read lags). */
function acceptedButStillBlocked(h: ReturnType<typeof harness>) {
  return actionsWith(h.tenant, {
    allowNextEnrollment: (id) => {
      h.tenant.writes.push({ method: 'allowNextEnrollment', args: [id] });
      return Promise.resolve({ requestId: `req-${h.tenant.writes.length}`, alreadyDone: false });
    },
  });
}

describe('unblock requires the documented block (14.5, worker side)', () => {
  it.each([
    [
      'enrollmentState blocked, userlessEnrollmentStatus allowed',
      { enrollmentState: 'blocked' as const, userlessEnrollmentStatus: 'allowed' as const },
      'refused',
      /userlessEnrollmentStatus is allowed/,
    ],
    [
      'enrollmentState blocked, userlessEnrollmentStatus unknown',
      { enrollmentState: 'blocked' as const, userlessEnrollmentStatus: 'unknown' as const },
      'refused',
      /Unblock only clears a userless re-enrollment block/,
    ],
    [
      'neither blocked',
      { enrollmentState: 'enrolled' as const, userlessEnrollmentStatus: 'allowed' as const },
      'no-longer-applies',
      /no longer blocked/,
    ],
  ])('%s: not written', async (_n, state, status, detail) => {
    const h = harness();
    h.tenant.blockedDevice('SN-1', state);
    const out = await executeRemediation(command(target), h.deps());
    expect(out.status).toBe(status);
    expect(out.detail).toMatch(detail);
    expect(h.tenant.writes).toHaveLength(0);
  });

  it('userlessEnrollmentStatus blocked (enrollmentState whatever it says) is acted on', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1', { enrollmentState: 'enrolled', userlessEnrollmentStatus: 'blocked' });
    expect((await executeRemediation(command(target), h.deps())).status).toBe('succeeded');
    expect(h.tenant.writes).toHaveLength(1);
  });
});

describe('unblock success is proven by the re-read (14.6)', () => {
  it('the write is accepted but the re-read still shows the block: unverified, counted as an attempt, claim completed', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    await h.stores.findings.upsertMany([record()]);
    const cmd = command(target, { reasons: [FP] });
    const out = await executeRemediation(cmd, h.deps({ actions: acceptedButStillBlocked(h) }));
    expect(out.status).toBe('unverified');
    expect(out.detail).toMatch(/the re-read does not show the change yet/);
    expect(out.after).toMatchObject({ userlessEnrollmentStatus: 'blocked' });
    expect(h.tenant.writes).toHaveLength(1);
    expect(await h.stores.findings.get('SN-1', 'AP_USERLESS_BLOCKED')).toMatchObject({
      attempts: 1,
      lastAttemptAt: T0,
    });
    expect(await h.stores.claims.get(cmd.action, cmd.idempotencyKey)).toMatchObject({ status: 'completed' });
    expect((await outcomes(h.stores)).map((r) => r.status)).toEqual(['unverified']);
    // Not retried on the spot: the same message again is a duplicate; a later poll plans the next attempt.
    expect((await executeRemediation(cmd, h.deps({ actions: acceptedButStillBlocked(h) }))).status).toBe('duplicate');
    expect(h.tenant.writes).toHaveLength(1);
  });

  it('a re-read that shows the block cleared is success', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    const out = await executeRemediation(command(target), h.deps());
    expect(out).toMatchObject({ status: 'succeeded', after: { userlessEnrollmentStatus: 'allowed' } });
  });

  it('unverified attempts are retried by later polls under the attempt limit, then escalated to a person', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    await h.stores.findings.upsertMany([record()]);
    const finding: Finding = {
      code: 'AP_USERLESS_BLOCKED',
      subject: { kind: 'device', key: 'SN-1', serialNumber: 'SN-1', autopilotId: target.autopilotId },
      severity: 'error',
      title: 'blocked',
      evidence: {},
      fingerprint: FP,
      remedy: target,
    };
    const policy = { ...ENFORCE_POLICY, cooldownMs: 30 * MIN, maxAttemptsPerDay: 3 };
    const kinds: string[] = [];
    for (let poll = 1; poll <= 4; poll += 1) {
      const now = h.clock.now();
      // Each poll sees the device refused with 0x80180014 again since the last (unverified) unblock, and stores that
      // evidence as it decides on it: the worker's unblock gate needs a failure newer than the last unblock.
      const before = await h.stores.findings.get('SN-1', 'AP_USERLESS_BLOCKED');
      await h.stores.findings.upsertMany([
        { ...record(before?.attempts ?? 0, now - MIN), lastAttemptAt: before?.lastAttemptAt ?? null },
      ]);
      const stored = await h.stores.findings.get('SN-1', 'AP_USERLESS_BLOCKED');
      const history = await subjectHistory(h.stores.history, finding, stored, now);
      const decision = decide(finding, {
        history,
        now,
        policy,
        allowedGroupIds: [],
        evidence: {
          userlessBlocked: true,
          lastDeployment: {
            eventId: 'e',
            serialNumber: 'SN-1',
            deploymentState: 'failure',
            enrollmentType: 'azureADJoinedWithWhiteGlove',
            failureCode: 0x80180014,
            startedAt: now - MIN,
          },
        },
      });
      kinds.push(isEscalation(decision) ? 'escalate' : decision.kind);
      if (decision.kind === 'remediate') {
        const cmd = command(target, {
          idempotencyKey: `contoso:allow-next-enrollment:${target.autopilotId}:${FP}-a${decision.attempt}`,
          reasons: [FP],
        });
        expect((await executeRemediation(cmd, h.deps({ actions: acceptedButStillBlocked(h), policy }))).status).toBe(
          'unverified',
        );
      }
      h.clock.advance(31 * MIN);
    }
    expect(kinds).toEqual(['remediate', 'remediate', 'remediate', 'escalate']);
    expect(h.tenant.writes).toHaveLength(3);
  });
});
