import type { HistoryRecord, HistoryStore } from '../../ports/index.js';

// Each scheduled run (poll, compliance sweep) leaves one `run` row in history, on the tenant's partition: when it
// started and ended, whether it completed, and its figures in one line. The dashboard's "last runs" strip and
// `history --serial tenant` read them; without them, a run that found nothing new leaves no trace at all.

export interface RunSummary {
  readonly runId: string;
  /** The function that ran (poll, complianceSweep). */
  readonly name: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly status: 'completed' | 'aborted';
  /** `findings 18, opened 2, …` for a completed run; the reason for an aborted one. */
  readonly summary: string;
}

const MAX_SUMMARY = 500;

export function runRecord(run: RunSummary): HistoryRecord {
  return {
    subjectKey: 'tenant',
    at: run.finishedAt,
    id: `run:${run.runId}`.slice(0, 400),
    runId: run.runId,
    type: 'run',
    action: null,
    code: null,
    idempotencyKey: null,
    mode: null,
    status: run.status,
    reason: `${run.name}: ${run.summary}`.slice(0, MAX_SUMMARY),
    attempt: 0,
    graphRequestId: null,
    before: { name: run.name, startedAt: run.startedAt },
    after: null,
  };
}

/** The newest runs first. */
export async function recentRuns(history: HistoryStore, limit: number): Promise<RunSummary[]> {
  const page = await history.query({ subjectKey: 'tenant', type: 'run', limit });
  return page.items.map((r) => {
    const before = typeof r.before === 'object' && r.before !== null && !Array.isArray(r.before) ? r.before : {};
    const name = typeof before['name'] === 'string' ? before['name'] : (r.reason.split(':')[0] ?? 'run');
    const startedAt = typeof before['startedAt'] === 'number' ? before['startedAt'] : r.at;
    return {
      runId: r.runId,
      name,
      startedAt,
      finishedAt: r.at,
      status: r.status === 'completed' ? 'completed' : 'aborted',
      summary: r.reason.startsWith(`${name}: `) ? r.reason.slice(name.length + 2) : r.reason,
    };
  });
}

/** A run's figures as one line: `findings 18, opened 2, resolved 1`. */
export function figuresLine(figures: Readonly<Record<string, number | string>>): string {
  return Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
