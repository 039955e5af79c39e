import type { Stores, TableReach } from '../../ports/stores.port.js';
import { TableAlertStateStore } from './alert-state-store.js';
import { TableApprovalStore } from './approval-store.js';
import { TableClaimStore } from './claim-store.js';
import { TableFindingStore } from './finding-store.js';
import { TableGovernorStore } from './governor-store.js';
import { TableHistoryStore } from './history-store.js';
import { TableReportStore } from './report-store.js';
import { TableRunLockStore } from './run-lock-store.js';
import { TableRunOutcomeStore } from './run-outcome-store.js';
import { tableClient, type TableClientTuning, type TableConnection } from './table-helpers.js';
import { TableWatermarkStore } from './watermark-store.js';

export type { TableConnection } from './table-helpers.js';

export const TABLE_SUFFIXES = [
  'History',
  'Findings',
  'Claims',
  'Governor',
  'Watermarks',
  'Alerts',
  'Reports',
  'Runs',
  'Approvals',
] as const;
export type TableSuffix = (typeof TABLE_SUFFIXES)[number];

/** Table names: letters and digits, starting with a letter, 3–63 characters (the service's rule). */
export function tableName(prefix: string, suffix: TableSuffix): string {
  const name = `${prefix}${suffix}`;
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) throw new Error(`invalid table name '${name}' (prefix '${prefix}')`);
  return name;
}

/**
 * The Table Storage stores, creating their tables if missing. Idempotent: the SDK's createTable treats
 * "already exists" as success, so every instance can call this at start.
 */
export async function createTableStores(
  conn: TableConnection,
  prefix: string,
  tuning: TableClientTuning = {},
): Promise<Stores> {
  const client = (suffix: TableSuffix) => tableClient(conn, tableName(prefix, suffix), tuning);
  const clients = Object.fromEntries(TABLE_SUFFIXES.map((s) => [s, client(s)])) as Record<
    TableSuffix,
    ReturnType<typeof client>
  >;
  await Promise.all(Object.values(clients).map((c) => c.createTable()));
  return {
    history: new TableHistoryStore(clients.History),
    findings: new TableFindingStore(clients.Findings),
    claims: new TableClaimStore(clients.Claims),
    governor: new TableGovernorStore(clients.Governor),
    watermarks: new TableWatermarkStore(clients.Watermarks),
    alerts: new TableAlertStateStore(clients.Alerts),
    reports: new TableReportStore(clients.Reports),
    runs: new TableRunLockStore(clients.Runs),
    runOutcomes: new TableRunOutcomeStore(clients.Runs),
    approvals: new TableApprovalStore(clients.Approvals),
    probeTables: () => Promise.all(TABLE_SUFFIXES.map((suffix) => reach(tableName(prefix, suffix), clients[suffix]))),
  };
}

/** One query for at most one entity of a partition no writer uses: proves the table exists and answers. */
async function reach(table: string, client: ReturnType<typeof tableClient>): Promise<TableReach> {
  try {
    await client
      .listEntities({ queryOptions: { filter: "PartitionKey eq 'health-probe'", select: ['PartitionKey'] } })
      .byPage({ maxPageSize: 1 })
      .next();
    return { table, ok: true, detail: 'answered' };
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { table, ok: false, detail: text.length > 200 ? `${text.slice(0, 200)}…` : text };
  }
}
