import type { Alert, OutcomeStatus } from '../model/index.js';
import { maxSeverity, subjectLabel, toAlertItem } from './alert-item.js';
import type { AlertContext, Escalation, FindingLike, RemediationReport } from './types.js';

// Per-finding alerts. Each dedupeKey is derived from the finding's fingerprint (or the command's idempotency
// key), so the same problem seen on every poll alerts once per cooldown window (alert-fatigue, issue 7).

/** Outcomes a person has to look at: the engine will not try again on its own. */
const NEEDS_A_PERSON: ReadonlySet<OutcomeStatus> = new Set(['failed-permanent', 'refused']);

export function outcomeNeedsPerson(status: OutcomeStatus): boolean {
  return NEEDS_A_PERSON.has(status);
}

export function findingOpenedAlert(ctx: AlertContext, finding: FindingLike): Alert {
  const item = toAlertItem(finding, ctx.catalog, ctx.portalUrl);
  const where = subjectLabel(finding.subject, finding.evidence);
  const remedy = finding.remedy ? `automatic (${finding.remedy.action})` : 'none: needs a person';
  return {
    kind: 'finding',
    severity: finding.severity,
    title: item.title,
    summary: `Detected on ${where}. Remediation: ${remedy}.`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: finding.fingerprint,
    items: [item],
    // Code and where are in the item itself; facts carry only what the item does not say.
    facts: { Remediation: remedy },
  };
}

/** Carries the finding's own severity, so a resolution reaches every channel its opening reached. */
export function findingResolvedAlert(ctx: AlertContext, finding: FindingLike): Alert {
  const item = toAlertItem(finding, ctx.catalog, ctx.portalUrl);
  const where = subjectLabel(finding.subject, finding.evidence);
  return {
    kind: 'resolved',
    severity: finding.severity,
    title: `Resolved: ${item.title}`,
    summary: `No longer detected on ${where}.`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `resolved:${finding.fingerprint}`,
    items: [item],
    facts: {},
  };
}

export function escalationAlert(ctx: AlertContext, escalation: Escalation): Alert {
  const { finding } = escalation;
  const item = toAlertItem(finding, ctx.catalog, ctx.portalUrl);
  const action = escalation.action ?? 'remediation';
  return {
    kind: 'escalation',
    severity: maxSeverity([finding.severity], 'error'),
    title: `Needs a person: ${item.title}`,
    summary: `Automatic ${action} gave up after ${escalation.attempts} attempt(s) on ${subjectLabel(finding.subject, finding.evidence)}: ${escalation.detail}`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `escalated:${finding.fingerprint}`,
    items: [item],
    facts: { Action: action, Attempts: escalation.attempts },
  };
}

export function remediationFailedAlert(ctx: AlertContext, report: RemediationReport): Alert {
  const items = report.findings.map((f) => toAlertItem(f, ctx.catalog, ctx.portalUrl));
  const facts: Record<string, string | number> = {
    Action: report.action,
    Status: report.outcome.status,
    Attempt: report.attempt,
    Devices: items.length,
  };
  // The Graph request id is what Microsoft support asks for; only the key, never tokens, goes here.
  if (report.outcome.graphRequestId) facts['Graph request id'] = report.outcome.graphRequestId;
  return {
    kind: 'remediation-failed',
    severity: maxSeverity(
      report.findings.map((f) => f.severity),
      'error',
    ),
    title: `Remediation failed: ${report.action}`,
    summary: `${report.outcome.status}: ${report.outcome.detail}`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `failed:${report.idempotencyKey}`,
    items,
    facts,
  };
}
