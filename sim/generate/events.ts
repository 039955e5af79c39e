/**
 * Generated deployment events and device-preparation report rows. These are few (plants plus a
 * small share of healthy devices), so they are built once at load instead of computed per index.
 */
import { NEVER } from '../clock.js';
import type { AutopilotEvent, ReportRow } from '../model/schemas.js';
import { autopilotPlant, deviceprepPlant, PROFILES, type GenContext } from './context.js';
import { desktopName, hardwareFor, upnFor } from './hardware.js';
import { hasManaged, managedId, preprovEnd, profileNameFor, timesOf } from './devices.js';
import { between, DAY, guid, HOUR, iso, isoDuration, MINUTE, pick, unit } from './random.js';

/**
 * Failure codes used by the `failedDeployments` plant, with the text Autopilot reports. 0x801C03F3
 * (Entra object deleted) is left out on purpose: generated failed devices keep their Entra object,
 * and the missing-object case is the separate `orphanedNoEntra` plant.
 */
export const FAILURE_CODES = [
  '0x81039001 E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED: Securing your hardware failed (TPM attestation).',
  '0x801c03ea: TPM attestation failed; the device could not perform device-token based Microsoft Entra join.',
  '0x80180005: Pre-provisioning is not allowed by the assigned Autopilot profile.',
  '0x81039024: The TPM firmware is vulnerable and attestation is refused.',
] as const;

export const BLOCKED_DETAILS =
  '0x80180014: DeviceNotSupported - Enrollment blocked for AP device by SDM One Time Limit Check.';

const ESP = { id: '8c6a1b2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d', name: 'Contoso ESP - Block until required apps' };

interface EventShape {
  state: AutopilotEvent['deploymentState'];
  device: AutopilotEvent['deviceSetupStatus'];
  account: AutopilotEvent['accountSetupStatus'];
  type: AutopilotEvent['enrollmentType'];
  end: number | null;
  start: number;
  details: string | null;
}

function shapeFor(ctx: GenContext, i: number): EventShape | null {
  const { seed, anchor } = ctx;
  const plant = autopilotPlant(ctx, i);
  const recent = anchor - between(seed, i, 30, 2, 7 * 24) * HOUR;
  const took = between(seed, i, 31, 12, 55) * MINUTE;
  switch (plant) {
    case 'blocked':
    case 'blockedFixPending':
      return {
        state: 'failure',
        device: 'failure',
        account: 'notAttempted',
        type: 'azureADJoinedWithWhiteGlove',
        start: recent - 6 * MINUTE,
        end: recent,
        details: BLOCKED_DETAILS,
      };
    case 'failedDeployments': {
      const details = pick(FAILURE_CODES, seed, i, 32);
      const type = details.startsWith('0x80180005')
        ? 'azureADJoinedWithWhiteGlove'
        : pick(
            ['azureADJoinedUsingDeviceAuthWithAutopilotProfile', 'azureADJoinedWithWhiteGlove'] as const,
            seed,
            i,
            33,
          );
      return {
        state: 'failure',
        device: 'failure',
        account: 'notAttempted',
        type,
        start: recent - took,
        end: recent,
        details,
      };
    }
    case 'stuckInProgress': {
      const start = anchor - between(seed, i, 34, 270, 1200) * MINUTE;
      return {
        state: 'inProgress',
        device: 'inProgress',
        account: 'notAttempted',
        type: 'azureADJoinedWithAutopilotProfile',
        start,
        end: null,
        details: null,
      };
    }
    case 'successWithTimeout':
      return {
        state: 'successWithTimeout',
        device: 'success',
        account: 'successWithTimeout',
        type: 'azureADJoinedWithAutopilotProfile',
        start: recent - took - 60 * MINUTE,
        end: recent,
        details: null,
      };
    case 'preprovisionedAging': {
      const end = preprovEnd(ctx, i);
      return {
        state: 'success',
        device: 'success',
        account: 'notAttempted',
        type: 'azureADJoinedWithWhiteGlove',
        start: end - took,
        end,
        details: null,
      };
    }
    case null: {
      if (unit(seed, i, 35) >= ctx.healthyEventShare) return null;
      const end = anchor - between(seed, i, 36, 2, 30 * 24) * HOUR;
      return {
        state: 'success',
        device: 'success',
        account: 'success',
        type: 'azureADJoinedWithAutopilotProfile',
        start: end - took,
        end,
        details: null,
      };
    }
    default:
      return null;
  }
}

export function eventFor(ctx: GenContext, i: number): AutopilotEvent | null {
  const shape = shapeFor(ctx, i);
  if (!shape) return null;
  const hw = hardwareFor(ctx.seed, i);
  const total = shape.end === null ? 0 : (shape.end - shape.start) / 1000;
  const userFlow = shape.account !== 'notAttempted';
  const upn = userFlow ? upnFor(ctx.seed, i) : null;
  return {
    id: guid('b', ctx.seed, i),
    accountSetupDuration: isoDuration(userFlow ? total * 0.35 : 0),
    accountSetupStatus: shape.account,
    deploymentDuration: isoDuration(total),
    deploymentEndDateTime: shape.end === null ? NEVER : iso(shape.end),
    deploymentStartDateTime: iso(shape.start),
    deploymentState: shape.state,
    deploymentTotalDuration: isoDuration(total + (shape.end === null ? 0 : 95)),
    deviceId: hasManaged(ctx, i) && shape.state !== 'failure' ? managedId(ctx, i) : null,
    deviceRegisteredDateTime: iso(timesOf(ctx, i).registered),
    deviceSerialNumber: hw.serialNumber,
    deviceSetupDuration: isoDuration(userFlow ? total * 0.65 : total),
    deviceSetupStatus: shape.device,
    enrollmentFailureDetails: shape.details,
    enrollmentStartDateTime: iso(shape.start + 2 * MINUTE),
    enrollmentState: shape.state === 'failure' ? 'failed' : 'enrolled',
    enrollmentType: shape.type,
    eventDateTime: iso(shape.end ?? shape.start),
    managedDeviceName: hw.deviceName,
    osVersion: '10.0.22631.4460',
    userId: upn ? guid('9', ctx.seed, i + 1) : null,
    userPrincipalName: upn,
    windows10EnrollmentCompletionPageConfigurationDisplayName: ESP.name,
    windows10EnrollmentCompletionPageConfigurationId: ESP.id,
    windowsAutopilotDeploymentProfileDisplayName:
      profileNameFor(ctx, i) === ctx.policyName ? PROFILES.userDriven : profileNameFor(ctx, i),
  };
}

/** Report row for Entra index j (device-prep device, or an Autopilot device planted as deviceprepRegistered). */
export function reportRowFor(ctx: GenContext, j: number): ReportRow {
  const failed = j >= ctx.n && deviceprepPlant(ctx, j - ctx.n) === 'deviceprepFailed';
  const enrolledAt = j >= ctx.n ? ctx.anchor - between(ctx.seed, j, 20, 1, 60) * DAY : timesOf(ctx, j).enrolled;
  return {
    DeviceId: managedId(ctx, j),
    DeviceName: j >= ctx.n ? desktopName(ctx.seed, j) : hardwareFor(ctx.seed, j).deviceName,
    SerialNumber: hardwareFor(ctx.seed, j).serialNumber,
    UPN: upnFor(ctx.seed, j),
    EnrollmentTimeInUtc: iso(enrolledAt),
    CurrentProvisioningPhase: failed ? 2 : 4,
    DeploymentStatus: failed ? 3 : 2,
    DeploymentDurationTimeInSeconds: between(ctx.seed, j, 37, 420, 2400),
    Phase: failed ? 1796 : 6,
    ResultCode: failed ? -2147023436 : 0,
    PolicyName: ctx.policyName,
  };
}
