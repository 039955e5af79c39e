import type { AlertContext, CatalogLookup, FindingLike } from '../../../../shared/core/alerts/index.js';
import type { CatalogEntry } from '../../../../shared/core/catalog/types.js';
import type { Finding, Severity } from '../../../../shared/core/model/index.js';

// Shared fixtures for alert tests: a two-entry catalog and finding builders with realistic (fake) ids.

export const PORTAL = 'https://intune.microsoft.com';
export const NOW = Date.UTC(2026, 10, 22, 10, 5, 0);

const ENTRIES: Record<string, CatalogEntry> = {
  AP_USERLESS_BLOCKED: {
    code: 'AP_USERLESS_BLOCKED',
    title: 'Self-deploying / pre-provisioning blocked after a previous enrollment',
    severity: 'error',
    signal: 'identity userlessEnrollmentStatus = blocked',
    fix: 'Unblock the device (allowNextEnrollment), then restart the deployment.',
    remediation: 'allow-next-enrollment',
    reference: 'autopilot-reference §3.2',
    cadence: 'poll',
  },
  DP_GROUP_OWNER_MISSING: {
    code: 'DP_GROUP_OWNER_MISSING',
    title: 'Device-preparation group is not owned by Intune Provisioning Client',
    severity: 'critical',
    signal: 'group owners lack the Intune Provisioning Client service principal',
    fix: 'Add the Intune Provisioning Client service principal as an owner of the group.',
    remediation: 'restore-device-prep-owner',
    reference: 'autopilot-reference §5.1',
    cadence: 'poll',
  },
};

export const catalog: CatalogLookup = (code) => ENTRIES[code];

export function ctx(overrides: Partial<AlertContext> = {}): AlertContext {
  return { tenant: 'contoso', at: NOW, catalog, portalUrl: PORTAL, ...overrides };
}

export function deviceFinding(i: number, overrides: Partial<Finding> = {}): Finding {
  const serial = `SN-${String(i).padStart(5, '0')}`;
  return {
    code: 'AP_USERLESS_BLOCKED',
    subject: { kind: 'device', key: serial, serialNumber: serial, autopilotId: `ap-${i}` },
    severity: 'error',
    title: 'userless enrollment blocked',
    evidence: { userlessEnrollmentStatus: 'blocked', model: 'Surface Laptop 5 — 13.5"', lastContactedAt: '2026-11-21T09:00:00Z' },
    fingerprint: `fp-${i}`,
    remedy: { action: 'allow-next-enrollment', autopilotId: `ap-${i}`, serialNumber: serial },
    ...overrides,
  };
}

export function groupFinding(groupId: string, severity: Severity = 'critical'): FindingLike {
  return {
    code: 'DP_GROUP_OWNER_MISSING',
    subject: { kind: 'group', key: groupId, groupId },
    severity,
    title: 'owner missing',
    evidence: { groupId },
    fingerprint: `fp-group-${groupId}`,
    remedy: null,
  };
}
