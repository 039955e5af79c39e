import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type Simulator } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { ROOT, runCli, type CliRun } from './cli-process.js';

// `autopilot-medic device` as a process, on every device of the demo tenant, against an external simulator (real
// HTTP) and Azurite (real Table API) after an enforce-mode `sweep`, so the findings and history the views show
// are the ones the product recorded. An unknown key exits 1 with a clear message.

const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
const demo = JSON.parse(readFileSync(resolve(ROOT, 'sim/scenarios/demo.json'), 'utf8')) as {
  windowsAutopilotDeviceIdentities: { serialNumber: string }[];
  managedDevices: { serialNumber: string; deviceName: string }[];
  devices: { id: string; displayName: string; enrollmentProfileName: string | null }[];
};
/** Every device of the demo tenant: its Autopilot identities, and the device-preparation devices (Intune only). */
const SERIALS = [
  ...new Set([
    ...demo.windowsAutopilotDeviceIdentities.map((i) => i.serialNumber),
    ...demo.managedDevices.map((m) => m.serialNumber),
  ]),
];
const SECTIONS = [
  'Autopilot',
  'Entra ID',
  'Intune',
  'Deployments (',
  'Device-preparation groups',
  'Open findings (',
  'Remediation history (',
  'Links',
];

let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };
let env: Record<string, string>;

beforeAll(async () => {
  azurite = await withAzurite();
  sim = await startSimulator({ scenario: 'demo', port: 0 });
  env = {
    GRAPH_BASE_URL: sim.url,
    GRAPH_TOKEN: sim.token,
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'e2edevice',
    REMEDIATION_MODE: 'enforce',
    DEVICE_PREP_GROUPS: JSON.stringify([
      {
        groupId: DEMO_GROUP,
        policyName: 'Contoso Win11 device preparation',
        policyId: '7a000000-0000-4000-8000-000000000001',
      },
    ]),
    TENANT_NAME: 'e2e',
  };
  const sweep = await runCli(['sweep'], env);
  expect(sweep.code, sweep.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  await sim?.stop();
  await azurite?.stop();
});

/** Runs `device` for each key, a few processes at a time (the machine is small). */
async function lookups(keys: readonly string[], extra: readonly string[] = []): Promise<Map<string, CliRun>> {
  const out = new Map<string, CliRun>();
  const queue = [...keys];
  const worker = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift())
      out.set(key, await runCli(['device', key, ...extra], env));
  };
  await Promise.all([worker(), worker(), worker()]);
  return out;
}

describe('autopilot-medic device (process, simulator, Azurite)', () => {
  it(`prints a complete view of every demo device (${SERIALS.length}), findings and history included`, async () => {
    const runs = await lookups(SERIALS);
    let withFindings = 0;
    let withHistory = 0;
    for (const serial of SERIALS) {
      const run = runs.get(serial);
      expect(run?.code, `${serial}: ${run?.stderr}`).toBe(0);
      const text = run?.stdout ?? '';
      expect(text.split('\n')[0]).toMatch(new RegExp(`^Device ${serial}\\b`));
      for (const section of SECTIONS) expect(text, `${serial}: section ${section}`).toContain(`\n${section}`);
      // A device the tenant knows in Intune or Entra shows that record; every one shows its device-prep group.
      expect(text).toContain('DP-Windows11-Devices (9a000000-0000-4000-8000-000000000001)');
      if (/Open findings \([1-9]/.test(text)) withFindings += 1;
      if (!text.includes('nothing recorded for this device')) withHistory += 1;
      // No raw control characters reach the terminal.
      // eslint-disable-next-line no-control-regex -- the characters a terminal would act on
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    // The demo plants problems on most devices; the sweep recorded them.
    expect(withFindings).toBeGreaterThanOrEqual(15);
    expect(withHistory).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it('the views say what each device needs: blocked, explained error codes, group membership, the unblock done', async () => {
    const runs = await lookups(['9TQ4L83', '5CG3420MNB', 'PF4ZT3GH', 'DESKTOP-H2J7C5Q', '036475829104']);
    const text = (k: string) => runs.get(k)?.stdout ?? '';
    expect(text('9TQ4L83')).toMatch(
      /error 0x80180014\n.*\n\s+Re-deployment refused by the one-time enrollment block \(0x80180014\) \[AP_ONE_TIME_ENROLLMENT_BLOCK\]\n\s+Fix: /,
    );
    expect(text('9TQ4L83')).toMatch(/outcome\s+allow-next-enrollment\s+enforce\s+succeeded/);
    expect(text('9TQ4L83')).toContain('mdmDeviceId/ed000000-0000-4000-8000-000000000008');
    expect(text('5CG3420MNB')).toMatch(/Enrollment block\s+BLOCKED/);
    expect(text('5CG3420MNB')).toMatch(/Remediation state\s+automaticRemediationRequired/);
    expect(text('PF4ZT3GH')).toMatch(/Pre-provisioning not allowed by the Autopilot profile \(0x80180005\)/);
    expect(text('DESKTOP-H2J7C5Q')).toMatch(
      /^Device 041829374650 \(DESKTOP-H2J7C5Q\) — found by entra-name, intune-name/,
    );
    expect(text('DESKTOP-H2J7C5Q')).toMatch(/not registered with Windows Autopilot/);
    expect(text('036475829104')).toMatch(
      /DP-Windows11-Devices \(9a000000-0000-4000-8000-000000000001\): member; enrolled with its policy/,
    );
  }, 120_000);

  it('--json prints the view as one JSON document', async () => {
    const run = await runCli(['device', '0b000000-0000-4000-8000-00000000006a', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const view = JSON.parse(run.stdout) as { serialNumber: string; matchedBy: string[]; entra: { objectId: string } };
    expect(view).toMatchObject({
      serialNumber: 'PF4ZZ6MQ',
      matchedBy: ['entra-object-id'],
      entra: { objectId: '0b000000-0000-4000-8000-00000000006a' },
    });
  });

  it('an unknown key exits 1 with a clear message and prints no view', async () => {
    const run = await runCli(['device', 'NO-SUCH-DEVICE'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'no device has the serial number or name "NO-SUCH-DEVICE" (tried: Autopilot and Intune serial numbers, Entra display names, Intune device names)\n',
    );
  });

  it('no key, or a key no device can have, is a usage error (exit 2)', async () => {
    const none = await runCli(['device'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^device: missing <key>: a serial number, a device name/);
    const bad = await runCli(['device', 'AB\u001b[2JC'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^device: <key>: the key contains the control character U\+001B at position 3\n/);
    const help = await runCli(['device', '--help'], {});
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: autopilot-medic device <key> \[options\]\n/);
  });
});
