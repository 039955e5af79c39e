// Table Storage keys may not contain / \ # ? or control characters (nor exceed 1 KiB). Every key in the app
// is built here, so the escaping rule lives in one place and is reversible.

// eslint-disable-next-line no-control-regex -- control characters are exactly what Table Storage forbids
const FORBIDDEN = /[/\\#?%\u0000-\u001f\u007f-\u009f]/g;

/** Reversible percent-style escape of the forbidden characters (and % itself). */
export function escapeKey(value: string): string {
  const escaped = value.replace(FORBIDDEN, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  if (escaped.length > 512) throw new Error(`key too long (${escaped.length} > 512 characters)`);
  return escaped;
}

export function unescapeKey(value: string): string {
  return value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Sorts newest first in a table: (max - time) zero-padded. */
export function invertedTime(epochMs: number): string {
  return (8_640_000_000_000_000 - epochMs).toString().padStart(16, '0');
}

export function fromInvertedTime(value: string): number {
  return 8_640_000_000_000_000 - Number(value);
}

export function historyRowKey(at: number, id: string): string {
  return `${invertedTime(at)}_${escapeKey(id)}`;
}

/** Idempotency key of a remediation command: derived from its target, so the same work has the same key. */
export function idempotencyKey(tenant: string, action: string, targetId: string, bucket: string): string {
  return [tenant, action, targetId, bucket].map((p) => p.replace(/[:\s]/g, '_')).join(':');
}

/**
 * Opaque paging token naming the last entity returned (partition key, row key). Both store adapters page by
 * "strictly after this key" in key order, so the token stays valid while rows are appended or deleted.
 */
export function encodeContinuation(partitionKey: string, rowKey: string): string {
  // URI-encoded JSON: safe in a query string, and plain JavaScript (core stays free of Node APIs).
  return encodeURIComponent(JSON.stringify([partitionKey, rowKey]));
}

export function decodeContinuation(token: string): { partitionKey: string; rowKey: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(token));
  } catch {
    throw new Error('invalid continuation token');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw new Error('invalid continuation token');
  }
  return { partitionKey: parsed[0], rowKey: parsed[1] };
}

/**
 * Row-key boundary for keys that start with invertedTime(at) + '_' (history, reports): a key sorts before the
 * boundary exactly when its time is >= t. '`' is the character right after '_', so all keys of time t come first.
 * Lets time ranges become row-key ranges, which Table Storage serves from its index.
 */
export function timeBoundaryRowKey(t: number): string {
  return `${invertedTime(t)}\``;
}

/** Largest page a store returns (Table Storage's own page maximum), and the smallest. */
export function clampPageSize(limit: number): number {
  return Math.max(1, Math.min(1000, Math.floor(limit)));
}

/** Keys that start with the inverted time sort newest first; ties (same time and id) broken by partition. */
export function sortNewestFirst<T extends { readonly partitionKey: string; readonly rowKey: string }>(rows: readonly T[]): T[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => cmp(a.rowKey, b.rowKey) || cmp(a.partitionKey, b.partitionKey));
}
