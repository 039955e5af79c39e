import type { TableClient } from '@azure/data-tables';

import type { TenantRow } from '../../config/index.js';
import { MAX_TENANTS } from '../../config/index.js';
import { PART_CHARS } from './table-text.js';

// The tenants table (TENANTS_SOURCE=table): one row per customer tenant, for lists that outgrow an app setting.
// PartitionKey 'tenant', RowKey = the tenant id, `name`, `settings` (the JSON object of per-tenant overrides, as in
// TENANTS). Rows are configuration: the deployment validates them exactly like TENANTS and refuses to start on a bad
// one, naming it. Written by `autopilot-medic tenants import` or any Table Storage tool.

export const TENANTS_PARTITION = 'tenant';

/** Every row, in RowKey order; one more than MAX_TENANTS is enough to say there are too many. */
export async function readTenantRows(client: TableClient): Promise<TenantRow[]> {
  const rows: TenantRow[] = [];
  const pages = client
    .listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${TENANTS_PARTITION}'` },
    })
    .byPage({ maxPageSize: 1000 });
  for await (const page of pages) {
    for (const e of page) {
      rows.push({ rowKey: e.rowKey ?? '', name: e['name'], settings: e['settings'] });
      if (rows.length > MAX_TENANTS) return rows;
    }
  }
  return rows;
}

/** Replace the table's rows with these tenants (already validated by the caller): upserts, then deletes the rest. */
export async function writeTenantRows(
  client: TableClient,
  tenants: readonly { readonly id: string; readonly name: string; readonly settings: unknown }[],
): Promise<{ readonly written: number; readonly removed: number }> {
  const texts = tenants.map((t) => JSON.stringify(t.settings ?? {}));
  // One string property holds at most 64 KiB (32,000 characters here, as every table text of ours).
  const tooLong = tenants.filter((_, i) => (texts[i]?.length ?? 0) > PART_CHARS).map((t) => t.id);
  if (tooLong.length > 0) throw new RangeError(`settings longer than ${PART_CHARS} characters: ${tooLong.join(', ')}`);
  await client.createTable();
  const keep = new Set(tenants.map((t) => t.id.toLowerCase()));
  for (const [i, t] of tenants.entries())
    await client.upsertEntity(
      { partitionKey: TENANTS_PARTITION, rowKey: t.id.toLowerCase(), name: t.name, settings: texts[i] ?? '{}' },
      'Replace',
    );
  let removed = 0;
  for (const row of await readTenantRows(client))
    if (!keep.has(row.rowKey)) {
      await client.deleteEntity(TENANTS_PARTITION, row.rowKey);
      removed += 1;
    }
  return { written: tenants.length, removed };
}
