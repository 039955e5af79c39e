import { normSerial } from '../../core/detect/index.js';
import { decodeContinuation, escapeKey } from '../../core/keys.js';
import type { ActionName, OutcomeStatus } from '../../core/model/index.js';
import { serialProblem } from '../../core/tenant-text.js';
import type {
  FindingStore,
  HistoryEventType,
  HistoryQuery,
  HistoryRecord,
  HistoryStore,
  Json,
} from '../../ports/index.js';
import { mapLimited } from '../map-limited.js';

// The history query behind `GET /api/history` and `autopilot-medic history`. Input syntax (is it a date, a
// known action, a number) is the caller's job (zod in the trigger / CLI); this use case owns the meaning:
// subject normalisation, "by outcome", page-size limits, and filters that would silently match nothing
// (an unknown outcome, contradicting filters, a foreign paging token) — those throw InvalidHistoryQueryError.

/** Page size when none is asked for, and the largest page served (also the CLI's and trigger's bounds). */
export const HISTORY_LIMITS = { default: 50, min: 1, max: 500 } as const;

// Records keyed by the union types, so adding an outcome status or an event type fails to compile until it is
// listed here, and the trigger's validation can never lag behind the model.
const OUTCOMES: Readonly<Record<OutcomeStatus, true>> = {
  succeeded: true,
  'already-done': true,
  'no-longer-applies': true,
  planned: true,
  deferred: true,
  refused: true,
  'failed-transient': true,
  'failed-permanent': true,
  duplicate: true,
  unverified: true,
};
const EVENT_TYPES: Readonly<Record<HistoryEventType, true>> = {
  decision: true,
  outcome: true,
  'finding-opened': true,
  'finding-resolved': true,
  alert: true,
  'invalid-message': true,
  run: true,
  attempt: true,
};
export const OUTCOME_STATUSES = Object.keys(OUTCOMES) as readonly OutcomeStatus[];
export const HISTORY_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly HistoryEventType[];

export interface HistoryFilter {
  /**
   * The subject whose history to read: a device serial number (trimmed, case-insensitive, as detectors key
   * devices), or the subject key of a group or device-prep device (a GUID: group id, Entra object id), or `tenant`.
   */
  readonly serial?: string;
  readonly action?: ActionName;
  /** Remediation outcome (one of OUTCOME_STATUSES): records of type 'outcome' with this status. */
  readonly outcome?: string;
  readonly type?: HistoryEventType;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Clamped to HISTORY_LIMITS; default 50. */
  readonly limit?: number;
  readonly continuationToken?: string | null;
}

export interface HistoryResult {
  readonly items: readonly HistoryRecord[];
  /** Pass back (with the same filters) for the next page; null = last page. */
  readonly continuationToken: string | null;
  /**
   * History is partitioned by subject. For one subject the order is strictly newest first across pages; a
   * query over all subjects pages subject by subject, and each page is newest first (see HistoryStore.query).
   */
  readonly order: 'newest-first' | 'newest-first-per-page';
}

/** A filter combination that cannot mean anything; `parameter` names the one to change. */
export class InvalidHistoryQueryError extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter}: ${reason}`);
    this.name = 'InvalidHistoryQueryError';
  }
}

export function clampHistoryLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return HISTORY_LIMITS.default;
  return Math.min(HISTORY_LIMITS.max, Math.max(HISTORY_LIMITS.min, Math.floor(limit)));
}

export async function queryHistory(
  store: Pick<HistoryStore, 'query'>,
  filter: HistoryFilter,
  findings?: Pick<FindingStore, 'get'>,
): Promise<HistoryResult> {
  let q = toStoreQuery(filter);
  // A serial may look like a GUID or read "tenant" (whoever imports a device chooses it): the detectors keyed such a
  // device upper case (normSerial), a group or the tenant lower case. The lower-case subject is read first; when it
  // has no records, the serial's. A later page goes on where its token points: the serial's partition, when the
  // first page came from there, whatever the lower-case subject holds by now.
  const asSerial = filter.serial === undefined ? null : normSerial(filter.serial);
  const other = asSerial !== null && asSerial !== q.subjectKey ? asSerial : null;
  const token = q.continuationToken ?? null;
  if (other !== null && token !== null && tokenPartition(token) === escapeKey(other)) q = { ...q, subjectKey: other };
  let page = await store.query(q);
  if (page.items.length === 0 && page.continuationToken === null && other !== null && other !== q.subjectKey) {
    q = { ...q, subjectKey: other };
    page = await store.query(q);
  }
  return {
    items: findings ? await withFindingEvidence(page.items, findings) : page.items,
    continuationToken: page.continuationToken,
    order: q.subjectKey === undefined ? 'newest-first-per-page' : 'newest-first',
  };
}

function toStoreQuery(f: HistoryFilter): HistoryQuery {
  if (f.outcome !== undefined && !(OUTCOME_STATUSES as readonly string[]).includes(f.outcome)) {
    // An unknown status would match nothing and look like "no failures": refuse it instead.
    throw new InvalidHistoryQueryError('outcome', `expected one of ${OUTCOME_STATUSES.join(', ')}`);
  }
  if (f.outcome !== undefined && f.type !== undefined && f.type !== 'outcome') {
    throw new InvalidHistoryQueryError(
      'type',
      `outcome filters records of type 'outcome'; type=${f.type} contradicts it`,
    );
  }
  if (f.since !== undefined && f.until !== undefined && f.since >= f.until) {
    throw new InvalidHistoryQueryError('until', 'must be later than since');
  }
  if (f.continuationToken) assertToken(f.continuationToken);
  const subjectKey = f.serial !== undefined ? subjectKeyOf(f.serial) : undefined;
  const type = f.outcome !== undefined ? 'outcome' : f.type;
  return {
    ...(subjectKey !== undefined ? { subjectKey } : {}),
    ...(f.action !== undefined ? { action: f.action } : {}),
    ...(f.outcome !== undefined ? { status: f.outcome } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(f.since !== undefined ? { since: f.since } : {}),
    ...(f.until !== undefined ? { until: f.until } : {}),
    limit: clampHistoryLimit(f.limit),
    continuationToken: f.continuationToken ?? null,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Subject keys as the detectors build them: GUIDs and 'tenant' lower case, serials via normSerial (upper case).
 * A serial the poll would skip as unusable (control characters, over 256 characters) has no history to find,
 * so it is refused by name; one that only escapes past Table Storage's key limit is fine (its key is hashed,
 * the same hash the poll stored its rows under).
 */
function subjectKeyOf(value: string): string {
  const trimmed = value.trim();
  const problem = serialProblem(trimmed);
  if (problem !== null) throw new InvalidHistoryQueryError('serial', problem.replace(/^serial number /, ''));
  if (GUID.test(trimmed) || trimmed.toLowerCase() === 'tenant') return trimmed.toLowerCase();
  const key = normSerial(trimmed);
  if (key === null) throw new InvalidHistoryQueryError('serial', 'is empty');
  return key;
}

/** The partition a continuation token resumes in (the token was checked by toStoreQuery). */
function tokenPartition(token: string): string {
  return decodeContinuation(token).partitionKey;
}

function assertToken(token: string): void {
  try {
    decodeContinuation(token);
  } catch {
    // The stores would throw a plain Error deep inside the query; say which input was wrong instead.
    throw new InvalidHistoryQueryError('continuationToken', 'is not a token returned by a previous page');
  }
}

/** Finding rows read at once while a page is resolved. */
const FINDING_READS_IN_FLIGHT = 8;

/**
 * Lifecycle and decision rows name the finding's fingerprint instead of copying its evidence (the finding's own row
 * holds the one copy). A reader wants to see it: while the finding still has that fingerprint, its evidence is
 * shown beside the fingerprint; a finding that has changed since shows the fingerprint alone (its evidence then
 * describes a later sighting).
 */
async function withFindingEvidence(
  items: readonly HistoryRecord[],
  findings: Pick<FindingStore, 'get'>,
): Promise<HistoryRecord[]> {
  const refs = new Map<string, { subjectKey: string; code: string }>();
  for (const r of items)
    if (r.code !== null && fingerprintOf(r) !== null)
      refs.set(`${r.subjectKey}\u0000${r.code}`, { subjectKey: r.subjectKey, code: r.code });
  const keys = [...refs.keys()];
  const rows = await mapLimited(keys, FINDING_READS_IN_FLIGHT, (k) => {
    const { subjectKey, code } = refs.get(k)!;
    return findings.get(subjectKey, code);
  });
  const byKey = new Map(keys.map((k, i) => [k, rows[i] ?? null]));
  return items.map((r) => {
    const fingerprint = fingerprintOf(r);
    const row = r.code === null ? null : byKey.get(`${r.subjectKey}\u0000${r.code}`);
    if (fingerprint === null || !row || row.fingerprint !== fingerprint) return r;
    const withEvidence = (side: Json): Json =>
      isRef(side) ? { ...side, evidence: row.evidence, ...(row.subject ? { subject: row.subject } : {}) } : side;
    return { ...r, before: withEvidence(r.before), after: withEvidence(r.after) };
  });
}

const REFERRING: ReadonlySet<HistoryEventType> = new Set(['finding-opened', 'finding-resolved', 'decision']);

function isRef(v: Json): v is { readonly fingerprint: string } & { readonly [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.fingerprint === 'string';
}

function fingerprintOf(r: HistoryRecord): string | null {
  if (!REFERRING.has(r.type)) return null;
  if (isRef(r.after)) return r.after.fingerprint;
  return isRef(r.before) ? r.before.fingerprint : null;
}
