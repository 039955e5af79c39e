import { createHash } from 'node:crypto';

// Table Storage keys may not contain / \ # ? or control characters, nor exceed 1 KiB ("Understanding the Table
// service data model", Characters disallowed in key fields; https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model).
// Every key in the app is built here, so the rule lives in one place. Tenant data decides many keys (serial
// numbers), so no value may be refused: a key that would be too long is hashed instead (same value → same key), and
// a lone UTF-16 surrogate, which the SDK cannot URI-encode, is escaped.

// eslint-disable-next-line no-control-regex -- control characters are exactly what Table Storage forbids
const FORBIDDEN = /[/\\#?%\u0000-\u001f\u007f-\u009f]/g;

/** 1 KiB of UTF-16: the service's limit for PartitionKey and RowKey, in JavaScript string length. */
export const MAX_KEY_CHARS = 512;

/**
 * Marks a hashed key: `<readable prefix>%H<sha256 hex>`. The escape only ever writes '%' before two upper-case
 * hex digits, and 'H' is not one, so a hashed key can never equal the escape of some other value.
 */
const HASH_MARK = '%H';
const HASH_HEX = 64;
const HASHED = /%H[0-9a-f]{64}$/;

/**
 * A UTF-16 surrogate without its partner. Tenant text may hold one (JSON can carry "\ud800"); it is not Unicode,
 * and the Tables SDK's encodeURIComponent throws URIError on it, so a key holding one could never be written.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

/**
 * Forbidden characters (and % itself) as %XX, lone surrogates as %uXXXX: 'u' is not a hex digit, so neither
 * escape can be read as the other, and the result is always valid Unicode that Table Storage accepts.
 */
function percentEscape(value: string): string {
  return value
    .replace(FORBIDDEN, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)
    .replace(LONE_SURROGATE, (c) => `%u${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The bytes a hashed key digests. Valid Unicode: its UTF-8, as always (existing keys keep their hash). A value with
 * a lone surrogate: UTF-8 would turn every lone surrogate into U+FFFD and make different values share a key, so
 * its UTF-16 code units are digested instead, behind 0xFF (a byte UTF-8 never holds, so no valid value's bytes
 * can be the same).
 */
function hashInput(value: string): string | Uint8Array {
  if (!HAS_LONE_SURROGATE.test(value)) return value;
  const bytes = new Uint8Array(1 + value.length * 2);
  bytes[0] = 0xff;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    bytes[1 + i * 2] = unit & 0xff;
    bytes[2 + i * 2] = unit >> 8;
  }
  return bytes;
}

/**
 * The key for `value`: the reversible percent-style escape of the forbidden characters (and % itself) when
 * that fits `maxChars`, else a stable hash of the value behind a readable prefix. Never throws.
 */
export function escapeKey(value: string, maxChars: number = MAX_KEY_CHARS): string {
  const escaped = percentEscape(value);
  if (escaped.length <= maxChars) return escaped;
  const input = hashInput(value);
  const digest = (
    typeof input === 'string' ? createHash('sha256').update(input, 'utf8') : createHash('sha256').update(input)
  ).digest('hex');
  return `${readablePrefix(escaped, maxChars - HASH_MARK.length - HASH_HEX)}${HASH_MARK}${digest}`;
}

/** At most `max` characters of an escaped key, never ending inside a %XX or %uXXXX escape or a surrogate pair. */
function readablePrefix(escaped: string, max: number): string {
  let cut = escaped.slice(0, Math.max(0, max));
  const percent = cut.lastIndexOf('%');
  const escapeLength = escaped[percent + 1] === 'u' ? 6 : 3;
  if (percent >= 0 && percent > cut.length - escapeLength) cut = cut.slice(0, percent);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** Whether escapeKey had to hash: the original text is then not in the key (stores keep it beside it). */
export function isHashedKey(key: string): boolean {
  return HASHED.test(key);
}

/** Whether `value` is stored under its own (escaped) text rather than a hash. */
export function keyFits(value: string, maxChars: number = MAX_KEY_CHARS): boolean {
  return percentEscape(value).length <= maxChars;
}

/** The value of an escaped key. A hashed key cannot be reversed: read the text the store kept instead. */
export function unescapeKey(value: string): string {
  return value.replace(/%(?:u([0-9A-F]{4})|([0-9A-F]{2}))/g, (_, unit: string | undefined, hex: string | undefined) =>
    String.fromCharCode(parseInt(unit ?? hex ?? '', 16)),
  );
}

/** Sorts newest first in a table: (max - time) zero-padded. */
export function invertedTime(epochMs: number): string {
  return (8_640_000_000_000_000 - epochMs).toString().padStart(16, '0');
}

export function fromInvertedTime(value: string): number {
  return 8_640_000_000_000_000 - Number(value);
}

/** Characters of a history/report row key taken by the time prefix and its '_' separator. */
const TIME_PREFIX_CHARS = 17;

export function historyRowKey(at: number, id: string): string {
  return `${invertedTime(at)}_${escapeKey(id, MAX_KEY_CHARS - TIME_PREFIX_CHARS)}`;
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
export function sortNewestFirst<T extends { readonly partitionKey: string; readonly rowKey: string }>(
  rows: readonly T[],
): T[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => cmp(a.rowKey, b.rowKey) || cmp(a.partitionKey, b.partitionKey));
}
