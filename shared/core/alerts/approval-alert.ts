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
  const finding = findingOf(request);
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

/**
 * Many requests from one run (a large tenant's first sweep asks about thousands of devices) as one message, as the
 * run's own digest does for findings (ALERT_DIGEST_THRESHOLD): one card a request would flood the channel and run
 * into Teams' rate limits. Still an approval request to its receivers (webhook `approval.requested`, each request an
 * item), not a second run digest; it carries no `review`, since no one link decides them all: each is decided on the
 * CLI (`approvals list`, then `show`, `approve` or `reject`).
 */
export function approvalsDigestAlert(ctx: AlertContext, runId: string, requests: readonly ApprovalRequest[]): Alert {
  const byAction = new Map<string, number>();
  for (const r of requests) byAction.set(r.action, (byAction.get(r.action) ?? 0) + 1);
  const firstExpiry = Math.min(...requests.map((r) => r.expiresAt));
  return {
    kind: 'approval-requested',
    severity: 'warning',
    title: `Approval needed: ${requests.length} requests`,
    summary:
      `This run asks a person to approve ${requests.length} destructive fixes, so they come as one message instead ` +
      `of one per device. Nothing is deleted unless a person approves before it expires (the first at ` +
      `${isoSeconds(firstExpiry)}). Decide with: autopilot-medic approvals list, then show, approve or reject each.`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `approvals:${runId}`,
    items: requests.map((r) => toAlertItem(findingOf(r), ctx.catalog, ctx.portalUrl)),
    facts: {
      Run: runId,
      'Approval requests': requests.length,
      ...Object.fromEntries([...byAction].map(([action, n]) => [`Action ${action}`, n])),
      'First expiry': isoSeconds(firstExpiry),
    },
  };
}

/** The finding a request is about, as an alert item shows it. */
function findingOf(request: ApprovalRequest) {
  return {
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
}
