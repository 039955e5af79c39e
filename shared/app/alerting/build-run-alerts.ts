import {
  blastRadiusAlert,
  type BlastRadiusBreach,
  type CatalogLookup,
  type Escalation,
  escalationAlert,
  findingOpenedAlert,
  type FindingLike,
  findingResolvedAlert,
  runDigestAlert,
} from '../../core/alerts/index.js';
import type { Alert } from '../../core/model/index.js';

export interface RunAlertInput {
  /** Every finding that became open in this run (transitions only: still-open findings are not re-alerted). */
  readonly opened: readonly FindingLike[];
  /** Fingerprints of the opened findings a person must act on (the policy decided alert-only): these alert. */
  readonly needsPerson: ReadonlySet<string>;
  /** Opened or continuing findings handed to automatic remediation this run; their outcomes come from the worker. */
  readonly queuedForRemediation: number;
  /** Resolved after the product acted on them: each gets a "resolved" follow-up. */
  readonly resolvedAfterRemediation: readonly FindingLike[];
  /** Resolved with no attempt of ours: counted here and in the daily report, never a message each. */
  readonly resolvedOnTheirOwn: number;
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
  /** ALERT_DIGEST_THRESHOLD: above this many devices, one digest replaces the per-device opening messages. */
  readonly digestThreshold: number;
}

/**
 * The alerts one poll produces. Always on their own: a blast-radius breach, each escalation, and each resolution
 * of a finding we remediated (the follow-up to its earlier alert or outcome summary). The openings a person must
 * act on go out one by one, or as one digest when the run touched more devices than the threshold. What the
 * worker then does reaches people from the worker (the outcome summary, failure alerts), not from here: at this
 * point nothing has run yet. Pure: the dispatcher does the routing, de-duplication and sending.
 */
export function buildRunAlerts(input: RunAlertInput, options: RunAlertOptions): Alert[] {
  const ctx = { tenant: input.tenant, at: input.now, catalog: options.catalog, portalUrl: options.portalUrl };
  const alerts: Alert[] = [];
  if (input.blastRadius) alerts.push(blastRadiusAlert(ctx, input.blastRadius));
  // Most actionable first: if a receiver throttles mid-run, what needs a person has already gone out.
  for (const e of input.escalations) alerts.push(escalationAlert(ctx, e));
  const touched = devicesTouched(input);
  if (touched > options.digestThreshold) {
    alerts.push(runDigestAlert(ctx, { ...input, devicesTouched: touched }));
  } else {
    for (const f of input.opened) if (input.needsPerson.has(f.fingerprint)) alerts.push(findingOpenedAlert(ctx, f));
  }
  for (const f of input.resolvedAfterRemediation) alerts.push(findingResolvedAlert(ctx, f));
  return alerts;
}

/** Distinct devices among what the run found (resolutions do not count: they always go out on their own). */
export function devicesTouched(input: Pick<RunAlertInput, 'opened' | 'escalations'>): number {
  const keys = new Set<string>();
  const add = (f: FindingLike) => {
    if (f.subject.kind === 'device') keys.add(f.subject.key);
  };
  input.opened.forEach(add);
  input.escalations.forEach((e) => add(e.finding));
  return keys.size;
}
