import { approvalIdProblem, approvalOnly } from './approval-gate.js';
import { guidProblem, serialKey, serialProblem } from './target-checks.js';
import type { ActionModule } from './types.js';

// Delete a device's Intune record (DELETE /v1.0/deviceManagement/managedDevices/{id}): the documented alternative
// to Unblock device for the one-time self-deploying / pre-provisioning block ("Delete device record in Intune
// before reusing devices in self-deployment mode or Pre-Provisioning mode", Windows Autopilot known issues,
// https://learn.microsoft.com/autopilot/known-issues). Destructive — the device loses its Intune management history
// — so it runs only after a person approves the request (core/approvals/proposals.ts says when one is made).

export const deleteIntuneDeviceRecord: ActionModule<'delete-intune-device-record'> = {
  name: 'delete-intune-device-record',
  // Proposing writes nothing: every execution needs a person's approval.
  enabledByDefault: true,
  requiresApproval: true,
  subjectKind: 'device',
  fleet: 'autopilot',
  rule: {
    call: '`DELETE /v1.0/deviceManagement/managedDevices/{id}`',
    gates: [
      'approval: proposed for a person, never run by the policy alone; runs once, after someone approves it on the review page or with `autopilot-medic approvals approve` before it expires ({APPROVAL_EXPIRY_HOURS} h)',
      'proposed for a blocked device only when Unblock was tried and did not help (the daily attempt limit was reached while the device stays blocked), never in Fix pending or Attention required',
      'the worker re-reads the Intune record and the Autopilot record: gone, re-linked or re-enrolled since the proposal = refused',
    ],
    caps: [
      '{MAX_ATTEMPTS_PER_DAY} attempts on one device in 24 h; at most {BLAST_RADIUS_MAX_DEVICES} approved deletions in 24 h',
    ],
  },
  describe: (r) => `delete the Intune record ${r.managedDeviceId} of device ${r.serialNumber}`,
  blastTarget: (r) => `device|${r.serialNumber.toLowerCase()}`,
  safetyGate: (finding) => approvalOnly(finding),
  // Never planned from a poll's decisions: an approved request enqueues its one command (app/approvals).
  commands: () => [],
  subjectKeys: (t) => [serialKey(t.serialNumber) ?? t.autopilotId],
  targetProblems: (t) => [
    ...guidProblem('target.managedDeviceId', t.managedDeviceId),
    ...guidProblem('target.autopilotId', t.autopilotId),
    ...serialProblem('target.serialNumber', t.serialNumber, false),
    ...approvalIdProblem('target.approvalId', t.approvalId),
  ],
};
