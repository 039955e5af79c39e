import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { AutopilotEvent } from '../../../../../shared/core/model/index.js';
import {
  HOUR,
  NOW,
  devicePrepDeployment,
  devicePrepItem,
  event,
  fullSnapshot,
  managedDevice,
  snapshot,
} from '../../../../support/builders.js';
import type { Case } from './types.js';

// Report artefacts and the device-preparation detail exports (issue 14 items 9, 10, 12, 13). The Microsoft
// Learn pages each code follows are the catalog entry's `docs` (shared/core/catalog), e.g. "Windows Autopilot - known
// issues" (https://learn.microsoft.com/autopilot/known-issues) for the report's own failures.

const C = CODES;

/** The report's own failure: no code, no failed phase, no duration (PT0S arrives as null). */
const autoFail = (o: Partial<AutopilotEvent> = {}): AutopilotEvent =>
  event({
    deploymentState: 'failure',
    deviceSetupStatus: 'inProgress',
    accountSetupStatus: 'notAttempted',
    deploymentStartAt: NOW - 5 * HOUR,
    deploymentEndAt: null,
    deploymentTotalSeconds: null,
    ...o,
  });

/** A failure the device reported (error code), ended 3 h ago. */
const reported = event({
  deploymentState: 'failure',
  deviceSetupStatus: 'failure',
  failureDetails: 'App install failed 0x80070643',
  deploymentStartAt: NOW - 4 * HOUR,
  deploymentEndAt: NOW - 3 * HOUR,
  deploymentTotalSeconds: 3600,
});

const inProgressRow = devicePrepDeployment({ status: 'inProgress', enrolledAt: NOW - 6 * HOUR });
const items = (o: Parameters<typeof snapshot>[0]) => fullSnapshot({ complete: { devicePrepItems: true }, ...o });

export const ARTEFACT_CASES: readonly Case[] = [
  {
    code: C.AP_DEPLOYMENT_NO_RESULT,
    name: 'auto-fail on a device that checked in after the start is unconfirmed, not "no result"',
    expect: 'absent',
    snapshot: fullSnapshot({ events: [autoFail()], managedDevices: [managedDevice({ lastSyncAt: NOW - HOUR })] }),
  },
  {
    code: C.AP_DEPLOYMENT_RECOVERED,
    name: 'reported failure, then an Intune check-in after the deployment ended',
    expect: 'present',
    snapshot: fullSnapshot({ events: [reported], managedDevices: [managedDevice({ lastSyncAt: NOW - HOUR })] }),
  },
  {
    code: C.AP_DEPLOYMENT_RECOVERED,
    name: 'reported failure, last check-in before the deployment ended',
    expect: 'absent',
    snapshot: fullSnapshot({ events: [reported], managedDevices: [managedDevice({ lastSyncAt: NOW - 3.5 * HOUR })] }),
  },
  {
    code: C.DP_APP_SKIPPED,
    name: 'a Win32 app of the latest deployment reported Skipped',
    expect: 'present',
    snapshot: items({
      devicePrepDeployments: [devicePrepDeployment()],
      devicePrepItems: [devicePrepItem({ status: 'skipped', appType: 'Win32LobApp' })],
    }),
    subjectKey: 'SN-1',
  },
  {
    code: C.DP_APP_SKIPPED,
    name: 'every app installed',
    expect: 'absent',
    snapshot: items({ devicePrepDeployments: [devicePrepDeployment()], devicePrepItems: [devicePrepItem()] }),
  },
  {
    code: C.DP_SCRIPT_SKIPPED,
    name: 'a script reported Skipped',
    expect: 'present',
    snapshot: items({
      devicePrepDeployments: [devicePrepDeployment()],
      devicePrepItems: [
        devicePrepItem({ kind: 'script', itemId: 'ps-1', name: 'Rename.ps1', appType: null, status: 'skipped' }),
      ],
    }),
  },
  {
    code: C.DP_SCRIPT_SKIPPED,
    name: 'a skipped APP is not a skipped script',
    expect: 'absent',
    snapshot: items({
      devicePrepDeployments: [devicePrepDeployment()],
      devicePrepItems: [devicePrepItem({ status: 'skipped' })],
    }),
  },
  {
    code: C.DP_DEPLOYMENT_STUCK_AT_100,
    name: 'in progress for 6 h, every app and script done',
    expect: 'present',
    snapshot: items({
      devicePrepDeployments: [inProgressRow],
      devicePrepItems: [devicePrepItem(), devicePrepItem({ kind: 'script', itemId: 'ps-1', status: 'installed' })],
    }),
  },
  {
    code: C.DP_DEPLOYMENT_STUCK_AT_100,
    name: 'an app is still installing: not at 100%',
    expect: 'absent',
    snapshot: items({
      devicePrepDeployments: [inProgressRow],
      devicePrepItems: [devicePrepItem({ status: 'inProgress' })],
    }),
  },
  {
    code: C.DP_REPORT_EXPORT_FAILED,
    name: 'the app detail export failed',
    expect: 'present',
    snapshot: fullSnapshot({
      reportExports: {
        attempted: true,
        failures: [{ reportName: 'AutopilotV2DeploymentStatusDetailedAppInfo', kind: 'transient', status: 503 }],
      },
    }),
    subjectKey: 'tenant',
  },
  {
    code: C.DP_REPORT_EXPORT_FAILED,
    name: 'every export read',
    expect: 'absent',
    snapshot: fullSnapshot({ reportExports: { attempted: true, failures: [] } }),
  },
];
