import { describe, expect, it } from 'vitest';
import {
  buildWebhookEvent,
  complianceReportAlert,
  escalationAlert,
  findingOpenedAlert,
  findingResolvedAlert,
  remediationFailedAlert,
  shouldRoute,
  toAlertItem,
} from '../../../../shared/core/alerts/index.js';
import type { Outcome } from '../../../../shared/core/model/index.js';
import { catalog, ctx, deviceFinding, groupFinding, NOW, PORTAL } from './fixtures.js';

const failed: Outcome = {
  status: 'failed-permanent',
  detail: 'Graph 404: identity not found',
  before: null,
  after: null,
  graphRequestId: 'req-1',
  retryAt: null,
};

describe('toAlertItem', () => {
  it('takes title and fix from the catalog and links a managed device to its own page', () => {
    const item = toAlertItem(deviceFinding(1, { evidence: { managedDeviceId: 'a1b2' } }), catalog, `${PORTAL}/`);
    expect(item).toMatchObject({
      title: 'Self-deploying / pre-provisioning blocked after a previous enrollment',
      // Issue 16.5: the item names Microsoft's public page, not an internal reference string.
      docs: [
        {
          title: "Windows Autopilot: What's new",
          section: 'How to unblock devices',
          url: 'https://learn.microsoft.com/autopilot/whats-new',
        },
      ],
    });
    expect(JSON.stringify(item)).not.toMatch(/reference|§/);
    expect(item.link).toBe(
      'https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/a1b2',
    );
  });

  it('links an Autopilot-only device to the Autopilot devices blade, a group to Entra, the tenant nowhere', () => {
    expect(toAlertItem(deviceFinding(1), catalog, PORTAL).link).toBe(
      `${PORTAL}/#view/Microsoft_Intune_Enrollment/AutopilotDevices.ReactView`,
    );
    expect(toAlertItem(groupFinding('0f1e'), catalog, PORTAL).link).toBe(
      'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/0f1e',
    );
    const tenant = { ...groupFinding('x'), subject: { kind: 'tenant' as const, key: 'tenant' as const } };
    expect(toAlertItem(tenant, catalog, PORTAL).link).toBeNull();
  });

  it('falls back to the finding title and a "no documented fix" line for an uncatalogued code', () => {
    const item = toAlertItem(deviceFinding(1, { code: 'NEW_CODE', title: 'something new' }), catalog, PORTAL);
    expect(item.title).toBe('something new');
    expect(item.fix).toMatch(/No documented fix/);
  });
});

describe('alert factories', () => {
  it('opened and resolved use the fingerprint and resolved:fingerprint as dedupe keys, with the same severity', () => {
    const f = deviceFinding(3, { severity: 'warning' });
    expect(findingOpenedAlert(ctx(), f)).toMatchObject({
      kind: 'finding',
      dedupeKey: 'fp-3',
      severity: 'warning',
      at: NOW,
    });
    expect(findingResolvedAlert(ctx(), f)).toMatchObject({
      kind: 'resolved',
      dedupeKey: 'resolved:fp-3',
      severity: 'warning',
    });
  });

  it('escalation and failure are at least errors and carry what a person needs', () => {
    const esc = escalationAlert(ctx(), {
      finding: deviceFinding(1, { severity: 'warning' }),
      action: 'allow-next-enrollment',
      attempts: 3,
      detail: 'still blocked',
    });
    expect(esc).toMatchObject({
      kind: 'escalation',
      severity: 'error',
      dedupeKey: 'escalated:fp-1',
      facts: { Attempts: 3 },
    });
    const fail = remediationFailedAlert(ctx(), {
      action: 'allow-next-enrollment',
      idempotencyKey: 'contoso:allow:ap-1:b1',
      attempt: 2,
      outcome: failed,
      findings: [deviceFinding(1)],
    });
    expect(fail).toMatchObject({
      kind: 'remediation-failed',
      severity: 'error',
      dedupeKey: 'failed:contoso:allow:ap-1:b1',
      facts: { 'Graph request id': 'req-1' },
    });
  });

  it('a compliance digest counts by severity and lists the most severe first', () => {
    const a = complianceReportAlert(ctx(), {
      reportId: 'rep-1',
      devicesScanned: 400,
      findings: [deviceFinding(1, { severity: 'warning' }), groupFinding('g1'), deviceFinding(2)],
      reportUrl: null,
    });
    expect(a).toMatchObject({
      kind: 'report',
      severity: 'critical',
      dedupeKey: 'report:rep-1',
      facts: { Critical: 1, Error: 1, Warning: 1 },
    });
    expect(a.items.map((i) => i.severity)).toEqual(['critical', 'error', 'warning']);
  });
});

describe('shouldRoute', () => {
  it('routes at or above the channel minimum', () => {
    const warn = findingOpenedAlert(ctx(), deviceFinding(1, { severity: 'warning' }));
    expect(shouldRoute(warn, 'info')).toBe(true);
    expect(shouldRoute(warn, 'warning')).toBe(true);
    expect(shouldRoute(warn, 'error')).toBe(false);
  });
});

describe('webhook event', () => {
  it('caps items for very large digests and says how many were left out', () => {
    const findings = Array.from({ length: 600 }, (_, i) => deviceFinding(i));
    const ev = buildWebhookEvent(
      complianceReportAlert(ctx(), { reportId: 'r', devicesScanned: 600, findings, reportUrl: null }),
    );
    expect(ev.data).toMatchObject({ itemCount: 600, itemsOmitted: 100 });
    expect(ev.data.items).toHaveLength(500);
  });

  it('is versioned, typed by event, timestamped in ISO and carries the details', () => {
    const alert = findingOpenedAlert(ctx(), deviceFinding(1));
    const ev = buildWebhookEvent(alert);
    expect(ev).toMatchObject({
      schemaVersion: 1,
      eventType: 'finding.opened',
      severity: 'error',
      tenant: 'contoso',
      time: '2026-11-22T10:05:00.000Z',
    });
    expect(ev.id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(buildWebhookEvent(alert).id).toBe(ev.id);
    expect(buildWebhookEvent({ ...alert, at: NOW + 1 }).id).not.toBe(ev.id);
    expect(ev.data.items[0]).toMatchObject({ code: 'AP_USERLESS_BLOCKED', subject: { serialNumber: 'SN-00001' } });
    const kinds = [
      'finding',
      'resolved',
      'escalation',
      'remediation-failed',
      'blast-radius',
      'digest',
      'report',
    ] as const;
    expect(kinds.map((kind) => buildWebhookEvent({ ...alert, kind }).eventType)).toEqual([
      'finding.opened',
      'finding.resolved',
      'remediation.escalated',
      'remediation.failed',
      'safety.blast-radius',
      'run.digest',
      'report.published',
    ]);
  });
});
