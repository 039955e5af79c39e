import {
  approvalRequestedAlert,
  blastRadiusAlert,
  complianceReportAlert,
  escalationAlert,
  findingOpenedAlert,
  findingResolvedAlert,
  remediationFailedAlert,
  runDigestAlert,
  runOutcomesAlert,
  type AlertContext,
  type CatalogLookup,
  type FindingLike,
} from '../../../../shared/core/alerts/index.js';
import { cite, LEARN } from '../../../../shared/core/catalog/catalog.js';
import { DEREGISTER, request as approvalRequest } from '../../app/approvals/fixtures.js';
import type { CatalogEntry } from '../../../../shared/core/catalog/types.js';
import type { Alert, AlertKind, Finding, Severity } from '../../../../shared/core/model/index.js';

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
    docs: [cite(LEARN.apWhatsNew, 'How to unblock devices')],
    cadence: 'poll',
  },
  DP_GROUP_OWNER_MISSING: {
    code: 'DP_GROUP_OWNER_MISSING',
    title: 'Device-preparation group is not owned by Intune Provisioning Client',
    severity: 'critical',
    signal: 'group owners lack the Intune Provisioning Client service principal',
    fix: 'Add the Intune Provisioning Client service principal as an owner of the group.',
    remediation: 'restore-device-prep-owner',
    docs: [cite(LEARN.dpTutorialDeviceGroup, 'Adding the Intune Provisioning Client service principal')],
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
    evidence: {
      userlessEnrollmentStatus: 'blocked',
      model: 'Surface Laptop 5 — 13.5"',
      lastContactedAt: '2026-11-21T09:00:00Z',
    },
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

/** A device-preparation finding as the detector builds it: no serial in Entra, the object id as its key. */
export function devicePrepFinding(i: number): FindingLike {
  const objectId = `0f6c1a2e-55d4-4c11-9a51-${String(i).padStart(12, '0')}`;
  return {
    code: 'DP_DEVICE_NOT_IN_GROUP',
    subject: { kind: 'device', key: objectId, serialNumber: null, autopilotId: null },
    severity: 'error',
    title: 'Device-preparation device missing from its device group',
    evidence: { entraObjectId: objectId, deviceName: `DESKTOP-${i}`, enrollmentProfileName: 'Contoso device prep' },
    fingerprint: `fp-dp-${i}`,
    remedy: null,
  };
}

/** One realistic alert of every kind the product sends; the digest is long enough to be a table. */
export function sampleAlerts(): Record<AlertKind, Alert> {
  const c = ctx();
  const devices = Array.from({ length: 12 }, (_, i) =>
    deviceFinding(i, {
      remedy: null,
      evidence: { userlessEnrollmentStatus: 'blocked', deviceName: `KIOSK-${i}`, managedDeviceId: `md-${i}` },
    }),
  );
  const findings: FindingLike[] = [
    ...devices,
    devicePrepFinding(1),
    groupFinding('7d1e7c0a-2a7e-4a8e-9c1e-000000000001'),
  ];
  const first = devices[0]!;
  return {
    finding: findingOpenedAlert(c, first),
    resolved: findingResolvedAlert(c, groupFinding('7d1e7c0a-2a7e-4a8e-9c1e-000000000001')),
    escalation: escalationAlert(c, {
      finding: first,
      action: 'allow-next-enrollment',
      attempts: 3,
      detail: 'the device is still blocked after 3 unblocks',
    }),
    'remediation-failed': remediationFailedAlert(c, {
      action: 'add-to-device-prep-group',
      idempotencyKey: 'k-1',
      attempt: 2,
      outcome: {
        status: 'failed-permanent',
        detail: 'Graph answered 403 Authorization_RequestDenied',
        before: null,
        after: null,
        graphRequestId: 'req-1',
        retryAt: null,
      },
      findings: [devicePrepFinding(1), devicePrepFinding(2)],
    }),
    'blast-radius': blastRadiusAlert(c, {
      runId: 'poll:2026-11-22T10:05:00Z',
      wouldAct: 90,
      maxDevices: 50,
      maxPercent: 10,
      fleetSize: 400,
    }),
    digest: runDigestAlert(c, {
      runId: 'poll:2026-11-22T10:05:00Z',
      opened: findings,
      needsPerson: new Set(findings.map((f) => f.fingerprint)),
      queuedForRemediation: 0,
      resolvedAfterRemediation: [],
      resolvedOnTheirOwn: 0,
      escalations: [],
      devicesTouched: findings.length,
    }),
    outcomes: runOutcomesAlert(c, {
      runId: 'poll:2026-11-22T10:05:00Z',
      commands: [
        {
          action: 'allow-next-enrollment',
          subjects: ['SN-00001 · KIOSK-1'],
          status: 'succeeded',
          detail: 'Unblocked; the re-read shows userlessEnrollmentStatus allowed.',
        },
        {
          action: 'add-to-device-prep-group',
          subjects: ['DESKTOP-1', 'DESKTOP-2'],
          status: 'failed-permanent',
          detail: 'Graph answered 403 Authorization_RequestDenied',
        },
        {
          action: 'autopilot-sync',
          subjects: ['the tenant'],
          status: 'deferred',
          detail: 'the 10-minute sync window opens at 10:15',
        },
      ],
    }),
    report: complianceReportAlert(c, { reportId: 'r-1', devicesScanned: 400, findings, reportUrl: null }),
    'approval-requested': approvalRequestedAlert(
      c,
      approvalRequest(DEREGISTER),
      `https://apm.example.test/api/approvals/${approvalRequest(DEREGISTER).id}?token=${'t'.repeat(43)}`,
    ),
  };
}
