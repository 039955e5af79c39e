import type { Alert, Severity } from '../model/index.js';
import { bySeverityDesc, maxSeverity, toAlertItem } from './alert-item.js';
import type { AlertContext, BlastRadiusBreach, ComplianceReportSummary, Escalation, FindingLike } from './types.js';

// Alerts that summarise many findings at once: safety breaches and digests. Digests exist so a run that
// touches hundreds of devices produces one message, not hundreds (a channel flooded with one card per device
// is a channel nobody reads).

const TOP_CODES = 8;

export function blastRadiusAlert(ctx: AlertContext, breach: BlastRadiusBreach): Alert {
  const fleet = breach.fleetSize === null ? 'an unknown fleet' : `${breach.fleetSize} devices`;
  return {
    kind: 'blast-radius',
    severity: 'critical',
    title: 'Blast radius exceeded: the run dropped to plan mode',
    summary:
      `Run ${breach.runId} would have acted on ${breach.wouldAct} targets (limit: ${breach.maxDevices}, or ` +
      `${breach.maxPercent}% of ${fleet}${breach.minDevices === undefined ? '' : ` when more than ${breach.minDevices}`}). ` +
      'Nothing was written to the tenant. Review the planned actions before raising the limit.',
    tenant: ctx.tenant,
    at: ctx.at,
    // One per tenant per cooldown: a breach repeats on every poll until someone acts.
    dedupeKey: `blast-radius:${ctx.tenant}`,
    items: [],
    facts: {
      Run: breach.runId,
      'Would act on': breach.wouldAct,
      'Limit (devices)': breach.maxDevices,
      'Limit (% of fleet)': breach.maxPercent,
      ...(breach.minDevices === undefined ? {} : { 'Percentage counts above': breach.minDevices }),
      'Fleet size': breach.fleetSize ?? 'unknown',
    },
  };
}

export interface RunDigestInput {
  readonly runId: string;
  /** Every finding that became open in the run, remediated automatically or not. */
  readonly opened: readonly FindingLike[];
  /** Fingerprints of the opened findings a person must act on. */
  readonly needsPerson: ReadonlySet<string>;
  readonly queuedForRemediation: number;
  readonly resolvedAfterRemediation: readonly FindingLike[];
  readonly resolvedOnTheirOwn: number;
  readonly escalations: readonly Escalation[];
  /** Distinct devices the run touched (the caller already counted them to choose a digest). */
  readonly devicesTouched: number;
}

/**
 * One message per busy poll: what was found, what was handed to the worker, and (as items) what needs a person.
 * Outcomes are not here: the worker has not run yet; its outcome summary follows when the run's commands are done.
 */
export function runDigestAlert(ctx: AlertContext, input: RunDigestInput): Alert {
  const needsPerson = uniqueByFingerprint([
    ...input.escalations.map((e) => e.finding),
    ...input.opened.filter((f) => input.needsPerson.has(f.fingerprint)),
  ]);
  const resolved = input.resolvedAfterRemediation.length + input.resolvedOnTheirOwn;
  const facts: Record<string, string | number> = {
    Run: input.runId,
    'Devices touched': input.devicesTouched,
    'New findings': input.opened.length,
    'Handed to automatic remediation': input.queuedForRemediation,
    'Needs a person': needsPerson.length,
    Escalated: input.escalations.length,
    'Resolved after remediation': input.resolvedAfterRemediation.length,
    'Resolved on their own': input.resolvedOnTheirOwn,
    ...countByCode('Found', input.opened, ctx),
  };
  const all: Severity[] = [...input.opened, ...needsPerson].map((f) => f.severity);
  return {
    kind: 'digest',
    severity: maxSeverity(all),
    title: `Run summary: ${input.opened.length} new, ${resolved} resolved, ${needsPerson.length} need a person`,
    summary:
      `This run touched ${input.devicesTouched} devices, so the details come as one digest instead of one message per device. ` +
      (input.queuedForRemediation > 0
        ? 'The outcome of the automatic remediations follows in its own summary when they are done.'
        : ''),
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `digest:${input.runId}`,
    items: bySeverityDesc(needsPerson).map((f) => toAlertItem(f, ctx.catalog, ctx.portalUrl)),
    facts,
  };
}

export function complianceReportAlert(ctx: AlertContext, report: ComplianceReportSummary): Alert {
  const bySeverity = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const facts: Record<string, string | number> = {
    Report: report.reportId,
    'Devices scanned': report.devicesScanned,
    'Open findings': report.findings.length,
    Critical: bySeverity('critical'),
    Error: bySeverity('error'),
    Warning: bySeverity('warning'),
    ...countByCode('Code', report.findings, ctx),
  };
  if (report.resolvedOnTheirOwnLastDay !== undefined)
    facts['Resolved on their own (last 24 h)'] = report.resolvedOnTheirOwnLastDay;
  if (report.reportUrl) facts['Full report'] = report.reportUrl;
  return {
    kind: 'report',
    severity: maxSeverity(report.findings.map((f) => f.severity)),
    title: `Compliance report: ${report.findings.length} open findings on ${report.devicesScanned} devices`,
    summary: 'The daily full scan finished. The most severe findings are listed first.',
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `report:${report.reportId}`,
    items: bySeverityDesc(report.findings).map((f) => toAlertItem(f, ctx.catalog, ctx.portalUrl)),
    facts,
  };
}

function uniqueByFingerprint(findings: readonly FindingLike[]): FindingLike[] {
  const seen = new Map<string, FindingLike>();
  for (const f of findings) if (!seen.has(f.fingerprint)) seen.set(f.fingerprint, f);
  return [...seen.values()];
}

/** "Found · <catalog title>": n, the most frequent codes first, bounded so facts stay readable. */
function countByCode(prefix: string, findings: readonly FindingLike[], ctx: AlertContext): Record<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const out: Record<string, number> = {};
  for (const [code, n] of ranked.slice(0, TOP_CODES)) {
    const label = `${prefix} · ${ctx.catalog(code)?.title ?? code}`;
    // Two codes may share a title; the code keeps their counts apart.
    out[label in out ? `${label} (${code})` : label] = n;
  }
  const rest = ranked.slice(TOP_CODES).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) out[`${prefix} · other codes`] = rest;
  return out;
}
