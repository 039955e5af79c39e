// A tiny in-process stand-in for one Azure table: rows addressed by (partition key, row key), kept in key order,
// each with an ETag that changes on every write. The memory stores are built on it so that they share the Table
// adapters' semantics (conditional writes, key order, escaping limits) instead of approximating them.

export interface MemoryRow<T> {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly value: T;
  readonly etag: string;
}

let etagSequence = 0;
function nextEtag(): string {
  etagSequence += 1;
  return `W/"mem-${etagSequence}"`;
}

function compareKeys(a: MemoryRow<unknown>, b: MemoryRow<unknown>): number {
  if (a.partitionKey !== b.partitionKey) return a.partitionKey < b.partitionKey ? -1 : 1;
  if (a.rowKey === b.rowKey) return 0;
  return a.rowKey < b.rowKey ? -1 : 1;
}

/** Insert `row` into `sorted` (key order) if it is among the first `limit` rows seen so far. */
function keepFirst<T>(sorted: MemoryRow<T>[], row: MemoryRow<T>, limit: number): void {
  const last = sorted[sorted.length - 1];
  if (sorted.length >= limit && last !== undefined && compareKeys(row, last) >= 0) return;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = sorted[mid];
    if (m !== undefined && compareKeys(m, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, row);
  if (sorted.length > limit) sorted.pop();
}

export interface ScanOptions<T> {
  /** Only this partition (served from the partition index, like a Table query on PartitionKey). */
  readonly partitionKey?: string;
  /** Applied before sorting and copying, so a selective query costs what it returns, not the table size. */
  readonly where?: (row: MemoryRow<T>) => boolean;
  /** Only the first `limit` rows in key order are copied out, so a paged query copies one page, not the table. */
  readonly limit?: number;
}

export class MemoryTable<T> {
  /** PartitionKey -> RowKey -> row: per-subject queries never walk other partitions. */
  private readonly partitions = new Map<string, Map<string, MemoryRow<T>>>();

  get(partitionKey: string, rowKey: string): MemoryRow<T> | null {
    const row = this.partitions.get(partitionKey)?.get(rowKey);
    return row ? copy(row) : null;
  }

  /** Create; null if the row exists (the Table Service's 409). */
  insert(partitionKey: string, rowKey: string, value: T): MemoryRow<T> | null {
    if (this.partitions.get(partitionKey)?.has(rowKey)) return null;
    return copy(this.write(partitionKey, rowKey, value));
  }

  /** Conditional replace; null if the row is gone or its ETag moved on (404 / 412). */
  replace(partitionKey: string, rowKey: string, value: T, etag: string): MemoryRow<T> | null {
    const current = this.partitions.get(partitionKey)?.get(rowKey);
    if (!current || current.etag !== etag) return null;
    return copy(this.write(partitionKey, rowKey, value));
  }

  upsert(partitionKey: string, rowKey: string, value: T): MemoryRow<T> {
    return copy(this.write(partitionKey, rowKey, value));
  }

  /** Upsert when the caller needs nothing back: no copy of the stored row is made for it. */
  put(partitionKey: string, rowKey: string, value: T): void {
    this.write(partitionKey, rowKey, value);
  }

  /** Delete, conditional when an ETag is given; false if nothing was deleted. */
  delete(partitionKey: string, rowKey: string, etag?: string): boolean {
    const partition = this.partitions.get(partitionKey);
    const current = partition?.get(rowKey);
    if (!partition || !current || (etag !== undefined && current.etag !== etag)) return false;
    partition.delete(rowKey);
    if (partition.size === 0) this.partitions.delete(partitionKey);
    return true;
  }

  /** Rows in key order (PartitionKey, then RowKey), as a Table query returns them. */
  scan(opts: ScanOptions<T> = {}): MemoryRow<T>[] {
    const partitions =
      opts.partitionKey === undefined ? this.partitions.values() : [this.partitions.get(opts.partitionKey)];
    const where = opts.where;
    // A positive whole limit keeps a bounded buffer; anything else is sliced afterwards, as slice(0, limit) does.
    const limit = opts.limit !== undefined && Number.isInteger(opts.limit) && opts.limit > 0 ? opts.limit : undefined;
    // Only the rows that match are gathered, and with a limit only the first `limit` in key order are kept (a
    // bounded sorted buffer): a paged query over a large table keeps and sorts one page, not the table.
    const hits: MemoryRow<T>[] = [];
    for (const partition of partitions) {
      if (partition === undefined) continue;
      for (const row of partition.values()) {
        if (where && !where(row)) continue;
        if (limit === undefined) hits.push(row);
        else keepFirst(hits, row, limit);
      }
    }
    if (limit !== undefined) return hits.map(copy);
    hits.sort(compareKeys);
    return (opts.limit === undefined ? hits : hits.slice(0, opts.limit)).map(copy);
  }

  private write(partitionKey: string, rowKey: string, value: T): MemoryRow<T> {
    const row: MemoryRow<T> = { partitionKey, rowKey, value: deepCopy(value), etag: nextEtag() };
    let partition = this.partitions.get(partitionKey);
    if (!partition) this.partitions.set(partitionKey, (partition = new Map<string, MemoryRow<T>>()));
    partition.set(rowKey, row);
    return row;
  }
}

// Callers get copies, so mutating a returned record can never change what is "stored".
function copy<T>(row: MemoryRow<T>): MemoryRow<T> {
  return { ...row, value: deepCopy(row.value) };
}

/**
 * structuredClone's copy, made by hand for what the stores hold: plain records of strings, numbers, booleans,
 * null, arrays and plain objects (a sweep writes tens of thousands of them, and structuredClone costs several times
 * more per small object). Anything else — a Date, a Map, a class instance, a function, nesting deeper than any record
 * — goes to structuredClone itself, which copies it or throws exactly as before.
 */
function deepCopy<T>(value: T): T {
  return copyPlain(value, 0) as T;
}

const MAX_PLAIN_DEPTH = 32;

function copyPlain(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? structuredClone(v) : v;
  if (depth > MAX_PLAIN_DEPTH) return structuredClone(v);
  if (Array.isArray(v)) {
    // A sparse array keeps its holes in structuredClone; leave those to it.
    if (Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) return structuredClone(v);
    return v.map((x) => copyPlain(x, depth + 1));
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const copied = copyPlain((v as Record<string, unknown>)[k], depth + 1);
    // An own "__proto__" key (JSON.parse makes one) stays a key, as structuredClone keeps it.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[k] = copied;
  }
  return out;
}

/**
 * Runs synchronous store logic as a promise. A bad key or token must reject, as it does in the Table adapters,
 * not throw before the caller's `await` (which would escape a `.catch()` or a `Promise.all`).
 */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
