import { lookup, managedRowForIdentityRow, normSerial, registeredAtOf } from '../detect/lookup.js';
import type { Lookup } from '../detect/lookup.js';
import { PROFILE_ASSIGNMENT_STATUSES } from '../model/index.js';
import type { IdentityTable } from '../fleet/identity-table.js';
import type { AutopilotDevice, ProfileAssignmentStatus, TenantSnapshot } from '../model/index.js';
import { cmp, DAY_MS, FirstN, identityRow, recordOf } from './rows.js';
import type { ComplianceLists, ComplianceSummary } from './types.js';

// Figures about the state of Autopilot identities, computed from the snapshot itself (not from findings), so
// each can be re-counted against what a simulator scenario planted. Definitions: ComplianceSummary in types.ts.
// Joins (identity ↔ Intune ↔ Entra) go through the detectors' lookup, so "which record is this device's"
// is decided in one place and a figure cannot disagree with a finding about it.

type IdentitySummary = Pick<
  ComplianceSummary,
  | 'totalDevices'
  | 'profileAssignment'
  | 'blocked'
  | 'fixPending'
  | 'attentionRequired'
  | 'stale'
  | 'neverEnrolled'
  | 'orphaned'
  | 'duplicateSerials'
>;
type IdentityLists = Pick<
  ComplianceLists,
  | 'devices'
  | 'profileAssignment'
  | 'blocked'
  | 'fixPending'
  | 'attentionRequired'
  | 'stale'
  | 'neverEnrolled'
  | 'orphaned'
  | 'duplicateSerials'
>;

export function identityFigures(
  snapshot: TenantSnapshot,
  now: number,
  staleDays: number,
  cap: number,
): {
  summary: IdentitySummary;
  lists: IdentityLists;
  /** The Intune records of identities that are not flagged autopilotEnrolled (managedFigures' fleet). */
  /** Rows of the lookup's Intune table (records are built per read, so they are kept as rows). */
  linkedUnflagged: ReadonlySet<number>;
} {
  const L = lookup(snapshot);
  const all = L.identities;
  const at = (i: number): AutopilotDevice => all.at(i);
  // One pass over the fleet: every figure is counted and every list keeps only the `cap` rows it shows (FirstN,
  // over rows), so no fleet-sized array, sort or row is made. Orders, as the rows' stable sorts give them:
  // list order is serial, then id (byDevice), then position in the snapshot. The pass and the comparisons read single
  // fields of the table: a record is built only for a row shown.
  // An identity row's autopilotId is its id (never null), so byDevice's fallback to the Intune id never applies.
  const inListOrder = (a: number, b: number): number =>
    cmp(all.serialNumber(a), all.serialNumber(b)) || cmp(all.id(a), all.id(b)) || a - b;
  const list = (): FirstN<number> => new FirstN(cap, inListOrder);

  const cutoff = now - staleDays * DAY_MS;
  const daysAgo = (t: number): number => Math.floor((now - t) / DAY_MS);
  const checkEntra = snapshot.complete.entraDevices;
  const checkIntune = snapshot.complete.managedDevices;

  const devices = list();
  const perStatus = new Map<ProfileAssignmentStatus, FirstN<number>>(
    PROFILE_ASSIGNMENT_STATUSES.map((s) => [s, list()]),
  );
  const blocked = list();
  const fixPending = list();
  const attention = list();
  // Longest silence first (the stale list's own order), then list order.
  const stale = new FirstN<number>(
    cap,
    (a, b) => (all.lastContactedAt(a) ?? 0) - (all.lastContactedAt(b) ?? 0) || inListOrder(a, b),
  );
  const neverEnrolled = list();
  const orphans = list();
  let noEntra = 0;
  let noIntune = 0;
  const duplicates = list();
  const holders = sharedSerials(L);
  const linkedUnflagged = new Set<number>();

  for (let i = 0; i < all.length; i++) {
    devices.add(i);
    perStatus.get(all.profileAssignmentStatus(i))?.add(i);
    const enrollmentState = all.enrollmentState(i);
    if (blockedState(enrollmentState, all.userlessEnrollmentStatus(i)) !== null) blocked.add(i);
    const remediation = all.remediationState(i);
    if (remediation === 'automaticRemediationRequired') fixPending.add(i);
    if (remediation === 'manualRemediationRequired') attention.add(i);

    // The Intune record's fields come from the table: no record is built for it.
    const mr = managedRowForIdentityRow(L, i);
    const found = mr >= 0;
    if (found && !L.managed.autopilotEnrolled(mr)) linkedUnflagged.add(mr);
    const checkin = found ? L.managed.lastSyncAt(mr) : null;
    if (staleState(all.lastContactedAt(i), checkin, cutoff, daysAgo) !== null) stale.add(i);
    if (enrollmentState === 'notContacted' && !found) {
      const registered = registeredAtOf(L, all.azureAdDeviceId(i));
      if (registered !== null && registered < cutoff) neverEnrolled.add(i);
    }

    const missing = orphanProblems(all, i, found, L, checkEntra, checkIntune);
    if (missing.entra) noEntra += 1;
    if (missing.intune) noIntune += 1;
    if (missing.entra || missing.intune) orphans.add(i);

    if (holders.byDevice.size > 0 && holders.byDevice.has(i)) duplicates.add(i);
  }

  // Rows, for the shown devices only.
  const row = (state: (d: AutopilotDevice, i: number) => string) => (i: number) => {
    const d = at(i);
    return identityRow(d, state(d, i));
  };
  // The shown rows' Intune records are looked up again: a few hundred at most, against a map of every listed device.
  const intuneRow = (i: number): number => managedRowForIdentityRow(L, i);
  const checkinOf = (i: number): number | null => {
    const row = intuneRow(i);
    return row >= 0 ? L.managed.lastSyncAt(row) : null;
  };
  const statusRows = recordOf(PROFILE_ASSIGNMENT_STATUSES, (s) =>
    (perStatus.get(s) ?? list()).list(row((d) => `profile ${d.profileAssignmentStatus}`)),
  );
  return {
    summary: {
      totalDevices: all.length,
      profileAssignment: recordOf(PROFILE_ASSIGNMENT_STATUSES, (s) => statusRows[s].total),
      blocked: blocked.total,
      fixPending: fixPending.total,
      attentionRequired: attention.total,
      stale: stale.total,
      neverEnrolled: neverEnrolled.total,
      orphaned: {
        total: orphans.total,
        noEntraObject: checkEntra ? noEntra : null,
        noIntuneRecord: checkIntune ? noIntune : null,
      },
      duplicateSerials: { serials: holders.serials, devices: duplicates.total },
    },
    lists: {
      devices: devices.list(row((d) => `${d.enrollmentState}, profile ${d.profileAssignmentStatus}`)),
      profileAssignment: statusRows,
      blocked: blocked.list(row((d) => blockedState(d.enrollmentState, d.userlessEnrollmentStatus) ?? '')),
      fixPending: fixPending.list(row(() => 'Fix pending')),
      attentionRequired: attention.list(row(() => 'Attention required')),
      stale: stale.list(row((d, i) => staleState(d.lastContactedAt, checkinOf(i), cutoff, daysAgo) ?? '')),
      neverEnrolled: neverEnrolled.list(
        row((d) => `registered ${daysAgo(registeredAtOf(L, d.azureAdDeviceId) ?? now)} days ago, never enrolled`),
      ),
      orphaned: orphans.list(
        row((_d, i) => orphanState(orphanProblems(all, i, intuneRow(i) >= 0, L, checkEntra, checkIntune))),
      ),
      duplicateSerials: duplicates.list(row((_d, i) => `serial shared by ${holders.byDevice.get(i) ?? 0} devices`)),
    },
    linkedUnflagged,
  };
}

function blockedState(
  enrollmentState: AutopilotDevice['enrollmentState'],
  userless: AutopilotDevice['userlessEnrollmentStatus'],
): string | null {
  if (enrollmentState !== 'blocked' && userless !== 'blocked') return null;
  const why = [
    enrollmentState === 'blocked' ? 'enrollment blocked' : null,
    userless === 'blocked' ? 'userless enrollment blocked' : null,
  ];
  return why.filter((w) => w !== null).join('; ');
}

function staleState(
  /** The identity's lastContactedAt. */
  lastContactedAt: number | null,
  /** The last check-in of the device's Intune record; null when it has none, or no record. */
  checkin: number | null,
  cutoff: number,
  daysAgo: (t: number) => number,
): string | null {
  if (lastContactedAt === null || lastContactedAt >= cutoff) return null;
  // Autopilot's last contact is the last deployment, not the last use: a device in daily use is stale only
  // when its Intune record is silent too.
  if (checkin !== null && checkin >= cutoff) return null;
  return `last contact ${daysAgo(lastContactedAt)} days ago; ${checkin === null ? 'no Intune check-in' : `last check-in ${daysAgo(checkin)} days ago`}`;
}

const NOT_ORPHANED = { entra: false, intune: false } as const;

function orphanProblems(
  t: IdentityTable,
  row: number,
  /** Whether the device has an Intune record. */
  managed: boolean,
  L: Lookup,
  checkEntra: boolean,
  checkIntune: boolean,
): { readonly entra: boolean; readonly intune: boolean } {
  // Absence is only proof when the collection was read in full; otherwise that half of the check is skipped.
  // The ids are probed by their packed words: a pass over the fleet builds no id string.
  const entra = checkEntra && (!t.aadIds.hasKey(row) || !L.hasEntraDeviceIn(t.aadIds, row));
  const intune = checkIntune && !managed && (t.enrollmentState(row) === 'enrolled' || t.managedIds.hasKey(row));
  return entra || intune ? { entra, intune } : NOT_ORPHANED;
}

function orphanState(p: { readonly entra: boolean; readonly intune: boolean }): string {
  const problems = [p.entra ? 'no Entra object' : null, p.intune ? 'no Intune record' : null];
  return problems.filter((x) => x !== null).join(' + ');
}

/**
 * Serial numbers (trimmed, case-insensitive) held by two or more identities, and for each identity (by row) holding
 * one, how many hold it. The lookup already keeps the device keys (the serial for every identity that has one) that several
 * identities share, so this walks those groups only (no second index of the fleet).
 */
function sharedSerials(L: Lookup): { serials: number; byDevice: ReadonlyMap<number, number> } {
  let serials = 0;
  const byDevice = new Map<number, number>();
  for (const group of L.identitiesSharingKey.values()) {
    // An identity without a serial is keyed by its id, which could in theory equal someone's serial: not a holder.
    const holding = group.filter((row) => normSerial(L.identities.serialNumber(row)) !== null);
    if (holding.length < 2) continue;
    serials += 1;
    for (const row of holding) byDevice.set(row, holding.length);
  }
  return { serials, byDevice };
}
