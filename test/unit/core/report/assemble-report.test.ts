import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../../../shared/adapters/inprocess/memory-stores.js';
import { assembleComplianceReport, toReportRecord } from '../../../../shared/app/compliance/assemble-report.js';
import { buildComplianceReport } from '../../../../shared/core/report/build-report.js';
import type { ReportAssemblyDeps } from '../../../../shared/app/compliance/assemble-report.js';
import type { ComplianceReport } from '../../../../shared/core/report/types.js';
import type { HistoryQuery } from '../../../../shared/ports/stores.port.js';
import {
  DAY,
  hist,
  NOW,
  PLANTED,
  plantedFindings,
  plantedHistory,
  plantedRecords,
  plantedSnapshot,
  RULES,
} from './fixtures.js';

// The app half of the report: it reads the stores (in-memory adapters, same semantics as Table Storage) and
// must hand the builder the same picture the pure unit test planted.

async function seeded() {
  const stores = createMemoryStores();
  await stores.history.append(plantedHistory());
  await stores.findings.upsertMany(plantedRecords());
  return stores;
}

const input = {
  snapshot: plantedSnapshot(),
  findings: plantedFindings(),
  tenant: 'contoso',
  now: NOW,
  periodDays: 30,
  rules: RULES,
};

describe('assembleComplianceReport', () => {
  it('reads open findings and the period’s history, paging through the store', async () => {
    const stores = await seeded();
    // Enough outcomes to need several pages (the report reads 1,000 a page).
    await stores.history.append(
      Array.from({ length: 2_403 }, (_, i) =>
        hist(`P${i}`, NOW - 2 * DAY, 'outcome', 'planned', { action: 'autopilot-sync' }),
      ),
    );
    const report = await assembleComplianceReport(stores, input);
    expect(report.summary.remediations.total).toBe(PLANTED.remediationsTotal + 2_403);
    expect(report.summary.openFindings).toMatchObject(PLANTED.openFindings);
    expect(report.summary.mttrMinutes).toBe(PLANTED.mttrMinutes);
    expect(report.summary.blocked).toBe(PLANTED.blocked);
    expect(report.coverage.history).toBe(true);
  });

  it('counts an outcome recorded at exactly `now` (the store’s `until` is exclusive)', async () => {
    const stores = await seeded();
    await stores.history.append([hist('EDGE', NOW, 'outcome', 'succeeded', { action: 'allow-next-enrollment' })]);
    const report = await assembleComplianceReport(stores, input);
    expect(report.summary.remediations.total).toBe(PLANTED.remediationsTotal + 1);
  });

  it('looks back before the period for openings, within the lookback only', async () => {
    const stores = await seeded();
    await stores.history.append([
      hist('OLD', NOW - 100 * DAY, 'finding-opened', 'open', { code: 'C' }),
      hist('OLD', NOW - 2 * DAY, 'outcome', 'succeeded', { code: 'C' }),
    ]);
    const wide = await assembleComplianceReport(stores, { ...input, openingsLookbackDays: 90 });
    const narrow = await assembleComplianceReport(stores, { ...input, openingsLookbackDays: 30 });
    expect(wide.summary.mttrSamples).toBe(PLANTED.mttrSamples + 1);
    expect(narrow.summary.mttrSamples).toBe(PLANTED.mttrSamples);
  });

  it('asks the store only for the three record types it uses, in the window', async () => {
    const queries: HistoryQuery[] = [];
    const fixed = hist('A', NOW - DAY, 'outcome', 'succeeded', { code: 'C' });
    const deps: ReportAssemblyDeps = {
      findings: { listOpen: () => Promise.resolve([]) },
      history: {
        query: (q) => (
          queries.push(q),
          Promise.resolve({ items: q.type === 'outcome' ? [fixed] : [], continuationToken: null })
        ),
      },
    };
    await assembleComplianceReport(deps, input);
    expect(queries.map((q) => [q.type, q.since, q.until])).toEqual([
      ['outcome', NOW - 30 * DAY, NOW + 1],
      ['finding-opened', NOW - 120 * DAY, NOW + 1],
      ['finding-resolved', NOW - 120 * DAY, NOW + 1],
    ]);
  });

  it('does not read openings back when no outcome in the period succeeded (the MTTR has nothing to pair)', async () => {
    const stores = createMemoryStores();
    await stores.findings.upsertMany(plantedRecords());
    // Openings and resolutions the MTTR would pair — had anything been fixed — and outcomes that fixed nothing.
    const written = [
      ...plantedHistory().filter((h) => h.type !== 'outcome'),
      hist('A', NOW - DAY, 'outcome', 'failed-transient', { action: 'autopilot-sync' }),
      hist('B', NOW - DAY, 'outcome', 'planned', { action: 'autopilot-sync' }),
    ];
    await stores.history.append(written);
    const types: (string | undefined)[] = [];
    const deps: ReportAssemblyDeps = {
      findings: stores.findings,
      history: { query: (q) => (types.push(q.type), stores.history.query(q)) },
    };
    const report = await assembleComplianceReport(deps, input);
    expect(types).toEqual(['outcome']);
    expect(report.summary.remediations.total).toBe(2);
    expect([report.summary.mttrMinutes, report.summary.mttrSamples]).toEqual([null, 0]);
    expect(report.coverage.history).toBe(true);
    // The same report as the builder makes from every history record, openings included.
    const full = buildComplianceReport({
      snapshot: input.snapshot,
      findings: input.findings,
      openFindingRecords: await stores.findings.listOpen(),
      history: [...written],
      periodStart: NOW - 30 * DAY,
      now: NOW,
      tenant: input.tenant,
      rules: RULES,
    });
    expect(report).toEqual(full);
  });
});

describe('toReportRecord', () => {
  it('stores the figures as summary and the whole report as body, round-tripping exactly', async () => {
    const report = await assembleComplianceReport(await seeded(), input);
    const rec = toReportRecord(report, 'run-42');
    expect(rec).toMatchObject({ id: 'run-42', at: NOW });
    expect(JSON.parse(rec.body) as ComplianceReport).toEqual(report);
    expect(rec.summary).toEqual(JSON.parse(JSON.stringify(report.summary)));
  });
});
