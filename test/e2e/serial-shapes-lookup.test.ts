import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readScenarioFile } from '../../sim/scenario/load.js';
import { startSimulator, type Simulator, type ScenarioObject } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { runCli } from './cli-process.js';
import { demoTenantEnv } from './demo-env.js';

// Serials are tenant text: one may look like a GUID, one may carry trailing whitespace (the poll trims it: the same
// device). `device <serial>` and `history --serial <serial>` must find such devices as the sweep keyed them.

const GUID_SERIAL = 'ABCDEF12-3456-4789-8ABC-DEF012345678';
const PADDED_SERIAL = 'ZZTRAIL1 ';

let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };
let env: Record<string, string>;

function scenario(): ScenarioObject {
  const demo = readScenarioFile('demo');
  const identities = demo.windowsAutopilotDeviceIdentities ?? [];
  const blocked = identities.find((i) => i.serialNumber === '9TQ4L83');
  if (!blocked) throw new Error('demo lost its blocked device');
  const clone = (n: string, serial: string) => ({
    ...blocked,
    id: `ad000000-0000-4000-8000-0000000000${n}`,
    serialNumber: serial,
    displayName: `CTS-${n}`,
    azureActiveDirectoryDeviceId: `de000000-0000-4000-8000-0000000000${n}`,
    azureAdDeviceId: `de000000-0000-4000-8000-0000000000${n}`,
    managedDeviceId: `ed000000-0000-4000-8000-0000000000${n}`,
  });
  const failures = (demo.autopilotEvents ?? []).filter((e) => e.deviceSerialNumber === '9TQ4L83');
  const eventsFor = (n: string, serial: string) =>
    failures.map((e, i) => ({
      ...e,
      id: `e7000000-0000-4000-8000-000000${n}00${i}`,
      deviceId: null,
      deviceSerialNumber: serial,
    }));
  return {
    ...demo,
    name: 'serial-shapes',
    windowsAutopilotDeviceIdentities: [...identities, clone('f1', GUID_SERIAL), clone('f2', PADDED_SERIAL)],
    autopilotEvents: [
      ...(demo.autopilotEvents ?? []),
      ...eventsFor('f1', GUID_SERIAL),
      ...eventsFor('f2', PADDED_SERIAL),
    ],
  };
}

beforeAll(async () => {
  azurite = await withAzurite();
  sim = await startSimulator({ scenario: scenario(), port: 0 });
  env = demoTenantEnv(sim, azurite.connectionString, 'serialshapes');
  const sweep = await runCli(['sweep', '--json'], env);
  expect(sweep.code, sweep.stderr).toBe(0);
  const view = JSON.parse(sweep.stdout) as { findings: { code: string; subject: { key: string } }[] };
  // The sweep saw both devices as blocked, under the keys it normalises serials to.
  expect(view.findings.some((f) => f.code === 'AP_USERLESS_BLOCKED' && f.subject.key === GUID_SERIAL)).toBe(true);
  expect(view.findings.some((f) => f.code === 'AP_USERLESS_BLOCKED' && f.subject.key === 'ZZTRAIL1')).toBe(true);
}, 180_000);
afterAll(async () => {
  await sim?.stop();
  await azurite?.stop();
});

describe('device and history lookups of odd-shaped serials', { timeout: 120_000 }, () => {
  it('device <serial> finds a device whose serial looks like a GUID', async () => {
    const run = await runCli(['device', GUID_SERIAL, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const view = JSON.parse(run.stdout) as { autopilot: { id: string } | null };
    expect(view.autopilot?.id).toBe('ad000000-0000-4000-8000-0000000000f1');
  });

  it('history --serial finds the records of a device whose serial looks like a GUID', async () => {
    const run = await runCli(['history', '--serial', GUID_SERIAL, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines.length, run.stdout).toBeGreaterThan(0);
  });

  it('device <serial> shows the Autopilot identity whose Graph serial carries trailing whitespace', async () => {
    const run = await runCli(['device', 'ZZTRAIL1', '--json'], env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const view = JSON.parse(run.stdout) as { autopilot: { id: string } | null };
    expect(view.autopilot?.id).toBe('ad000000-0000-4000-8000-0000000000f2');
  });
});
