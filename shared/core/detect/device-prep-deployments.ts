import { CODES, type FindingCode } from '../catalog/codes.js';
import type { DevicePrepDeployment, Finding, TenantSnapshot } from '../model/index.js';
import { deviceSubject, makeFinding } from './finding.js';
import { eventStart, lookup, normId, normSerial, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';

// Rows of the AutopilotV2DeploymentStatus export. As with classic events, only the newest row of a device
// counts, so a later successful attempt supersedes a failure.

export const DEVICE_PREP_DEPLOYMENT_CODES: readonly FindingCode[] = [
  CODES.DP_DEPLOYMENT_FAILED,
  CODES.DP_TARGET_AUTOPILOT_REGISTERED,
];

/** Device key of an export row: its serial, else the serial of its Intune device, else that device id. */
export function deploymentKey(L: Lookup, d: DevicePrepDeployment): string | null {
  const intuneId = normId(d.intuneDeviceId);
  return (
    normSerial(d.serialNumber) ?? normSerial(intuneId ? L.managedById.get(intuneId)?.serialNumber : null) ?? intuneId
  );
}

export function latestDeploymentsByKey(
  L: Lookup,
  rows: readonly DevicePrepDeployment[],
): Map<string, DevicePrepDeployment> {
  const out = new Map<string, DevicePrepDeployment>();
  for (const row of rows) {
    const key = deploymentKey(L, row);
    const prev = key === null ? undefined : out.get(key);
    if (key !== null && (!prev || (row.enrolledAt ?? 0) >= (prev.enrolledAt ?? 0))) out.set(key, row);
  }
  return out;
}

/** Entra deviceIds of the device-prep group candidates: those devices are checked (and keyed) by the group detector. */
function candidateDeviceIds(s: TenantSnapshot): Set<string> {
  return new Set(
    s.devicePrepGroups.flatMap((g) => g.candidates.map((c) => normId(c.deviceId)).filter((id) => id !== null)),
  );
}

export function detectDevicePrepDeployments(snapshot: TenantSnapshot, _now: number, _rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const candidates = candidateDeviceIds(snapshot);
  const out: Finding[] = [];
  for (const [key, row] of latestDeploymentsByKey(L, snapshot.devicePrepDeployments)) {
    const identity = L.identityByKey.get(key);
    const subject = deviceSubject(key, row.serialNumber ?? identity?.serialNumber ?? null, identity?.id ?? null);
    const evidence = {
      serialNumber: row.serialNumber,
      managedDeviceId: normId(row.intuneDeviceId),
      deviceName: row.deviceName,
      userPrincipalName: row.userPrincipalName,
      policyName: row.policyName,
      status: row.status,
      phase: row.phase,
      resultCode: row.resultCode,
      enrolledAt: row.enrolledAt,
    };
    if (row.status === 'failed') {
      // enrolledAt identifies the attempt (it does not move), so a new failed attempt is a new problem.
      const defining = {
        enrolledAt: row.enrolledAt,
        phase: row.phase,
        resultCode: row.resultCode?.trim().toLowerCase() ?? null,
      };
      out.push(makeFinding({ code: CODES.DP_DEPLOYMENT_FAILED, subject, evidence, defining }));
    }
    // Deployed through device preparation, yet an Autopilot record exists: the next reset runs classic
    // Autopilot (CMP L101). A classic deployment newer than the row means the move to classic was deliberate.
    const intuneId = normId(row.intuneDeviceId);
    const aad =
      normId(identity?.azureAdDeviceId) ?? normId(intuneId ? L.managedById.get(intuneId)?.azureAdDeviceId : null);
    if (identity && row.status !== 'unknown' && !(aad !== null && candidates.has(aad))) {
      const classic = L.eventsByKey.get(key)?.at(-1);
      const classicStart = classic ? eventStart(classic) : null;
      if (classicStart === null || row.enrolledAt === null || classicStart < row.enrolledAt) {
        out.push(
          makeFinding({
            code: CODES.DP_TARGET_AUTOPILOT_REGISTERED,
            subject,
            evidence: { ...evidence, autopilotId: identity.id, source: 'deployment-report' },
          }),
        );
      }
    }
  }
  return out;
}
