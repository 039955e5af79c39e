import {
  clampPageSize,
  decodeContinuation,
  encodeContinuation,
  escapeKey,
  historyRowKey,
  sortNewestFirst,
} from '../../core/keys.js';
import { keptByRetention } from '../../core/policy/unblock-gate.js';
import type { HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../ports/stores.port.js';
import { MemoryTable, settle, type MemoryRow } from './memory-table.js';

// Pages walk key order (subject, then newest first), exactly like the Table adapter, and each page is then
// sorted newest first. Across subjects that is "newest first per page", not a global order: see the port.
export class MemoryHistoryStore implements HistoryStore {
  private readonly table = new MemoryTable<HistoryRecord>();

  append(records: readonly HistoryRecord[]): Promise<void> {
    return settle(() => {
      // Keys first, so a bad key rejects the whole call before anything is written.
      const keyed = records.map((r) => ({ pk: escapeKey(r.subjectKey), rk: historyRowKey(r.at, r.id), r }));
      // Upsert: a redelivered append of the same record (same subject, time and id) is not a duplicate.
      for (const { pk, rk, r } of keyed) this.table.put(pk, rk, r);
    });
  }

  query(q: HistoryQuery): Promise<Page<HistoryRecord>> {
    return settle(() => {
      const limit = clampPageSize(q.limit);
      const after = q.continuationToken ? decodeContinuation(q.continuationToken) : null;
      const subject = q.subjectKey === undefined ? null : escapeKey(q.subjectKey);
      const hits: MemoryRow<HistoryRecord>[] = [];
      const rows = this.table.scan({
        ...(subject !== null ? { partitionKey: subject } : {}),
        where: (row) => (!after || isAfter(row, after)) && matches(row.value, q),
        // One more than a page: enough to know whether a next page exists.
        limit: limit + 1,
      });
      for (const row of rows) {
        hits.push(row);
        if (hits.length > limit) break;
      }
      const page = hits.slice(0, limit);
      const last = page[page.length - 1];
      const continuationToken = hits.length > limit && last ? encodeContinuation(last.partitionKey, last.rowKey) : null;
      return { items: sortNewestFirst(page).map((row) => row.value), continuationToken };
    });
  }

  deleteOlderThan(cutoff: number): Promise<number> {
    return settle(() => {
      const old = this.table.scan({ where: (row) => row.value.at < cutoff && !keptByRetention(row.value) });
      return old.filter((row) => this.table.delete(row.partitionKey, row.rowKey)).length;
    });
  }
}

function isAfter(row: MemoryRow<unknown>, token: { partitionKey: string; rowKey: string }): boolean {
  return (
    row.partitionKey > token.partitionKey || (row.partitionKey === token.partitionKey && row.rowKey > token.rowKey)
  );
}

function matches(r: HistoryRecord, q: HistoryQuery): boolean {
  if (q.action !== undefined && r.action !== q.action) return false;
  if (q.status !== undefined && r.status !== q.status) return false;
  if (q.type !== undefined && r.type !== q.type) return false;
  if (q.since !== undefined && r.at < q.since) return false;
  if (q.until !== undefined && r.at >= q.until) return false;
  return true;
}
