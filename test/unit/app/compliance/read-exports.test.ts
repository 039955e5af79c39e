import { describe, expect, it } from 'vitest';
import { readDevicePrepExports } from '../../../../shared/app/compliance/read-exports.js';
import type { DevicePrepDeployment, DevicePrepItemStatus } from '../../../../shared/core/model/index.js';
import { PermissionError, TransientError, type AutopilotReader } from '../../../../shared/ports/index.js';
import { devicePrepDeployment, devicePrepItem } from '../../../support/builders.js';

// Issue 14 item 12. The device-preparation data exists only as report exports (Microsoft Learn "Export Intune
// reports using Graph APIs", https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis:
// create a job, poll it, download the file). One failed export must not abort the compliance sweep: it is recorded
// (kind and status only) and the checks that read it are marked incomplete. A mock AutopilotReader stands in for the
// exports here (test/integration/compliance/export-failure.test.ts runs the same against the simulator over HTTP).

type Outcome<T> = T[] | Error;
function reader(
  d: Outcome<DevicePrepDeployment>,
  a: Outcome<DevicePrepItemStatus>,
  s: Outcome<DevicePrepItemStatus>,
): AutopilotReader {
  const answer =
    <T>(o: Outcome<T>) =>
    () =>
      o instanceof Error ? Promise.reject(o) : Promise.resolve(o);
  const unused = () => {
    throw new Error('not used');
  };
  return {
    listDeviceIdentities: unused,
    getDeviceIdentity: unused,
    listEvents: unused,
    getSettings: unused,
    listImportedDevices: unused,
    exportDevicePrepDeployments: answer(d),
    exportDevicePrepAppStatus: answer(a),
    exportDevicePrepScriptStatus: answer(s),
    getEnrollmentTimeTarget: unused,
  };
}

const row = devicePrepDeployment();
const app = devicePrepItem();
const script = devicePrepItem({ kind: 'script', itemId: 'ps-1' });
const denied = new PermissionError('403 on exportJobs', { status: 403, code: 'Forbidden', requestId: 'rid-1' });
const flaky = new TransientError('export job not completed after 300000 ms');

describe('readDevicePrepExports', () => {
  it.each([
    { name: 'all three read', d: [row], a: [app], s: [script], deployments: true, items: true, failures: [] },
    {
      name: 'deployment report failed (transient)',
      d: flaky,
      a: [app],
      s: [script],
      deployments: false,
      items: true,
      failures: [['AutopilotV2DeploymentStatus', 'transient', null]],
    },
    {
      name: 'app report denied (403)',
      d: [row],
      a: denied,
      s: [script],
      deployments: true,
      items: false,
      failures: [['AutopilotV2DeploymentStatusDetailedAppInfo', 'permission', 403]],
    },
    {
      name: 'script report failed',
      d: [row],
      a: [app],
      s: flaky,
      deployments: true,
      items: false,
      failures: [['AutopilotV2DeploymentStatusDetailedScriptInfo', 'transient', null]],
    },
    {
      name: 'everything failed',
      d: denied,
      a: denied,
      s: denied,
      deployments: false,
      items: false,
      failures: [
        ['AutopilotV2DeploymentStatus', 'permission', 403],
        ['AutopilotV2DeploymentStatusDetailedAppInfo', 'permission', 403],
        ['AutopilotV2DeploymentStatusDetailedScriptInfo', 'permission', 403],
      ],
    },
  ])('$name', async ({ d, a, s, deployments, items, failures }) => {
    const out = await readDevicePrepExports(reader(d, a, s), true);
    expect(out.deploymentsComplete).toBe(deployments);
    expect(out.itemsComplete).toBe(items);
    expect(out.deployments).toEqual(deployments ? [row] : []);
    expect(out.reportExports).toEqual({
      attempted: true,
      failures: failures.map(([reportName, kind, status]) => ({ reportName, kind, status })),
    });
    // The failure keeps no error text: a message could echo the export's pre-signed download URL.
    expect(JSON.stringify(out.reportExports)).not.toContain('exportJobs');
  });

  it('reads nothing when not wanted (incremental poll, or no device-preparation groups)', async () => {
    const out = await readDevicePrepExports(reader(denied, denied, denied), false);
    expect(out).toMatchObject({
      deploymentsComplete: false,
      itemsComplete: false,
      reportExports: { attempted: false, failures: [] },
    });
  });

  it('a bug (not a Graph failure) still aborts', async () => {
    await expect(readDevicePrepExports(reader(new TypeError('x is undefined'), [app], [script]), true)).rejects.toThrow(
      TypeError,
    );
  });
});
