import { groupSettled, INTUNE_PROVISIONING_CLIENT_APP_ID } from '../model/index.js';
import type { DevicePrepGroupSnapshot, ManagedDevice, TenantSnapshot } from '../model/index.js';
import { lookup, managedRowForIdentityRow } from '../detect/lookup.js';
import { capList, cmp, DAY_MS, FirstN, managedRow, MINUTE_MS } from './rows.js';
import type { ComplianceLists, ComplianceSummary, GroupRow } from './types.js';

// Intune, device-preparation and sync figures, from the snapshot. Definitions: ComplianceSummary in types.ts.

export function managedFigures(
  snapshot: TenantSnapshot,
  now: number,
  checkinStaleDays: number,
  cap: number,
  /** From identityFigures' pass, when it ran (saves a second join of every identity); else computed here. */
  /** Rows of the lookup's Intune table. */
  linkedUnflagged: ReadonlySet<number> = linkedRecords(snapshot),
): {
  summary: Pick<ComplianceSummary, 'noncompliant' | 'notCheckedIn'>;
  lists: Pick<ComplianceLists, 'noncompliant' | 'notCheckedIn'>;
} {
  const cutoff = now - checkinStaleDays * DAY_MS;
  // The Intune records that belong to the Autopilot fleet: flagged autopilotEnrolled, or the record of an
  // Autopilot identity (the detectors' join). Other Windows devices in the tenant are not this report's business.
  const all = lookup(snapshot).managed;
  // Counted in one pass; each list keeps only the rows it shows (FirstN over rows), in the order the rows'
  // stable sorts give: byDevice (serial, then Intune id), then position in the snapshot. Comparisons read single
  // fields of the table: a record is built only for the rows shown.
  const inListOrder = (a: number, b: number): number =>
    cmp(all.serialNumber(a) ?? '', all.serialNumber(b) ?? '') || cmp(all.id(a), all.id(b)) || a - b;
  const noncompliant = new FirstN<number>(cap, inListOrder);
  // Longest silence first: that is the order an admin works through them.
  const notCheckedIn = new FirstN<number>(
    cap,
    (a, b) => (all.lastSyncAt(a) ?? -Infinity) - (all.lastSyncAt(b) ?? -Infinity) || inListOrder(a, b),
  );
  for (let i = 0; i < all.length; i++) {
    if (!all.autopilotEnrolled(i) && !linkedUnflagged.has(i)) continue;
    if (all.complianceState(i) === 'noncompliant') noncompliant.add(i);
    const lastSync = all.lastSyncAt(i);
    if (lastSync === null || lastSync < cutoff) notCheckedIn.add(i);
  }
  const at = (i: number): ManagedDevice => all.at(i);
  const checkinState = (m: ManagedDevice): string =>
    m.lastSyncAt === null ? 'never checked in' : `last check-in ${Math.floor((now - m.lastSyncAt) / DAY_MS)} days ago`;
  return {
    summary: { noncompliant: noncompliant.total, notCheckedIn: notCheckedIn.total },
    lists: {
      noncompliant: noncompliant.list((i) => managedRow(at(i), 'noncompliant')),
      notCheckedIn: notCheckedIn.list((i) => managedRow(at(i), checkinState(at(i)))),
    },
  };
}

/** The rows of the Intune records of Autopilot identities that are not flagged autopilotEnrolled themselves. */
function linkedRecords(snapshot: TenantSnapshot): Set<number> {
  const L = lookup(snapshot);
  const linked = new Set<number>();
  for (let i = 0; i < L.identities.length; i++) {
    const row = managedRowForIdentityRow(L, i);
    if (row >= 0 && !L.managed.autopilotEnrolled(row)) linked.add(row);
  }
  return linked;
}

export function groupRow(g: DevicePrepGroupSnapshot): GroupRow {
  const members = new Set(g.memberObjectIds.map((id) => id.toLowerCase()));
  // A settled group (a poll's counts, groupSettled) has no device missing, and lists no members to compare with.
  const missing = groupSettled(g) ? 0 : g.candidates.filter((c) => !members.has(c.objectId.toLowerCase())).length;
  // The service principal is recognised by appId only: its display name differs between tenants.
  const ownerOk = g.owners.some((o) => o.appId?.toLowerCase() === INTUNE_PROVISIONING_CLIENT_APP_ID);
  const problems = [
    g.group === null ? 'group missing' : null,
    g.group?.isDynamic === true ? 'dynamic membership' : null,
    g.group !== null && !ownerOk ? 'provisioning client not owner' : null,
    missing > 0 ? `${missing} device${missing === 1 ? '' : 's'} not in group` : null,
  ].filter((p) => p !== null);
  return {
    groupId: g.groupId,
    name: g.group?.displayName ?? null,
    policyName: g.policyName,
    healthy: problems.length === 0,
    problems,
    members: g.memberObjectIds.length,
    missingMembers: missing,
  };
}

export function groupFigures(
  snapshot: TenantSnapshot,
  cap: number,
): { summary: Pick<ComplianceSummary, 'devicePrepGroups'>; lists: Pick<ComplianceLists, 'devicePrepGroups'> } {
  // Unhealthy first, so a capped list never hides a broken group behind healthy ones.
  const rows = snapshot.devicePrepGroups
    .map(groupRow)
    .sort(
      (a, b) => Number(a.healthy) - Number(b.healthy) || cmp(a.policyName, b.policyName) || cmp(a.groupId, b.groupId),
    );
  const healthy = rows.filter((r) => r.healthy).length;
  return {
    summary: { devicePrepGroups: { total: rows.length, healthy, unhealthy: rows.length - healthy } },
    lists: { devicePrepGroups: capList(rows, cap) },
  };
}

export function syncFigure(snapshot: TenantSnapshot, now: number): ComplianceSummary['sync'] {
  const s = snapshot.settings;
  if (s === null) {
    return {
      status: 'unread',
      lastSyncAt: null,
      lastManualSyncTriggerAt: null,
      minutesSinceLastSync: null,
      healthy: false,
    };
  }
  return {
    status: s.syncStatus,
    lastSyncAt: s.lastSyncAt,
    lastManualSyncTriggerAt: s.lastManualSyncTriggerAt,
    minutesSinceLastSync: s.lastSyncAt === null ? null : Math.max(0, Math.floor((now - s.lastSyncAt) / MINUTE_MS)),
    healthy: s.syncStatus !== 'failed',
  };
}
