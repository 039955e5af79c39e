import type { HistoryRecord } from '../../shared/ports/index.js';
import type { Simulator } from '../../sim/index.js';

// What "no hidden writes" is checked against: the tenant writes the simulator received, and the attempt rows the
// product stored before making them.

export interface TenantWrite {
  /** `METHOD /version/path`. */
  readonly call: string;
  /** Wall-clock time the simulator received it. */
  readonly at: number;
}

/** Tenant writes: every non-GET except report export jobs (no tenant state) and $batch envelopes (reads). */
export function tenantWrites(sim: Simulator, since = 0): TenantWrite[] {
  return (
    sim
      .requests(since)
      // The device-preparation policy's target is read with a POST (a function, no tenant state).
      .filter(
        (r) =>
          r.method !== 'GET' &&
          !r.path.includes('/reports/exportJobs') &&
          !r.path.endsWith('/retrieveEnrollmentTimeDeviceMembershipTarget') &&
          !r.path.endsWith('/$batch') &&
          r.batch === undefined,
      )
      .map((r) => ({ call: `${r.method} /${r.version ?? ''}${r.path}`, at: r.realMs }))
  );
}

/**
 * The writes that have no attempt row of their own, stored before the simulator received them and naming the same
 * call (method and path). An attempt is one row per subject it touches, all with the same id.
 */
export function unrecordedWrites(writes: readonly TenantWrite[], attempts: readonly HistoryRecord[]): string[] {
  const rows = [...new Map(attempts.map((a) => [a.id, a])).values()].map((a) => {
    const before = a.before as { method?: string; path?: string } | null;
    return { call: `${before?.method} ${before?.path}`, at: a.at, used: false };
  });
  const out: string[] = [];
  for (const w of [...writes].sort((a, b) => a.at - b.at)) {
    const match = rows.find((a) => !a.used && a.call === w.call && a.at <= w.at);
    if (match) match.used = true;
    else out.push(w.call);
  }
  return out;
}

/** Calls made more than once (the same method and path): a duplicate write. */
export function repeatedWrites(writes: readonly TenantWrite[]): string[] {
  const seen = new Map<string, number>();
  for (const w of writes) seen.set(w.call, (seen.get(w.call) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([call, n]) => `${call} ×${n}`);
}
