import { CONTROL_CHARS } from '../../core/tenant-text.js';

// The only way a value reaches an OData $filter or a URL path. String concatenation of raw values is how
// filters break (a serial number with a quote) or get injected; see
// https://learn.microsoft.com/graph/query-parameters#escaping-single-quotes

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A quoted OData string literal: `'` doubled inside, as the OData ABNF requires. */
export function quote(value: string): string {
  // Control characters (C0, DEL, C1) have no business in a Graph filter value and confuse some front ends. The
  // poll screens tenant serial numbers by the same rule before any filter is built from them (issue 13.4).
  if (CONTROL_CHARS.test(value)) throw new RangeError('OData string literal contains a control character');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted GUID literal; throws on anything that is not a GUID (ids are never free text). */
export function quoteGuid(value: string): string {
  if (!isGuid(value)) throw new RangeError(`not a GUID: ${JSON.stringify(value)}`);
  return `'${value.toLowerCase()}'`;
}

/**
 * An unquoted Edm.DateTimeOffset literal (`2024-05-01T10:00:00Z`). Graph refuses quoted date-times on
 * Intune resources; whole seconds keep the literal short and are what peers send.
 */
export function dateTimeLiteral(at: number | Date): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid date-time');
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `field in ('a','b')` with every value quoted. */
export function inList(field: string, values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('an `in` clause needs at least one value');
  return `${field} in (${values.map(quote).join(',')})`;
}

/** One URL path segment (an id from Graph or config), percent-encoded so it can't add segments. */
export function segment(value: string): string {
  if (value === '' || value === '.' || value === '..')
    throw new RangeError(`invalid path segment: ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}

/**
 * Query string with literal `$` option names (`$filter=`), values percent-encoded (spaces as %20, never
 * `+`, which some OData front ends read literally).
 */
export function queryString(query: Readonly<Record<string, string | number | undefined>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(`${k}=${encodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}
