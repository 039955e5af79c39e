import type { TableClient } from '@azure/data-tables';
import { escapeKey, unescapeKey } from '../../core/keys.js';
import type { Severity } from '../../core/model/index.js';
import type { FindingRecord, FindingStatus, FindingStore } from '../../ports/stores.port.js';
import { upsertAll } from './table-batch.js';
import { compact, epoch, getOrNull, need, queryEntities, readNumber, readString, str, type Row, type WriteEntity } from './table-helpers.js';
import { jsonProps, readJson } from './table-text.js';

// PK = subject, RK = finding code: one row per (device, problem), upserted by every sweep.
export class TableFindingStore implements FindingStore {
  constructor(private readonly client: TableClient) {}

  async get(subjectKey: string, code: string): Promise<FindingRecord | null> {
    const row = await getOrNull(this.client, escapeKey(subjectKey), escapeKey(code));
    return row ? fromRow(row) : null;
  }

  async listOpen(): Promise<FindingRecord[]> {
    return this.list(`status eq ${str('open')}`);
  }

  // async, so that a key escapeKey refuses becomes a rejection, as in every other store method.
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
  return compact({
    partitionKey: escapeKey(f.subjectKey),
    rowKey: escapeKey(f.code),
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
  });
}

function fromRow({ partitionKey, rowKey, props }: Row): FindingRecord {
  return {
    subjectKey: unescapeKey(partitionKey),
    code: unescapeKey(rowKey),
    fingerprint: readString(props, 'fingerprint') ?? '',
    severity: need(readString(props, 'severity'), 'severity') as Severity,
    title: readString(props, 'title') ?? '',
    status: need(readString(props, 'status'), 'status') as FindingStatus,
    firstSeenAt: need(readNumber(props, 'firstSeenAt'), 'firstSeenAt'),
    lastSeenAt: need(readNumber(props, 'lastSeenAt'), 'lastSeenAt'),
    resolvedAt: readNumber(props, 'resolvedAt'),
    attempts: readNumber(props, 'attempts') ?? 0,
    lastAttemptAt: readNumber(props, 'lastAttemptAt'),
    evidence: readJson(props, 'evidence'),
  };
}
