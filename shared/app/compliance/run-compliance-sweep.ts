import { complianceReportAlert } from '../../core/alerts/index.js';
import {
  DEFAULT_LIST_CAP,
  snapshotFigures,
  type ComplianceReport,
  type SnapshotFigures,
} from '../../core/report/index.js';
import type { ReportStore, Stores } from '../../ports/index.js';
import { PhaseClock } from '../poll/phase-clock.js';
import { runPoll, type PollDeps, type PollOptions, type PollResult } from '../poll/run-poll.js';
import { assembleComplianceReport, toReportRecord } from './assemble-report.js';

// The daily compliance sweep: a FULL (non-incremental) poll — every detector including the slow checks, the
// same decisions and remediations as a poll — then the report, its digest alert, and retention cleanup.

export interface ComplianceDeps {
  readonly poll: PollDeps;
  readonly stores: Pick<Stores, 'findings' | 'history' | 'claims' | 'reports' | 'approvals' | 'runOutcomes'>;
}

export interface ComplianceOptions {
  readonly poll: PollOptions;
  /** Remediations in the report are counted over this many days. */
  readonly periodDays: number;
  readonly staleDays: number;
  readonly checkinStaleDays: number;
  readonly historyRetentionDays: number;
  /** Claims younger than this are kept whatever historyRetentionDays says (core/claims.ts claimRetentionMs). */
  readonly claimRetentionMs: number;
  readonly reportRetentionDays: number;
  /** Where the full report can be read, for the digest (e.g. the report-latest endpoint), when exposed. */
  readonly reportUrl: string | null;
}

export interface ComplianceResult {
  readonly poll: PollResult;
  readonly report: ComplianceReport;
  readonly reportId: string;
  readonly retention: {
    readonly history: number;
    readonly claims: number;
    readonly reports: number;
    readonly approvals: number;
    readonly runOutcomes: number;
  };
  /** Findings resolved in the last 24 h without an attempt of ours: the report alert's daily line. */
  readonly resolvedOnTheirOwnLastDay: number;
}

const DAY_MS = 86_400_000;

export async function runComplianceSweep(deps: ComplianceDeps, opts: ComplianceOptions): Promise<ComplianceResult> {
  const rules = { staleDays: opts.staleDays, checkinStaleDays: opts.checkinStaleDays };
  // The report's fleet figures are taken from the snapshot as soon as detection is done: the poll then lets the
  // snapshot go instead of holding it to the end (at 100,000 devices it is most of the run's memory).
  let figures: SnapshotFigures | null = null;
  const poll = await runPoll(deps.poll, {
    ...opts.poll,
    kind: 'full',
    afterDetection: (snapshot) => {
      opts.poll.afterDetection?.(snapshot);
      figures = snapshotFigures(snapshot, deps.poll.clock.now(), rules, DEFAULT_LIST_CAP);
    },
  });
  if (figures === null) throw new Error('runComplianceSweep: the poll ended without reaching detection');
  const now = deps.poll.clock.now();
  const phases = new PhaseClock(deps.poll.clock, now);
  const report = await assembleComplianceReport(deps.stores, {
    figures,
    findings: poll.findings,
    tenant: opts.poll.tenant,
    now,
    periodDays: opts.periodDays,
    rules,
    catalog: opts.poll.catalog,
  });
  const reportId = opts.poll.runId;
  await deps.stores.reports.put(toReportRecord(report, reportId));
  phases.end('reportMs');

  const resolvedOnTheirOwnLastDay = await resolvedOnTheirOwn(deps.stores.history, now - DAY_MS);
  const digest = complianceReportAlert(
    { tenant: opts.poll.tenant, at: now, catalog: opts.poll.catalog, portalUrl: opts.poll.portalUrl },
    {
      reportId,
      devicesScanned: poll.observed.identities,
      findings: poll.findings,
      reportUrl: opts.reportUrl,
      resolvedOnTheirOwnLastDay,
    },
  );
  await deps.poll.dispatchAlerts([digest], opts.poll.runId);
  phases.end('digestMs');

  const retention = await cleanUp(deps.stores, now, opts);
  phases.end('retentionMs');
  deps.poll.logger.info('compliance.finished', {
    reportId,
    devices: poll.observed.identities,
    findings: poll.findings.length,
    ...retention,
    // After the poll's own phases (poll.finished): the report, its digest alert, retention clean-up.
    ...phases.fields,
  });
  return { poll, report, reportId, retention, resolvedOnTheirOwnLastDay };
}

/** Resolutions since `since` of findings we never acted on (their resolution row carries 0 attempts). */
async function resolvedOnTheirOwn(history: Pick<Stores, 'history'>['history'], since: number): Promise<number> {
  let count = 0;
  let continuationToken: string | null = null;
  do {
    const page = await history.query({ type: 'finding-resolved', since, limit: 1_000, continuationToken });
    count += page.items.filter((r) => r.attempt === 0).length;
    continuationToken = page.continuationToken;
  } while (continuationToken !== null);
  return count;
}

async function cleanUp(
  stores: Pick<Stores, 'history' | 'claims' | 'approvals' | 'runOutcomes'> & { readonly reports: ReportStore },
  now: number,
  opts: ComplianceOptions,
): Promise<ComplianceResult['retention']> {
  const historyCutoff = now - opts.historyRetentionDays * DAY_MS;
  // Not before a message of the key can no longer arrive: one that met no claim would run again, and one that found
  // no run rows would leave its run without an outcome.
  const messageCutoff = Math.min(historyCutoff, now - opts.claimRetentionMs);
  return {
    history: await stores.history.deleteOlderThan(historyCutoff),
    claims: await stores.claims.deleteOlderThan(messageCutoff),
    reports: await stores.reports.deleteOlderThan(now - opts.reportRetentionDays * DAY_MS),
    // Decided and long-expired approval requests go with the history that records them (their decision and
    // outcome rows): the partition is read whole by every list, so it must not grow without end.
    approvals: await stores.approvals.deleteOlderThan(historyCutoff),
    // A run's expected commands and outcomes, finished or not (one whose command was lost stays open for ever).
    runOutcomes: await stores.runOutcomes.deleteOlderThan(messageCutoff),
  };
}
