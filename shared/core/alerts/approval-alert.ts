import { actionModule } from '../actions/index.js';
import type { ApprovalRequest } from '../approvals/types.js';
import type { Alert } from '../model/index.js';
import { subjectLabel, toAlertItem } from './alert-item.js';
import { isoSeconds } from './text.js';
import type { AlertContext } from './types.js';

// "A person must approve this": the finding, the destructive fix the documentation prescribes for it, why, and the
// Review link (the page shows the evidence and the exact state read, with Approve / Reject). Without a link the
// request is decided from the CLI, and the alert says how.

export function approvalRequestedAlert(ctx: AlertContext, request: ApprovalRequest, reviewUrl: string | null): Alert {
  const finding = {
    code: request.findingCode,
    subject: {
      kind: 'device' as const,
      key: request.subjectKey,
      serialNumber: request.target.serialNumber,
      autopilotId: request.target.autopilotId,
    },
    severity: 'warning' as const,
    title: request.findingTitle,
    evidence: request.evidence,
    fingerprint: request.fingerprint,
  };
  const item = toAlertItem(finding, ctx.catalog, ctx.portalUrl);
  const what = actionModule(request.action).describe(request.target);
  const how =
    reviewUrl === null
      ? `Decide with: autopilot-medic approvals show ${request.id}, then approve or reject.`
      : 'Open Review to see the evidence and approve or reject.';
  return {
    kind: 'approval-requested',
    severity: 'warning',
    title: `Approval needed: ${what}`,
    summary: `${request.reason} Nothing is deleted unless a person approves before ${isoSeconds(request.expiresAt)}. ${how}`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `approval:${request.id}`,
    items: [item],
    facts: {
      Action: request.action,
      Device: subjectLabel(finding.subject, request.evidence),
      'Approval id': request.id,
      Expires: isoSeconds(request.expiresAt),
    },
    review: { approvalId: request.id, url: reviewUrl, expiresAt: request.expiresAt },
  };
}
