import { CODES } from '../../../../shared/core/catalog/index.js';
import type {
  AutopilotDevice,
  EntraDevice,
  Finding,
  ManagedDevice,
  Severity,
  TenantSnapshot,
} from '../../../../shared/core/model/index.js';
import type { FindingRecord, HistoryRecord } from '../../../../shared/ports/stores.port.js';
import type { ReportInput } from '../../../../shared/core/report/build-report.js';
import * as b from '../../../support/builders.js';

// A small tenant with KNOWN planted counts for every report figure (PLANTED below), built from the shared
// builders (healthy by default) with only what each planted device needs changed.

const { NOW, DAY, HOUR, MINUTE: MIN } = b;
export { DAY, HOUR, MIN, NOW };
export const PERIOD_START = NOW - 30 * DAY;
export const RULES = { staleDays: 90, checkinStaleDays: 30 };

const guid = (prefix: string, n: number): string =>
  `${prefix}${String(n).padStart(4, '0')}-0000-4000-8000-000000000000`;

/** Device n: ids that join across Autopilot, Entra and Intune, contacted and checked in yesterday. */
export function identity(serial: string, n: number, over: Partial<AutopilotDevice> = {}): AutopilotDevice {
  return b.identity({
    id: guid('a', n),
    serialNumber: serial,
    displayName: `PC-${serial}`,
    lastContactedAt: NOW - DAY,
    azureAdDeviceId: guid('e', n),
    managedDeviceId: guid('m', n),
    ...over,
  });
}

export function entraFor(d: AutopilotDevice, n: number, createdAt = NOW - 120 * DAY): EntraDevice {
  return b.entraDevice({
    objectId: guid('0', n),
    deviceId: d.azureAdDeviceId ?? guid('e', n),
    displayName: d.displayName,
    createdAt,
  });
}

export function managed(id: string, serial: string | null, over: Partial<ManagedDevice> = {}): ManagedDevice {
  return b.managedDevice({
    id,
    deviceName: serial === null ? null : `PC-${serial}`,
    serialNumber: serial,
    azureAdDeviceId: null,
    lastSyncAt: NOW - DAY,
    ...over,
  });
}

type Plant = {
  serial: string;
  over?: Partial<AutopilotDevice>;
  entra?: boolean;
  registeredAt?: number;
  intune?: Partial<ManagedDevice> | false;
};

/** Every device and its planted condition. Default: healthy, enrolled, in sync, compliant, with Entra and Intune records. */
const PLANTS: readonly Plant[] = [
  ...Array.from({ length: 4 }, (_, i): Plant => ({ serial: `H0${i + 1}` })),
  { serial: 'H05', intune: { lastSyncAt: NOW - 30 * DAY } }, // exactly on the check-in threshold: not counted
  { serial: 'H06', intune: { lastSyncAt: null } },
  { serial: 'H07', intune: { lastSyncAt: NOW - 40 * DAY } },
  { serial: 'H08', intune: { complianceState: 'conflict' } },
  { serial: 'H09', intune: { complianceState: 'noncompliant' } },
  { serial: 'H10', intune: { complianceState: 'noncompliant' } },
  { serial: 'B1', over: { userlessEnrollmentStatus: 'blocked' } },
  { serial: 'B2', over: { enrollmentState: 'blocked' } },
  {
    serial: 'B3',
    over: { enrollmentState: 'blocked', userlessEnrollmentStatus: 'blocked', profileAssignmentStatus: 'failed' },
  },
  {
    serial: 'FP1',
    over: { remediationState: 'automaticRemediationRequired', profileAssignmentStatus: 'assignedOutOfSync' },
  },
  { serial: 'AR1', over: { remediationState: 'manualRemediationRequired' } },
  {
    serial: 'AR2',
    over: { remediationState: 'manualRemediationRequired', profileAssignmentStatus: 'assignedUnkownSyncState' },
  },
  // Stale = no Autopilot contact AND no Intune check-in for over 90 days.
  {
    serial: 'S1',
    over: { lastContactedAt: NOW - 100 * DAY, profileAssignmentStatus: 'assignedOutOfSync' },
    intune: { lastSyncAt: NOW - 95 * DAY },
  },
  { serial: 'S2', over: { lastContactedAt: NOW - 200 * DAY }, intune: { lastSyncAt: NOW - 200 * DAY } },
  { serial: 'S3', over: { lastContactedAt: NOW - 90 * DAY }, intune: { lastSyncAt: NOW - 90 * DAY } }, // exactly on the threshold
  { serial: 'S4', over: { lastContactedAt: NOW - 150 * DAY } }, // deployed long ago, checks in daily: in use, not stale
  // Never enrolled = notContacted, no Intune record, registered over 90 days ago; N3 is fresh stock.
  ...(['N1', 'N2', 'N3'] as const).map((serial, i): Plant => ({
    serial,
    over: {
      enrollmentState: 'notContacted',
      lastContactedAt: null,
      managedDeviceId: null,
      profileAssignmentStatus: (['notAssigned', 'pending', 'unknown'] as const)[i]!,
    },
    intune: false,
    ...(serial === 'N3' ? { registeredAt: NOW - 10 * DAY } : {}),
  })),
  { serial: 'O1', entra: false }, // azureAdDeviceId points at an Entra object that no longer exists
  { serial: 'O2', over: { azureAdDeviceId: null }, entra: false },
  { serial: 'O3', intune: false }, // managedDeviceId set, Intune record gone
  { serial: 'DUP-1' },
  { serial: 'dup-1 ' },
  { serial: 'DUP-2' },
  { serial: 'DUP-2' },
  { serial: 'DUP-2', over: { profileAssignmentStatus: 'notAssigned' } },
];

/** What PLANTS plants, figure by figure; the unit test and the browser test both check against it. */
export const PLANTED = {
  totalDevices: PLANTS.length, // 31
  profileAssignment: {
    unknown: 1,
    assignedInSync: 23,
    assignedOutOfSync: 2,
    assignedUnkownSyncState: 1,
    notAssigned: 2,
    pending: 1,
    failed: 1,
  },
  blocked: 3,
  fixPending: 1,
  attentionRequired: 2,
  stale: 2,
  neverEnrolled: 2,
  orphaned: { total: 3, noEntraObject: 2, noIntuneRecord: 1 },
  duplicateSerials: { serials: 2, devices: 5 },
  noncompliant: 3, // H09, H10 and WS-Y (Autopilot-enrolled, no identity); WS-X is not an Autopilot device
  notCheckedIn: 5, // H06 (never), H07 (40 d), S1, S2, S3 (silent in Intune for 90+ days); H05 sits on the threshold
  devicePrepGroups: { total: 4, healthy: 1, unhealthy: 3 },
  remediationsTotal: 7,
  openFindings: { total: 4, bySeverity: { info: 1, warning: 1, error: 1, critical: 1 } },
  mttrMinutes: 60,
  mttrSamples: 2,
} as const;

export function plantedSnapshot(over: Partial<TenantSnapshot> = {}): TenantSnapshot {
  const identities = PLANTS.map((p, i) => identity(p.serial, i + 1, p.over));
  const entraDevices = identities.flatMap((d, i) =>
    PLANTS[i]!.entra === false ? [] : [entraFor(d, i + 1, PLANTS[i]!.registeredAt)],
  );
  const managedDevices = identities.flatMap((d, i) => {
    const p = PLANTS[i]!;
    return p.intune === false || d.managedDeviceId === null
      ? []
      : [managed(d.managedDeviceId, d.serialNumber, p.intune ?? {})];
  });
  managedDevices.push(
    managed('m-not-autopilot', 'WS-X', { complianceState: 'noncompliant', autopilotEnrolled: false }),
    managed('m-autopilot-only', 'WS-Y', { complianceState: 'noncompliant', autopilotEnrolled: true }),
  );
  const cand = (n: number): EntraDevice => ({
    ...entraFor(identity(`C${n}`, 900 + n), 900 + n),
    enrollmentProfileName: 'DP policy',
  });
  const group = (id: string, isDynamic = false) => b.group({ id, displayName: `Group ${id}`, isDynamic });
  const devicePrepGroups = [
    b.devicePrepGroup({
      groupId: 'g-ok',
      policyName: 'DP policy',
      group: group('g-ok'),
      memberObjectIds: [cand(1).objectId],
      candidates: [cand(1)],
    }),
    b.devicePrepGroup({ groupId: 'g-owner', policyName: 'DP owner', group: group('g-owner'), owners: [] }),
    b.devicePrepGroup({ groupId: 'g-gone', policyName: 'DP gone', group: null, owners: [] }),
    b.devicePrepGroup({ groupId: 'g-dyn', policyName: 'DP dyn', group: group('g-dyn', true), candidates: [cand(2)] }),
  ];
  return {
    ...b.fullSnapshot({
      observedAt: NOW - MIN,
      identities,
      devicePrepGroups,
      entraDevices,
      managedDevices,
      fleetSize: identities.length,
      settings: b.settings({
        lastSyncAt: NOW - 20 * MIN,
        lastManualSyncTriggerAt: NOW - 20 * MIN,
        syncStatus: 'completed',
      }),
    }),
    ...over,
  };
}

let seq = 0;
export function hist(
  subjectKey: string,
  at: number,
  type: HistoryRecord['type'],
  status: string,
  over: Partial<HistoryRecord> = {},
): HistoryRecord {
  seq += 1;
  return {
    subjectKey,
    at,
    id: `h${seq}`,
    runId: 'run-1',
    type,
    action: null,
    code: null,
    idempotencyKey: null,
    mode: 'enforce',
    status,
    reason: `${type} ${status}`,
    attempt: 1,
    graphRequestId: null,
    before: null,
    after: null,
    ...over,
  };
}

export function plantedHistory(): HistoryRecord[] {
  const allow = { action: 'allow-next-enrollment' as const, code: CODES.AP_USERLESS_BLOCKED };
  return [
    hist('B1', NOW - 2 * HOUR, 'finding-opened', 'open', { code: CODES.AP_USERLESS_BLOCKED }),
    hist('B1', NOW - 90 * MIN, 'outcome', 'succeeded', allow), // 30 min
    hist('g-owner', NOW - 3 * DAY, 'finding-opened', 'open', { code: CODES.DP_GROUP_OWNER_MISSING }),
    hist('g-owner', NOW - 3 * DAY + 90 * MIN, 'outcome', 'already-done', { action: 'restore-device-prep-owner' }), // 90 min, code-less
    hist('g-owner', NOW - 3 * DAY + 95 * MIN, 'outcome', 'already-done', { action: 'restore-device-prep-owner' }), // redelivery: unpaired
    hist('B3', NOW - DAY, 'outcome', 'failed-permanent', allow),
    hist('tenant', NOW - 5 * DAY, 'outcome', 'planned', { action: 'autopilot-sync', mode: 'plan' }),
    hist('tenant', NOW - 5 * DAY + HOUR, 'outcome', 'deferred', { action: 'autopilot-sync' }),
    hist('X1', NOW - 41 * DAY, 'finding-opened', 'open', { code: CODES.AP_USERLESS_BLOCKED }),
    hist('X1', NOW - 40 * DAY, 'outcome', 'succeeded', allow), // before the period: consumes its clock, not averaged
    hist('S1', NOW - 10 * DAY, 'finding-opened', 'open', { code: CODES.AP_USERLESS_BLOCKED }),
    hist('S1', NOW - 9 * DAY, 'finding-resolved', 'resolved', { code: CODES.AP_USERLESS_BLOCKED }),
    hist('S1', NOW - 8 * DAY, 'outcome', 'succeeded', allow), // its finding resolved by itself: unpaired
    hist('B1', NOW - HOUR, 'decision', 'remediate', allow), // not an outcome: ignored
  ];
}

export function record(
  subjectKey: string,
  code: string,
  severity: Severity,
  firstSeenAt: number,
  status: 'open' | 'resolved' = 'open',
): FindingRecord {
  return {
    subjectKey,
    code,
    fingerprint: `fp-${subjectKey}-${code}`,
    severity,
    title: `Stored title ${code}`,
    status,
    firstSeenAt,
    lastSeenAt: NOW - MIN,
    resolvedAt: status === 'resolved' ? NOW - HOUR : null,
    attempts: 0,
    lastAttemptAt: null,
    evidence: null,
  };
}

export function plantedRecords(): FindingRecord[] {
  return [
    record('B1', CODES.AP_USERLESS_BLOCKED, 'error', NOW - 2 * HOUR),
    record('AR1', CODES.AP_ATTENTION_REQUIRED, 'error', NOW - 5 * DAY),
    record('S2', CODES.AP_REGISTRATION_STALE, 'warning', NOW - 50 * DAY, 'resolved'),
  ];
}

export function finding(serial: string, code: string, severity: Severity, title = `Detected ${code}`): Finding {
  return {
    code,
    severity,
    title,
    evidence: {},
    fingerprint: `fp-${serial}-${code}-${severity}`,
    remedy: null,
    subject: { kind: 'device', key: serial, serialNumber: serial, autopilotId: null },
  };
}

export function plantedFindings(): Finding[] {
  return [
    finding('AR1', CODES.AP_ATTENTION_REQUIRED, 'critical'), // escalated since stored: the current severity wins
    finding('S1', CODES.AP_REGISTRATION_STALE, 'warning'),
    finding('S1', CODES.AP_REGISTRATION_STALE, 'warning'), // a detector repeating itself is one finding
    finding('N1', CODES.AP_REGISTERED_NEVER_ENROLLED, 'info'),
  ];
}

/** The planted tenant as the report builder's input, with any part replaced. */
export function plantedInput(over: Partial<ReportInput> = {}): ReportInput {
  return {
    snapshot: plantedSnapshot(),
    findings: plantedFindings(),
    openFindingRecords: plantedRecords(),
    history: plantedHistory(),
    periodStart: PERIOD_START,
    now: NOW,
    tenant: 'contoso.onmicrosoft.com',
    rules: RULES,
    ...over,
  };
}
