import { buildRunAlerts } from '../alerting/build-run-alerts.js';
import { proposeApprovals, type ApprovalSettings } from '../approvals/index.js';
import { PROPOSAL_CODES, type ApprovalRequest } from '../../core/approvals/index.js';
import type { CatalogLookup } from '../../core/alerts/index.js';
import { detectAll, memoryFromOpenFindings, type DetectorRules } from '../../core/detect/index.js';
import { findingId, reconcile, type Reconciliation } from '../../core/lifecycle/reconcile.js';
import type { Alert, Decision, Finding, TenantSnapshot, UnusableRecord } from '../../core/model/index.js';
import {
  DAY_MS,
  decide,
  NO_HISTORY,
  fleetOf,
  isEscalation,
  planRun,
  resolveFlags,
  unblockNeedsHistory,
  type Fleet,
  type FleetReads,
  type PolicySettings,
  type RunPlan,
} from '../../core/policy/index.js';
import type { AlertSink, Clock, FindingRecord, Logger, Stores } from '../../ports/index.js';
import { enqueueDecisions, type EnqueueDeps } from '../remediation/index.js';
import { recentSyncTimes } from '../history/recent-syncs.js';
import { subjectHistories } from './subject-history.js';
import { gatherSnapshot, type GatherDeps, type Gathered } from './gather-snapshot.js';
import { toJson } from '../../ports/json.js';
import { mapLimited } from '../map-limited.js';
import { PhaseClock } from './phase-clock.js';
import {
  findingColumns,
  lifecycleHistory,
  LAST_SEEN_REFRESH_MS,
  openedRecord,
  recordAsFinding,
} from './finding-records.js';

// One poll (or full sweep): observe → detect → reconcile the open/resolved lifecycle → decide → hand the
// commands to the queue → alert. Reads abort the run (typed Graph errors propagate); nothing is decided or
// written on a partial picture, and the event watermark moves only after everything else succeeded.

export interface PollDeps extends Omit<GatherDeps, 'watermarks'> {
  readonly stores: Pick<Stores, 'findings' | 'history' | 'watermarks' | 'governor' | 'runOutcomes' | 'claims'> &
    Partial<Pick<Stores, 'approvals'>>;
  readonly queue: EnqueueDeps['queue'];
  /** Fan-out sink (Teams/webhook) for the blast-radius alert raised while enqueueing. */
  readonly alertSink: AlertSink;
  /** Sends this run's alerts with de-duplication; returns how many were delivered. */
  readonly dispatchAlerts: (
    alerts: readonly Alert[],
    runId: string,
  ) => Promise<{ delivered: number; failed: number; suppressed: number }>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** See RemediationDeps.writePacing. */
  readonly writePacing?: EnqueueDeps['writePacing'];
}

export interface PollOptions {
  readonly kind: 'incremental' | 'full';
  readonly runId: string;
  readonly tenant: string;
  readonly policy: PolicySettings;
  readonly rules: DetectorRules;
  readonly overlapMs: number;
  readonly catalog: CatalogLookup;
  readonly portalUrl: string;
  readonly digestThreshold: number;
  /** The caller's stop: aborts every Graph read of the run (gatherSnapshot). */
  readonly signal?: AbortSignal;
  /** APPROVAL_*: destructive fixes are proposed for a person only when set (and the store has approvals). */
  readonly approvals?: ApprovalSettings;
  /**
   * Called once detection is done, with the run's snapshot: the last moment the run holds it. A caller that needs
   * something from it (the sweep: the report's fleet figures) takes it here, so that a large tenant's records are
   * not kept through the lifecycle records, decisions, queueing and approvals that follow.
   */
  readonly afterDetection?: (snapshot: TenantSnapshot) => void;
}

/** How much a run read. The snapshot itself is not kept (see PollOptions.afterDetection). */
export interface Observed {
  readonly identities: number;
  readonly events: number;
  readonly devicePrepGroups: number;
  readonly entraDevices: number;
  readonly managedDevices: number;
  readonly devicePrepDeployments: number;
  /** Records skipped because they cannot be used (each is also an AP_TENANT_RECORD_UNUSABLE finding). */
  readonly unusableRecords: readonly UnusableRecord[];
}

export interface PollResult {
  readonly runId: string;
  readonly kind: 'incremental' | 'full';
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly observed: Observed;
  readonly newEvents: number;
  readonly findings: readonly Finding[];
  readonly opened: readonly Finding[];
  readonly resolved: readonly FindingRecord[];
  readonly plan: RunPlan;
  readonly alerts: { readonly delivered: number; readonly failed: number; readonly suppressed: number };
  /** Approval requests this run made (destructive fixes waiting for a person). */
  readonly proposals?: readonly ApprovalRequest[];
}

const FLEET_STREAM = 'fleetSize';
/** When the last completed run started: the policy escalates a reached limit once, in the first run after it. */
const LAST_RUN_STREAM = 'lastRun';

export async function runPoll(deps: PollDeps, opts: PollOptions): Promise<PollResult> {
  const startedAt = deps.clock.now();
  const open = await deps.stores.findings.listOpen();
  const phases = new PhaseClock(deps.clock, startedAt);
  const { detection, rec, observed, fleetReads, gathered } = await observe(deps, opts, open, startedAt, phases);

  const { reopenedSync, recurring } = await recordLifecycle(deps, rec, opts.runId, startedAt);
  phases.end('recordMs');

  const fleet = await fleetOfRun(deps, opts.tenant, fleetReads);
  const byId = new Map(open.map((r) => [findingId(r.subjectKey, r.code), r]));
  const decisions: Decision[] = [];
  const fresh = new Set([...rec.opened, ...rec.changed.map((c) => c.finding)]);
  // The sync caps count the syncs of the last 24 h: one history query per run, only when a finding asks for one.
  const wantsSync = detection.findings.some((f) => f.remedy?.action === 'autopilot-sync');
  const [syncsLast24h, previousRunAt] = await Promise.all([
    wantsSync ? recentSyncTimes(deps.stores.history, startedAt) : Promise.resolve([]),
    deps.stores.watermarks.get(opts.tenant, LAST_RUN_STREAM).then((m) => m?.value ?? null),
  ]);
  const idOf = (f: Finding): string => findingId(f.subject.key, f.code);
  const needs = detection.findings.map((finding) => ({
    finding,
    record: byId.get(idOf(finding)) ?? reopenedSync.get(idOf(finding)) ?? recurring.get(idOf(finding)) ?? null,
    needsLastUnblock: unblockNeedsHistory(finding, resolveFlags(finding.evidence, undefined), opts.policy),
  }));
  const histories = await subjectHistories(deps.stores.history, needs, startedAt);
  // Findings a destructive fix is documented for: their decision (recorded or not) says whether it is proposed.
  const proposable: Decision[] = [];
  for (const [i, finding] of detection.findings.entries()) {
    const id = idOf(finding);
    const history = histories[i] ?? NO_HISTORY;
    const d = decide(finding, {
      history,
      now: startedAt,
      policy: opts.policy,
      allowedGroupIds: opts.rules.devicePrepGroups.map((g) => g.groupId),
      syncsLast24h,
      // A reopened sync reason was not open in the previous run, so the cap it reached is news now.
      previousRunAt: reopenedSync.has(id) ? null : previousRunAt,
    });
    // A continuing problem is only re-recorded when the run acts on it or escalates it (once, see the policy);
    // unchanged alert-only rows are not news.
    if (fresh.has(finding) || d.kind === 'remediate' || d.kind === 'defer' || isEscalation(d)) decisions.push(d);
    if (PROPOSAL_CODES[finding.code] !== undefined) proposable.push(d);
  }
  const plan = planRun(decisions, fleet, opts.policy, opts.tenant, opts.runId, startedAt);
  await storeEvidenceActedOn(deps, rec.continuing, plan.decisions, startedAt);
  phases.end('decideMs');
  await enqueueDecisions(
    plan,
    {
      tenant: opts.tenant,
      claims: deps.stores.claims,
      governor: deps.stores.governor,
      history: deps.stores.history,
      runOutcomes: deps.stores.runOutcomes,
      queue: deps.queue,
      alerts: deps.alertSink,
      clock: deps.clock,
      logger: deps.logger,
      writePacing: deps.writePacing ?? null,
    },
    { runId: opts.runId },
  );

  phases.end('enqueueMs');
  const needsPerson = new Set(plan.decisions.filter((d) => d.kind === 'alert-only').map((d) => d.finding.fingerprint));
  // A finding we acted on gets a follow-up when it resolves; one that went away by itself is only counted.
  const resolvedAfterRemediation = rec.resolved.filter((r) => r.attempts > 0);
  const alerts = buildRunAlerts(
    {
      opened: [...fresh],
      needsPerson,
      queuedForRemediation: plan.decisions.filter((d) => d.kind === 'remediate' || d.kind === 'defer').length,
      resolvedAfterRemediation: resolvedAfterRemediation.map(recordAsFinding),
      resolvedOnTheirOwn: rec.resolved.length - resolvedAfterRemediation.length,
      escalations: plan.decisions
        .filter(isEscalation)
        .map((d) => ({ finding: d.finding, action: d.action, attempts: d.attempt - 1, detail: d.reason })),
      blastRadius: null, // raised once by enqueueDecisions
      runId: opts.runId,
      tenant: opts.tenant,
      now: startedAt,
    },
    { catalog: opts.catalog, portalUrl: opts.portalUrl, digestThreshold: opts.digestThreshold },
  );
  const approvals = deps.stores.approvals;
  const proposed =
    approvals !== undefined && opts.approvals !== undefined && proposable.length > 0
      ? await proposeApprovals(
          { approvals, history: deps.stores.history, clock: deps.clock, logger: deps.logger },
          {
            tenant: opts.tenant,
            runId: opts.runId,
            policy: opts.policy,
            settings: opts.approvals,
            decisions: proposable,
            catalog: opts.catalog,
            portalUrl: opts.portalUrl,
            digestThreshold: opts.digestThreshold,
          },
        )
      : { requests: [], alerts: [] };
  phases.end('proposeMs');
  const alertReport = await deps.dispatchAlerts([...alerts, ...proposed.alerts], opts.runId);

  await deps.stores.watermarks.put(opts.tenant, gathered.nextWatermark);
  await deps.stores.watermarks.put(opts.tenant, { stream: LAST_RUN_STREAM, value: startedAt, seenIds: [] });
  const finishedAt = deps.clock.now();
  phases.end('alertMs');
  deps.logger.info('poll.finished', {
    runId: opts.runId,
    kind: opts.kind,
    findings: detection.findings.length,
    // Records skipped as unusable (each is also an AP_TENANT_RECORD_UNUSABLE finding).
    unusableRecords: observed.unusableRecords.length,
    opened: fresh.size,
    resolved: rec.resolved.length,
    commands: plan.commands.length,
    blastRadiusExceeded: plan.blastRadius.exceeded,
    ms: finishedAt - startedAt,
    // Where the run's time went (reads, detection, the caller's figures from the snapshot, lifecycle rows, decisions,
    // queueing, proposals, alerts): a slow run names its slow part in its own log line.
    ...phases.fields,
  });
  return {
    runId: opts.runId,
    kind: opts.kind,
    startedAt,
    finishedAt,
    observed,
    newEvents: gathered.newEvents,
    findings: detection.findings,
    opened: [...fresh],
    resolved: rec.resolved,
    plan,
    alerts: alertReport,
    proposals: proposed.requests,
  };
}

/**
 * Writes the lifecycle rows. Returns the records of sync reasons that reopened within 24 h of resolving: a poll
 * that saw the sync running resolved the reason, the next one reopened it, and it is the same cause — it keeps
 * its first sighting, so every sync since then still counts toward its per-finding cap.
 */
async function recordLifecycle(
  deps: PollDeps,
  rec: ReturnType<typeof reconcile<FindingRecord>>,
  runId: string,
  now: number,
): Promise<{ reopenedSync: Map<string, FindingRecord>; recurring: Map<string, FindingRecord> }> {
  const reopenedSync = new Map<string, FindingRecord>();
  const recurring = new Map<string, FindingRecord>();
  const fresh: FindingRecord[] = [];
  const before = await attemptsBefore(deps, rec.opened);
  for (const [i, f] of rec.opened.entries()) {
    const earlier = f.remedy?.action === 'autopilot-sync' ? await recentlyResolved(deps, f, now) : null;
    const previous = before[i] ?? null;
    const r: FindingRecord =
      earlier === null && previous !== null
        ? { ...openedRecord(f, now), attempts: previous.attempts, lastAttemptAt: previous.lastAttemptAt }
        : openedRecord(f, now, earlier ?? undefined);
    if (earlier !== null) reopenedSync.set(findingId(r.subjectKey, r.code), r);
    else if (previous !== null) recurring.set(findingId(r.subjectKey, r.code), r);
    fresh.push(r);
  }
  const opened = [...fresh, ...rec.changed.map((c) => openedRecord(c.finding, now, c.record))];
  const resolved = rec.resolved.map((r): FindingRecord => ({
    ...r,
    status: 'resolved',
    resolvedAt: now,
    lastSeenAt: r.lastSeenAt,
  }));
  const refreshed = rec.continuing
    .filter((c) => now - c.record.lastSeenAt >= LAST_SEEN_REFRESH_MS)
    .map((c): FindingRecord => ({
      ...c.record,
      lastSeenAt: now,
      ...findingColumns(c.finding),
    }));
  // History first: a crash between the two writes repeats a history row on the next poll, never loses one.
  await deps.stores.history.append([
    ...opened.map((r) => lifecycleHistory('finding-opened', r, runId, now)),
    ...resolved.map((r) => lifecycleHistory('finding-resolved', r, runId, now)),
  ]);
  await deps.stores.findings.upsertMany([...opened, ...resolved, ...refreshed]);
  return { reopenedSync, recurring };
}

/**
 * The worker re-checks a command against the finding's stored evidence (the unblock gate: handlers/allow-next-enrollment.ts),
 * so a continuing finding this run acts on is stored with the evidence it was decided on before its command is queued.
 * Its fingerprint need not cover that evidence (a new 0x80180014 failure of a device blocked all along), and the hourly
 * refresh would store it up to an hour late. Only the few findings acted on, and only when the evidence changed.
 */
async function storeEvidenceActedOn(
  deps: PollDeps,
  continuing: Reconciliation<FindingRecord>['continuing'],
  decisions: readonly Decision[],
  now: number,
): Promise<void> {
  const acting = new Set(decisions.filter((d) => d.kind === 'remediate').map((d) => d.finding));
  const stale = continuing.filter(
    (c) => acting.has(c.finding) && JSON.stringify(c.record.evidence) !== JSON.stringify(toJson(c.finding.evidence)),
  );
  if (stale.length > 0)
    await deps.stores.findings.upsertMany(
      stale.map((c) => ({ ...c.record, lastSeenAt: now, ...findingColumns(c.finding) })),
    );
}

/** Row reads in flight while recurring problems are looked up. */
const RECURRENCE_READS = 8;

/**
 * A problem that was fixed and resolved, and is back (the same device blocked again, the owner removed again): its
 * row, resolved, still holds the attempts made on it. The new occurrence continues that count — a fresh first
 * sighting, but attempt n+1 — so its command gets a new idempotency key instead of meeting the completed claim of the
 * earlier fix as a duplicate (and doing nothing), and the cooldown since the last attempt still applies. Only for
 * per-target remedies (the sync has its own continuation, recentlyResolved); one point read per such new finding.
 */
async function attemptsBefore(deps: PollDeps, opened: readonly Finding[]): Promise<(FindingRecord | null)[]> {
  return mapLimited(opened, RECURRENCE_READS, async (f) => {
    if (f.remedy === null || f.remedy.action === 'autopilot-sync') return null;
    const row = await deps.stores.findings.get(f.subject.key, f.code);
    return row !== null && row.status === 'resolved' && row.attempts > 0 ? row : null;
  });
}

/**
 * Read, detect, reconcile. The snapshot lives only in here: what the rest of the run needs from it is returned,
 * and the caller's afterDetection takes what it needs, so a large tenant's records can be collected before the
 * lifecycle rows, decisions and commands are built.
 */
async function observe(
  deps: PollDeps,
  opts: PollOptions,
  open: readonly FindingRecord[],
  startedAt: number,
  phases: PhaseClock,
): Promise<{
  detection: { readonly findings: Finding[] };
  rec: Reconciliation<FindingRecord>;
  observed: Observed;
  fleetReads: FleetSnapshotReads;
  gathered: Omit<Gathered, 'snapshot'>;
}> {
  const { snapshot, ...gathered } = await gatherSnapshot(
    { autopilot: deps.autopilot, directory: deps.directory, watermarks: deps.stores.watermarks },
    {
      kind: opts.kind,
      tenant: opts.tenant,
      now: startedAt,
      // Re-read at least the stuck threshold + 1 h, so a deployment still in progress is seen again until it ends.
      overlapMs: Math.max(opts.overlapMs, opts.rules.deploymentStuckMs + 3_600_000),
      devicePrepGroups: opts.rules.devicePrepGroups,
      memory: memoryFromOpenFindings(open),
      signal: opts.signal,
    },
  );
  phases.end('readMs');
  const detection = detectAll(snapshot, startedAt, opts.rules);
  const rec = reconcile(open, detection.findings, (code, key) => detection.covers(code, key));
  phases.end('detectMs');
  opts.afterDetection?.(snapshot);
  phases.end('figuresMs');
  return {
    detection: { findings: detection.findings },
    rec,
    observed: {
      identities: snapshot.identities.length,
      events: snapshot.events.length,
      devicePrepGroups: snapshot.devicePrepGroups.length,
      entraDevices: snapshot.entraDevices.length,
      managedDevices: snapshot.managedDevices.length,
      devicePrepDeployments: snapshot.devicePrepDeployments.length,
      unusableRecords: snapshot.unusableRecords ?? [],
    },
    fleetReads: { fleetSize: snapshot.fleetSize, devicePrepGroups: snapshot.devicePrepGroups },
    gathered,
  };
}

type FleetSnapshotReads = Pick<TenantSnapshot, 'fleetSize' | 'devicePrepGroups'>;

/**
 * The fleet for the blast-radius percentage, from what runs read: the Autopilot identities (counted by a full
 * sweep, and remembered for the incremental polls in between) and this run's device-preparation candidates.
 */
async function fleetOfRun(deps: PollDeps, tenant: string, snapshot: FleetSnapshotReads): Promise<Fleet> {
  let identities: FleetReads['autopilotIdentities'] = null;
  if (snapshot.fleetSize !== null) {
    await deps.stores.watermarks.put(tenant, { stream: FLEET_STREAM, value: snapshot.fleetSize, seenIds: [] });
    identities = { count: snapshot.fleetSize, from: 'this-run' };
  } else {
    const remembered = await rememberedFleetSize(deps.stores.watermarks, tenant);
    identities = remembered === null ? null : { count: remembered, from: 'last-sweep' };
  }
  return fleetOf({ autopilotIdentities: identities, devicePrepGroups: snapshot.devicePrepGroups });
}

/** The Autopilot devices the tenant's last full sweep counted, or null before its first. */
export async function rememberedFleetSize(
  watermarks: PollDeps['stores']['watermarks'],
  tenant: string,
): Promise<number | null> {
  return (await watermarks.get(tenant, FLEET_STREAM))?.value ?? null;
}

/** The same subject and code, resolved within the last 24 h: the record a reopened sync reason continues. */
async function recentlyResolved(deps: PollDeps, finding: Finding, now: number): Promise<FindingRecord | null> {
  const records = await deps.stores.findings.listBySubject(finding.subject.key);
  const mine = records.filter(
    (r) => r.code === finding.code && r.status === 'resolved' && r.resolvedAt !== null && r.resolvedAt > now - DAY_MS,
  );
  return mine.sort((a, b) => a.firstSeenAt - b.firstSeenAt)[0] ?? null;
}
