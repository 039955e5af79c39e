/**
 * The message's body as JSON: the trigger hands over an object (application/json), a string or bytes, depending on
 * how it was sent (a message resubmitted from the dead-letter queue by a tool often arrives as a string or bytes).
 */
export function decodeBody(message: unknown): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    let value = message;
    if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
    if (typeof value === 'string') value = JSON.parse(value) as unknown;
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}
