import { CODES, type FindingCode } from '../catalog/codes.js';
import type { AutopilotDevice, AutopilotEvent, Evidence, Finding, TenantSnapshot } from '../model/index.js';
import { deviceSubject, makeFinding } from './finding.js';
import { classifyFailure } from './hresult.js';
import { eventStart, lookup, managedForIdentity, normId, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';

// Classic deployment events. Only the LATEST attempt of each device counts: the report leaves a failed row
// in place after Try again / a reset adds a new row (§2.6 A2), so a later success supersedes a failure.
// A failure with no error code after ~4 h is the report's own automatic "Failed" (§2.6 A1) and becomes an
// error only when Intune corroborates it.

/** The report turns In progress into Failed after 4 hours without a status (KI L3054). */
export const REPORT_AUTO_FAIL_MS = 4 * 3_600_000;
/** A failure reported this much before the 4-hour mark came from the device, not from the report. */
const AUTO_FAIL_TOLERANCE_MS = 10 * 60_000;

export const DEPLOYMENT_CODES: readonly FindingCode[] = [
  CODES.AP_DEPLOYMENT_FAILED,
  CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
  CODES.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
  CODES.AP_DEPLOYMENT_STUCK,
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

function durationMs(e: AutopilotEvent): number | null {
  if (e.deploymentTotalSeconds !== null) return e.deploymentTotalSeconds * 1000;
  const start = eventStart(e);
  return start !== null && e.deploymentEndAt !== null ? e.deploymentEndAt - start : null;
}

type Corroboration = 'reported-error' | 'not-enrolled' | 'no-check-in' | 'checked-in' | 'not-verified';

/** Does Intune confirm a failure the report may have invented? (KI L3050–L3056: "powered off before reporting") */
function corroborate(e: AutopilotEvent, key: string, L: Lookup, s: TenantSnapshot, i: AutopilotDevice | undefined): Corroboration {
  const intuneId = normId(e.deviceId);
  const managed = (intuneId ? L.managedById.get(intuneId) : undefined) ?? L.managedByKey.get(key) ?? (i ? managedForIdentity(L, i) : null);
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
    failureDetails: e.failureDetails,
  };
}

function failureCode(e: AutopilotEvent, key: string, L: Lookup, s: TenantSnapshot, i: AutopilotDevice | undefined) {
  const classified = classifyFailure(e.failureDetails);
  if (isUserless(e) && isVirtualMachine(i)) return { code: CODES.AP_USERLESS_ON_VIRTUAL_MACHINE, classified, corroboration: null };
  if (classified.finding) return { code: classified.finding, classified, corroboration: null };
  const generic = isTechnicianFlow(e) ? CODES.AP_PREPROV_FAILED : CODES.AP_DEPLOYMENT_FAILED;
  const d = durationMs(e);
  const explicit =
    classified.errorCode !== null ||
    e.deviceSetupStatus === 'failure' ||
    e.accountSetupStatus === 'failure' ||
    (d !== null && d < REPORT_AUTO_FAIL_MS - AUTO_FAIL_TOLERANCE_MS);
  const corroboration: Corroboration = explicit ? 'reported-error' : corroborate(e, key, L, s, i);
  const hard = corroboration === 'reported-error' || corroboration === 'not-enrolled' || corroboration === 'no-check-in';
  return { code: hard ? generic : CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED, classified, corroboration };
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
    const i = L.identitiesByKey.get(key)?.[0];
    const subject = deviceSubject(key, i?.serialNumber ?? e.serialNumber, i?.id ?? null);
    const base = evidenceOf(e, i);
    if (e.deploymentState === 'failure') {
      const { code, classified, corroboration } = failureCode(e, key, L, snapshot, i);
      out.push(
        makeFinding({
          code,
          subject,
          evidence: { ...base, errorCode: classified.matched ?? classified.errorCode, corroboration },
          defining: { eventId: e.id, errorCode: classified.matched ?? classified.errorCode },
        }),
      );
      continue;
    }
    const phase = timeoutPhase(e);
    if (phase !== null) {
      out.push(makeFinding({ code: CODES.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT, subject, evidence: { ...base, phase }, defining: { eventId: e.id, phase } }));
      continue;
    }
    const start = eventStart(e);
    if (e.deploymentState === 'inProgress' && start !== null && now - start > rules.deploymentStuckMs) {
      const hours = Math.floor((now - start) / 3_600_000);
      out.push(makeFinding({ code: CODES.AP_DEPLOYMENT_STUCK, subject, evidence: { ...base, hoursInProgress: hours }, defining: { eventId: e.id } }));
    }
  }
  return out;
}
