import { actionModule } from '../../core/actions/index.js';
import { approvalRequestedAlert, approvalsDigestAlert, type CatalogLookup } from '../../core/alerts/index.js';
import {
  approvalIdOf,
  isExpired,
  isStale,
  proposalFor,
  targetKeyOf,
  type ApprovalRequest,
  type ProposalDraft,
} from '../../core/approvals/index.js';
import type { Alert, Decision } from '../../core/model/index.js';
import type { PolicySettings } from '../../core/policy/index.js';
import {
  ensureError,
  type ApprovalRecord,
  type ApprovalStore,
  type Clock,
  type HistoryRecord,
  type HistoryStore,
  type Logger,
} from '../../ports/index.js';
import { mapLimited } from '../map-limited.js';
import { reviewUrl, type ApprovalSettings } from './settings.js';

// The poll's proposals: for each finding whose documented fix is destructive and whose cheaper fixes are ruled out
// (core/approvals/proposals.ts), one approval request, recorded in history and alerted with its Review link. A
// finding is not asked about again while a request for it is pending, once a person rejected it, or once it was
// approved — only an expired request, or an approved one the worker refused (the state had changed), only planned
// (plan mode) or never carried out within the expiry after its decision (its command lost), makes room for a new one.

export interface ProposeDeps {
  readonly approvals: ApprovalStore;
  readonly history: HistoryStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ProposeInput {
  readonly tenant: string;
  readonly runId: string;
  readonly policy: PolicySettings;
  readonly settings: ApprovalSettings;
  readonly decisions: readonly Decision[];
  readonly catalog: CatalogLookup;
  readonly portalUrl: string;
  /** ALERT_DIGEST_THRESHOLD: above this many new requests, one digest replaces the alert of each. Absent: no digest. */
  readonly digestThreshold?: number;
}

export interface Proposed {
  readonly requests: readonly ApprovalRequest[];
  /** One "approval needed" alert per new request, or one digest of them all (ProposeInput.digestThreshold). */
  readonly alerts: readonly Alert[];
}

/**
 * From this many proposals on, the earlier requests are read once for the whole run (the approvals partition, one
 * paged query: ceil(requests / 1,000) round trips) instead of one query per proposal. Each of those is a filtered
 * query of the same partition, which the Table service answers by scanning it, and a 100,000-device tenant's sweep
 * asks about ~2,300 findings on every run.
 */
const READ_ALL_FROM = 10;
/** Proposals checked and created at once (the Table adapters write eight partitions at a time likewise). */
const PARALLEL_CREATES = 8;

function blocksNewProposal(r: ApprovalRecord, now: number, expiryMs: number): boolean {
  if (isExpired(r, now)) return false;
  // Approved but never carried out, that long after the decision: its command was lost (types.ts isStale).
  if (isStale(r, now, expiryMs)) return false;
  // Approved but not carried out (the state had changed, or plan mode only recorded it): it may be asked again.
  if (r.status === 'approved' && (r.execution?.status === 'refused' || r.execution?.status === 'planned')) return false;
  return true;
}

export async function proposeApprovals(deps: ProposeDeps, input: ProposeInput): Promise<Proposed> {
  const now = deps.clock.now();
  const drafts: ProposalDraft[] = [];
  const targets = new Set<string>();
  for (const d of input.decisions) {
    const draft = proposalFor(d.finding, d, input.policy);
    if (draft === null) continue;
    // One request per target and action, even when two findings prescribe the same fix (stale and Attention required).
    const key = `${draft.action}|${targetKeyOf(draft.target)}`;
    if (targets.has(key)) continue;
    targets.add(key);
    drafts.push(draft);
  }
  // A request made below is for another fingerprint or action than every other draft (one draft per finding and
  // action), so the requests read before any is made are all a draft needs.
  const earlierOf = drafts.length >= READ_ALL_FROM ? byFinding(await deps.approvals.list({ limit: ALL })) : null;
  // A few at a time: each is a round trip to Table Storage, and a large tenant's first sweep makes thousands. The
  // requests keep the drafts' order (history, alerts), whichever create answers first.
  // A request made is recorded and alerted even when storage fails for a later one: stopping there would leave the
  // requests already made pending with no history row and no alert, and a pending request is never proposed (or
  // alerted) again. After a failure no more are started; those not made are proposed by the next run.
  const failures: Error[] = [];
  const made = await mapLimited(drafts, PARALLEL_CREATES, async (draft) => {
    if (failures.length > 0) return null;
    try {
      const earlier =
        earlierOf === null
          ? await deps.approvals.forFinding(draft.finding.fingerprint, draft.action)
          : (earlierOf.get(findingKey(draft.finding.fingerprint, draft.action)) ?? []);
      if (earlier.some((r) => blocksNewProposal(r, now, input.settings.expiryMs))) return null;
      const request = toRequest(draft, input, now);
      return (await createOrFind(deps.approvals, request)) ? request : null;
    } catch (err) {
      failures.push(ensureError(err));
      return null;
    }
  });
  const requests = made.filter((r): r is ApprovalRequest => r !== null);
  if (requests.length > 0) await recordProposals(deps, input.runId, requests, now);
  const [failure] = failures;
  if (failure !== undefined)
    deps.logger.error('approval.propose-failed', {
      runId: input.runId,
      made: requests.length,
      failed: failures.length,
      error: failure.name,
    });
  const ctx = { tenant: input.tenant, at: now, catalog: input.catalog, portalUrl: input.portalUrl };
  const alerts =
    input.digestThreshold !== undefined && requests.length > input.digestThreshold
      ? [approvalsDigestAlert(ctx, input.runId, requests)]
      : requests.map((r) => approvalRequestedAlert(ctx, r, reviewUrl(input.settings, r)));
  if (requests.length > 0)
    deps.logger.info('approval.proposed', {
      runId: input.runId,
      requests: requests.length,
      links: input.settings.signingKey !== null && input.settings.baseUrl !== null,
    });
  return { requests, alerts };
}

/**
 * The history rows of the requests made. When they cannot be written the requests still exist (pending, each
 * blocking later proposals for its finding), so their alerts must still go out: a person who hears of none would never
 * decide them. The failure is logged and the proposals carry on, as the alert dispatcher does with its own rows.
 */
async function recordProposals(
  deps: ProposeDeps,
  runId: string,
  requests: readonly ApprovalRequest[],
  now: number,
): Promise<void> {
  try {
    await deps.history.append(requests.map((r, i) => proposalRecord(r, runId, now, i)));
  } catch (err) {
    deps.logger.error('approval.history-failed', { runId, requests: requests.length, error: ensureError(err).name });
  }
}

/**
 * Creates the request; when the create fails, reads it back. A create can fail after the row was written (a timeout,
 * a connection reset before the answer): a request made that way, reported as failed, would stay pending with no
 * history row and no alert, and a pending request blocks every later proposal for its finding until it expires. So
 * a failed create whose request is there counts as made; one that is not there, or that cannot be read, is the
 * failure it was.
 */
async function createOrFind(approvals: ApprovalStore, request: ApprovalRequest): Promise<boolean> {
  try {
    return await approvals.create(request);
  } catch (err) {
    const stored = await approvals.get(request.id).catch(() => null);
    if (stored !== null && stored.createdAt === request.createdAt && stored.fingerprint === request.fingerprint)
      return true;
    throw err;
  }
}

const ALL = Number.MAX_SAFE_INTEGER;

const findingKey = (fingerprint: string, action: string): string => `${action}|${fingerprint}`;

function byFinding(records: readonly ApprovalRecord[]): Map<string, ApprovalRecord[]> {
  const out = new Map<string, ApprovalRecord[]>();
  for (const r of records) {
    const key = findingKey(r.fingerprint, r.action);
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

function toRequest(draft: ProposalDraft, input: ProposeInput, now: number): ApprovalRequest {
  const f = draft.finding;
  return {
    id: approvalIdOf({
      tenant: input.tenant,
      action: draft.action,
      target: draft.target,
      fingerprint: f.fingerprint,
      createdAt: now,
    }),
    tenant: input.tenant,
    action: draft.action,
    target: draft.target,
    findingCode: f.code,
    subjectKey: f.subject.key,
    fingerprint: f.fingerprint,
    findingTitle: f.title,
    evidence: f.evidence,
    state: draft.state,
    reason: draft.reason,
    docs: draft.docs,
    proposedBy: `autopilot-medic run ${input.runId}`,
    createdAt: now,
    expiresAt: now + input.settings.expiryMs,
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    execution: null,
  };
}

function proposalRecord(r: ApprovalRequest, runId: string, at: number, index: number): HistoryRecord {
  return {
    subjectKey: r.subjectKey,
    at,
    id: `${runId}|approval-requested|${r.id}|${index}`,
    runId,
    type: 'decision',
    action: r.action,
    code: r.findingCode,
    idempotencyKey: null,
    mode: null,
    status: 'approval-requested',
    reason: `approval requested: ${actionModule(r.action).describe(r.target)}; expires ${new Date(r.expiresAt).toISOString()}`,
    attempt: 0,
    graphRequestId: null,
    before: { approvalId: r.id, fingerprint: r.fingerprint, state: { ...r.state } },
    after: null,
  };
}
