import {
  blastRadiusAlert,
  type BlastRadiusBreach,
  type CatalogLookup,
  type Escalation,
  escalationAlert,
  findingOpenedAlert,
  type FindingLike,
  findingResolvedAlert,
  outcomeNeedsPerson,
  remediationFailedAlert,
  type RemediationReport,
  runDigestAlert,
} from '../../core/alerts/index.js';
import type { Alert } from '../../core/model/index.js';

export interface RunAlertInput {
  /** Findings that became open in this run (transitions only: still-open findings are not re-alerted). */
  readonly opened: readonly FindingLike[];
  readonly resolved: readonly FindingLike[];
  readonly outcomes: readonly RemediationReport[];
  readonly escalations: readonly Escalation[];
  readonly blastRadius: BlastRadiusBreach | null;
  readonly runId: string;
  readonly tenant: string;
  /** Epoch ms from the caller's clock. */
  readonly now: number;
}

export interface RunAlertOptions {
  readonly catalog: CatalogLookup;
  readonly portalUrl: string;
  /** ALERT_DIGEST_THRESHOLD: above this many devices, one digest replaces the per-device messages. */
  readonly digestThreshold: number;
}

/**
 * The alerts one run produces. A blast-radius breach always gets its own critical alert. Then either one
 * digest (more devices touched than the threshold) or one alert per event: failed remediations, escalations,
 * openings (dedupeKey = fingerprint) and resolutions (dedupeKey = 'resolved:' + fingerprint).
 * Pure: the dispatcher does the routing, de-duplication and sending.
 */
export function buildRunAlerts(input: RunAlertInput, options: RunAlertOptions): Alert[] {
  const ctx = { tenant: input.tenant, at: input.now, catalog: options.catalog, portalUrl: options.portalUrl };
  const alerts: Alert[] = [];
  if (input.blastRadius) alerts.push(blastRadiusAlert(ctx, input.blastRadius));

  const touched = devicesTouched(input);
  if (touched > options.digestThreshold) {
    alerts.push(runDigestAlert(ctx, { ...input, devicesTouched: touched }));
    return alerts;
  }
  // Most actionable first: if a receiver throttles mid-run, what needs a person has already gone out.
  for (const o of input.outcomes) if (outcomeNeedsPerson(o.outcome.status)) alerts.push(remediationFailedAlert(ctx, o));
  for (const e of input.escalations) alerts.push(escalationAlert(ctx, e));
  for (const f of input.opened) alerts.push(findingOpenedAlert(ctx, f));
  for (const f of input.resolved) alerts.push(findingResolvedAlert(ctx, f));
  return alerts;
}

/** Distinct devices among everything the run reports on (groups and the tenant are not devices). */
export function devicesTouched(input: Pick<RunAlertInput, 'opened' | 'resolved' | 'outcomes' | 'escalations'>): number {
  const keys = new Set<string>();
  const add = (f: FindingLike) => {
    if (f.subject.kind === 'device') keys.add(f.subject.key);
  };
  input.opened.forEach(add);
  input.resolved.forEach(add);
  input.outcomes.forEach((o) => o.findings.forEach(add));
  input.escalations.forEach((e) => add(e.finding));
  return keys.size;
}
