import { CODES, type FindingCode } from '../catalog/codes.js';
import type {
  AutopilotDevice,
  AutopilotEvent,
  Evidence,
  Finding,
  ManagedDevice,
  TenantSnapshot,
} from '../model/index.js';
import { deviceSubject, makeFinding } from './finding.js';
import { classifyFailure, type ClassifiedError } from './hresult.js';
import { eventStart, lookup, managedForIdentity, normId, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';

// Classic deployment events. Only the LATEST attempt of each device counts: the report leaves a failed row
// in place after Try again / a reset adds a new row, so a later success supersedes a failure. Two report
// artefacts are documented in Microsoft Learn "Windows Autopilot - known issues"
// (https://learn.microsoft.com/autopilot/known-issues):
//  - "Windows Autopilot report incorrectly shows failure even though the deployment was successful": the report
//    turns In progress into Failed after 4 hours without a status. Such a row carries no error code and no real
//    duration (Graph's default `PT0S`), so it is never read as a hard error: it is AP_DEPLOYMENT_NO_RESULT when
//    Intune corroborates that nothing came of it, else AP_DEPLOYMENT_FAILED_UNCONFIRMED.
//  - "Autopilot deployment report shows "failure" status on a successful deployment": after Try again or
//    Continue anyway succeeded the row stays Failed. An Intune check-in after the deployment's end shows the
//    device got through: the finding becomes AP_DEPLOYMENT_RECOVERED (info).

/** The report turns In progress into Failed after 4 hours without a status. */
export const REPORT_AUTO_FAIL_MS = 4 * 3_600_000;
/** A failure reported this much before the 4-hour mark came from the device, not from the report. */
const AUTO_FAIL_TOLERANCE_MS = 10 * 60_000;

export const DEPLOYMENT_CODES: readonly FindingCode[] = [
  CODES.AP_DEPLOYMENT_FAILED,
  CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
  CODES.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
  CODES.AP_DEPLOYMENT_STUCK,
  CODES.AP_DEPLOYMENT_NO_RESULT,
  CODES.AP_DEPLOYMENT_RECOVERED,
  CODES.AP_PREPROV_FAILED,
  CODES.AP_USERLESS_ON_VIRTUAL_MACHINE,
  CODES.AP_ONE_TIME_ENROLLMENT_BLOCK,
  CODES.AP_PREPROV_NOT_ALLOWED,
  CODES.AP_TPM_ATTESTATION_FAILED,
  CODES.AP_TPM_ATTESTATION_RETRY_EXCEEDED,
  CODES.AP_TPM_WIN11_ATTESTATION_UPDATE,
  CODES.AP_TPM_VULNERABLE_FIRMWARE,
  CODES.AP_TPM_AMD_FTPM_FIRMWARE,
  CODES.AP_DEPLOYMENT_TIMEOUT,
  CODES.AP_MULTIPLE_MDM_CONFIGS,
  CODES.AP_ENTRA_OBJECT_DELETED,
  CODES.AP_USER_DEVICE_LIMIT,
  CODES.AP_USER_LICENSE_OR_LIMIT,
];

export function isTechnicianFlow(e: AutopilotEvent): boolean {
  return e.enrollmentType === 'azureADJoinedWithWhiteGlove' || e.enrollmentType === 'offlineDomainJoinedWithWhiteGlove';
}

/** TPM-attested modes: pre-provisioning technician flow and self-deploying (device authentication). */
function isUserless(e: AutopilotEvent): boolean {
  return (
    isTechnicianFlow(e) ||
    e.enrollmentType === 'azureADJoinedUsingDeviceAuthWithAutopilotProfile' ||
    e.enrollmentType === 'azureADJoinedUsingDeviceAuthWithoutAutopilotProfile'
  );
}

const VM = /virtual machine|vmware|virtualbox|innotek|qemu|kvm|parallels|hvm domu|xen/i;
function isVirtualMachine(i: AutopilotDevice | undefined): boolean {
  return i !== undefined && (VM.test(i.model ?? '') || VM.test(i.manufacturer ?? ''));
}

/**
 * How long the deployment took, or null when unknown. A zero duration is Graph's default for "none reported"
 * (Edm.Duration `PT0S`), which is exactly what an automatic 4-hour failure carries: unknown, not instantaneous.
 */
export function durationMs(e: AutopilotEvent): number | null {
  if (e.deploymentTotalSeconds !== null && e.deploymentTotalSeconds > 0) return e.deploymentTotalSeconds * 1000;
  const start = eventStart(e);
  return start !== null && e.deploymentEndAt !== null && e.deploymentEndAt > start ? e.deploymentEndAt - start : null;
}

type Corroboration = 'reported-error' | 'not-enrolled' | 'no-check-in' | 'checked-in' | 'not-verified';

/** The Intune record of the device that ran this deployment, or null. */
function managedOf(e: AutopilotEvent, key: string, L: Lookup, i: AutopilotDevice | undefined): ManagedDevice | null {
  const intuneId = normId(e.deviceId);
  return (
    (intuneId ? L.managedById.get(intuneId) : undefined) ??
    L.managedByKey.get(key) ??
    (i ? managedForIdentity(L, i) : null)
  );
}

/** Does Intune confirm a failure the report may have invented? ("powered off before reporting") */
function corroborate(e: AutopilotEvent, managed: ManagedDevice | null, s: TenantSnapshot): Corroboration {
  if (!managed) return s.complete.managedDevices ? 'not-enrolled' : 'not-verified';
  const start = eventStart(e);
  if (managed.lastSyncAt === null) return 'no-check-in';
  return start === null || managed.lastSyncAt >= start ? 'checked-in' : 'no-check-in';
}

function evidenceOf(e: AutopilotEvent, i: AutopilotDevice | undefined): Evidence {
  return {
    eventId: e.id,
    serialNumber: i?.serialNumber ?? e.serialNumber,
    managedDeviceId: normId(e.deviceId),
    managedDeviceName: e.managedDeviceName,
    enrollmentType: e.enrollmentType,
    deploymentState: e.deploymentState,
    deviceSetupStatus: e.deviceSetupStatus,
    accountSetupStatus: e.accountSetupStatus,
    profileName: e.profileName,
    deploymentStartAt: eventStart(e),
    deploymentEndAt: e.deploymentEndAt,
    deploymentSeconds: durationOrNull(e),
    failureDetails: e.failureDetails,
  };
}

function durationOrNull(e: AutopilotEvent): number | null {
  const d = durationMs(e);
  return d === null ? null : Math.round(d / 1000);
}

interface Verdict {
  readonly code: FindingCode;
  readonly classified: ClassifiedError;
  readonly corroboration: Corroboration | null;
  readonly lastCheckInAt: number | null;
}

const SETTLED = new Set<string>([CODES.AP_DEPLOYMENT_RECOVERED, CODES.AP_DEPLOYMENT_NO_RESULT]);

/** The verdict a sweep reached on this row, kept by its open finding (a poll cannot re-check Intune). */
function rememberedVerdict(s: TenantSnapshot, eventId: string): FindingCode | null {
  const hit = (s.memory?.deploymentVerdicts ?? []).find((v) => v.eventId === eventId && SETTLED.has(v.code));
  return hit ? (hit.code as FindingCode) : null;
}

/**
 * The Intune record that checked in after the deployment ended, or null. Only the deployment's own record (the
 * event's Intune device id) counts: another record of the serial says nothing about this attempt.
 */
function checkInAfterEnd(e: AutopilotEvent, L: Lookup): number | null {
  const intuneId = normId(e.deviceId);
  const own = intuneId ? L.managedById.get(intuneId) : undefined;
  const last = own?.lastSyncAt ?? null;
  return e.deploymentEndAt !== null && last !== null && last > e.deploymentEndAt ? last : null;
}

function failureVerdict(
  e: AutopilotEvent,
  key: string,
  L: Lookup,
  s: TenantSnapshot,
  i: AutopilotDevice | undefined,
): Verdict {
  const classified = classifyFailure(e.failureDetails);
  const managed = managedOf(e, key, L, i);
  const lastCheckInAt = managed?.lastSyncAt ?? null;
  const verdict = (code: FindingCode, corroboration: Corroboration | null): Verdict => ({
    code,
    classified,
    corroboration,
    lastCheckInAt,
  });
  const remembered = managed === null && !s.complete.managedDevices ? rememberedVerdict(s, e.id) : null;
  if (remembered) return verdict(remembered, 'not-verified');

  const d = durationMs(e);
  const explicit =
    classified.errorCode !== null ||
    e.deviceSetupStatus === 'failure' ||
    e.accountSetupStatus === 'failure' ||
    (d !== null && d < REPORT_AUTO_FAIL_MS - AUTO_FAIL_TOLERANCE_MS);
  if (explicit) {
    if (isUserless(e) && isVirtualMachine(i)) return verdict(CODES.AP_USERLESS_ON_VIRTUAL_MACHINE, null);
    // The device reported this failure; its own record checking in after the end means Try again / Continue anyway
    // got it through. Not for the one-time enrollment block: that enrollment was refused, nothing got through, and
    // the failure is the evidence an unblock depends on.
    if (classified.finding !== CODES.AP_ONE_TIME_ENROLLMENT_BLOCK && checkInAfterEnd(e, L) !== null) {
      return verdict(CODES.AP_DEPLOYMENT_RECOVERED, 'checked-in');
    }
    if (classified.finding) return verdict(classified.finding, null);
    return verdict(isTechnicianFlow(e) ? CODES.AP_PREPROV_FAILED : CODES.AP_DEPLOYMENT_FAILED, 'reported-error');
  }
  if (isUserless(e) && isVirtualMachine(i)) return verdict(CODES.AP_USERLESS_ON_VIRTUAL_MACHINE, null);
  // No code, no failed phase, no real duration: the report's own 4-hour failure. Never a hard error with a code.
  const corroboration = corroborate(e, managed, s);
  const nothingCame = corroboration === 'not-enrolled' || corroboration === 'no-check-in';
  return verdict(nothingCame ? CODES.AP_DEPLOYMENT_NO_RESULT : CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED, corroboration);
}

function timeoutPhase(e: AutopilotEvent): string | null {
  if (e.deploymentState === 'successWithTimeout') return 'deployment';
  if (e.deploymentState !== 'success' && e.deploymentState !== 'successOnRetry') return null;
  if (e.deviceSetupStatus === 'successWithTimeout') return 'deviceSetup';
  if (e.accountSetupStatus === 'successWithTimeout') return 'accountSetup';
  return null;
}

export function detectDeployments(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const out: Finding[] = [];
  for (const [key, events] of L.eventsByKey) {
    const e = events[events.length - 1];
    if (!e) continue;
    const i = L.identityByKey.get(key);
    const subject = deviceSubject(key, i?.serialNumber ?? e.serialNumber, i?.id ?? null);
    const base = evidenceOf(e, i);
    if (e.deploymentState === 'failure') {
      const v = failureVerdict(e, key, L, snapshot, i);
      const errorCode = v.classified.matched ?? v.classified.errorCode;
      const evidence = { ...base, errorCode, corroboration: v.corroboration, lastCheckInAt: v.lastCheckInAt };
      out.push(makeFinding({ code: v.code, subject, evidence, defining: { eventId: e.id, errorCode } }));
      continue;
    }
    const phase = timeoutPhase(e);
    if (phase !== null) {
      out.push(
        makeFinding({
          code: CODES.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
          subject,
          evidence: { ...base, phase },
          defining: { eventId: e.id, phase },
        }),
      );
      continue;
    }
    const start = eventStart(e);
    if (e.deploymentState === 'inProgress' && start !== null && now - start > rules.deploymentStuckMs) {
      const hours = Math.floor((now - start) / 3_600_000);
      out.push(
        makeFinding({
          code: CODES.AP_DEPLOYMENT_STUCK,
          subject,
          evidence: { ...base, hoursInProgress: hours },
          defining: { eventId: e.id },
        }),
      );
    }
  }
  return out;
}
