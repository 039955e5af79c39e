import { lookup, managedRowForIdentity, normId, normSerial, registeredAt } from '../detect/lookup.js';
import type { Lookup } from '../detect/lookup.js';
import { PROFILE_ASSIGNMENT_STATUSES } from '../model/index.js';
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
  const all = snapshot.identities;
  const at = (i: number): AutopilotDevice => all[i] as AutopilotDevice;
  // One pass over the fleet: every figure is counted and every list keeps only the `cap` rows it shows (FirstN,
  // over indexes), so no fleet-sized array, sort or row is made. Orders, as the rows' stable sorts give them:
  // list order is serial, then id (byDevice), then position in the snapshot.
  const inListOrder = (a: number, b: number): number => {
    const x = at(a);
    const y = at(b);
    // An identity row's autopilotId is its id (never null), so byDevice's fallback to the Intune id never applies.
    return cmp(x.serialNumber, y.serialNumber) || cmp(x.id, y.id) || a - b;
  };
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
    (a, b) => (at(a).lastContactedAt ?? 0) - (at(b).lastContactedAt ?? 0) || inListOrder(a, b),
  );
  const neverEnrolled = list();
  const orphans = list();
  let noEntra = 0;
  let noIntune = 0;
  const duplicates = list();
  const holders = sharedSerials(L);
  const linkedUnflagged = new Set<number>();

  for (let i = 0; i < all.length; i++) {
    const d = at(i);
    devices.add(i);
    perStatus.get(d.profileAssignmentStatus)?.add(i);
    if (blockedState(d) !== null) blocked.add(i);
    if (d.remediationState === 'automaticRemediationRequired') fixPending.add(i);
    if (d.remediationState === 'manualRemediationRequired') attention.add(i);

    // The Intune record's fields come from the table: no record is built for it.
    const mr = managedRowForIdentity(L, d);
    const found = mr >= 0;
    if (found && !L.managed.autopilotEnrolled(mr)) linkedUnflagged.add(mr);
    const checkin = found ? L.managed.lastSyncAt(mr) : null;
    if (staleState(d, checkin, cutoff, daysAgo) !== null) stale.add(i);
    if (d.enrollmentState === 'notContacted' && !found) {
      const registered = registeredAt(L, d);
      if (registered !== null && registered < cutoff) neverEnrolled.add(i);
    }

    const missing = orphanProblems(d, found, L, checkEntra, checkIntune);
    if (missing.entra) noEntra += 1;
    if (missing.intune) noIntune += 1;
    if (missing.entra || missing.intune) orphans.add(i);

    if (holders.byDevice.size > 0 && holders.byDevice.has(d)) duplicates.add(i);
  }

  // Rows, for the shown devices only.
  const row = (state: (d: AutopilotDevice, i: number) => string) => (i: number) => identityRow(at(i), state(at(i), i));
  // The shown rows' Intune records are looked up again: a few hundred at most, against a map of every listed device.
  const intuneRow = (i: number): number => managedRowForIdentity(L, at(i));
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
      blocked: blocked.list(row((d) => blockedState(d) ?? '')),
      fixPending: fixPending.list(row(() => 'Fix pending')),
      attentionRequired: attention.list(row(() => 'Attention required')),
      stale: stale.list(row((d, i) => staleState(d, checkinOf(i), cutoff, daysAgo) ?? '')),
      neverEnrolled: neverEnrolled.list(
        row((d) => `registered ${daysAgo(registeredAt(L, d) ?? now)} days ago, never enrolled`),
      ),
      orphaned: orphans.list(
        row((d, i) => orphanState(orphanProblems(d, intuneRow(i) >= 0, L, checkEntra, checkIntune))),
      ),
      duplicateSerials: duplicates.list(row((d) => `serial shared by ${holders.byDevice.get(d) ?? 0} devices`)),
    },
    linkedUnflagged,
  };
}

function blockedState(d: AutopilotDevice): string | null {
  if (d.enrollmentState !== 'blocked' && d.userlessEnrollmentStatus !== 'blocked') return null;
  const why = [
    d.enrollmentState === 'blocked' ? 'enrollment blocked' : null,
    d.userlessEnrollmentStatus === 'blocked' ? 'userless enrollment blocked' : null,
  ];
  return why.filter((w) => w !== null).join('; ');
}

function staleState(
  d: AutopilotDevice,
  /** The last check-in of the device's Intune record; null when it has none, or no record. */
  checkin: number | null,
  cutoff: number,
  daysAgo: (t: number) => number,
): string | null {
  if (d.lastContactedAt === null || d.lastContactedAt >= cutoff) return null;
  // Autopilot's last contact is the last deployment, not the last use: a device in daily use is stale only
  // when its Intune record is silent too.
  if (checkin !== null && checkin >= cutoff) return null;
  return `last contact ${daysAgo(d.lastContactedAt)} days ago; ${checkin === null ? 'no Intune check-in' : `last check-in ${daysAgo(checkin)} days ago`}`;
}

const NOT_ORPHANED = { entra: false, intune: false } as const;

function orphanProblems(
  d: AutopilotDevice,
  /** Whether the device has an Intune record. */
  managed: boolean,
  L: Lookup,
  checkEntra: boolean,
  checkIntune: boolean,
): { readonly entra: boolean; readonly intune: boolean } {
  // Absence is only proof when the collection was read in full; otherwise that half of the check is skipped.
  let entra = false;
  if (checkEntra) {
    const aad = normId(d.azureAdDeviceId);
    entra = aad === null || !L.entraByDeviceId.has(aad);
  }
  const intune = checkIntune && !managed && (d.enrollmentState === 'enrolled' || normId(d.managedDeviceId) !== null);
  return entra || intune ? { entra, intune } : NOT_ORPHANED;
}

function orphanState(p: { readonly entra: boolean; readonly intune: boolean }): string {
  const problems = [p.entra ? 'no Entra object' : null, p.intune ? 'no Intune record' : null];
  return problems.filter((x) => x !== null).join(' + ');
}

/**
 * Serial numbers (trimmed, case-insensitive) held by two or more identities, and for each identity holding one, how
 * many hold it. The lookup already keeps the device keys (the serial for every identity that has one) that several
 * identities share, so this walks those groups only (no second index of the fleet).
 */
function sharedSerials(L: Lookup): { serials: number; byDevice: ReadonlyMap<AutopilotDevice, number> } {
  let serials = 0;
  const byDevice = new Map<AutopilotDevice, number>();
  for (const group of L.identitiesSharingKey.values()) {
    // An identity without a serial is keyed by its id, which could in theory equal someone's serial: not a holder.
    const holding = group.filter((g) => normSerial(g.serialNumber) !== null);
    if (holding.length < 2) continue;
    serials += 1;
    for (const g of holding) byDevice.set(g, holding.length);
  }
  return { serials, byDevice };
}
