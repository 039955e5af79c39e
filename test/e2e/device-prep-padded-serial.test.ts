import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readScenarioFile } from '../../sim/scenario/load.js';
import { startSimulator, type Simulator, type ScenarioObject } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { runCli } from './cli-process.js';
import { demoTenantEnv } from './demo-env.js';

// A device-preparation device whose Intune serial number is whitespace-padded (usable: serialProblem trims) must not
// stop the add-to-device-prep-group command of the other devices in the same batch.

let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };

function scenario(serial: string): ScenarioObject {
  const demo = readScenarioFile('demo');
  return {
    ...demo,
    name: 'dp-padded-serial',
    managedDevices: (demo.managedDevices ?? []).map((m) =>
      m.id === 'ed000000-0000-4000-8000-000000000069' ? { ...m, serialNumber: serial } : m,
    ),
  };
}

beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await sim?.stop();
  await azurite?.stop();
});

describe('a device-preparation batch with a padded Intune serial', { timeout: 180_000 }, () => {
  for (const [label, serial] of [
    ['whitespace-only serial', '   '],
    ['serial padded past 256 characters', `5CG3452ABC${' '.repeat(300)}`],
  ] as const) {
    it(`sweep still adds the other device-prep devices (${label})`, async () => {
      await sim?.stop();
      sim = await startSimulator({ scenario: scenario(serial), port: 0 });
      const env = demoTenantEnv(sim, azurite.connectionString, `dppadded${label.length}`);
      const run = await runCli(['sweep', '--json'], env);
      const view = JSON.parse(run.stdout || '{}') as {
        actions?: { action: string; status: string; detail: string; target: unknown }[];
        deadLettered?: unknown[];
      };
      const adds = (view.actions ?? []).filter((a) => a.action === 'add-to-device-prep-group');
      // The hostile/odd record may be skipped and reported, but the run completes and the others are added.
      expect(run.stderr).not.toMatch(/dead-lettered|Remediation failed/);
      expect(run.code, `${run.stderr}\n${JSON.stringify(adds, null, 1)}`).toBe(0);
      expect(
        adds.some((a) => a.status === 'succeeded'),
        JSON.stringify(adds, null, 1),
      ).toBe(true);
    });
  }
});
