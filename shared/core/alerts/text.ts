// Text helpers shared by the payload builders. Pure: no clock, no I/O.

const encoder = new TextEncoder();

/** Size as the receiver counts it: Teams' ~28 KB limit is on the UTF-8 request body, not on JS string length. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** Cut to at most `max` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** RFC 3339 without milliseconds: the form Adaptive Cards' {{DATE()}} / {{TIME()}} accept. Formats a given instant. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Full ISO 8601 UTC with milliseconds, for machine receivers that order events. */
export function isoMillis(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
