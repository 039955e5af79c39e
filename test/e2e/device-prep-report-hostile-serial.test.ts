import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readScenarioFile } from '../../sim/scenario/load.js';
import { startSimulator, type Simulator, type ScenarioObject } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { runCli } from './cli-process.js';
import { demoTenantEnv } from './demo-env.js';

// The device-preparation deployment report (AutopilotV2DeploymentStatus export) carries a SerialNumber the device
// chose, like any other collection. A row whose serial cannot be used (control characters, over 256 characters)
// must be skipped and reported (AP_TENANT_RECORD_UNUSABLE), not become a device key.

const BAD_SERIAL = `PF\u001b[2J${'Z'.repeat(600)}`;
let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };

function scenario(): ScenarioObject {
  const demo = readScenarioFile('demo') as ScenarioObject & { deviceprepReport?: Record<string, unknown>[] };
  const rows = demo.deviceprepReport ?? [];
  const failed = rows.find((r) => r['DeploymentStatus'] === 3);
  if (!failed) throw new Error('demo lost its failed device-prep row');
  return {
    ...demo,
    name: 'dp-report-hostile',
    deviceprepReport: [
      ...rows,
      { ...failed, DeviceId: 'ed000000-0000-4000-8000-0000000000c1', DeviceName: 'EVIL', SerialNumber: BAD_SERIAL },
    ],
  };
}

beforeAll(async () => {
  azurite = await withAzurite();
  sim = await startSimulator({ scenario: scenario(), port: 0 });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
  await azurite?.stop();
});

describe('a hostile serial in the device-preparation deployment report', { timeout: 180_000 }, () => {
  it('is skipped and reported, never used as a subject key', async () => {
    const env = demoTenantEnv(sim, azurite.connectionString, 'dprephostile');
    const run = await runCli(['sweep', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const view = JSON.parse(run.stdout) as {
      reads: { devicePrepDeployments: number; unusableRecords: number };
      findings: { code: string; subject: { key: string } }[];
    };
    expect(view.reads.devicePrepDeployments).toBeGreaterThan(0);
    const keyed = view.findings.filter(
      // eslint-disable-next-line no-control-regex
      (f) => /[\u0000-\u001f]/.test(f.subject.key) || f.subject.key.length > 256,
    );
    expect(
      keyed.map((f) => `${f.code} ${JSON.stringify(f.subject.key.slice(0, 30))}… (${f.subject.key.length} chars)`),
    ).toEqual([]);
    expect(view.reads.unusableRecords).toBeGreaterThanOrEqual(1);
    expect(view.findings).toContainEqual(
      expect.objectContaining({
        code: 'AP_TENANT_RECORD_UNUSABLE',
        subject: expect.objectContaining({
          key: 'record:AutopilotV2DeploymentStatus:ed000000-0000-4000-8000-0000000000c1',
        }) as unknown,
      }),
    );
  });
});
