// Tenant data is hostile: device names and serial numbers are chosen by whoever imports or enrolls a device.
// These helpers name what such a string may not carry and show it harmlessly. Pure: no I/O.

import { trimSerial } from './fleet/device-keys.js';

/**
 * C0 and C1 control characters and DEL (Unicode general category Cc). Table Storage refuses exactly these in a
 * key, and a terminal acts on them (ESC starts a control sequence, U+009B is an 8-bit CSI).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this names
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A UTF-16 surrogate without its partner: not Unicode text; encodeURIComponent throws on it. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The longest serial number the product accepts. Graph documents no maximum for `serialNumber`; real ones are a
 * few dozen characters. The queue message schema and the history filter take at most this many, so a longer one
 * could be detected but never acted on or looked up: it is reported as an unusable record instead.
 */
export const MAX_SERIAL_CHARS = 256;

const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `serial` (as read from Graph) cannot be used as a device's identity, or null when it can. */
export function serialProblem(serial: string): string | null {
  const value = trimSerial(serial);
  if (value.length > MAX_SERIAL_CHARS)
    return `serial number is ${value.length} characters long (at most ${MAX_SERIAL_CHARS} are supported)`;
  const control = CONTROL_CHARS.exec(value);
  if (control)
    return `serial number contains the control character ${codePoint(control[0])} at position ${control.index + 1}`;
  const surrogate = UNPAIRED_SURROGATE.exec(value);
  if (surrogate)
    return `serial number is not valid Unicode (unpaired surrogate ${codePoint(surrogate[0])} at position ${surrogate.index + 1})`;
  return null;
}

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- the characters made visible
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with every control, layout and unpaired-surrogate character written as a visible escape (`\t`, `\n`,
 * `\u001B`, `\u202E`): it shows what is there and acts on nothing (a terminal, a table, a log line).
 */
export function escapeInvisible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/**
 * Like escapeInvisible, with backslashes doubled first so the result is unambiguous (a literal `\t` in the value
 * reads `\\t`), clipped to `max` characters of output with the original length said. For evidence.
 */
export function visibleText(text: string, max = Number.POSITIVE_INFINITY): string {
  const shown = escapeInvisible(text.replaceAll('\\', '\\\\'));
  if (shown.length <= max) return shown;
  let cut = shown.slice(0, Math.max(0, max));
  // Never end in half an escape or half a surrogate pair.
  const slash = cut.lastIndexOf('\\');
  if (slash >= 0 && slash > cut.length - 6) cut = cut.slice(0, slash);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}… (${text.length} characters)`;
}
