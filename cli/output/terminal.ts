import { escapeInvisible } from '../../shared/core/tenant-text.js';

// Tenant data reaches the operator's terminal in every command's output, and a terminal obeys what it is sent:
// ESC ] 0 ; … BEL sets the window title, ESC [ 2 J clears the screen, U+009B is an 8-bit CSI, U+202E reverses
// what follows. Everything the CLI prints goes through one of these.

/** One line of text for a terminal: control and layout characters shown as escapes (a TAB as `\t`). */
export function terminalText(text: string): string {
  return escapeInvisible(text);
}

/** Several lines of our own making (an error message listing problems): each line made safe, the breaks kept. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}

/**
 * JSON.stringify escapes U+0000–U+001F but leaves DEL, the C1 range U+0080–U+009F, U+2028/U+2029 and the bidi
 * controls raw. In JSON they can only occur inside strings, where `\uXXXX` is the same value: a script that
 * parses the output sees exactly the data, and a terminal that shows it sees nothing it would act on.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalJson(value: unknown, space?: number): string {
  return jsonLineForTerminal(JSON.stringify(value, null, space));
}

/** A line of JSON (a log line) with the characters JSON.stringify leaves raw escaped. */
export function jsonLineForTerminal(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
