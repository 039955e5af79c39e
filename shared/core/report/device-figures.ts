import { lookup, managedForIdentity, normId, normSerial, registeredAt } from '../detect/lookup.js';
import type { Lookup } from '../detect/lookup.js';
import { PROFILE_ASSIGNMENT_STATUSES } from '../model/index.js';
import type { AutopilotDevice, ProfileAssignmentStatus, TenantSnapshot } from '../model/index.js';
import { byDevice, capList, cmp, DAY_MS, identityRow, recordOf } from './rows.js';
import type { CappedList, ComplianceLists, ComplianceSummary, DeviceRow } from './types.js';

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
): { summary: IdentitySummary; lists: IdentityLists } {
  const L = lookup(snapshot);
  // One sort of the identities in list order (byDevice: serial, then id); every list below walks it, so each
  // comes out already in order, and a list of the whole fleet builds rows only for the `cap` it shows.
  const ids = [...snapshot.identities].sort(
    (a, b) => cmp(a.serialNumber ?? '', b.serialNumber ?? '') || cmp(a.id ?? '', b.id ?? ''),
  );
  const rows = (pick: (d: AutopilotDevice) => string | null): DeviceRow[] => {
    const out: DeviceRow[] = [];
    for (const d of ids) {
      const state = pick(d);
      if (state !== null) out.push(identityRow(d, state));
    }
    return out;
  };

  const perStatus = new Map<ProfileAssignmentStatus, { total: number; rows: DeviceRow[] }>(
    PROFILE_ASSIGNMENT_STATUSES.map((s) => [s, { total: 0, rows: [] }]),
  );
  for (const d of ids) {
    const list = perStatus.get(d.profileAssignmentStatus);
    if (!list) continue;
    list.total += 1;
    if (list.rows.length < cap) list.rows.push(identityRow(d, `profile ${d.profileAssignmentStatus}`));
  }

  const cutoff = now - staleDays * DAY_MS;
  const daysAgo = (t: number): number => Math.floor((now - t) / DAY_MS);

  const devices = ids
    .slice(0, Math.max(0, cap))
    .map((d) => identityRow(d, `${d.enrollmentState}, profile ${d.profileAssignmentStatus}`));
  const blocked = rows((d) => {
    const why = [
      d.enrollmentState === 'blocked' ? 'enrollment blocked' : null,
      d.userlessEnrollmentStatus === 'blocked' ? 'userless enrollment blocked' : null,
    ];
    const text = why.filter((w) => w !== null).join('; ');
    return text === '' ? null : text;
  });
  const fixPending = rows((d) => (d.remediationState === 'automaticRemediationRequired' ? 'Fix pending' : null));
  const attention = rows((d) => (d.remediationState === 'manualRemediationRequired' ? 'Attention required' : null));
  const stale = rows((d) => {
    if (d.lastContactedAt === null || d.lastContactedAt >= cutoff) return null;
    // Autopilot's last contact is the last deployment, not the last use: a device in daily use is stale only
    // when its Intune record is silent too.
    const checkin = managedForIdentity(L, d)?.lastSyncAt ?? null;
    if (checkin !== null && checkin >= cutoff) return null;
    return `last contact ${daysAgo(d.lastContactedAt)} days ago; ${checkin === null ? 'no Intune check-in' : `last check-in ${daysAgo(checkin)} days ago`}`;
  }).sort((a, b) => (a.lastSeenAt ?? 0) - (b.lastSeenAt ?? 0) || byDevice(a, b));
  const neverEnrolled = rows((d) => {
    if (d.enrollmentState !== 'notContacted' || managedForIdentity(L, d) !== null) return null;
    const registered = registeredAt(L, d);
    return registered !== null && registered < cutoff
      ? `registered ${daysAgo(registered)} days ago, never enrolled`
      : null;
  });
  const orphans = orphaned(snapshot, L);
  const duplicates = duplicateSerials(ids);

  return {
    summary: {
      totalDevices: ids.length,
      profileAssignment: recordOf(PROFILE_ASSIGNMENT_STATUSES, (s) => perStatus.get(s)?.total ?? 0),
      blocked: blocked.length,
      fixPending: fixPending.length,
      attentionRequired: attention.length,
      stale: stale.length,
      neverEnrolled: neverEnrolled.length,
      orphaned: orphans.summary,
      duplicateSerials: duplicates.summary,
    },
    lists: {
      devices: shownOf(ids.length, devices, cap),
      profileAssignment: recordOf(PROFILE_ASSIGNMENT_STATUSES, (s) =>
        shownOf(perStatus.get(s)?.total ?? 0, perStatus.get(s)?.rows ?? [], cap),
      ),
      blocked: capList(blocked.sort(byDevice), cap),
      fixPending: capList(fixPending.sort(byDevice), cap),
      attentionRequired: capList(attention.sort(byDevice), cap),
      stale: capList(stale, cap),
      neverEnrolled: capList(neverEnrolled.sort(byDevice), cap),
      orphaned: capList(orphans.rows.sort(byDevice), cap),
      duplicateSerials: capList(duplicates.rows.sort(byDevice), cap),
    },
  };
}

function orphaned(snapshot: TenantSnapshot, L: Lookup): { summary: IdentitySummary['orphaned']; rows: DeviceRow[] } {
  // Absence is only proof when the collection was read in full; otherwise that half of the check is skipped.
  const checkEntra = snapshot.complete.entraDevices;
  const checkIntune = snapshot.complete.managedDevices;
  let noEntra = 0;
  let noIntune = 0;
  const rows: DeviceRow[] = [];
  for (const d of snapshot.identities) {
    const aad = normId(d.azureAdDeviceId);
    const missingEntra = checkEntra && (aad === null || !L.entraByDeviceId.has(aad));
    const expectsIntune = normId(d.managedDeviceId) !== null || d.enrollmentState === 'enrolled';
    const missingIntune = checkIntune && expectsIntune && managedForIdentity(L, d) === null;
    if (missingEntra) noEntra += 1;
    if (missingIntune) noIntune += 1;
    if (missingEntra || missingIntune) {
      const problems = [missingEntra ? 'no Entra object' : null, missingIntune ? 'no Intune record' : null];
      rows.push(identityRow(d, problems.filter((p) => p !== null).join(' + ')));
    }
  }
  return {
    summary: {
      total: rows.length,
      noEntraObject: checkEntra ? noEntra : null,
      noIntuneRecord: checkIntune ? noIntune : null,
    },
    rows,
  };
}

function duplicateSerials(ids: readonly AutopilotDevice[]): {
  summary: IdentitySummary['duplicateSerials'];
  rows: DeviceRow[];
} {
  const bySerial = new Map<string, AutopilotDevice[]>();
  for (const d of ids) {
    const key = normSerial(d.serialNumber);
    if (key === null) continue;
    const group = bySerial.get(key);
    if (group) group.push(d);
    else bySerial.set(key, [d]);
  }
  const groups = [...bySerial.values()].filter((g) => g.length > 1);
  const rows = groups.flatMap((g) => g.map((d) => identityRow(d, `serial shared by ${g.length} devices`)));
  return { summary: { serials: groups.length, devices: rows.length }, rows };
}

/** capList for a list whose first `cap` rows were built in order while `total` were counted. */
function shownOf(total: number, firstRows: readonly DeviceRow[], cap: number): CappedList<DeviceRow> {
  return { total, truncated: total > cap, rows: firstRows.slice(0, Math.max(0, cap)) };
}
