import { unblockGate } from '../policy/unblock-gate.js';
import { DEVICE_LIMITS } from './rule-text.js';
import { guidProblem, serialKey, serialProblem } from './target-checks.js';
import { oneCommandPerTarget } from './one-per-target.js';
import type { ActionModule } from './types.js';

// Unblock a device's next userless enrollment (POST windowsAutopilotDeviceIdentities/{id}/allowNextEnrollment),
// only after the documented failure (policy/unblock-gate.ts). One command per Autopilot identity.

export const allowNextEnrollment: ActionModule<'allow-next-enrollment'> = {
  name: 'allow-next-enrollment',
  enabledByDefault: true,
  subjectKind: 'device',
  fleet: 'autopilot',
  rule: {
    call: '`POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}/allowNextEnrollment`',
    gates: [
      '`userlessEnrollmentStatus` = `blocked` (`enrollmentState` = `blocked` alone is not the userless block)',
      "the device's latest deployment was self-deploying or pre-provisioning and failed with 0x80180014 (parsed from the event, not matched in text), after the device's last unblock ({UNBLOCK_REQUIRES_FAILURE_EVENT})",
      'not in Fix pending or Attention required (`remediationState`): alert instead',
      'no other Autopilot record has the same serial number (ASCII letter case and surrounding ASCII blanks aside; ſ, ı, NBSP and the like make another serial): alert instead (`AP_DUPLICATE_SERIAL`)',
    ],
    caps: [DEVICE_LIMITS],
  },
  describe: (r) => `unblock the next enrollment of device ${r.serialNumber}`,
  blastTarget: (r) => `device|${r.serialNumber.toLowerCase()}`,
  safetyGate: (_finding, remedy, flags, ctx) =>
    unblockGate(remedy, flags, ctx.policy, ctx.history.lastUnblockAt ?? null),
  commands: (acting, ctx) =>
    oneCommandPerTarget(
      acting,
      ctx,
      (r) => r.autopilotId,
      (r) => ({ action: r.action, autopilotId: r.autopilotId, serialNumber: r.serialNumber }),
    ),
  subjectKeys: (t) => [serialKey(t.serialNumber) ?? t.autopilotId],
  targetProblems: (t) => [
    ...guidProblem('target.autopilotId', t.autopilotId),
    ...serialProblem('target.serialNumber', t.serialNumber, false),
  ],
};
