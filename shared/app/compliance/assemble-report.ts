import type { CatalogEntry } from '../../core/catalog/types.js';
import type { Finding, TenantSnapshot } from '../../core/model/index.js';
import { buildComplianceReport, type SnapshotFigures } from '../../core/report/build-report.js';
import { outcomeGroup } from '../../core/report/remediations.js';
import type { ComplianceReport } from '../../core/report/types.js';
import type {
  FindingStore,
  HistoryEventType,
  HistoryRecord,
  HistoryStore,
  ReportRecord,
} from '../../ports/stores.port.js';
import { toJson } from '../../ports/json.js';

// The report-assembly half of the compliance sweep: read what the pure builder needs from the stores, build,
// and shape the stored record. The sweep use case (snapshot, detection, finding lifecycle, alerts) calls this.

const DAY_MS = 86_400_000;
/** The Table service's largest page: a 100,000-device first sweep writes ~15,000 openings to read back. */
const PAGE = 1_000;
/** Per history query: a runaway history must not exhaust a Functions worker's memory. */
export const MAX_HISTORY_RECORDS = 50_000;

export interface ReportAssemblyDeps {
  readonly findings: Pick<FindingStore, 'listOpen'>;
  readonly history: Pick<HistoryStore, 'query'>;
}

export type ReportAssemblyInput = (
  | {
      /** The fleet figures the sweep took from its snapshot when detection was done (snapshotFigures). */
      readonly figures: SnapshotFigures;
    }
  | { readonly snapshot: TenantSnapshot }
) & {
  readonly findings: readonly Finding[];
  readonly tenant: string;
  readonly now: number;
  /** Remediations are counted over the last `periodDays` days. */
  readonly periodDays: number;
  readonly rules: { readonly staleDays: number; readonly checkinStaleDays: number };
  /**
   * How far before the period to look for the 'finding-opened' records that MTTR pairs outcomes with
   * (default 90 days): a finding opened earlier than that and fixed in the period is left out of the mean.
   */
  readonly openingsLookbackDays?: number;
  readonly catalog?: (code: string) => CatalogEntry | null | undefined;
  readonly listCap?: number;
};

export async function assembleComplianceReport(
  deps: ReportAssemblyDeps,
  input: ReportAssemblyInput,
): Promise<ComplianceReport> {
  const periodStart = input.now - input.periodDays * DAY_MS;
  const openingsSince = periodStart - (input.openingsLookbackDays ?? 90) * DAY_MS;
  // Sequential on purpose: three paged scans in parallel would triple the peak load on the table.
  const open = await deps.findings.listOpen();
  const outcomes = await readAll(deps.history, 'outcome', periodStart, input.now);
  // Openings and resolutions only serve the MTTR, which pairs them with the period's successful outcomes: with
  // none (a first sweep, where every finding was just opened), the mean is null whatever they say, so they are
  // not read back.
  const anyFixed = outcomes.records.some((o) => outcomeGroup(o.status) === 'fixed');
  const none = { records: [], complete: true };
  const opened = anyFixed ? await readAll(deps.history, 'finding-opened', openingsSince, input.now) : none;
  const resolved = anyFixed ? await readAll(deps.history, 'finding-resolved', openingsSince, input.now) : none;
  return buildComplianceReport({
    ...('figures' in input ? { figures: input.figures } : { snapshot: input.snapshot }),
    findings: input.findings,
    openFindingRecords: open,
    history: [...outcomes.records, ...opened.records, ...resolved.records],
    historyComplete: outcomes.complete && opened.complete && resolved.complete,
    periodStart,
    now: input.now,
    tenant: input.tenant,
    rules: input.rules,
    ...(input.catalog ? { catalog: input.catalog } : {}),
    ...(input.listCap !== undefined ? { listCap: input.listCap } : {}),
  });
}

async function readAll(
  store: Pick<HistoryStore, 'query'>,
  type: HistoryEventType,
  since: number,
  until: number,
): Promise<{ records: HistoryRecord[]; complete: boolean }> {
  const records: HistoryRecord[] = [];
  let token: string | null = null;
  do {
    // `until` is exclusive in the store, inclusive in the report: an outcome recorded at `now` counts.
    const page = await store.query({ type, since, until: until + 1, limit: PAGE, continuationToken: token });
    records.push(...page.items);
    token = page.continuationToken;
    if (records.length >= MAX_HISTORY_RECORDS) {
      return {
        records: records.slice(0, MAX_HISTORY_RECORDS),
        complete: token === null && records.length <= MAX_HISTORY_RECORDS,
      };
    }
  } while (token !== null);
  return { records, complete: true };
}

/**
 * The stored shape (reports table): the figures as `summary` for listing and digests without parsing the
 * body, and the whole report as `body`. The id comes from the caller (the sweep's run id), so a retried
 * sweep overwrites its own report instead of adding a second one.
 */
export function toReportRecord(report: ComplianceReport, id: string): ReportRecord {
  return { id, at: report.generatedAt, summary: toJson(report.summary), body: JSON.stringify(report) };
}
