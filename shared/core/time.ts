/** Epoch milliseconds as ISO 8601 (UTC), the one time format stored, logged and shown. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** The same, for a time that may be unknown. */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
