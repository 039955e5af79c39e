import type { TableClient, TransactionAction } from '@azure/data-tables';
import { hasStatus, type WriteEntity } from './table-helpers.js';
import { textCost } from './table-text.js';

// Entity group transactions: one partition, at most 100 operations and 4 MiB per request. Used only for writes
// that carry no ETag condition (Azurite ignores ETags inside batches, issue #1233), i.e. upserts and deletes of
// append-only rows.

const MAX_OPS = 100;
const MAX_BYTES = 3_500_000;
/** Partitions written in parallel: a poll appends history for hundreds of devices, one partition each. */
const PARALLEL_PARTITIONS = 8;

/** Upserts (Replace) grouped per partition into as few transactions as the limits allow. */
export async function upsertAll(client: TableClient, entities: readonly WriteEntity[]): Promise<void> {
  await forEachLimit(groupByPartition(entities), PARALLEL_PARTITIONS, async (group) => {
    let batch: TransactionAction[] = [];
    let bytes = 0;
    for (const entity of group) {
      const size = textCost(JSON.stringify(entity));
      if (batch.length > 0 && (batch.length === MAX_OPS || bytes + size > MAX_BYTES)) {
        await client.submitTransaction(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(['upsert', entity, 'Replace']);
      bytes += size;
    }
    if (batch.length > 0) await client.submitTransaction(batch);
  });
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Unconditional deletes, 100 per transaction; returns how many rows were removed. */
export async function deleteAll(
  client: TableClient,
  keys: readonly { partitionKey: string; rowKey: string }[],
): Promise<number> {
  let deleted = 0;
  for (const group of groupByPartition(keys)) {
    for (let i = 0; i < group.length; i += MAX_OPS) {
      const chunk = group.slice(i, i + MAX_OPS);
      try {
        await client.submitTransaction(
          chunk.map((k): TransactionAction => ['delete', { partitionKey: k.partitionKey, rowKey: k.rowKey }]),
        );
        deleted += chunk.length;
      } catch (err) {
        // One row deleted by someone else (404) fails the whole transaction: fall back to single deletes.
        if (!hasStatus(err, 404)) throw err;
        for (const k of chunk) deleted += (await deleteOne(client, k.partitionKey, k.rowKey)) ? 1 : 0;
      }
    }
  }
  return deleted;
}

async function deleteOne(client: TableClient, partitionKey: string, rowKey: string): Promise<boolean> {
  try {
    await client.deleteEntity(partitionKey, rowKey);
    return true;
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw err;
  }
}

function groupByPartition<T extends { partitionKey?: string }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const pk = item.partitionKey ?? '';
    const group = groups.get(pk);
    if (group) group.push(item);
    else groups.set(pk, [item]);
  }
  return [...groups.values()];
}
