import { describe, expect, it } from 'vitest';

import { ACTING } from '../support/hostile-scenario.js';
import { runCli } from './cli-process.js';

// Operator input the CLI echoes or records is as hostile as tenant data: an unknown command name is echoed
// terminal-safe, and an approver's name (--as) with control or text-direction characters is refused (exit 2).

describe('operator input the CLI echoes or records', { timeout: 120_000 }, () => {
  it('an unknown command is echoed terminal-safe (no raw ESC/OSC sequence on stderr)', async () => {
    const run = await runCli(['\u001b]0;pwned\u0007\u001b[2J'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Unknown command/);
    expect(ACTING.exec(run.stderr), JSON.stringify(run.stderr.slice(0, 80))).toBeNull();
  });

  it('approvals --as refuses a name with C1 / bidi control characters ("1-256 printable characters")', async () => {
    const run = await runCli(
      ['approvals', 'approve', '0123456789abcdef0123456789abcdef', '--as', 'Mallory\u202e\u009b31mAlice'],
      {},
    );
    expect(run.stderr).toMatch(/--as is a name of 1-256 printable characters/);
    expect(run.code, run.stderr).toBe(2);
  });
});
