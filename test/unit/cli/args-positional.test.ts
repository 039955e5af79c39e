import { describe, expect, it } from 'vitest';

import { helpText, parseFlags, UsageError, type CommandSpec } from '../../../cli/args.js';

// A command with one positional argument (`device <key>`): parsed into the flags under its name; missing or extra
// ones are usage errors naming it; commands without one still refuse positionals.

const withKey: CommandSpec = {
  name: 'device',
  summary: 'one device',
  positional: { name: 'key', help: 'a serial number' },
  flags: { json: { type: 'boolean', help: 'JSON' } },
};
const without: CommandSpec = { name: 'history', summary: 'history', flags: {} };

describe('positional arguments', () => {
  it('the one positional is returned under its name, before or after the flags', () => {
    expect(parseFlags(withKey, ['SN-1', '--json'])).toEqual({ json: true, key: 'SN-1' });
    expect(parseFlags(withKey, ['--json', 'SN-1'])).toEqual({ json: true, key: 'SN-1' });
    // A key that starts with a dash comes after `--`.
    expect(parseFlags(withKey, ['--', '-SN-1'])).toEqual({ key: '-SN-1' });
  });

  it('missing or extra is a usage error naming the argument', () => {
    expect(() => parseFlags(withKey, [])).toThrow(UsageError);
    expect(() => parseFlags(withKey, [])).toThrow(/^device: missing <key>: a serial number\n/);
    expect(() => parseFlags(withKey, ['A', 'B'])).toThrow(/^device: expected one <key>, got 2\n/);
  });

  it('--help needs no positional', () => {
    expect(parseFlags(withKey, ['--help'])).toEqual({ help: true });
  });

  it('commands without a positional still refuse one', () => {
    expect(() => parseFlags(without, ['SN-1'])).toThrow(UsageError);
  });

  it('help shows the argument', () => {
    expect(helpText(withKey)).toMatch(
      /^Usage: autopilot-medic device <key> \[options\]\n\none device\n\nArguments:\n {2}<key> +a serial number\n/,
    );
    expect(helpText(without)).toMatch(/^Usage: autopilot-medic history \[options\]\n/);
  });
});
