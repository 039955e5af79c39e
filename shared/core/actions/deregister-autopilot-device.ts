import { approvalIdProblem, approvalOnly } from './approval-gate.js';
import { guidProblem, serialKey, serialProblem } from './target-checks.js';
import type { ActionModule } from './types.js';

// Deregister a device from Windows Autopilot (DELETE /v1.0/deviceManagement/windowsAutopilotDeviceIdentities/{id}):
// the documented fix for Attention required after a hardware change, for a registration whose Entra object was
// deleted, and for registrations of devices that are gone ("Deregister a device", Windows Autopilot registration
// overview, https://learn.microsoft.com/autopilot/registration-overview). Destructive — the device must be
// re-registered to deploy again — so it runs only after a person approves the request.

export const deregisterAutopilotDevice: ActionModule<'deregister-autopilot-device'> = {
  name: 'deregister-autopilot-device',
  // Proposing writes nothing: every execution needs a person's approval.
  enabledByDefault: true,
  requiresApproval: true,
  subjectKind: 'device',
  fleet: 'autopilot',
  rule: {
    call: '`DELETE /v1.0/deviceManagement/windowsAutopilotDeviceIdentities/{id}`',
    gates: [
      'approval: proposed for a person, never run by the policy alone; runs once, after someone approves it on the review page or with `autopilot-medic approvals approve` before it expires ({APPROVAL_EXPIRY_HOURS} h)',
      'the worker re-reads the Autopilot record: gone, or its state changed since the proposal (remediation state, enrollment state, Intune or Entra link) = refused',
    ],
    caps: [
      '{MAX_ATTEMPTS_PER_DAY} attempts on one device in 24 h; at most {BLAST_RADIUS_MAX_DEVICES} approved deletions in 24 h',
    ],
  },
  describe: (r) => `deregister Autopilot device ${r.serialNumber} (record ${r.autopilotId})`,
  blastTarget: (r) => `device|${r.serialNumber.toLowerCase()}`,
  safetyGate: (finding) => approvalOnly(finding),
  commands: () => [],
  subjectKeys: (t) => [serialKey(t.serialNumber) ?? t.autopilotId],
  targetProblems: (t) => [
    ...guidProblem('target.autopilotId', t.autopilotId),
    ...serialProblem('target.serialNumber', t.serialNumber, false),
    ...approvalIdProblem('target.approvalId', t.approvalId),
  ],
};
