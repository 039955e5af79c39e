import { describe, expect, it } from 'vitest';
import { catalogEntry, CODES } from '../../../../shared/core/catalog/index.js';
import { buildComplianceReport } from '../../../../shared/core/report/build-report.js';
import {
  DAY,
  finding,
  hist,
  HOUR,
  MIN,
  NOW,
  PERIOD_START,
  PLANTED,
  plantedHistory,
  plantedInput,
  plantedSnapshot,
  RULES,
} from './fixtures.js';

const input = plantedInput;

const serials = (rows: readonly { serialNumber: string | null }[]): (string | null)[] =>
  rows.map((r) => r.serialNumber);

describe('buildComplianceReport — every figure against planted counts', () => {
  const report = buildComplianceReport(input());
  const s = report.summary;

  it('is versioned and carries its period, rules and coverage', () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.period).toEqual({ start: PERIOD_START, end: NOW });
    expect(report.rules).toEqual(RULES);
    expect(report.coverage).toMatchObject({
      snapshotKind: 'full',
      identities: true,
      entraDevices: true,
      managedDevices: true,
    });
  });

  it('counts identity state figures from the snapshot', () => {
    expect(s.totalDevices).toBe(PLANTED.totalDevices);
    expect(s.profileAssignment).toEqual(PLANTED.profileAssignment);
    expect(s.blocked).toBe(PLANTED.blocked);
    expect(s.fixPending).toBe(PLANTED.fixPending);
    expect(s.attentionRequired).toBe(PLANTED.attentionRequired);
    expect(s.stale).toBe(PLANTED.stale);
    expect(s.neverEnrolled).toBe(PLANTED.neverEnrolled);
    expect(s.orphaned).toEqual(PLANTED.orphaned);
    expect(s.duplicateSerials).toEqual(PLANTED.duplicateSerials);
  });

  it('counts Intune, device-prep and sync figures', () => {
    expect(s.noncompliant).toBe(PLANTED.noncompliant);
    expect(s.notCheckedIn).toBe(PLANTED.notCheckedIn);
    expect(s.devicePrepGroups).toEqual(PLANTED.devicePrepGroups);
    expect(s.sync).toEqual({
      status: 'completed',
      lastSyncAt: NOW - 20 * MIN,
      lastManualSyncTriggerAt: NOW - 20 * MIN,
      minutesSinceLastSync: 20,
      healthy: true,
    });
  });

  it('puts the planted devices behind each figure (thresholds are strict: exactly-on-threshold is not counted)', () => {
    expect(serials(report.lists.blocked.rows)).toEqual(['B1', 'B2', 'B3']);
    expect(serials(report.lists.stale.rows)).toEqual(['S2', 'S1']); // longest silence first; S3 on the threshold, S4 in use
    expect(report.lists.stale.rows[0]?.state).toBe('last contact 200 days ago; last check-in 200 days ago');
    expect(report.lists.neverEnrolled.rows.map((r) => [r.serialNumber, r.state])).toEqual([
      ['N1', 'registered 120 days ago, never enrolled'],
      ['N2', 'registered 120 days ago, never enrolled'],
    ]);
    expect(report.lists.orphaned.rows.map((r) => [r.serialNumber, r.state])).toEqual([
      ['O1', 'no Entra object'],
      ['O2', 'no Entra object'],
      ['O3', 'no Intune record'],
    ]);
    expect(serials(report.lists.duplicateSerials.rows)).toEqual(['DUP-1', 'DUP-2', 'DUP-2', 'DUP-2', 'dup-1 ']);
    expect(serials(report.lists.noncompliant.rows)).toEqual(['H09', 'H10', 'WS-Y']);
    expect(report.lists.notCheckedIn.rows.map((r) => [r.serialNumber, r.state])).toEqual([
      ['H06', 'never checked in'],
      ['S2', 'last check-in 200 days ago'],
      ['S1', 'last check-in 95 days ago'],
      ['S3', 'last check-in 90 days ago'],
      ['H07', 'last check-in 40 days ago'],
    ]);
    expect(report.lists.devicePrepGroups.rows.map((g) => [g.groupId, g.problems])).toEqual([
      ['g-dyn', ['dynamic membership', '1 device not in group']],
      ['g-gone', ['group missing']],
      ['g-owner', ['provisioning client not owner']],
      ['g-ok', []],
    ]);
    for (const [status, n] of Object.entries(PLANTED.profileAssignment)) {
      expect(report.lists.profileAssignment[status as keyof typeof PLANTED.profileAssignment].total).toBe(n);
    }
    expect(report.lists.devices.total).toBe(PLANTED.totalDevices);
  });

  it('counts remediations in the period by status, action and day', () => {
    expect(s.remediations.total).toBe(PLANTED.remediationsTotal);
    expect(s.remediations.byStatus).toEqual({
      succeeded: 2,
      'already-done': 2,
      'failed-permanent': 1,
      planned: 1,
      deferred: 1,
    });
    expect(s.remediations.byAction).toEqual([
      { action: 'autopilot-sync', status: 'deferred', count: 1 },
      { action: 'autopilot-sync', status: 'planned', count: 1 },
      { action: 'allow-next-enrollment', status: 'failed-permanent', count: 1 },
      { action: 'allow-next-enrollment', status: 'succeeded', count: 2 },
      { action: 'restore-device-prep-owner', status: 'already-done', count: 2 },
    ]);
    expect(s.remediations.byDay).toHaveLength(31);
    expect(s.remediations.byDay[0]?.day).toBe('2025-01-30');
    expect(s.remediations.byDay.at(-1)).toEqual({
      day: '2025-03-01',
      counts: { fixed: 1, planned: 0, deferred: 0, failed: 0, other: 0 },
    });
    expect(s.remediations.byDay.find((d) => d.day === '2025-02-24')?.counts).toMatchObject({ planned: 1, deferred: 1 });
    const charted = s.remediations.byDay.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0);
    expect(charted).toBe(PLANTED.remediationsTotal);
    expect(report.lists.remediations.rows[0]).toMatchObject({ subjectKey: 'B1', status: 'succeeded' }); // newest first
  });

  it('merges open records with this sweep’s findings, current severity winning', () => {
    expect(s.openFindings.total).toBe(PLANTED.openFindings.total);
    expect(s.openFindings.bySeverity).toEqual(PLANTED.openFindings.bySeverity);
    expect(s.openFindings.oldestFirstSeenAt).toBe(NOW - 5 * DAY);
    expect(report.lists.openFindings.rows.map((r) => [r.severity, r.code, r.subjectKey, r.firstSeenAt])).toEqual([
      ['critical', CODES.AP_ATTENTION_REQUIRED, 'AR1', NOW - 5 * DAY],
      ['error', CODES.AP_USERLESS_BLOCKED, 'B1', NOW - 2 * HOUR],
      ['warning', CODES.AP_REGISTRATION_STALE, 'S1', NOW],
      ['info', CODES.AP_REGISTERED_NEVER_ENROLLED, 'N1', NOW],
    ]);
    // Titles and fixes come from the catalog, the single source.
    const top = report.lists.openFindings.rows[0]!;
    const entry = catalogEntry(CODES.AP_ATTENTION_REQUIRED)!;
    expect(top).toMatchObject({ title: entry.title, fix: entry.fix, ageMinutes: 5 * 24 * 60, remediation: null });
    expect(report.lists.openFindings.rows[1]?.remediation).toBe('allow-next-enrollment');
    expect(s.detectedByCode.map((c) => [c.code, c.count])).toEqual([
      [CODES.AP_ATTENTION_REQUIRED, 1],
      [CODES.AP_REGISTRATION_STALE, 1],
      [CODES.AP_REGISTERED_NEVER_ENROLLED, 1],
    ]);
  });

  it('keeps the detector’s title for a code the catalog does not know, with no fix', () => {
    const r = buildComplianceReport(
      input({
        findings: [finding('Z1', 'ZZ_FROM_A_NEWER_VERSION', 'warning', 'Newer problem')],
        openFindingRecords: [],
      }),
    );
    expect(r.lists.openFindings.rows).toEqual([
      expect.objectContaining({
        code: 'ZZ_FROM_A_NEWER_VERSION',
        title: 'Newer problem',
        fix: null,
        remediation: null,
      }),
    ]);
  });

  it('computes MTTR from finding-opened to the first success, in minutes', () => {
    expect(s.mttrMinutes).toBe(PLANTED.mttrMinutes);
    expect(s.mttrSamples).toBe(PLANTED.mttrSamples);
  });

  it('is pure: the same input gives the same report', () => {
    expect(buildComplianceReport(input())).toEqual(report);
  });
});

describe('MTTR edge cases', () => {
  const mttr = (history: ReturnType<typeof plantedHistory>) => {
    const s = buildComplianceReport(input({ history })).summary;
    return [s.mttrMinutes, s.mttrSamples];
  };

  it('is null when nothing pairs', () => {
    expect(mttr([])).toEqual([null, 0]);
    expect(mttr([hist('A', NOW - HOUR, 'outcome', 'succeeded', { code: 'C' })])).toEqual([null, 0]);
  });

  it('pairs by code within a subject, and to one decimal', () => {
    expect(
      mttr([
        hist('A', NOW - 100 * MIN, 'finding-opened', 'open', { code: 'C1' }),
        hist('A', NOW - 50 * MIN, 'finding-opened', 'open', { code: 'C2' }),
        hist('A', NOW - 40 * MIN, 'outcome', 'succeeded', { code: 'C2' }), // 10 min, not 60
        hist('B', NOW - 20 * MIN, 'finding-opened', 'open', { code: 'C2' }),
        hist('B', NOW - 20 * MIN + 30_000, 'outcome', 'already-done', { code: 'C2' }), // 0.5 min
      ]),
    ).toEqual([5.3, 2]); // (10 + 0.5) / 2 = 5.25 -> 5.3
  });

  it('keeps the first "opened" when a finding is re-recorded, and ignores failures and other subjects', () => {
    expect(
      mttr([
        hist('A', NOW - 3 * HOUR, 'finding-opened', 'open', { code: 'C' }),
        hist('A', NOW - 2 * HOUR, 'finding-opened', 'open', { code: 'C' }),
        hist('A', NOW - 2 * HOUR, 'outcome', 'failed-transient', { code: 'C' }),
        hist('B', NOW - HOUR, 'outcome', 'succeeded', { code: 'C' }),
        hist('A', NOW - HOUR, 'outcome', 'succeeded', { code: 'C' }),
      ]),
    ).toEqual([120, 1]);
  });
});

describe('list caps and partial snapshots', () => {
  it('keeps the total when a list is capped', () => {
    const r = buildComplianceReport(input({ listCap: 2 }));
    expect(r.lists.blocked).toMatchObject({ total: 3, truncated: true });
    expect(serials(r.lists.blocked.rows)).toEqual(['B1', 'B2']);
    expect(r.lists.devices.rows).toHaveLength(2);
    expect(r.summary.blocked).toBe(3); // figures never depend on the cap
    expect(r.lists.stale).toMatchObject({ total: 2, truncated: false });
    expect(buildComplianceReport(input()).lists.blocked.truncated).toBe(false);
  });

  it('defaults to 500 rows per list', () => {
    const base = plantedSnapshot();
    const many = Array.from({ length: 620 }, (_, i) => ({
      ...Array.from(base.identities)[0]!,
      id: `id-${i}`,
      serialNumber: `SN${String(i).padStart(4, '0')}`,
      enrollmentState: 'blocked' as const,
    }));
    const r = buildComplianceReport(input({ snapshot: { ...base, identities: many } }));
    expect(r.summary.blocked).toBe(620);
    expect(r.lists.blocked).toMatchObject({ total: 620, truncated: true });
    expect(r.lists.blocked.rows).toHaveLength(500);
  });

  it('does not call devices orphaned when the collection was not read in full', () => {
    const base = plantedSnapshot();
    const r = buildComplianceReport(
      input({ snapshot: { ...base, complete: { ...base.complete, entraDevices: false } } }),
    );
    expect(r.summary.orphaned).toEqual({ total: 1, noEntraObject: null, noIntuneRecord: 1 });
    expect(r.coverage.entraDevices).toBe(false);
  });

  it('reports an unread sync and an empty tenant without failing', () => {
    const r = buildComplianceReport(
      input({
        snapshot: { ...plantedSnapshot(), identities: [], managedDevices: [], devicePrepGroups: [], settings: null },
        history: [],
        findings: [],
        openFindingRecords: [],
      }),
    );
    expect(r.summary.totalDevices).toBe(0);
    expect(Object.values(r.summary.profileAssignment).every((n) => n === 0)).toBe(true);
    expect(r.summary.sync).toMatchObject({ status: 'unread', healthy: false });
    expect(r.summary.mttrMinutes).toBeNull();
    expect(r.summary.openFindings.oldestFirstSeenAt).toBeNull();
  });
});
