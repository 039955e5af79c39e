import type { TableClient } from '@azure/data-tables';

import { escapeKey } from '../../core/keys.js';
import { OUTCOME_STATUSES, type ActionName, type OutcomeStatus } from '../../core/model/index.js';
import { MAX_RUNS_PER_KEY, type RunCommandRecord, type RunOutcomeStore } from '../../ports/stores.port.js';
import { deleteAll, upsertAll } from './table-batch.js';
import {
  epoch,
  hasStatus,
  int64,
  need,
  queryEntities,
  readNumber,
  readString,
  str,
  type Row,
} from './table-helpers.js';

// Lives in the Runs table, one partition per run (`outcomes|<run id>`), one row per queued command. `expect`
// writes the rows before the commands are sent; `record` is a Merge on an existing row, so a forged message with a
// key the run never queued cannot add one (404 → false). `expect` also writes one row per key and run in
// `expecting|<key>` (row key: the run id), so the message that runs a command can give its outcome to every run
// that expects the key, including one whose own copy the queue dropped as a duplicate message id. Those rows go
// first: a failure between the two writes leaves an index row whose run has no row (its `record` is a 404, harmless)
// and the poll fails before sending anything.

const MAX_DETAIL = 1_000;

function partitionOf(runId: string): string {
  return escapeKey(`outcomes|${runId}`);
}

function expectingPartitionOf(idempotencyKey: string): string {
  return escapeKey(`expecting|${idempotencyKey}`);
}

export class TableRunOutcomeStore implements RunOutcomeStore {
  constructor(private readonly client: TableClient) {}

  async expect(
    runId: string,
    commands: readonly Pick<RunCommandRecord, 'idempotencyKey' | 'action' | 'subjects'>[],
    at: number,
  ): Promise<void> {
    const expectedAt = epoch(at);
    await upsertAll(
      this.client,
      commands.map((c) => ({
        partitionKey: expectingPartitionOf(c.idempotencyKey),
        rowKey: escapeKey(runId),
        runId,
        expectedAt,
      })),
    );
    const partitionKey = partitionOf(runId);
    await upsertAll(
      this.client,
      commands.map((c) => ({
        partitionKey,
        rowKey: escapeKey(c.idempotencyKey),
        idempotencyKey: c.idempotencyKey,
        action: c.action,
        subjects: JSON.stringify(c.subjects.slice(0, 200)),
        expectedAt,
      })),
    );
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    // Only rows `expect` wrote carry expectedAt: the run locks sharing the table are never matched.
    const old: { partitionKey: string; rowKey: string }[] = [];
    for await (const row of queryEntities(this.client, `expectedAt lt ${int64(cutoff)}`, {
      select: ['PartitionKey', 'RowKey'],
    }))
      old.push({ partitionKey: row.partitionKey, rowKey: row.rowKey });
    return deleteAll(this.client, old);
  }

  async record(
    runId: string,
    idempotencyKey: string,
    outcome: { status: OutcomeStatus; detail: string },
    at: number,
  ): Promise<boolean> {
    const entity = {
      partitionKey: partitionOf(runId),
      rowKey: escapeKey(idempotencyKey),
      status: outcome.status,
      detail: outcome.detail.slice(0, MAX_DETAIL),
      finishedAt: epoch(at),
    };
    try {
      await this.client.updateEntity(entity, 'Merge', { etag: '*' });
      return true;
    } catch (err) {
      if (hasStatus(err, 404)) return false;
      throw err;
    }
  }

  async list(runId: string): Promise<RunCommandRecord[]> {
    const rows: RunCommandRecord[] = [];
    for await (const row of queryEntities(this.client, `PartitionKey eq ${str(partitionOf(runId))}`))
      rows.push(fromRow(row));
    return rows;
  }

  async runsExpecting(idempotencyKey: string): Promise<string[]> {
    const runs: string[] = [];
    const filter = `PartitionKey eq ${str(expectingPartitionOf(idempotencyKey))}`;
    for await (const row of queryEntities(this.client, filter, { pageSize: MAX_RUNS_PER_KEY })) {
      const runId = readString(row.props, 'runId');
      if (runId !== null) runs.push(runId);
      if (runs.length >= MAX_RUNS_PER_KEY) break;
    }
    return runs;
  }
}

function fromRow(row: Row): RunCommandRecord {
  const e = row.props;
  const status = readString(e, 'status');
  let subjects: string[] = [];
  try {
    const parsed: unknown = JSON.parse(readString(e, 'subjects') ?? '[]');
    if (Array.isArray(parsed)) subjects = parsed.filter((s): s is string => typeof s === 'string');
  } catch {
    subjects = [];
  }
  return {
    idempotencyKey: need(readString(e, 'idempotencyKey'), 'idempotencyKey'),
    action: need(readString(e, 'action'), 'action') as ActionName,
    subjects,
    status:
      status !== null && (OUTCOME_STATUSES as readonly string[]).includes(status) ? (status as OutcomeStatus) : null,
    detail: readString(e, 'detail'),
    finishedAt: readNumber(e, 'finishedAt'),
  };
}
