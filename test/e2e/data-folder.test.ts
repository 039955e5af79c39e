import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from './cli-process.js';

// The embedded default keeps its history and its simulated tenant in the data folder (DATA_DIR), so the README's
// `npm run sweep && npx autopilot-medic history` shows what the sweep did, and a second sweep verifies the first
// one's fixes without writing to the tenant again.

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'apm-data-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface SweepJson {
  readonly actions: readonly { action: string; status: string; target: { serialNumber?: string } }[];
}

interface HistoryLine {
  readonly type: string;
  readonly action: string | null;
  readonly status: string;
  readonly subjectKey: string;
}

const historyOf = async (env: Record<string, string>): Promise<HistoryLine[]> => {
  const run = await runCli(['history', '--json', '--limit', '500'], env);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as HistoryLine);
};

/** The simulated tenant's resources as the data folder keeps them (the snapshot without its time stamps). */
function tenantResources(): unknown {
  const state = JSON.parse(readFileSync(join(dataDir, 'tenant.json'), 'utf8')) as { snapshot: Record<string, unknown> };
  const { description: _d, windowsAutopilotSettings: _s, ...rest } = state.snapshot;
  return rest;
}

describe('the embedded default keeps its history and its tenant in the data folder', () => {
  it("sweep, history, sweep: history shows the first run's fixes; the second run verifies them and writes nothing", async () => {
    const env = { DATA_DIR: dataDir };
    const first = await runCli(['sweep', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const firstView = JSON.parse(first.stdout) as SweepJson;
    const fixed = firstView.actions.filter((a) => a.status === 'succeeded');
    // The three missing members go into the group in one request.
    expect(fixed.map((a) => a.action).sort()).toEqual([
      'add-to-device-prep-group',
      'allow-next-enrollment',
      'restore-device-prep-owner',
    ]);

    // `history` after `sweep` (a separate process, nothing configured) prints the first run's actions.
    const text = await runCli(['history'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/9TQ4L83\s+outcome\s+allow-next-enrollment\s+enforce\s+succeeded/);
    const before = await historyOf(env);
    const attemptsBefore = before.filter((r) => r.type === 'attempt').length;
    expect(attemptsBefore).toBeGreaterThanOrEqual(fixed.length);
    const tenantAfterFirst = tenantResources();

    // The second run, as a newcomer sees it: every fix verified by this run's read, nothing done again.
    const second = await runCli(['sweep'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("Resolved (5, 5 fixed by an earlier remediation, verified by this run's read)");
    for (const [code, subject, fix] of [
      ['AP_USERLESS_BLOCKED', '9TQ4L83', 'allow-next-enrollment'],
      ['DP_DEVICE_NOT_IN_GROUP', '0b000000-0000-4000-8000-000000000068', 'add-to-device-prep-group'],
      ['DP_DEVICE_NOT_IN_GROUP', '0b000000-0000-4000-8000-000000000069', 'add-to-device-prep-group'],
      ['DP_DEVICE_NOT_IN_GROUP', '0b000000-0000-4000-8000-00000000006a', 'add-to-device-prep-group'],
      ['DP_GROUP_OWNER_MISSING', '9a000000-0000-4000-8000-000000000001', 'restore-device-prep-owner'],
    ])
      expect(second.stdout).toMatch(new RegExp(`${code}\\s+${subject}\\s+fix verified: ${fix}`));
    expect(second.stdout).toMatch(/Actions \(0\):\n\s+none/);
    expect(second.stdout).toMatch(/Findings \(24, 0 new\)/);
    // No tenant write: no new attempt record (every write is preceded by one), and the tenant is as the first left it.
    const after = await historyOf(env);
    expect(after.filter((r) => r.type === 'attempt')).toHaveLength(attemptsBefore);
    expect(after.filter((r) => r.type === 'finding-resolved')).toHaveLength(5);
    expect(tenantResources()).toEqual(tenantAfterFirst);
  });

  it('--fresh starts over; a folder holding another tenant is refused with a clear message (exit 2)', async () => {
    const env = { DATA_DIR: dataDir };
    expect((await runCli(['sweep'], env)).code).toBe(0);
    const other = await runCli(['sweep', '--scenario', 'healthy'], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('holds the history of the simulated tenant "demo"');
    expect(other.stderr).toContain('--fresh');

    const fresh = await runCli(['sweep', '--json', '--fresh'], env);
    expect(fresh.code, fresh.stderr).toBe(0);
    // Started over: the demo's problems are new again and fixed again.
    expect((JSON.parse(fresh.stdout) as SweepJson).actions.filter((a) => a.status === 'succeeded')).toHaveLength(3);
  });

  it('a folder another live command holds is refused, naming it; a lock left by a process that has gone is taken over', async () => {
    const env = { DATA_DIR: dataDir };
    const tenant = { key: 'sim:demo', label: 'simulated tenant "demo"' };
    // The test runner's own process is alive and not a CLI: it stands for a sweep still running.
    writeFileSync(join(dataDir, 'lock.json'), JSON.stringify({ pid: process.pid, command: 'sweep', tenant }));
    const busy = await runCli(['history'], env);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`in use by \`autopilot-medic sweep\` (pid ${process.pid})`);

    // A pid no process has (above the kernel's pid_max).
    writeFileSync(join(dataDir, 'lock.json'), JSON.stringify({ pid: 4_194_305, command: 'sweep', tenant }));
    const run = await runCli(['sweep'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(() => readFileSync(join(dataDir, 'lock.json'))).toThrow(/ENOENT/);
  });
});
