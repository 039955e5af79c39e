import { describe, expect, it } from 'vitest';

import { table } from '../../../cli/output/table.js';
import { jsonLineForTerminal, terminalJson, terminalText } from '../../../cli/output/terminal.js';

// Issue 13.6: ESC sequences in device names cleared the operator's screen and set the window title. Text output
// shows them as escapes; --json output escapes what JSON.stringify leaves raw (DEL, C1, U+2028/9, bidi controls).

const PWNED = 'CTS-\u001b]0;pwned\u0007\u001b[2J';
// eslint-disable-next-line no-control-regex -- exactly what a terminal acts on
const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminal output', () => {
  it('shows control characters as escapes, a TAB as \\t, and leaves ordinary text alone', () => {
    expect(terminalText(PWNED)).toBe('CTS-\\u001B]0;pwned\\u0007\\u001B[2J');
    expect(terminalText('a\tb\r\nc')).toBe('a\\tb\\r\\nc');
    expect(terminalText('x\u009b31my\u202ez\u2028')).toBe('x\\u009B31my\\u202Ez\\u2028');
    expect(terminalText('Ünïcødé ✓ — CTS-9TQ4L83')).toBe('Ünïcødé ✓ — CTS-9TQ4L83');
  });

  it('tables escape every cell before measuring it', () => {
    const out = table(
      ['subject', 'title'],
      [
        [PWNED, 'blocked\tdevice'],
        ['ok', 'fine'],
      ],
      200,
    );
    expect(out).not.toMatch(ACTING);
    expect(out).toContain('CTS-\\u001B]0;pwned\\u0007\\u001B[2J');
    // Columns line up: the escaped cell's width counts its escapes.
    const [header, , first] = out.split('\n');
    expect(first?.indexOf('blocked')).toBe(header?.indexOf('title'));
  });

  it('--json escapes what JSON.stringify leaves raw, and parses back to the same data', () => {
    const value = {
      name: `${PWNED}\u007f\u0085\u009b31m`,
      sep: 'a\u2028b\u2029c',
      bidi: 'PF\u202eX0\u2066',
      ok: 'Ünïcødé',
    };
    expect(JSON.stringify(value)).toMatch(/[\u007f-\u009f\u2028\u202e]/); // the gap being closed
    for (const json of [terminalJson(value), terminalJson(value, 2)]) {
      expect(json.replaceAll('\n', '')).not.toMatch(ACTING);
      expect(JSON.parse(json)).toEqual(value);
    }
    expect(terminalJson(value)).toContain('\\u009b');
    expect(jsonLineForTerminal(JSON.stringify({ level: 'warn', detail: 'x\u009by' }))).toBe(
      '{"level":"warn","detail":"x\\u009by"}',
    );
  });
});
