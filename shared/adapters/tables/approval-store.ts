import type { TableClient } from '@azure/data-tables';

import {
  retiredBefore,
  type ApprovalAction,
  type ApprovalRequest,
  type ApprovalStatus,
} from '../../core/approvals/index.js';
import type { OutcomeStatus } from '../../core/model/index.js';
import type { ApprovalDecision, ApprovalRecord, ApprovalStore } from '../../ports/approvals.port.js';
import type { Json } from '../../ports/stores.port.js';
import { partsOf, readOutcomeStatus, readParts, readStatus } from './approval-codec.js';
import {
  and,
  compact,
  epoch,
  getOrNull,
  hasStatus,
  int64,
  need,
  queryEntities,
  readNumber,
  readString,
  str,
  unless,
  written,
  type Row,
  type WriteEntity,
} from './table-helpers.js';
import { jsonProps, readJson } from './table-text.js';

// One partition, one row per request (RowKey = its id: 32 hex digits, safe as a key). Requests are few — one per
// destructive fix a person must look at — so lists read the partition. The decision is an ETag-conditional
// Replace: of two people pressing Approve and Reject at once, exactly one wins, and a replayed token finds the
// request already decided.

const PARTITION = 'approval';
const MAX_TEXT = 4_000;

export class TableApprovalStore implements ApprovalStore {
  constructor(private readonly client: TableClient) {}

  async create(request: ApprovalRequest): Promise<boolean> {
    try {
      await this.client.createEntity(toEntity(request));
      return true;
    } catch (err) {
      if (hasStatus(err, 409)) return false;
      throw err;
    }
  }

  async get(id: string): Promise<ApprovalRecord | null> {
    if (!/^[0-9a-f]{32}$/.test(id)) return null;
    const row = await getOrNull(this.client, PARTITION, id);
    return row ? fromRow(row) : null;
  }

  async list(query: { readonly status?: ApprovalStatus; readonly limit: number }): Promise<ApprovalRecord[]> {
    const filter = and(
      `PartitionKey eq ${str(PARTITION)}`,
      query.status === undefined ? null : `status eq ${str(query.status)}`,
    );
    return newestFirst(await this.query(filter)).slice(0, Math.max(0, query.limit));
  }

  async forFinding(fingerprint: string, action: ApprovalAction): Promise<ApprovalRecord[]> {
    const filter = and(
      `PartitionKey eq ${str(PARTITION)}`,
      `fingerprint eq ${str(fingerprint)}`,
      `action eq ${str(action)}`,
    );
    return newestFirst(await this.query(filter));
  }

  async decide(record: ApprovalRecord, decision: ApprovalDecision): Promise<ApprovalRecord | null> {
    if (record.status !== 'pending') return null;
    const next: ApprovalRequest = {
      ...record,
      status: decision.status,
      decidedBy: decision.by,
      decidedAt: decision.at,
    };
    const entity = toEntity(next);
    try {
      const res = await this.client.updateEntity(entity, 'Replace', { etag: record.etag });
      return fromRow(written(entity, res.etag));
    } catch (err) {
      if (hasStatus(err, 404, 412)) return null;
      throw err;
    }
  }

  async recordExecution(
    id: string,
    execution: { readonly status: OutcomeStatus; readonly detail: string; readonly at: number },
  ): Promise<void> {
    await this.client.updateEntity(
      {
        partitionKey: PARTITION,
        rowKey: id,
        executionStatus: execution.status,
        executionDetail: execution.detail.slice(0, MAX_TEXT),
        executedAt: epoch(execution.at),
      },
      'Merge',
      { etag: '*' },
    );
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    // A request is proposed before anything else happens to it, so those created after the cutoff are never read.
    const filter = and(`PartitionKey eq ${str(PARTITION)}`, `createdAt lt ${int64(cutoff)}`);
    let deleted = 0;
    for (const r of await this.query(filter)) {
      if (!retiredBefore(r, cutoff)) continue;
      // ETag-conditional: a request decided or executed since the query is not deleted on what it was.
      const gone = await unless([404, 412], null, () => this.client.deleteEntity(PARTITION, r.id, { etag: r.etag }));
      if (gone) deleted += 1;
    }
    return deleted;
  }

  private async query(filter: string): Promise<ApprovalRecord[]> {
    const out: ApprovalRecord[] = [];
    for await (const row of queryEntities(this.client, filter)) out.push(fromRow(row));
    return out;
  }
}

function newestFirst(records: ApprovalRecord[]): ApprovalRecord[] {
  return records.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}

function toEntity(r: ApprovalRequest): WriteEntity {
  return compact({
    partitionKey: PARTITION,
    rowKey: r.id,
    tenant: r.tenant,
    action: r.action,
    findingCode: r.findingCode,
    subjectKey: r.subjectKey,
    fingerprint: r.fingerprint,
    findingTitle: r.findingTitle.slice(0, MAX_TEXT),
    reason: r.reason.slice(0, MAX_TEXT),
    proposedBy: r.proposedBy.slice(0, MAX_TEXT),
    createdAt: epoch(r.createdAt),
    expiresAt: epoch(r.expiresAt),
    status: r.status,
    decidedBy: r.decidedBy?.slice(0, MAX_TEXT) ?? null,
    decidedAt: epoch(r.decidedAt),
    executionStatus: r.execution?.status ?? null,
    executionDetail: r.execution?.detail.slice(0, MAX_TEXT) ?? null,
    executedAt: epoch(r.execution?.at ?? null),
    ...jsonProps('parts', partsOf(r) as unknown as Json),
  });
}

function fromRow(row: Row): ApprovalRecord {
  const e = row.props;
  const action = need(readString(e, 'action'), 'action');
  const parts = readParts(readJson(e, 'parts'), action);
  const executionStatus = readOutcomeStatus(readString(e, 'executionStatus'));
  const executedAt = readNumber(e, 'executedAt');
  return {
    id: row.rowKey,
    tenant: need(readString(e, 'tenant'), 'tenant'),
    action: parts.target.action,
    target: parts.target,
    findingCode: need(readString(e, 'findingCode'), 'findingCode'),
    subjectKey: need(readString(e, 'subjectKey'), 'subjectKey'),
    fingerprint: need(readString(e, 'fingerprint'), 'fingerprint'),
    findingTitle: readString(e, 'findingTitle') ?? '',
    evidence: parts.evidence,
    state: parts.state,
    reason: readString(e, 'reason') ?? '',
    docs: parts.docs,
    proposedBy: readString(e, 'proposedBy') ?? '',
    createdAt: need(readNumber(e, 'createdAt'), 'createdAt'),
    expiresAt: need(readNumber(e, 'expiresAt'), 'expiresAt'),
    status: readStatus(readString(e, 'status')),
    decidedBy: readString(e, 'decidedBy'),
    decidedAt: readNumber(e, 'decidedAt'),
    execution:
      executionStatus === null || executedAt === null
        ? null
        : { status: executionStatus, detail: readString(e, 'executionDetail') ?? '', at: executedAt },
    etag: row.etag,
  };
}
