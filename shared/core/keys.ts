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
