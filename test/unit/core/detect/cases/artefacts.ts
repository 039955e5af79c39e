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

// Report artefacts and the device-preparation detail exports (issue 14 items 9, 10, 12, 13). The references name the
// Microsoft Learn pages the detectors follow:
//  KI   = "Windows Autopilot - known issues" (https://learn.microsoft.com/autopilot/known-issues)
//  DPKI = "Windows Autopilot device preparation - known issues" (https://learn.microsoft.com/autopilot/device-preparation/known-issues)
//  DPRM = "Windows Autopilot device preparation reporting and monitoring" (https://learn.microsoft.com/autopilot/device-preparation/reporting-monitoring)
//  EXP  = "Export Intune reports using Graph APIs" (https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis)

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
    ref: '§2.6 A1 (KI "Windows Autopilot report incorrectly shows failure…")',
    name: 'auto-fail on a device that checked in after the start is unconfirmed, not "no result"',
    expect: 'absent',
    snapshot: fullSnapshot({ events: [autoFail()], managedDevices: [managedDevice({ lastSyncAt: NOW - HOUR })] }),
  },
  {
    code: C.AP_DEPLOYMENT_RECOVERED,
    ref: '§2.6 A2 (KI "Autopilot deployment report shows "failure" status on a successful deployment")',
    name: 'reported failure, then an Intune check-in after the deployment ended',
    expect: 'present',
    snapshot: fullSnapshot({ events: [reported], managedDevices: [managedDevice({ lastSyncAt: NOW - HOUR })] }),
  },
  {
    code: C.AP_DEPLOYMENT_RECOVERED,
    ref: '§2.6 A2 (KI)',
    name: 'reported failure, last check-in before the deployment ended',
    expect: 'absent',
    snapshot: fullSnapshot({ events: [reported], managedDevices: [managedDevice({ lastSyncAt: NOW - 3.5 * HOUR })] }),
  },
  {
    code: C.DP_APP_SKIPPED,
    ref: '§2.8 D7 (DPRM › Apps; DPKI managed installer)',
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
    ref: '§2.8 D7 (DPRM › Apps)',
    name: 'every app installed',
    expect: 'absent',
    snapshot: items({ devicePrepDeployments: [devicePrepDeployment()], devicePrepItems: [devicePrepItem()] }),
  },
  {
    code: C.DP_SCRIPT_SKIPPED,
    ref: '§2.8 D7 (DPRM › Scripts)',
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
    ref: '§2.8 D7 (DPRM › Scripts)',
    name: 'a skipped APP is not a skipped script',
    expect: 'absent',
    snapshot: items({
      devicePrepDeployments: [devicePrepDeployment()],
      devicePrepItems: [devicePrepItem({ status: 'skipped' })],
    }),
  },
  {
    code: C.DP_DEPLOYMENT_STUCK_AT_100,
    ref: '§2.8 (DPKI "Device is stuck at 100% during the out-of-box experience (OOBE)")',
    name: 'in progress for 6 h, every app and script done',
    expect: 'present',
    snapshot: items({
      devicePrepDeployments: [inProgressRow],
      devicePrepItems: [devicePrepItem(), devicePrepItem({ kind: 'script', itemId: 'ps-1', status: 'installed' })],
    }),
  },
  {
    code: C.DP_DEPLOYMENT_STUCK_AT_100,
    ref: '§2.8 (DPKI stuck at 100%)',
    name: 'an app is still installing: not at 100%',
    expect: 'absent',
    snapshot: items({
      devicePrepDeployments: [inProgressRow],
      devicePrepItems: [devicePrepItem({ status: 'inProgress' })],
    }),
  },
  {
    code: C.DP_REPORT_EXPORT_FAILED,
    ref: '§7.2 (EXP)',
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
    ref: '§7.2 (EXP)',
    name: 'every export read',
    expect: 'absent',
    snapshot: fullSnapshot({ reportExports: { attempted: true, failures: [] } }),
  },
];
