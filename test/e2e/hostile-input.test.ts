import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type Simulator } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import {
  ACTING,
  DEMO_GROUP,
  ESCAPING_SERIAL,
  hostileScenario,
  PWNED,
  RLO_SERIAL,
} from '../support/hostile-scenario.js';
import { runCli, type CliRun } from './cli-process.js';

// The CLI as a process against hostile tenant data and hostile operator input (issue 13):
//  13.6  control characters from tenant data never reach the operator's terminal, in text or --json output;
//  13.10 `history --serial` refuses a serial no subject can have (exit 2), and finds one whose key had to be hashed;
//  13.11 a malformed STORAGE_CONNECTION_STRING is a configuration error (exit 2) naming the key, not its value.

let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GRAPH_BASE_URL: sim.url,
    GRAPH_TOKEN: sim.token,
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'e2ehostile',
    DEVICE_PREP_GROUPS: JSON.stringify([
      {
        groupId: DEMO_GROUP,
        policyName: 'Contoso Win11 device preparation',
        policyId: '7a000000-0000-4000-8000-000000000001',
      },
    ]),
    TENANT_NAME: 'e2e',
    REMEDIATION_MODE: 'enforce',
    BLAST_RADIUS_MAX_PERCENT: '50',
    ...extra,
  };
}

function expectTerminalSafe(run: CliRun): void {
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    const hit = ACTING.exec(text);
    expect(
      hit,
      `${stream} carries U+${(hit?.[0].charCodeAt(0) ?? 0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (hit?.index ?? 0) - 40), (hit?.index ?? 0) + 40))}`,
    ).toBeNull();
  }
}

beforeAll(async () => {
  azurite = await withAzurite();
  sim = await startSimulator({ scenario: hostileScenario(), port: 0 });
});
afterAll(async () => {
  await sim.stop();
  await azurite.stop();
});

// Each test spawns several CLI processes one after another (the later ones read what the first recorded).
describe('hostile tenant data and input at the CLI (process, simulator, Azurite)', { timeout: 180_000 }, () => {
  it('13.6: sweep, sweep --json, history and history --json print no terminal control characters', async () => {
    const sweep = await runCli(['sweep'], env());
    expect(sweep.code, sweep.stderr).toBe(0);
    expectTerminalSafe(sweep);
    // The hostile values are there, shown (escaped), not dropped: the RLO serial, and the skipped ESC record.
    expect(sweep.stdout).toContain('PF\\u202EX0RLO');
    expect(sweep.stdout).toMatch(/Skipped 1 record\(s\) that cannot be used/);
    expect(sweep.stdout).toContain('AP_TENANT_RECORD_UNUSABLE');

    const json = await runCli(['sweep', '--json'], env());
    expect(json.code, json.stderr).toBe(0);
    expectTerminalSafe(json);
    const view = JSON.parse(json.stdout) as { findings: { subject: { key: string } }[] };
    // Escaped for the terminal, the same data for a script.
    expect(view.findings.map((f) => f.subject.key)).toContain(RLO_SERIAL);

    const history = await runCli(['history', '--limit', '500'], env());
    expect(history.code, history.stderr).toBe(0);
    expectTerminalSafe(history);
    const lines = await runCli(['history', '--json', '--limit', '500'], env());
    expect(lines.code, lines.stderr).toBe(0);
    expectTerminalSafe(lines);
    const records = lines.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { after: unknown });
    // The device names in the evidence come back intact once parsed: ESC and the C1 CSI were only escaped.
    expect(JSON.stringify(records.map((r) => r.after))).toContain(JSON.stringify(`CTS-${PWNED}\u009b31m`).slice(1, -1));
  });

  it('13.10: history --serial finds a device whose key was hashed, and refuses a serial no device can have (exit 2)', async () => {
    const found = await runCli(['history', '--serial', ESCAPING_SERIAL.toLowerCase(), '--json'], env());
    expect(found.code, found.stderr).toBe(0);
    const rows = found.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { subjectKey: string; type: string; status: string });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.subjectKey === ESCAPING_SERIAL)).toBe(true);
    expect(rows).toContainEqual(expect.objectContaining({ type: 'outcome', status: 'succeeded' }));

    for (const [serial, why] of [
      ['AB\tC', /--serial: contains the control character U\+0009/],
      ['S'.repeat(300), /--serial: is 300 characters long/],
    ] as const) {
      const run = await runCli(['history', '--serial', serial], env());
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(why);
      expect(run.stderr).not.toMatch(/Run aborted/);
      expectTerminalSafe(run);
    }
  });

  it('13.11: a malformed STORAGE_CONNECTION_STRING exits 2 naming the key, never its value', async () => {
    const secret = 'Zm9vYmFyc2VjcmV0a2V5MTIzNDU2Nzg5MA==';
    for (const args of [['sweep'], ['history']]) {
      const run = await runCli(
        args,
        env({ STORAGE_CONNECTION_STRING: `AccountName=apmstore;AccountKey=${secret};garbage` }),
      );
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/STORAGE_CONNECTION_STRING: part 3 of 3 is not key=value/);
      expect(run.stderr).toMatch(/STORAGE_CONNECTION_STRING: has AccountKey but no DefaultEndpointsProtocol/);
      expect(run.stderr).not.toMatch(/toLowerCase/);
      for (const leak of [secret, 'apmstore', 'garbage']) expect(run.stderr).not.toContain(leak);
    }
  });
});
