import { CODES, type FindingCode } from '../catalog/codes.js';
import type { AutopilotDevice, DevicePrepDeployment, Evidence, Finding, TenantSnapshot } from '../model/index.js';
import { latestDeploymentsByKey } from './device-prep-deployments.js';
import { enrollmentTime } from './enrollment-time.js';
import { deviceSubject, makeFinding } from './finding.js';
import type { IdentityTable } from '../fleet/identity-table.js';
import { lookup, managedRowForIdentityRow, normId, normSerial, registeredAtOf, type Lookup } from './lookup.js';
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

/**
 * What every identity finding shows: the Autopilot record, the Intune id (its record's, else the identity's), Entra's.
 * The ids are unpacked to strings here, for a finding only: most of a fleet has none.
 */
function identityEvidence(t: IdentityTable, row: number, managedDeviceId: string | null): Evidence {
  return {
    autopilotId: t.id(row),
    serialNumber: t.serialNumber(row),
    enrollmentState: t.enrollmentState(row),
    managedDeviceId,
    azureAdDeviceId: normId(t.azureAdDeviceId(row)),
  };
}

/** The checks of one identity, by its row: fields are read from the tables, and subject and evidence made only for a finding. */
function identityFindings(c: Ctx, row: number, stale: Set<string>, out: Finding[]): void {
  const { s, L, now, rules } = c;
  const t = L.identities;
  const key = t.key(row);
  const managed = managedRowForIdentityRow(L, row);
  const found = managed >= 0;
  const hasManagedId = t.managedIds.hasKey(row);
  if (s.complete.entraDevices && t.aadIds.hasKey(row) && !L.hasEntraDeviceIn(t.aadIds, row)) {
    const aad = normId(t.azureAdDeviceId(row));
    out.push(
      makeFinding({
        code: CODES.AP_ENTRA_OBJECT_MISSING,
        subject: deviceSubject(key, t.serialNumber(row), t.id(row)),
        evidence: identityEvidence(t, row, found ? L.managed.id(managed) : normId(t.managedDeviceId(row))),
        defining: { azureAdDeviceId: aad },
      }),
    );
  }
  if (!s.complete.managedDevices) return;
  const enrollmentState = t.enrollmentState(row);
  if (!found && (hasManagedId || enrollmentState === 'enrolled')) {
    const managedId = normId(t.managedDeviceId(row));
    out.push(
      makeFinding({
        code: CODES.AP_MANAGED_DEVICE_MISSING,
        subject: deviceSubject(key, t.serialNumber(row), t.id(row)),
        evidence: identityEvidence(t, row, managedId),
        defining: { managedDeviceId: managedId },
      }),
    );
  }
  if (!found && !hasManagedId && enrollmentState === 'notContacted') {
    const registered = registeredAtOf(L, t.azureAdDeviceId(row));
    if (registered !== null && now - registered > rules.staleRegistrationMs) {
      out.push(
        makeFinding({
          code: CODES.AP_REGISTERED_NEVER_ENROLLED,
          subject: deviceSubject(key, t.serialNumber(row), t.id(row)),
          evidence: { ...identityEvidence(t, row, null), registeredAt: registered },
        }),
      );
    }
    return;
  }
  const contacted = t.lastContactedAt(row);
  const synced = found ? L.managed.lastSyncAt(managed) : null;
  const lastSeen = contacted === null ? synced : synced === null ? contacted : Math.max(contacted, synced);
  if (lastSeen !== null && now - lastSeen > rules.staleRegistrationMs && !resealed(c, key)) {
    stale.add(key);
    out.push(
      makeFinding({
        code: CODES.AP_REGISTRATION_STALE,
        subject: deviceSubject(key, t.serialNumber(row), t.id(row)),
        evidence: {
          ...identityEvidence(t, row, found ? L.managed.id(managed) : normId(t.managedDeviceId(row))),
          lastSeenAt: lastSeen,
        },
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

function managedFindings(c: Ctx, row: number, stale: ReadonlySet<string>, out: Finding[]): void {
  const { L, now, rules } = c;
  // Every Intune row passes here; its fields come from the table, and a record is built only for a finding.
  const t = L.managed;
  const id = normId(t.id(row));
  const aad = normId(t.azureAdDeviceId(row));
  const serial = normSerial(t.serialNumber(row));
  // The identity's row, by the same ids in the same order as the identity side finds its Intune record.
  const I = L.identities;
  let identity = id ? I.rowByManagedId(id) : -1;
  if (identity < 0 && serial) identity = I.rowByKey(serial);
  if (identity < 0 && aad) identity = I.rowByAadId(aad);
  if (!t.autopilotEnrolled(row) && identity < 0) return;
  // An older Intune record of the same serial is a leftover enrollment, not the device's current state.
  if (serial !== null && t.rowByKey(serial) !== row) return;
  const key =
    serial ??
    (identity >= 0 ? I.key(identity) : null) ??
    (aad ? L.entraByDeviceId.get(aad)?.objectId : undefined) ??
    id ??
    t.id(row);
  // Intune's enrolledDateTime is the Autopilot registration date, not the enrollment (enrollment-time.ts). Needed
  // to judge a noncompliant device or one that never checked in, and as evidence.
  const compliance = t.complianceState(row);
  const lastSync = t.lastSyncAt(row);
  const enrolled =
    compliance === 'noncompliant' || lastSync === null ? enrollmentTime(L, c.devicePrep, aad, key) : null;
  const run = c.runs.get(key);
  const flow = run ? userFlowState(c.s, L, run, rules.preprovMinGapMs) : null;
  const waiting = flow !== null && !flow.seen;
  let noncompliant = false;
  if (enrolled !== null && compliance === 'noncompliant') {
    const fresh = enrolled.at !== null && now - enrolled.at < rules.freshEnrollmentGraceMs;
    // Entra compliance is reset when the user flow starts and re-evaluated after it (FAQ L2563–L2565).
    const userFlowReset =
      waiting ||
      (flow?.startedAt !== null &&
        flow?.startedAt !== undefined &&
        now - flow.startedAt < rules.userFlowComplianceGraceMs);
    noncompliant = !fresh && !userFlowReset;
  }
  const lastSeen = lastSync ?? enrolled?.at ?? null;
  const checkinStale = lastSeen !== null && now - lastSeen > rules.checkinStaleMs && !waiting && !stale.has(key);
  // Subject and evidence only for a device with a finding: most of a fleet has none.
  if (!noncompliant && !checkinStale) return;
  const m = t.at(row);
  const enrolledAt = enrolled ?? enrollmentTime(L, c.devicePrep, aad, key);
  const subject = deviceSubject(
    key,
    m.serialNumber ?? (identity >= 0 ? I.serialNumber(identity) : null),
    identity >= 0 ? I.id(identity) : null,
  );
  const evidence = {
    managedDeviceId: m.id,
    deviceName: m.deviceName,
    serialNumber: m.serialNumber,
    complianceState: m.complianceState,
    lastSyncAt: m.lastSyncAt,
    enrolledAt: enrolledAt.at,
    enrolledAtSource: enrolledAt.source,
    intuneEnrolledDateTime: m.enrolledAt,
  };
  if (noncompliant) out.push(makeFinding({ code: CODES.AP_MANAGED_NONCOMPLIANT, subject, evidence }));
  if (checkinStale) out.push(makeFinding({ code: CODES.AP_MANAGED_CHECKIN_STALE, subject, evidence }));
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
  // Each device key once, at its first identity, in list order; a key several identities share, with all of them.
  const t = L.identities;
  for (let row = 0; row < t.length; row++) {
    const key = t.key(row);
    if (t.rowByKey(key) !== row) continue;
    const shared = L.identitiesSharingKey.get(key);
    if (shared === undefined) {
      identityFindings(c, row, stale, out);
      continue;
    }
    out.push(
      duplicateFinding(
        key,
        shared.map((r) => t.at(r)),
      ),
    );
    for (const r of shared) identityFindings(c, r, stale, out);
  }
  if (snapshot.complete.managedDevices) {
    for (let row = 0; row < L.managed.length; row++) managedFindings(c, row, stale, out);
  }
  return out;
}
