import type { TableClient } from '@azure/data-tables';
import { escapeKey } from '../../core/keys.js';
import type { Severity } from '../../core/model/index.js';
import type { FindingRecord, FindingStatus, FindingStore, Json } from '../../ports/stores.port.js';
import { upsertAll } from './table-batch.js';
import {
  compact,
  epoch,
  getOrNull,
  need,
  queryEntities,
  readNumber,
  readString,
  str,
  type Row,
  type WriteEntity,
} from './table-helpers.js';
import { splitFindingColumns } from './finding-columns.js';
import { keyTextProp, keyValue, PARTITION_KEY_TEXT, ROW_KEY_TEXT } from './key-text.js';
import { jsonProps, readJson } from './table-text.js';

// PK = subject, RK = finding code: one row per (device, problem), upserted by every sweep. A subject too long
// for a key (a hostile serial number) is hashed, and the same subject always finds the same row.
export class TableFindingStore implements FindingStore {
  constructor(private readonly client: TableClient) {}

  async get(subjectKey: string, code: string): Promise<FindingRecord | null> {
    const row = await getOrNull(this.client, escapeKey(subjectKey), escapeKey(code));
    return row ? fromRow(row) : null;
  }

  async listOpen(): Promise<FindingRecord[]> {
    return this.list(`status eq ${str('open')}`);
  }

  async listBySubject(subjectKey: string): Promise<FindingRecord[]> {
    return this.list(`PartitionKey eq ${str(escapeKey(subjectKey))}`);
  }

  async upsertMany(records: readonly FindingRecord[]): Promise<void> {
    await upsertAll(this.client, records.map(toEntity));
  }

  private async list(filter: string): Promise<FindingRecord[]> {
    const out: FindingRecord[] = [];
    for await (const row of queryEntities(this.client, filter)) out.push(fromRow(row));
    return out;
  }
}

function toEntity(f: FindingRecord): WriteEntity {
  const partitionKey = escapeKey(f.subjectKey);
  const rowKey = escapeKey(f.code);
  return compact({
    partitionKey,
    rowKey,
    ...keyTextProp(PARTITION_KEY_TEXT, partitionKey, f.subjectKey),
    ...keyTextProp(ROW_KEY_TEXT, rowKey, f.code),
    fingerprint: f.fingerprint,
    severity: f.severity,
    title: f.title,
    status: f.status,
    firstSeenAt: epoch(f.firstSeenAt),
    lastSeenAt: epoch(f.lastSeenAt),
    resolvedAt: epoch(f.resolvedAt),
    attempts: f.attempts,
    lastAttemptAt: epoch(f.lastAttemptAt),
    ...jsonProps('evidence', f.evidence),
    ...(f.subject === undefined ? {} : jsonProps('subject', f.subject)),
    ...(f.remedy === undefined ? {} : jsonProps('remedy', f.remedy)),
  });
}

function fromRow({ partitionKey, rowKey, props }: Row): FindingRecord {
  const column = (name: string): Json | undefined =>
    readNumber(props, `${name}_parts`) === null ? undefined : readJson(props, name);
  const columns = splitFindingColumns(readJson(props, 'evidence'), column('subject'), column('remedy'));
  return {
    subjectKey: keyValue(partitionKey, props, PARTITION_KEY_TEXT),
    code: keyValue(rowKey, props, ROW_KEY_TEXT),
    fingerprint: readString(props, 'fingerprint') ?? '',
    severity: need(readString(props, 'severity'), 'severity') as Severity,
    title: readString(props, 'title') ?? '',
    status: need(readString(props, 'status'), 'status') as FindingStatus,
    firstSeenAt: need(readNumber(props, 'firstSeenAt'), 'firstSeenAt'),
    lastSeenAt: need(readNumber(props, 'lastSeenAt'), 'lastSeenAt'),
    resolvedAt: readNumber(props, 'resolvedAt'),
    attempts: readNumber(props, 'attempts') ?? 0,
    lastAttemptAt: readNumber(props, 'lastAttemptAt'),
    ...columns,
  };
}
