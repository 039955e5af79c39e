import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { helpText, UsageError } from '../../../cli/args.js';
import { healthSpec } from '../../../cli/commands/health.js';
import { sweepSpec } from '../../../cli/commands/sweep.js';
import { parseFailOn, remainingAtOrAbove } from '../../../cli/fail-on.js';
import { main, version } from '../../../cli/run.js';
import type { Decision, Finding, Outcome, RemediationCommand, Severity } from '../../../shared/core/model/index.js';

// Issue 15, CLI conventions: --version, bare invocation, aligned help, sweep --fail-on.

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as {
  version: string;
};

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  return { out: () => out, err: () => err };
}
afterEach(() => {
  vi.restoreAllMocks();
});

/** Where each row's description starts: the first character after the entry and its run of two or more spaces. */
const descriptionColumns = (lines: readonly string[]): number[] =>
  lines.map((l) => /^ {2}\S(?:\S| (?! ))*? {2,}/.exec(l)?.[0].length ?? -1);

describe('CLI conventions', () => {
  it('--version and -V print the package version on stdout, exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const io = capture();
      expect(await main([flag], {})).toBe(0);
      expect(io.out()).toBe(`autopilot-medic ${pkg.version}\n`);
      vi.restoreAllMocks();
    }
    expect(version()).toBe(pkg.version);
  });

  it('bare autopilot-medic: usage on stderr, nothing on stdout, exit 2; --help: usage on stdout, exit 0', async () => {
    let io = capture();
    expect(await main([], {})).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^Usage: autopilot-medic <command> \[options\]/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['--help'], {})).toBe(0);
    expect(io.err()).toBe('');
    expect(io.out()).toMatch(/^Usage: autopilot-medic <command>/);
  });

  it('the command list and each command help align their descriptions in one column', async () => {
    const io = capture();
    await main(['--help'], {});
    const commandRows = io
      .out()
      .split('\n')
      .filter((l) => /^ {2}[a-z]+ {2,}/.test(l));
    expect(commandRows.length).toBeGreaterThanOrEqual(6);
    expect(new Set(descriptionColumns(commandRows)).size).toBe(1);
    for (const spec of [sweepSpec, healthSpec]) {
      const rows = helpText(spec)
        .split('\n')
        .filter((l) => l.startsWith('  --') || l.startsWith('  <'));
      expect(rows.length).toBeGreaterThan(2);
      const columns = descriptionColumns(rows);
      expect(columns.every((c) => c > 0)).toBe(true);
      expect(new Set(columns).size, rows.join('\n')).toBe(1);
    }
  });
});

describe('sweep --fail-on', () => {
  const finding = (fp: string, severity: Severity): Finding => ({
    code: 'X',
    subject: { kind: 'tenant', key: 'tenant' },
    severity,
    title: fp,
    evidence: {},
    fingerprint: fp,
    remedy: null,
  });
  const action = (reasons: string[], status: Outcome['status']) => ({
    command: { reasons } as unknown as RemediationCommand,
    outcome: { status, detail: '', before: null, after: null, graphRequestId: null, retryAt: null } as Outcome,
  });

  it('accepts the catalog severities, any case; anything else is a usage error naming them', () => {
    expect(parseFailOn(undefined)).toBeNull();
    expect(parseFailOn('Critical')).toBe('critical');
    expect(() => parseFailOn('bogus')).toThrow(UsageError);
    expect(() => parseFailOn('bogus')).toThrow(/info, warning, error, critical/);
  });

  it('counts what is at or above the threshold and was not fixed by this run', () => {
    const findings = [
      finding('a', 'critical'),
      finding('b', 'error'),
      finding('c', 'warning'),
      finding('d', 'critical'),
    ];
    const actions = [action(['a'], 'succeeded'), action(['d'], 'planned'), action(['b'], 'already-done')];
    expect(remainingAtOrAbove(findings, actions, 'critical').map((f) => f.fingerprint)).toEqual(['d']);
    expect(remainingAtOrAbove(findings, actions, 'warning').map((f) => f.fingerprint)).toEqual(['c', 'd']);
    expect(remainingAtOrAbove(findings, [], 'info')).toHaveLength(4);
  });

  it('a succeeded sync answers every finding the run synced for, also those its message does not list', () => {
    const syncFinding = (fp: string): Finding => ({ ...finding(fp, 'error'), remedy: { action: 'autopilot-sync' } });
    const findings = [syncFinding('listed'), syncFinding('unlisted'), finding('other', 'error')];
    const decisions = findings.map((f) => ({
      finding: f,
      remedy: f.remedy,
      kind: 'remediate' as const,
      action: f.remedy?.action ?? null,
      mode: 'enforce' as const,
      reason: '',
      notBefore: null,
      attempt: 1,
    })) as unknown as Decision[];
    const sync = {
      command: { action: 'autopilot-sync', reasons: ['listed'] } as unknown as RemediationCommand,
      outcome: action([], 'succeeded').outcome,
    };
    expect(remainingAtOrAbove(findings, [sync], 'error', decisions).map((f) => f.fingerprint)).toEqual(['other']);
  });
});
