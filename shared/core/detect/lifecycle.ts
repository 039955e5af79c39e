import { CODES, type FindingCode } from '../catalog/codes.js';
import type { AutopilotDevice, DevicePrepDeployment, Finding, TenantSnapshot } from '../model/index.js';
import { latestDeploymentsByKey } from './device-prep-deployments.js';
import { enrollmentTime } from './enrollment-time.js';
import { deviceSubject, makeFinding } from './finding.js';
import { identityKey, lookup, managedForIdentity, normId, normSerial, registeredAt, type Lookup } from './lookup.js';
import { technicianRuns, userFlowState, type TechnicianRun } from './preprovisioning.js';
import type { DetectorRules } from './rules.js';

// Compliance-sweep checks. Each concludes something from ABSENCE (no Entra object, no Intune record, no
// check-in), so they run only on a full snapshot and only over the collections it read completely.
// Duplicate Entra objects of hybrid devices are by design (KI L3297–L3301): duplicates are checked on
// Autopilot records only, never on Entra objects.

export const LIFECYCLE_CODES: readonly FindingCode[] = [
  CODES.AP_REGISTRATION_STALE,
  CODES.AP_REGISTERED_NEVER_ENROLLED,
  CODES.AP_ENTRA_OBJECT_MISSING,
  CODES.AP_MANAGED_DEVICE_MISSING,
  CODES.AP_DUPLICATE_SERIAL,
  CODES.AP_MANAGED_NONCOMPLIANT,
  CODES.AP_MANAGED_CHECKIN_STALE,
];

interface Ctx {
  readonly s: TenantSnapshot;
  readonly L: Lookup;
  readonly now: number;
  readonly rules: DetectorRules;
  readonly runs: ReadonlyMap<string, TechnicianRun>;
  readonly devicePrep: ReadonlyMap<string, DevicePrepDeployment>;
}

/** A resealed pre-provisioned device is switched off until its user flow: silence is expected (see preprovisioning.ts). */
function resealed(c: Ctx, key: string): boolean {
  const run = c.runs.get(key);
  return run !== undefined && !userFlowState(c.s, c.L, run, c.rules.preprovMinGapMs).seen;
}

function identityFindings(c: Ctx, i: AutopilotDevice, stale: Set<string>, out: Finding[]): void {
  const { s, L, now, rules } = c;
  const key = identityKey(i);
  const managed = managedForIdentity(L, i);
  const managedId = normId(i.managedDeviceId);
  const aad = normId(i.azureAdDeviceId);
  // Subject and evidence are built only for a device that has a finding: most of a fleet has none.
  const subject = () => deviceSubject(key, i.serialNumber, i.id);
  const base = () => ({
    autopilotId: i.id,
    serialNumber: i.serialNumber,
    enrollmentState: i.enrollmentState,
    managedDeviceId: managed?.id ?? managedId,
    azureAdDeviceId: aad,
  });
  if (s.complete.entraDevices && aad !== null && !L.entraByDeviceId.has(aad)) {
    out.push(
      makeFinding({
        code: CODES.AP_ENTRA_OBJECT_MISSING,
        subject: subject(),
        evidence: base(),
        defining: { azureAdDeviceId: aad },
      }),
    );
  }
  if (!s.complete.managedDevices) return;
  if (!managed && (managedId !== null || i.enrollmentState === 'enrolled')) {
    out.push(
      makeFinding({
        code: CODES.AP_MANAGED_DEVICE_MISSING,
        subject: subject(),
        evidence: base(),
        defining: { managedDeviceId: managedId },
      }),
    );
  }
  if (!managed && managedId === null && i.enrollmentState === 'notContacted') {
    const registered = registeredAt(L, i);
    if (registered !== null && now - registered > rules.staleRegistrationMs) {
      out.push(
        makeFinding({
          code: CODES.AP_REGISTERED_NEVER_ENROLLED,
          subject: subject(),
          evidence: { ...base(), registeredAt: registered },
        }),
      );
    }
    return;
  }
  const contacted = i.lastContactedAt;
  const synced = managed?.lastSyncAt ?? null;
  const lastSeen = contacted === null ? synced : synced === null ? contacted : Math.max(contacted, synced);
  if (lastSeen !== null && now - lastSeen > rules.staleRegistrationMs && !resealed(c, key)) {
    stale.add(key);
    out.push(
      makeFinding({
        code: CODES.AP_REGISTRATION_STALE,
        subject: subject(),
        evidence: { ...base(), lastSeenAt: lastSeen },
      }),
    );
  }
}

function duplicateFinding(key: string, identities: readonly AutopilotDevice[]): Finding {
  const ids = identities.map((i) => i.id).sort();
  const evidence = {
    serialNumber: identities[0]?.serialNumber ?? key,
    records: identities.length,
    autopilotIds: ids.join(','),
    manufacturers: [...new Set(identities.map((i) => i.manufacturer ?? 'unknown'))].sort().join(','),
  };
  return makeFinding({
    code: CODES.AP_DUPLICATE_SERIAL,
    subject: deviceSubject(key, evidence.serialNumber, null),
    evidence,
    defining: { autopilotIds: evidence.autopilotIds },
  });
}

function managedFindings(c: Ctx, row: number, stale: ReadonlySet<string>): Finding[] {
  const { L, now, rules } = c;
  const m = L.managed.at(row);
  const id = normId(m.id);
  const aad = normId(m.azureAdDeviceId);
  const serial = normSerial(m.serialNumber);
  const identity =
    (id ? L.identityByManagedId.get(id) : undefined) ??
    (serial ? L.identityByKey.get(serial) : undefined) ??
    (aad ? L.identityByAadId.get(aad) : undefined);
  if (!m.autopilotEnrolled && !identity) return [];
  // An older Intune record of the same serial is a leftover enrollment, not the device's current state.
  if (serial !== null && L.managed.rowByKey(serial) !== row) return [];
  const key =
    serial ??
    (identity ? identityKey(identity) : null) ??
    (aad ? L.entraByDeviceId.get(aad)?.objectId : undefined) ??
    id ??
    m.id;
  // Intune's enrolledDateTime is the Autopilot registration date, not the enrollment (enrollment-time.ts).
  const enrolled = enrollmentTime(L, c.devicePrep, m, key);
  const run = c.runs.get(key);
  const flow = run ? userFlowState(c.s, L, run, rules.preprovMinGapMs) : null;
  const waiting = flow !== null && !flow.seen;
  let noncompliant = false;
  if (m.complianceState === 'noncompliant') {
    const fresh = enrolled.at !== null && now - enrolled.at < rules.freshEnrollmentGraceMs;
    // Entra compliance is reset when the user flow starts and re-evaluated after it (FAQ L2563–L2565).
    const userFlowReset =
      waiting ||
      (flow?.startedAt !== null &&
        flow?.startedAt !== undefined &&
        now - flow.startedAt < rules.userFlowComplianceGraceMs);
    noncompliant = !fresh && !userFlowReset;
  }
  const lastSeen = m.lastSyncAt ?? enrolled.at;
  const checkinStale = lastSeen !== null && now - lastSeen > rules.checkinStaleMs && !waiting && !stale.has(key);
  // Subject and evidence only for a device with a finding: most of a fleet has none.
  if (!noncompliant && !checkinStale) return [];
  const subject = deviceSubject(key, m.serialNumber ?? identity?.serialNumber ?? null, identity?.id ?? null);
  const evidence = {
    managedDeviceId: m.id,
    deviceName: m.deviceName,
    serialNumber: m.serialNumber,
    complianceState: m.complianceState,
    lastSyncAt: m.lastSyncAt,
    enrolledAt: enrolled.at,
    enrolledAtSource: enrolled.source,
    intuneEnrolledDateTime: m.enrolledAt,
  };
  const out: Finding[] = [];
  if (noncompliant) out.push(makeFinding({ code: CODES.AP_MANAGED_NONCOMPLIANT, subject, evidence }));
  if (checkinStale) out.push(makeFinding({ code: CODES.AP_MANAGED_CHECKIN_STALE, subject, evidence }));
  return out;
}

export function detectLifecycle(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  if (snapshot.kind !== 'full' || !snapshot.complete.identities) return [];
  const L = lookup(snapshot);
  const c: Ctx = {
    s: snapshot,
    L,
    now,
    rules,
    runs: technicianRuns(snapshot),
    devicePrep: latestDeploymentsByKey(L, snapshot.devicePrepDeployments),
  };
  const stale = new Set<string>();
  const out: Finding[] = [];
  for (const [key, first] of c.L.identityByKey) {
    const identities = c.L.identitiesSharingKey.get(key);
    if (identities) out.push(duplicateFinding(key, identities));
    for (const i of identities ?? [first]) identityFindings(c, i, stale, out);
  }
  if (snapshot.complete.managedDevices) {
    for (let row = 0; row < L.managed.length; row++) for (const f of managedFindings(c, row, stale)) out.push(f);
  }
  return out;
}
