import {
  retiredBefore,
  type ApprovalAction,
  type ApprovalRequest,
  type ApprovalStatus,
} from '../../core/approvals/index.js';
import type { OutcomeStatus } from '../../core/model/index.js';
import type { ApprovalDecision, ApprovalRecord, ApprovalStore } from '../../ports/approvals.port.js';
import { MemoryTable, settle, type MemoryRow } from './memory-table.js';

// The Table adapter's semantics in memory: create-if-absent, ETag-conditional decision, newest first.

const PARTITION = 'approval';

export class MemoryApprovalStore implements ApprovalStore {
  private readonly table = new MemoryTable<ApprovalRequest>();
  /**
   * Request ids per finding fingerprint and action. A sweep asks forFinding once per proposal (thousands in a large
   * tenant's first sweep), so a scan of the partition each time would make proposing quadratic. Both fields are
   * fixed at creation (a decision or an execution never changes them); retention takes a deleted request's id out.
   */
  private readonly byFinding = new Map<string, string[]>();

  create(request: ApprovalRequest): Promise<boolean> {
    return settle(() => {
      if (this.table.insert(PARTITION, request.id, request) === null) return false;
      const key = findingKey(request.fingerprint, request.action);
      const ids = this.byFinding.get(key);
      if (ids) ids.push(request.id);
      else this.byFinding.set(key, [request.id]);
      return true;
    });
  }

  get(id: string): Promise<ApprovalRecord | null> {
    return settle(() => {
      const row = this.table.get(PARTITION, id);
      return row ? record(row) : null;
    });
  }

  list(query: { readonly status?: ApprovalStatus; readonly limit: number }): Promise<ApprovalRecord[]> {
    return settle(() =>
      newestFirst(
        this.table
          .scan({
            partitionKey: PARTITION,
            where: (r) => query.status === undefined || r.value.status === query.status,
          })
          .map(record),
      ).slice(0, Math.max(0, query.limit)),
    );
  }

  forFinding(fingerprint: string, action: ApprovalAction): Promise<ApprovalRecord[]> {
    return settle(() => {
      const rows = (this.byFinding.get(findingKey(fingerprint, action)) ?? []).map((id) =>
        this.table.get(PARTITION, id),
      );
      return newestFirst(rows.filter((row) => row !== null).map(record));
    });
  }

  decide(current: ApprovalRecord, decision: ApprovalDecision): Promise<ApprovalRecord | null> {
    return settle(() => {
      if (current.status !== 'pending') return null;
      const { etag, ...request } = current;
      const next: ApprovalRequest = {
        ...request,
        status: decision.status,
        decidedBy: decision.by,
        decidedAt: decision.at,
      };
      const row = this.table.replace(PARTITION, current.id, next, etag);
      return row ? record(row) : null;
    });
  }

  recordExecution(
    id: string,
    execution: { readonly status: OutcomeStatus; readonly detail: string; readonly at: number },
  ): Promise<void> {
    return settle(() => {
      const row = this.table.get(PARTITION, id);
      if (row === null) throw new Error(`no approval request ${id}`);
      this.table.put(PARTITION, id, { ...row.value, execution: { ...execution } });
    });
  }

  deleteOlderThan(cutoff: number): Promise<number> {
    return settle(() => {
      let deleted = 0;
      for (const row of this.table.scan({ partitionKey: PARTITION, where: (r) => retiredBefore(r.value, cutoff) })) {
        if (!this.table.delete(PARTITION, row.rowKey, row.etag)) continue;
        deleted += 1;
        const key = findingKey(row.value.fingerprint, row.value.action);
        const ids = (this.byFinding.get(key) ?? []).filter((id) => id !== row.rowKey);
        if (ids.length > 0) this.byFinding.set(key, ids);
        else this.byFinding.delete(key);
      }
      return deleted;
    });
  }
}

function findingKey(fingerprint: string, action: ApprovalAction): string {
  // JSON keeps the two apart whatever characters a (hostile) fingerprint holds.
  return JSON.stringify([fingerprint, action]);
}

function record(row: MemoryRow<ApprovalRequest>): ApprovalRecord {
  return { ...row.value, etag: row.etag };
}

function newestFirst(records: ApprovalRecord[]): ApprovalRecord[] {
  return records.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}
