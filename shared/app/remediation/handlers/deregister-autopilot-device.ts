import type { TargetOf } from '../../../core/actions/index.js';
import { stateFromIdentity } from '../../../core/approvals/index.js';
import type { RemediationDeps } from '../deps.js';
import { approvedRequest, identityUnchanged } from './approval-check.js';
import { oneItemDone, type TargetHandler } from './types.js';

// deregister-autopilot-device: DELETE the Autopilot record, only for an approved request and only while the record
// reads as it did when the fix was proposed (same enrollment state, links and remediation state: a device that
// re-enrolled or recovered since is not deregistered). The re-read must show the record gone.

export function deregisterAutopilotDeviceHandler(
  t: TargetOf<'deregister-autopilot-device'>,
  deps: RemediationDeps,
): TargetHandler {
  // Set by the pre-check once the command proved it is the approved request's (types.ts approvalRequestId).
  let approvalRequestId: string | null = null;
  return {
    proofRequired: true,
    approvalRequestId: () => approvalRequestId,
    async precheck() {
      const approved = await approvedRequest('deregister-autopilot-device', t, deps);
      approvalRequestId = approved.request?.id ?? null;
      if (!approved.ok) return { kind: 'refuse', before: approved.before, detail: approved.detail };
      const identity = await deps.autopilot.getDeviceIdentity(t.autopilotId);
      const before = {
        ...approved.before,
        ...(identity === null ? { autopilotRecordExists: false } : stateFromIdentity(identity)),
      };
      const changed = identityUnchanged(approved.request, identity);
      if (changed !== null) return { kind: 'refuse', before, detail: `${changed}; not written` };
      return { kind: 'act', before, work: [t.autopilotId] };
    },
    write: () => ({
      method: 'DELETE',
      path: `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities/${t.autopilotId}`,
      body: null,
    }),
    async act() {
      return oneItemDone(t.autopilotId, await deps.actions.deleteAutopilotDevice(t.autopilotId));
    },
    async verify() {
      const identity = await deps.autopilot.getDeviceIdentity(t.autopilotId);
      return { state: { autopilotRecordExists: identity !== null }, proven: identity === null };
    },
  };
}
