import { SEVERITIES, type Severity } from '../../core/model/index.js';
import { runHealth, type OverviewFigures, type OverviewRow } from '../../core/report/index.js';
import type { Json, Stores } from '../../ports/index.js';
import { recentRuns } from '../history/run-records.js';
import { eachTenant } from './each-tenant.js';

// The figures of the cross-tenant overview, read from each tenant's own tables. Everything comes from what the
// scheduled runs already stored, so a page load costs each tenant a handful of table reads and no Graph call:
//  - devices and remediations: the latest compliance report's summary (ReportRecord.summary, the figures the sweep
//    counted; remediations over its period, by outcome status). Re-counting outcome rows from history would be a
//    query across every device's partition per tenant per page load; the report already did that count daily.
//  - open findings by severity: the live open findings (what a person would work on now).
//  - last run and health: the tenant's `run` rows (core/report/render-overview.ts runHealth says why not a live
//    health check).
// One tenant whose tables cannot be read shows its error in its own row; the others still show.

/** The last runs health is derived from: enough to tell "the last run aborted" from "the last three did". */
const RUNS_READ = 3;

export interface OverviewTenant {
  /** The tenant's key (its id): eachTenant reports results under it. */
  readonly tenant: string;
  readonly name: string;
  /** Its stores (building its container may fail: its row then shows why). */
  stores(): Promise<Pick<Stores, 'reports' | 'findings' | 'history'>>;
}

export async function gatherOverview(tenants: readonly OverviewTenant[], concurrency: number): Promise<OverviewRow[]> {
  const results = await eachTenant(tenants, concurrency, async (t) => figuresOf(await t.stores()));
  return tenants.map((t, i): OverviewRow => {
    const r = results[i];
    return {
      tenant: t.tenant,
      name: t.name,
      figures:
        r === undefined
          ? { ok: false, error: 'not read' }
          : r.ok
            ? { ok: true, value: r.value }
            : { ok: false, error: clip(r.error) },
    };
  });
}

async function figuresOf(stores: Pick<Stores, 'reports' | 'findings' | 'history'>): Promise<OverviewFigures> {
  const [report, open, runs] = await Promise.all([
    stores.reports.latest(),
    stores.findings.listOpen(),
    recentRuns(stores.history, RUNS_READ),
  ]);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of open) if (Object.hasOwn(bySeverity, f.severity)) bySeverity[f.severity] += 1;
  const summary = report === null ? null : summaryFigures(report.summary);
  const last = runs[0];
  return {
    devices: summary?.devices ?? null,
    reportAt: report?.at ?? null,
    openFindings: { total: open.length, bySeverity },
    remediations: summary?.remediations ?? null,
    lastRun:
      last === undefined
        ? null
        : { name: last.name, status: last.status, finishedAt: last.finishedAt, summary: last.summary },
    health: runHealth(runs),
  };
}

type SummaryFigures = { devices: number | null; remediations: OverviewFigures['remediations'] };

/** The stored summary is our own JSON, but read defensively: an older or damaged row shows as "—", not a crash. */
function summaryFigures(summary: Json): SummaryFigures {
  const s = record(summary);
  const devices = typeof s?.['totalDevices'] === 'number' ? s['totalDevices'] : null;
  const rem = record(s?.['remediations'] ?? null);
  const byStatus: Record<string, number> = {};
  for (const [k, v] of Object.entries(record(rem?.['byStatus'] ?? null) ?? {}))
    if (typeof v === 'number') byStatus[k] = v;
  const total = typeof rem?.['total'] === 'number' ? rem['total'] : null;
  return {
    devices,
    remediations: total === null ? null : { total, byStatus },
  };
}

/** An SDK error can embed a whole response body: the row shows its start. */
function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function record(v: Json | undefined): Readonly<Record<string, Json>> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
}
