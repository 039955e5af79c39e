import { z } from 'zod';
import { toKnown } from '../../../core/model/index.js';

// Building blocks for the wire schemas. Lenient by design: Graph's generated types make every property
// optional and non-nullable properties arrive as defaults, so a missing or odd optional field becomes
// null/'unknown' — only a missing id is fatal (an object we can't address is an object we can't act on).

/** Graph's "no value" for non-nullable timestamps is 0001-01-01T00:00:00Z (sometimes the FILETIME epoch). */
const NO_DATE_BEFORE_MS = Date.UTC(1601, 0, 2);

/** Digits of `s` from `at`, `n` of them, as a number; -1 if any is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Date.parse for the one shape Graph sends, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, without the general parser (a sweep
 * reads several timestamps per device). Only values whose every field is in range for any month are taken here (day
 * ≤ 28, hour ≤ 23, minute and second ≤ 59, up to 7 fraction digits, truncated to the millisecond as Date.parse does);
 * anything else returns NaN and goes to Date.parse.
 */
function parseGraphDateTime(s: string): number {
  const n = s.length;
  if (n < 20 || n > 28 || s.charCodeAt(n - 1) !== 90 /* Z */) return NaN;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  // Date.UTC reads years 0–99 as 1900–1999: those (Graph's 0001-01-01 default among them) go to Date.parse.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  let ms = 0;
  if (n > 20) {
    if (s[19] !== '.' || n === 21) return NaN;
    const places = n - 21;
    if (digits(s, 20, places) < 0) return NaN;
    const kept = Math.min(3, places);
    ms = digits(s, 20, kept) * 10 ** (3 - kept);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** ISO-8601 date-time → epoch ms; null for null, garbage and Graph's 0001-01-01 default. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const fast = parseGraphDateTime(value);
  const ms = Number.isNaN(fast) ? Date.parse(value) : fast;
  if (Number.isNaN(ms) || ms < NO_DATE_BEFORE_MS) return null;
  return ms;
}

const DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Edm.Duration (ISO-8601, e.g. `PT1H2M3S`, `P1DT2H`) → whole seconds; null when absent or not a
 * day-time duration (years/months have no fixed length and Edm.Duration does not use them).
 */
export function durationToSeconds(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DURATION.exec(value.trim());
  if (!m || /^-?PT?$/i.test(value.trim())) return null;
  const n = (i: number): number => Number(m[i] ?? 0);
  const seconds = n(2) * 604_800 + n(3) * 86_400 + n(4) * 3_600 + n(5) * 60 + n(6);
  return Math.round(m[1] ? -seconds : seconds);
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * A field that may be absent, null or odd, mapped by `fn`. The `.optional()` matters: in zod 4 a bare
 * `z.unknown().transform()` makes the key required.
 */
export function lenient<T>(fn: (v: unknown) => T) {
  return z.unknown().optional().transform(fn);
}

/** Optional string: null for null/absent/empty/non-string. */
export const stringOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export const optString = lenient(stringOrNull);

/** Optional id: like optString, and Intune's all-zero GUID ("no device") is null too. */
export function idOrNull(v: unknown): string | null {
  if (typeof v !== 'string' || v === '' || v === ZERO_GUID) return null;
  return v;
}
export const optId = lenient(idOrNull);

/**
 * Values that repeat across a fleet (manufacturer, model, enrollment profile name, trust type), one copy each:
 * every record of a 100,000-device read otherwise holds its own copy of the same few strings. Bounded, so a
 * tenant with endless distinct values only stops sharing them; the values are the same either way.
 */
const SHARED = new Map<string, string>();
const SHARED_MAX_ENTRIES = 10_000;
const SHARED_MAX_LENGTH = 256;

function shared(v: string): string {
  const hit = SHARED.get(v);
  if (hit !== undefined) return hit;
  if (SHARED.size < SHARED_MAX_ENTRIES && v.length <= SHARED_MAX_LENGTH) SHARED.set(v, v);
  return v;
}

/** optString for a field whose values repeat across a fleet (see `shared`). */
export const sharedStringOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? shared(v) : null);
export const optSharedString = lenient(sharedStringOrNull);

export const dateTime = lenient(toEpochMs);
export const duration = lenient(durationToSeconds);
export const bool = lenient((v): boolean => v === true);

/** An enum mapped by name onto the members we know; `unknownFutureValue` and new members → 'unknown'. */
export function wireEnum<const T extends string>(members: readonly T[]) {
  return lenient((v): T | 'unknown' => toKnown(members, v));
}

export const requiredId = z.string().min(1, 'id is missing or empty');

/** An item the record schemas below accept as is: an object with a non-empty string id. */
function hasUsableId(raw: unknown): raw is Readonly<Record<string, unknown>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const id = (raw as Record<string, unknown>)['id'];
  return typeof id === 'string' && id.length >= 1;
}

/**
 * The schema and the parser of a record read in bulk (identities, events, Entra and Intune devices), from one
 * mapping of the wire fields it reads. Every field of these records but the id is lenient (odd values become null or
 * 'unknown'), so the one thing that can be wrong with an item is its id: the schema checks that (same errors as
 * always) and then maps. `parse` maps a well-formed item directly and sends anything else through the schema: at
 * 100,000 devices, the per-record objects a schema builds were most of what a sweep allocated.
 */
export function wireRecord<const F extends string, T>(
  fields: readonly F[],
  build: (w: Readonly<Partial<Record<F, unknown>>>) => T,
) {
  const shape = Object.fromEntries(fields.map((f) => [f, f === 'id' ? requiredId : z.unknown().optional()])) as {
    id: typeof requiredId;
  } & { [K in Exclude<F, 'id'>]: z.ZodOptional<z.ZodUnknown> };
  const schema = z.object(shape).transform((w) => build(w as Partial<Record<F, unknown>>));
  return {
    schema,
    parse: (raw: unknown): T => (hasUsableId(raw) ? build(raw as Partial<Record<F, unknown>>) : schema.parse(raw)),
  };
}

/** Whole integer from a number or numeric string (report cells, error codes); null otherwise. */
export const optInt = lenient((v): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
});

/** One line for a zod (or other) failure, naming the path: "id: id is missing or empty". */
export function describeParseError(err: unknown): string {
  if (err instanceof z.ZodError) {
    return err.issues.map((i) => `${i.path.length ? i.path.join('.') : '(item)'}: ${i.message}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
