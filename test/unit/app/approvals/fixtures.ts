import { approvalIdOf, type ApprovalRequest, type ApprovalTarget } from '../../../../shared/core/approvals/index.js';
import { T0 } from '../remediation/support.js';

export const AP = 'a0000000-0000-4000-8000-00000000a001';
export const MD = 'e0000000-0000-4000-8000-00000000e001';
export const SERIAL = 'SN-APPROVE-1';

export const DEREGISTER: ApprovalTarget = {
  action: 'deregister-autopilot-device',
  autopilotId: AP,
  serialNumber: SERIAL,
};
export const DELETE_RECORD: ApprovalTarget = {
  action: 'delete-intune-device-record',
  managedDeviceId: MD,
  autopilotId: AP,
  serialNumber: SERIAL,
};

/** A request as the poll would store it for an Attention-required device (pending unless told otherwise). */
export function request(target: ApprovalTarget, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const fingerprint = over.fingerprint ?? 'fp-attention';
  return {
    id: approvalIdOf({ tenant: 'contoso', action: target.action, target, fingerprint, createdAt: T0 }),
    tenant: 'contoso',
    action: target.action,
    target,
    findingCode: 'AP_ATTENTION_REQUIRED',
    subjectKey: SERIAL,
    fingerprint,
    findingTitle: 'Attention required',
    evidence: { autopilotId: AP, serialNumber: SERIAL, remediationState: 'manualRemediationRequired' },
    state: { remediationState: 'manualRemediationRequired', managedDeviceId: MD },
    reason: 'documented',
    docs: [],
    proposedBy: 'poll run-1',
    createdAt: T0,
    expiresAt: T0 + 24 * 3_600_000,
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    execution: null,
    ...over,
  };
}
