import type { TableClient } from '@azure/data-tables';
import {
  clampPageSize,
  decodeContinuation,
  encodeContinuation,
  escapeKey,
  historyRowKey,
  sortNewestFirst,
  timeBoundaryRowKey,
} from '../../core/keys.js';
import type { ActionName, Mode } from '../../core/model/index.js';
import { keptByRetention } from '../../core/policy/unblock-gate.js';
import type { HistoryEventType, HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../ports/stores.port.js';
import { deleteAll, upsertAll } from './table-batch.js';
import {
  and,
  compact,
  epoch,
  need,
  queryEntities,
  readNumber,
  readString,
  str,
  type Row,
  type WriteEntity,
} from './table-helpers.js';
import { keyTextProp, keyValue, PARTITION_KEY_TEXT, ROW_KEY_TEXT } from './key-text.js';
import { readJson, jsonProps } from './table-text.js';

// PK = escaped subject, RK = inverted time + escaped id: a subject's history is one partition, newest first.
// Time ranges become row-key ranges; a cross-subject query scans, which is acceptable for an operator query.
export class TableHistoryStore implements HistoryStore {
  constructor(private readonly client: TableClient) {}

  async append(records: readonly HistoryRecord[]): Promise<void> {
    // Upsert keeps a redelivered append (same subject, time, id) from failing or duplicating.
    await upsertAll(this.client, records.map(toEntity));
  }

  async query(q: HistoryQuery): Promise<Page<HistoryRecord>> {
    const limit = clampPageSize(q.limit);
    const hits: Row[] = [];
    // limit + 1 tells whether another page exists, so a null token always means "last page".
    for await (const e of queryEntities(this.client, filterFor(q), { pageSize: limit + 1 })) {
      hits.push(e);
      if (hits.length > limit) break;
    }
    const page = hits.slice(0, limit);
    const last = page[page.length - 1];
    const continuationToken = hits.length > limit && last ? encodeContinuation(last.partitionKey, last.rowKey) : null;
    return { items: sortNewestFirst(page).map(fromRow), continuationToken };
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    const keys: { partitionKey: string; rowKey: string }[] = [];
    const filter = `RowKey gt ${str(timeBoundaryRowKey(cutoff))}`;
    // The rows the unblock gate needs stay (keptByRetention). Judged here rather than in the filter, so a row that
    // lacks a property (a decision has no action or mode) is judged as the in-memory store judges it.
    const select = ['PartitionKey', 'RowKey', 'type', 'action', 'mode'];
    for await (const e of queryEntities(this.client, filter, { select })) {
      const row = {
        type: readString(e.props, 'type') ?? '',
        action: readString(e.props, 'action'),
        mode: readString(e.props, 'mode'),
      };
      if (!keptByRetention(row)) keys.push(e);
    }
    return deleteAll(this.client, keys);
  }
}

function filterFor(q: HistoryQuery): string {
  const subject = q.subjectKey === undefined ? null : escapeKey(q.subjectKey);
  const after = q.continuationToken ? decodeContinuation(q.continuationToken) : null;
  return and(
    subject === null ? null : `PartitionKey eq ${str(subject)}`,
    after === null ? null : afterKey(after.partitionKey, after.rowKey, subject),
    q.since === undefined ? null : `RowKey lt ${str(timeBoundaryRowKey(q.since))}`,
    q.until === undefined ? null : `RowKey gt ${str(timeBoundaryRowKey(q.until))}`,
    q.action === undefined ? null : `action eq ${str(q.action)}`,
    q.status === undefined ? null : `status eq ${str(q.status)}`,
    q.type === undefined ? null : `type eq ${str(q.type)}`,
  );
}

function afterKey(pk: string, rk: string, subject: string | null): string {
  // Within one partition the simple row-key form keeps the query a range scan.
  if (subject === pk) return `RowKey gt ${str(rk)}`;
  return `PartitionKey gt ${str(pk)} or (PartitionKey eq ${str(pk)} and RowKey gt ${str(rk)})`;
}

function toEntity(r: HistoryRecord): WriteEntity {
  const partitionKey = escapeKey(r.subjectKey);
  const rowKey = historyRowKey(r.at, r.id);
  return compact({
    partitionKey,
    rowKey,
    ...keyTextProp(PARTITION_KEY_TEXT, partitionKey, r.subjectKey),
    ...keyTextProp(ROW_KEY_TEXT, rowKey, r.id),
    at: epoch(r.at),
    runId: r.runId,
    type: r.type,
    action: r.action,
    code: r.code,
    idempotencyKey: r.idempotencyKey,
    mode: r.mode,
    status: r.status,
    reason: r.reason,
    attempt: r.attempt,
    graphRequestId: r.graphRequestId,
    ...jsonProps('before', r.before),
    ...jsonProps('after', r.after),
  });
}

function fromRow({ partitionKey, rowKey, props: e }: Row): HistoryRecord {
  const separator = rowKey.indexOf('_');
  return {
    subjectKey: keyValue(partitionKey, e, PARTITION_KEY_TEXT),
    at: need(readNumber(e, 'at'), 'at'),
    id: keyValue(rowKey.slice(separator + 1), e, ROW_KEY_TEXT),
    runId: readString(e, 'runId') ?? '',
    type: need(readString(e, 'type'), 'type') as HistoryEventType,
    action: readString(e, 'action') as ActionName | null,
    code: readString(e, 'code'),
    idempotencyKey: readString(e, 'idempotencyKey'),
    mode: readString(e, 'mode') as Mode | null,
    status: readString(e, 'status') ?? '',
    reason: readString(e, 'reason') ?? '',
    attempt: readNumber(e, 'attempt') ?? 0,
    graphRequestId: readString(e, 'graphRequestId'),
    before: readJson(e, 'before'),
    after: readJson(e, 'after'),
  };
}
