import { RestError, TableClient, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { asciiJsonBodyPolicy } from './ascii-json-policy.js';
import { STORAGE_RETRY_OPTIONS, storageFailurePolicy } from './storage-errors.js';

// Shared plumbing of the Table adapters: clients, status checks, OData literals and typed property access.
// Large text lives in table-text.ts; entity ⇄ record mapping stays in each store.

export type TableConnection = { connectionString: string } | { endpoint: string; credential: TokenCredential };
export type Props = Record<string, unknown>;
export type WriteEntity = TableEntity<Props>;
/** A stored entity with its keys and ETag guaranteed (queries must select PartitionKey and RowKey). */
export interface Row {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly etag: string;
  readonly props: Props;
}

export function toRow(e: TableEntityResult<Props>): Row {
  if (e.partitionKey === undefined || e.rowKey === undefined) throw new Error('entity read without its keys');
  return { partitionKey: e.partitionKey, rowKey: e.rowKey, etag: e.etag, props: e };
}

/** The Row view of an entity we just wrote, with the ETag the service returned. */
export function written(entity: WriteEntity, etag: string | undefined): Row {
  if (etag === undefined) throw new Error('the table service returned no ETag');
  return { partitionKey: entity.partitionKey, rowKey: entity.rowKey, etag, props: entity };
}

export interface TableClientTuning {
  /** Per-request timeout (default STORAGE_REQUEST_TIMEOUT_MS); tests shorten it. */
  readonly requestTimeoutMs?: number;
}

export function tableClient(conn: TableConnection, tableName: string, tuning: TableClientTuning = {}): TableClient {
  let client: TableClient;
  if ('connectionString' in conn) {
    // Azurite and other local endpoints speak plain http; the SDK refuses that unless told.
    const insecure = /=http[:;]|UseDevelopmentStorage=true/i.test(conn.connectionString);
    client = TableClient.fromConnectionString(conn.connectionString, tableName, {
      allowInsecureConnection: insecure,
      retryOptions: STORAGE_RETRY_OPTIONS,
    });
  } else {
    client = new TableClient(conn.endpoint, tableName, conn.credential, { retryOptions: STORAGE_RETRY_OPTIONS });
  }
  client.pipeline.addPolicy(asciiJsonBodyPolicy, { afterPhase: 'Serialize' });
  client.pipeline.addPolicy(storageFailurePolicy(tableName, tuning.requestTimeoutMs));
  return client;
}

export function hasStatus(err: unknown, ...statuses: number[]): boolean {
  return err instanceof RestError && err.statusCode !== undefined && statuses.includes(err.statusCode);
}

/** Runs `op`; the listed HTTP statuses become `fallback` instead of an error (409 exists, 404 gone, 412 stale ETag). */
export async function unless<T, F>(statuses: number[], fallback: F, op: () => Promise<T>): Promise<T | F> {
  try {
    return await op();
  } catch (err) {
    if (hasStatus(err, ...statuses)) return fallback;
    throw err;
  }
}

export async function getOrNull(client: TableClient, partitionKey: string, rowKey: string): Promise<Row | null> {
  const e = await unless([404], null, () => client.getEntity<Props>(partitionKey, rowKey));
  return e ? toRow(e) : null;
}

// ---- OData literals: every value in a filter goes through these, never raw concatenation.

export function str(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function int64(value: number): string {
  return `${Math.trunc(value)}L`;
}

export function and(...clauses: (string | null)[]): string {
  return clauses
    .filter((c): c is string => c !== null)
    .map((c) => `(${c})`)
    .join(' and ');
}

// ---- Typed properties. Times are Int64 (an epoch in ms does not fit Int32, and an untyped JSON number would be
// stored as Double, which a filter on an Int64 literal never matches). Nulls are omitted: the service drops them.

export function epoch(value: number | null): { value: string; type: 'Int64' } | undefined {
  return value === null ? undefined : { value: String(Math.trunc(value)), type: 'Int64' };
}

export function readNumber(e: Props, name: string): number | null {
  const v = e[name];
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return Number(v);
  // An entity we built ourselves still holds the { value, type: 'Int64' } form.
  if (typeof v === 'object' && v !== null && 'value' in v && typeof v.value === 'string') return Number(v.value);
  return null;
}

export function readString(e: Props, name: string): string | null {
  const v = e[name];
  return typeof v === 'string' ? v : null;
}

export function need<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`stored entity lacks ${what}`);
  return value;
}

/** Drops undefined/null properties, so "no value" is written as "no property" on every adapter path. */
export function compact<T extends Props>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** Every entity matching `filter` ('' = all), page by page (the SDK follows the continuation headers). */
export async function* queryEntities(
  client: TableClient,
  filter: string,
  opts: { select?: string[]; pageSize?: number } = {},
): AsyncGenerator<Row> {
  const queryOptions = { ...(filter ? { filter } : {}), ...(opts.select ? { select: opts.select } : {}) };
  const pages = client.listEntities<Props>({ queryOptions }).byPage({ maxPageSize: opts.pageSize ?? 1000 });
  for await (const page of pages) for (const e of page) yield toRow(e);
}
