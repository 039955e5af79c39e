import type { HistoryEventLike } from './inputs.js';
import { ACTIONS } from '../model/index.js';
import type { ActionName } from '../model/index.js';
import { cmp, DAY_MS, FirstN, MINUTE_MS, recordOf } from './rows.js';
import { OUTCOME_GROUPS } from './types.js';
import type { ComplianceLists, ComplianceSummary, DayBucket, OutcomeGroup, RemediationRow } from './types.js';

// Remediation figures and MTTR come from history, not from the snapshot: they describe what the service did.

const FIXED = new Set(['succeeded', 'already-done']);
/** A longer period still charts, but as its most recent year: one bar per day must stay legible. */
const MAX_DAYS = 366;

export function outcomeGroup(status: string): OutcomeGroup {
  if (FIXED.has(status)) return 'fixed';
  if (status === 'planned' || status === 'deferred') return status;
  if (status.startsWith('failed') || status === 'refused') return 'failed';
  return 'other';
}

export function utcDay(epochMs: number): string {
  return new Date(Math.floor(epochMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export function remediationFigures(
  history: readonly HistoryEventLike[],
  periodStart: number,
  now: number,
  cap: number,
): { summary: ComplianceSummary['remediations']; list: ComplianceLists['remediations'] } {
  const outcomes = history.filter((h) => h.type === 'outcome' && h.at >= periodStart && h.at <= now);
  const byStatus: Record<string, number> = {};
  const byAction = new Map<string, { action: ActionName | 'none'; status: string; count: number }>();
  for (const o of outcomes) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    const action = o.action ?? 'none';
    const key = `${action} ${o.status}`;
    const row = byAction.get(key) ?? { action, status: o.status, count: 0 };
    row.count += 1;
    byAction.set(key, row);
  }
  // Newest first; rows only for the `cap` the list shows.
  const shown = new FirstN<number>(cap, (ia, ib) => {
    const a = outcomes[ia] as HistoryEventLike;
    const b = outcomes[ib] as HistoryEventLike;
    return b.at - a.at || cmp(a.subjectKey, b.subjectKey) || cmp(a.id, b.id) || ia - ib;
  });
  for (let i = 0; i < outcomes.length; i++) shown.add(i);
  const list = shown.list((i): RemediationRow => {
    const o = outcomes[i] as HistoryEventLike;
    return { at: o.at, subjectKey: o.subjectKey, action: o.action, status: o.status, mode: o.mode, reason: o.reason };
  });
  const actionOrder = (a: ActionName | 'none'): number => (a === 'none' ? ACTIONS.length : ACTIONS.indexOf(a));
  return {
    summary: {
      total: outcomes.length,
      byStatus,
      byAction: [...byAction.values()].sort(
        (a, b) => actionOrder(a.action) - actionOrder(b.action) || cmp(a.status, b.status),
      ),
      byDay: dayBuckets(outcomes, periodStart, now),
    },
    list,
  };
}

function dayBuckets(outcomes: readonly HistoryEventLike[], periodStart: number, now: number): DayBucket[] {
  const last = Math.floor(now / DAY_MS);
  const first = Math.max(Math.floor(periodStart / DAY_MS), last - MAX_DAYS + 1);
  if (first > last) return [];
  const counts = Array.from({ length: last - first + 1 }, () => recordOf(OUTCOME_GROUPS, () => 0));
  for (const o of outcomes) {
    const bucket = counts[Math.floor(o.at / DAY_MS) - first];
    if (bucket) bucket[outcomeGroup(o.status)] += 1;
  }
  return counts.map((c, i) => ({ day: utcDay((first + i) * DAY_MS), counts: c }));
}

/**
 * Mean time to remediate (see ComplianceSummary.mttrMinutes). History is walked per subject in time order:
 * 'finding-opened' starts a clock per code, 'finding-resolved' stops it unpaired (the problem went away by
 * itself), and a successful outcome pairs with the clock of its code — or, when the outcome names no code, the
 * oldest running clock of that subject. Outcomes before the period still consume clocks but are not averaged.
 */
export function meanTimeToRemediate(
  history: readonly HistoryEventLike[],
  periodStart: number,
  now: number,
): { minutes: number | null; samples: number } {
  const relevant = history.filter(
    (h) =>
      h.at <= now &&
      (h.type === 'finding-opened' || h.type === 'finding-resolved' || (h.type === 'outcome' && FIXED.has(h.status))),
  );
  const rank = (h: HistoryEventLike): number => (h.type === 'finding-opened' ? 0 : h.type === 'outcome' ? 1 : 2);
  relevant.sort((a, b) => cmp(a.subjectKey, b.subjectKey) || a.at - b.at || rank(a) - rank(b));

  const durations: number[] = [];
  let subject: string | null = null;
  let clocks = new Map<string, number>();
  for (const h of relevant) {
    if (h.subjectKey !== subject) {
      subject = h.subjectKey;
      clocks = new Map();
    }
    const code = h.code ?? '';
    if (h.type === 'finding-opened') {
      if (!clocks.has(code)) clocks.set(code, h.at); // a repeated "opened" keeps the first start
    } else if (h.type === 'finding-resolved') {
      clocks.delete(code);
    } else {
      const key = h.code !== null && clocks.has(h.code) ? h.code : h.code === null ? oldest(clocks) : null;
      const started = key === null ? undefined : clocks.get(key);
      if (key === null || started === undefined) continue;
      clocks.delete(key);
      if (h.at >= periodStart) durations.push(h.at - started);
    }
  }
  if (durations.length === 0) return { minutes: null, samples: 0 };
  const mean = durations.reduce((s, d) => s + d, 0) / durations.length / MINUTE_MS;
  return { minutes: Math.round(mean * 10) / 10, samples: durations.length };
}

function oldest(clocks: ReadonlyMap<string, number>): string | null {
  let best: [string, number] | null = null;
  for (const entry of clocks) if (best === null || entry[1] < best[1]) best = entry;
  return best === null ? null : best[0];
}
