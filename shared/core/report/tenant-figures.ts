import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../model/index.js';
import type { DevicePrepGroupSnapshot, ManagedDevice, TenantSnapshot } from '../model/index.js';
import { lookup, managedForIdentity } from '../detect/lookup.js';
import { byDevice, capList, cmp, DAY_MS, managedRow, MINUTE_MS } from './rows.js';
import type { ComplianceLists, ComplianceSummary, DeviceRow, GroupRow } from './types.js';

// Intune, device-preparation and sync figures, from the snapshot. Definitions: ComplianceSummary in types.ts.

export function managedFigures(
  snapshot: TenantSnapshot,
  now: number,
  checkinStaleDays: number,
  cap: number,
): {
  summary: Pick<ComplianceSummary, 'noncompliant' | 'notCheckedIn'>;
  lists: Pick<ComplianceLists, 'noncompliant' | 'notCheckedIn'>;
} {
  const cutoff = now - checkinStaleDays * DAY_MS;
  const noncompliant: DeviceRow[] = [];
  const notCheckedIn: DeviceRow[] = [];
  for (const m of autopilotFleet(snapshot)) {
    if (m.complianceState === 'noncompliant') noncompliant.push(managedRow(m, 'noncompliant'));
    if (m.lastSyncAt === null) notCheckedIn.push(managedRow(m, 'never checked in'));
    else if (m.lastSyncAt < cutoff)
      notCheckedIn.push(managedRow(m, `last check-in ${Math.floor((now - m.lastSyncAt) / DAY_MS)} days ago`));
  }
  // Longest silence first: that is the order an admin works through them.
  notCheckedIn.sort((a, b) => (a.lastSeenAt ?? -Infinity) - (b.lastSeenAt ?? -Infinity) || byDevice(a, b));
  return {
    summary: { noncompliant: noncompliant.length, notCheckedIn: notCheckedIn.length },
    lists: { noncompliant: capList(noncompliant.sort(byDevice), cap), notCheckedIn: capList(notCheckedIn, cap) },
  };
}

/**
 * The Intune records that belong to the Autopilot fleet: flagged autopilotEnrolled, or the record of an
 * Autopilot identity (the detectors' join). Other Windows devices in the tenant are not this report's business.
 */
export function autopilotFleet(snapshot: TenantSnapshot): ManagedDevice[] {
  const L = lookup(snapshot);
  const linked = new Set(snapshot.identities.map((i) => managedForIdentity(L, i)).filter((m) => m !== null));
  return snapshot.managedDevices.filter((m) => m.autopilotEnrolled || linked.has(m));
}

export function groupRow(g: DevicePrepGroupSnapshot): GroupRow {
  const members = new Set(g.memberObjectIds.map((id) => id.toLowerCase()));
  const missing = g.candidates.filter((c) => !members.has(c.objectId.toLowerCase())).length;
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
