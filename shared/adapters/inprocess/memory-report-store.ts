import { clampPageSize, historyRowKey } from '../../core/keys.js';
import type { ReportRecord, ReportStore } from '../../ports/stores.port.js';
import { MemoryTable, settle } from './memory-table.js';

export const REPORT_PARTITION = 'compliance';

// Row key = inverted time + id, so key order is newest first, as in the Table adapter.
export class MemoryReportStore implements ReportStore {
  private readonly table = new MemoryTable<ReportRecord>();

  put(report: ReportRecord): Promise<void> {
    return settle(() => {
      this.table.put(REPORT_PARTITION, historyRowKey(report.at, report.id), report);
    });
  }

  async latest(): Promise<ReportRecord | null> {
    return (await this.list(1))[0] ?? null;
  }

  list(limit: number): Promise<ReportRecord[]> {
    return settle(() =>
      // Only the rows returned are copied: a report body can be megabytes.
      this.table.scan({ limit: clampPageSize(limit) }).map((r) => r.value),
    );
  }

  deleteOlderThan(cutoff: number): Promise<number> {
    return settle(() => {
      const old = this.table.scan({ where: (row) => row.value.at < cutoff });
      return old.filter((row) => this.table.delete(row.partitionKey, row.rowKey)).length;
    });
  }
}
