import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { AutopilotEvent } from '../../../../../shared/core/model/index.js';
import {
  DAY,
  HOUR,
  NOW,
  event,
  fullSnapshot,
  identity,
  managedDevice,
  snapshot,
} from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;

/** The report's automatic failure: no code, no failed phase, exactly 4 h after the start ("Windows Autopilot
 * - known issues" › Windows Autopilot report incorrectly shows failure even though the deployment was successful). */
const autoFail = (o: Partial<AutopilotEvent> = {}): AutopilotEvent =>
  event({
    deploymentState: 'failure',
    deviceSetupStatus: 'inProgress',
    accountSetupStatus: 'notAttempted',
    deploymentStartAt: NOW - 5 * HOUR,
    deploymentEndAt: NOW - HOUR,
    deploymentTotalSeconds: 4 * 3600,
    ...o,
  });

const espFailure = event({ deploymentState: 'failure', deviceSetupStatus: 'failure', deploymentTotalSeconds: 3600 });

export const DEPLOYMENT_CASES: readonly Case[] = [
  {
    code: C.AP_DEPLOYMENT_FAILED,
    name: 'device ESP phase failed',
    expect: 'present',
    snapshot: snapshot({ events: [espFailure] }),
    subjectKey: 'SN-1',
  },
  // Issue 14 item 9: the report's own 4-hour failure is never a hard error with a code (AP_DEPLOYMENT_NO_RESULT).
  {
    code: C.AP_DEPLOYMENT_NO_RESULT,
    name: '4-hour auto-fail corroborated: no Intune record in a full read',
    expect: 'present',
    snapshot: fullSnapshot({ events: [autoFail()] }),
  },
  {
    code: C.AP_DEPLOYMENT_NO_RESULT,
    name: '4-hour auto-fail corroborated: Intune record never checked in since the start',
    expect: 'present',
    snapshot: snapshot({ events: [autoFail()], managedDevices: [managedDevice({ lastSyncAt: NOW - 3 * DAY })] }),
  },
  {
    code: C.AP_DEPLOYMENT_FAILED,
    name: '4-hour auto-fail corroborated by Intune is not a hard failure either',
    expect: 'absent',
    snapshot: fullSnapshot({ events: [autoFail()] }),
  },
  {
    code: C.AP_DEPLOYMENT_FAILED,
    name: 'a later successful attempt supersedes the failure',
    expect: 'absent',
    snapshot: snapshot({
      events: [
        event({ ...espFailure, id: 'ev-old', deploymentStartAt: NOW - 10 * HOUR }),
        event({ id: 'ev-new', deploymentStartAt: NOW - 3 * HOUR }),
      ],
    }),
  },
  {
    code: C.AP_DEPLOYMENT_FAILED,
    name: '4-hour auto-fail on a device that checked in is not a hard failure',
    expect: 'absent',
    snapshot: fullSnapshot({ events: [autoFail()], managedDevices: [managedDevice({ lastSyncAt: NOW - 2 * HOUR })] }),
  },
  {
    code: C.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
    name: 'auto-fail, Intune record checked in after the start',
    expect: 'present',
    snapshot: snapshot({ events: [autoFail()], managedDevices: [managedDevice({ lastSyncAt: NOW - 2 * HOUR })] }),
  },
  {
    code: C.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
    name: 'auto-fail, Intune not read in this poll (cannot corroborate)',
    expect: 'present',
    snapshot: snapshot({ events: [autoFail({ deploymentTotalSeconds: null })] }),
  },
  {
    code: C.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
    name: 'a failure carrying an error code needs no corroboration',
    expect: 'absent',
    snapshot: snapshot({ events: [autoFail({ failureDetails: 'HRESULT 0x80004005' })] }),
  },
  {
    code: C.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
    name: 'deploymentState successWithTimeout',
    expect: 'present',
    snapshot: snapshot({ events: [event({ deploymentState: 'successWithTimeout' })] }),
  },
  {
    code: C.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
    name: 'success with account setup successWithTimeout',
    expect: 'present',
    snapshot: snapshot({ events: [event({ accountSetupStatus: 'successWithTimeout' })] }),
  },
  {
    code: C.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
    name: 'plain success',
    expect: 'absent',
    snapshot: snapshot({ events: [event()] }),
  },
  {
    code: C.AP_DEPLOYMENT_STUCK,
    name: 'in progress 5 h after start (threshold 2 h)',
    expect: 'present',
    snapshot: snapshot({
      events: [event({ deploymentState: 'inProgress', deploymentStartAt: NOW - 5 * HOUR, deploymentEndAt: null })],
    }),
  },
  {
    code: C.AP_DEPLOYMENT_STUCK,
    name: 'in progress for 1 h only',
    expect: 'absent',
    snapshot: snapshot({
      events: [event({ deploymentState: 'inProgress', deploymentStartAt: NOW - HOUR, deploymentEndAt: null })],
    }),
  },
  {
    code: C.AP_DEPLOYMENT_STUCK,
    name: 'threshold comes from the rules',
    expect: 'absent',
    rules: { deploymentStuckMs: 8 * HOUR },
    snapshot: snapshot({
      events: [event({ deploymentState: 'inProgress', deploymentStartAt: NOW - 5 * HOUR, deploymentEndAt: null })],
    }),
  },
  {
    code: C.AP_PREPROV_FAILED,
    name: 'technician flow failed with an unclassified code',
    expect: 'present',
    snapshot: snapshot({
      events: [
        event({
          enrollmentType: 'azureADJoinedWithWhiteGlove',
          deploymentState: 'failure',
          failureDetails: '0x80004005',
        }),
      ],
    }),
  },
  {
    code: C.AP_PREPROV_FAILED,
    name: 'user-driven failure is a deployment failure, not a pre-provisioning one',
    expect: 'absent',
    snapshot: snapshot({ events: [event({ deploymentState: 'failure', failureDetails: '0x80004005' })] }),
  },
  {
    code: C.AP_USERLESS_ON_VIRTUAL_MACHINE,
    name: 'pre-provisioning failed on a Hyper-V VM (takes precedence over the TPM code)',
    expect: 'present',
    snapshot: snapshot({
      identities: [identity({ manufacturer: 'Microsoft Corporation', model: 'Virtual Machine' })],
      events: [
        event({
          enrollmentType: 'offlineDomainJoinedWithWhiteGlove',
          deploymentState: 'failure',
          failureDetails: '0x81039001',
        }),
      ],
    }),
  },
  {
    code: C.AP_USERLESS_ON_VIRTUAL_MACHINE,
    name: 'user-driven failure on a VM is not a TPM-mode problem',
    expect: 'absent',
    snapshot: snapshot({
      identities: [identity({ model: 'VMware7,1' })],
      events: [event({ deploymentState: 'failure', failureDetails: '0x80004005' })],
    }),
  },
];
