import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type Simulator } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import { uniqueTablePrefix } from '../../support/harness.js';
import { runCli } from '../../e2e/cli-process.js';

// Issue 13.7, as an operator meets it: the CLI process against the simulator and Azurite, with the simulator
// answering refusals whose bodies quote the bearer token. The token must appear nowhere: not on stderr, not in the
// --json output, not in the history rows the failed writes leave (read back with `autopilot-medic history --json`).

/** An opaque static token: only masked because the app knows it sent it (no JWT or "Bearer" shape to spot). */
const TOKEN = 'opaque-e2e-token-7f3c9b2a';
const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
const echo = `Token ${TOKEN} rejected (Authorization: Bearer ${TOKEN})`;

let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };
let env: Record<string, string>;

beforeAll(async () => {
  azurite = await withAzurite();
  sim = await startSimulator({ scenario: 'demo', port: 0, token: TOKEN });
  env = {
    GRAPH_BASE_URL: sim.url,
    GRAPH_TOKEN: TOKEN,
    GRAPH_MAX_RETRIES: '0',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: uniqueTablePrefix('redact'),
    REMEDIATION_MODE: 'enforce',
    TENANT_NAME: 'redaction',
    DEVICE_PREP_GROUPS: JSON.stringify([
      {
        groupId: DEMO_GROUP,
        policyName: 'Contoso Win11 device preparation',
        policyId: '7a000000-0000-4000-8000-000000000001',
      },
    ]),
  };
});
afterAll(async () => {
  await sim.stop();
  await azurite.stop();
});

describe('a Graph refusal that echoes the token (CLI process)', () => {
  it('a refused read: exit 1, the reason on stderr, and no token on stderr or stdout (--json)', async () => {
    const fault = sim.faults.add({
      path: 'windowsAutopilotDeviceIdentities$',
      status: 401,
      code: 'InvalidAuthenticationToken',
      message: echo,
    });
    try {
      const run = await runCli(['sweep', '--json'], env);
      expect(`${run.stdout}\n${run.stderr}`).not.toContain(TOKEN);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/PermissionError/);
      expect(run.stderr).toContain('[redacted]');
    } finally {
      sim.faults.remove(fault);
    }
  }, 60_000);

  it('refused writes (403, 500): no token in the --json actions or in the history rows they leave', async () => {
    const refused = [
      sim.faults.add({ method: 'POST', path: 'allowNextEnrollment$', status: 403, code: 'Forbidden', message: echo }),
      sim.faults.add({
        method: 'POST',
        path: 'owners/\\$ref$',
        status: 500,
        code: 'InternalServerError',
        message: echo,
      }),
    ];
    try {
      const run = await runCli(['sweep', '--json'], env);
      expect(`${run.stdout}\n${run.stderr}`).not.toContain(TOKEN);
      const history = await runCli(['history', '--json', '--limit', '500'], env);
      expect(history.code, history.stderr).toBe(0);
      expect(`${history.stdout}\n${history.stderr}`).not.toContain(TOKEN);
      // The refusals did reach history (so the check above looked at them), with the service's words, masked.
      const rows = history.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { status: string; reason?: string; detail?: string });
      const failed = rows.filter((r) => r.status.startsWith('failed'));
      expect(failed.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(failed)).toContain('[redacted]');
    } finally {
      for (const id of refused) sim.faults.remove(id);
    }
    // Two CLI processes, each starting Node and a container: slow on a shared 2-core machine.
  }, 90_000);
});
