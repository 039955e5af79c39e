import type { TableClient } from '@azure/data-tables';
import { clampPageSize, historyRowKey, timeBoundaryRowKey, unescapeKey } from '../../core/keys.js';
import type { ReportRecord, ReportStore } from '../../ports/stores.port.js';
import { deleteAll } from './table-batch.js';
import { and, epoch, need, queryEntities, readNumber, str, type Row, type WriteEntity } from './table-helpers.js';
import {
  ENTITY_BUDGET,
  groupParts,
  jsonProps,
  partsProps,
  readJson,
  readParts,
  splitString,
  textCost,
} from './table-text.js';

export const REPORT_PARTITION = 'compliance';

// A report row (kind 'report', RK = inverted time + id, so newest first) carries the summary and the first
// ~900 KB of the body (see table-text.ts for how size is counted); the rest goes to chunk rows right behind it
// in the same partition: RK = report RK + '%c' + index. escapeKey only ever emits '%' before two upper-case hex digits, so '%c'
// cannot occur in a report key, and the chunks of one report are exactly the range [RK%c, RK%d).
const REPORT = 'report';
const CHUNK = 'chunk';

export class TableReportStore implements ReportStore {
  constructor(private readonly client: TableClient) {}

  async put(report: ReportRecord): Promise<void> {
    const rk = historyRowKey(report.at, report.id);
    const summary = jsonProps('summary', report.summary);
    const groups = groupParts(splitString(report.body), ENTITY_BUDGET - textCost(JSON.stringify(report.summary)));
    const chunks: WriteEntity[] = groups.slice(1).map((group, i) => ({
      partitionKey: REPORT_PARTITION,
      rowKey: chunkKey(rk, i + 1),
      kind: CHUNK,
      ...partsProps('body', group),
    }));
    // Chunks first, the report row last: a reader that sees the report row finds every chunk it names.
    for (const chunk of chunks) await this.client.upsertEntity(chunk, 'Replace');
    await this.client.upsertEntity(
      {
        partitionKey: REPORT_PARTITION,
        rowKey: rk,
        kind: REPORT,
        at: epoch(report.at),
        chunkRows: chunks.length,
        ...summary,
        ...partsProps('body', groups[0] ?? []),
      },
      'Replace',
    );
    await this.dropChunksAfter(rk, chunks.length);
  }

  async latest(): Promise<ReportRecord | null> {
    return (await this.list(1))[0] ?? null;
  }

  async list(limit: number): Promise<ReportRecord[]> {
    const wanted = clampPageSize(limit);
    const rows: Row[] = [];
    const filter = and(`PartitionKey eq ${str(REPORT_PARTITION)}`, `kind eq ${str(REPORT)}`);
    for await (const row of queryEntities(this.client, filter, { pageSize: wanted })) {
      rows.push(row);
      if (rows.length >= wanted) break;
    }
    const out: ReportRecord[] = [];
    for (const row of rows) out.push(await this.assemble(row));
    return out;
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    // Report rows and their chunks share the time prefix, so one row-key range finds both.
    const filter = and(`PartitionKey eq ${str(REPORT_PARTITION)}`, `RowKey gt ${str(timeBoundaryRowKey(cutoff))}`);
    const keys: Row[] = [];
    for await (const row of queryEntities(this.client, filter, { select: ['PartitionKey', 'RowKey', 'kind'] }))
      keys.push(row);
    await deleteAll(this.client, keys);
    return keys.filter((k) => k.props['kind'] === REPORT).length;
  }

  /** A report put again with a shorter body leaves chunk rows behind: remove them. */
  private async dropChunksAfter(rk: string, kept: number): Promise<void> {
    const range = and(
      `PartitionKey eq ${str(REPORT_PARTITION)}`,
      `RowKey gt ${str(chunkKey(rk, kept))}`,
      `RowKey lt ${str(`${rk}%d`)}`,
    );
    const stale: Row[] = [];
    for await (const row of queryEntities(this.client, range, { select: ['PartitionKey', 'RowKey'] })) stale.push(row);
    if (stale.length > 0) await deleteAll(this.client, stale);
  }

  private async assemble(row: Row): Promise<ReportRecord> {
    let body = readParts(row.props, 'body');
    const chunkRows = readNumber(row.props, 'chunkRows') ?? 0;
    if (chunkRows > 0) {
      const range = and(
        `PartitionKey eq ${str(REPORT_PARTITION)}`,
        `RowKey ge ${str(chunkKey(row.rowKey, 1))}`,
        `RowKey le ${str(chunkKey(row.rowKey, chunkRows))}`,
      );
      const chunks: Row[] = [];
      for await (const chunk of queryEntities(this.client, range)) chunks.push(chunk);
      if (chunks.length !== chunkRows)
        throw new Error(`report ${row.rowKey}: ${chunks.length} of ${chunkRows} chunk rows found`);
      for (const chunk of chunks) body += readParts(chunk.props, 'body');
    }
    const separator = row.rowKey.indexOf('_');
    return {
      id: unescapeKey(row.rowKey.slice(separator + 1)),
      at: need(readNumber(row.props, 'at'), 'at'),
      summary: readJson(row.props, 'summary'),
      body,
    };
  }
}

/** Zero-padded so chunk rows sort in body order. */
function chunkKey(reportRowKey: string, index: number): string {
  return `${reportRowKey}%c${String(index).padStart(4, '0')}`;
}
