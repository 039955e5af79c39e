// `autopilot-medic approvals` in-process (main() with its real argument parsing and session) against the tenant
// simulator over real HTTP and Azurite: the compliance sweep proposes, the CLI lists, shows, approves (the worker
// runs in the same process) and refuses a second decision.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { main } from '../../../cli/run.js';
import { startSimulator, type Simulator } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';

const ATTENTION = 'ad000000-0000-4000-8000-00000000000e';

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  return { out: () => out, err: () => err };
}

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  try {
    const code = await main(args, env);
    return { code, out: io.out(), err: io.err() };
  } finally {
    vi.restoreAllMocks();
  }
}

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
beforeAll(async () => {
  azurite = await withAzurite();
}, 60_000);
afterAll(async () => {
  await azurite.stop();
});
afterEach(async () => {
  await sim.stop();
});

describe('autopilot-medic approvals', () => {
  it('list, show, approve (one DELETE, verified), and a second decision is refused', async () => {
    sim = await startSimulator({ scenario: 'demo', port: 0 });
    const env = {
      GRAPH_BASE_URL: sim.url,
      GRAPH_TOKEN: sim.token,
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: `cli${Date.now() % 100000}`,
      REMEDIATION_MODE: 'enforce',
    };
    expect((await run(['compliance'], env)).code).toBe(0);

    const listed = await run(['approvals', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const requests = JSON.parse(listed.out) as { id: string; action: string; target: { autopilotId: string } }[];
    const mine = requests.find((r) => r.target.autopilotId === ATTENTION);
    expect(mine?.action).toBe('deregister-autopilot-device');
    const id = mine?.id ?? '';
    const table = await run(['approvals'], env);
    expect(table.out).toContain(id);
    expect(table.out).toMatch(/pending\s+deregister-autopilot-device\s+PF4ZR7KD\s+AP_ATTENTION_REQUIRED/);

    const shown = await run(['approvals', 'show', id], env);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('deregister Autopilot device PF4ZR7KD');
    expect(shown.out).toContain('https://learn.microsoft.com/autopilot/registration-overview');
    expect(shown.out).toContain('manualRemediationRequired');
    // No APPROVAL_SIGNING_KEY / APPROVAL_BASE_URL: no link is issued.
    expect(shown.out).not.toContain('Review page');
    expect(sim.requests().filter((r) => r.method === 'DELETE')).toEqual([]);

    const approved = await run(['approvals', 'approve', id, '--as', 'carol@contoso.com'], env);
    expect(approved.err).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.out).toMatch(
      /^Approved by carol@contoso\.com\. Worker: succeeded: DELETE \/v1\.0\/deviceManagement\/windowsAutopilotDeviceIdentities\//,
    );
    expect(
      sim
        .requests()
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.status),
    ).toEqual([204]);
    expect(sim.tenant.identity(ATTENTION)).toBeUndefined();

    const again = await run(['approvals', 'reject', id], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/Refused: this request was already approved by carol@contoso\.com/);

    const history = await run(['history', '--serial', 'PF4ZR7KD', '--json'], env);
    expect(history.out).toContain('approved by carol@contoso.com');
  });

  it('usage errors exit 2 before anything starts', async () => {
    sim = await startSimulator({ scenario: 'demo', port: 0 });
    expect((await run(['approvals', 'delete-all'], {})).code).toBe(2);
    expect((await run(['approvals', 'show'], {})).code).toBe(2);
    expect((await run(['approvals', 'show', 'not-an-id'], {})).code).toBe(2);
    expect((await run(['approvals', 'approve', 'a'.repeat(32), 'extra'], {})).code).toBe(2);
    expect((await run(['approvals', 'list', '--status', 'maybe'], {})).code).toBe(2);
  });
});
