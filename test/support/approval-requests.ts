import { decideApproval } from '../../shared/app/approvals/index.js';
import { approvalIdOf, stateFromEvidence, type ApprovalRequest } from '../../shared/core/approvals/index.js';
import type { Evidence } from '../../shared/core/model/index.js';
import { startHarness, type Azurite, type Harness } from './harness.js';

/** The bundled demo's blocked device: its Autopilot record, its Intune record and its serial. */
export const DEMO_BLOCKED = {
  autopilotId: 'ad000000-0000-4000-8000-000000000008',
  managedDeviceId: 'ed000000-0000-4000-8000-000000000008',
  serialNumber: '9TQ4L83',
} as const;

/**
 * A pending request to delete the demo's blocked device's Intune record, built from its open AP_USERLESS_BLOCKED
 * finding as the poll would propose it (the proposal itself is unit-tested in test/unit/core/approvals/), created in
 * the harness's store and approved from the CLI path (no token). Returns the request as created.
 */
export async function approvedIntuneDelete(h: Harness): Promise<ApprovalRequest> {
  const finding = await h.container.stores.findings.get(DEMO_BLOCKED.serialNumber, 'AP_USERLESS_BLOCKED');
  if (finding?.status !== 'open') throw new Error('approvedIntuneDelete: the demo device has no open block finding');
  const evidence = finding.evidence as Evidence;
  const now = h.clock.now();
  const target = { action: 'delete-intune-device-record' as const, ...DEMO_BLOCKED };
  const request: ApprovalRequest = {
    id: approvalIdOf({
      tenant: h.config.tenant,
      action: target.action,
      target,
      fingerprint: finding.fingerprint,
      createdAt: now,
    }),
    tenant: h.config.tenant,
    action: target.action,
    target,
    findingCode: 'AP_USERLESS_BLOCKED',
    subjectKey: DEMO_BLOCKED.serialNumber,
    fingerprint: finding.fingerprint,
    findingTitle: finding.title,
    evidence,
    state: stateFromEvidence(evidence),
    reason: 'Unblock tried up to the daily limit',
    docs: [],
    proposedBy: 'test',
    createdAt: now,
    expiresAt: now + 3_600_000,
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    execution: null,
  };
  await h.container.stores.approvals.create(request);
  const decided = await decideApproval(h.container.approvalDeps(), {
    id: request.id,
    decision: 'approve',
    approver: 'cli:operator',
    token: null,
  });
  if (decided.kind !== 'approved') throw new Error(`approvedIntuneDelete: the approval was ${decided.kind}`);
  return request;
}

/**
 * The demo on Azurite with Unblock off (the block stays, its finding open), polled once, and a deletion of the blocked
 * device's Intune record approved (approvedIntuneDelete). The caller stops the harness.
 */
export async function demoWithApprovedIntuneDelete(
  azurite: Azurite,
): Promise<{ h: Harness; request: ApprovalRequest }> {
  const h = await startHarness({
    scenario: 'demo',
    azurite,
    mode: 'enforce',
    env: { REMEDIATION_ACTIONS: 'autopilot-sync,delete-intune-device-record,deregister-autopilot-device' },
  });
  try {
    await h.runPoll('incremental');
    await h.drainQueue();
    return { h, request: await approvedIntuneDelete(h) };
  } catch (err) {
    await h.stop();
    throw err;
  }
}
