import { describe, expect, it } from 'vitest';

import {
  buildTeamsMessage,
  evidenceLabel,
  findingOpenedAlert,
  remediationFailedAlert,
} from '../../../../shared/core/alerts/index.js';
import type { Alert } from '../../../../shared/core/model/index.js';
import { validateTeamsPayload, walk } from '../../../support/adaptive-cards.js';
import { ctx, deviceFinding, devicePrepFinding, PORTAL, sampleAlerts } from './fixtures.js';

// Issue 17.3: cards a person can read. Evidence labels in words, the title once, long lists as a table, every
// device by serial and name with a link, no GUID where a person expects a device name. And issue 17 "done when":
// every kind of card parses with zero events in the `adaptivecards` SDK and stays under Teams' 28 KB.

const TEAMS_HARD_LIMIT = 28 * 1024;

function texts(alert: Alert): string[] {
  return walk(buildTeamsMessage(alert, { portalUrl: PORTAL }).payload.attachments[0].content).flatMap((e) => {
    if (e.type === 'TextBlock') return [String(e.text)];
    if (e.type === 'FactSet') return (e.facts as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]);
    return [];
  });
}

function factTitles(alert: Alert): string[] {
  return walk(buildTeamsMessage(alert).payload.attachments[0].content)
    .filter((e) => e.type === 'FactSet')
    .flatMap((e) => (e.facts as { title: string }[]).map((f) => f.title));
}

describe('readable Teams cards', () => {
  it.each(Object.entries(sampleAlerts()))('%s: zero adaptivecards events, under 28 KB', (_kind, alert) => {
    const msg = buildTeamsMessage(alert, { portalUrl: PORTAL });
    expect(validateTeamsPayload(JSON.parse(msg.json))).toEqual([]);
    expect(msg.bytes).toBeLessThan(TEAMS_HARD_LIMIT);
  });

  it.each([
    ['userlessEnrollmentStatus', 'Userless enrollment status'],
    ['managedDeviceId', 'Intune device ID'],
    ['tpmVersion', 'TPM version'],
    ['lastSyncDateTime', 'Last sync date time'],
    ['deploymentProfileHRESULT', 'Deployment profile HRESULT'],
    ['failure_code', 'Failure code'],
    ['Already words', 'Already words'],
  ])('labels %s as %s', (key, label) => {
    expect(evidenceLabel(key)).toBe(label);
  });

  it('shows evidence labels in words, never camelCase field names', () => {
    const titles = factTitles(findingOpenedAlert(ctx(), deviceFinding(1)));
    expect(titles).toContain('Userless enrollment status');
    expect(titles.filter((t) => /[a-z][A-Z]/.test(t))).toEqual([]);
  });

  it('says the title once', () => {
    const alert = findingOpenedAlert(ctx(), deviceFinding(1));
    expect(texts(alert).filter((t) => t.includes('Self-deploying / pre-provisioning blocked'))).toHaveLength(1);
  });

  it('names a device-preparation device by its name, not its Entra object id', () => {
    const finding = devicePrepFinding(4);
    const alert = findingOpenedAlert(ctx(), finding);
    expect(alert.summary).toContain('DESKTOP-4');
    const shown = texts(alert);
    expect(shown).toContain('DESKTOP-4');
    // The object id still appears once, labelled, as evidence; never as the device's name.
    expect(shown.filter((t) => t.includes(finding.subject.key))).toEqual([finding.subject.key]);
    expect(factTitles(alert)).toContain('Entra object ID');
  });

  it('shows serial and name together', () => {
    const alert = findingOpenedAlert(ctx(), deviceFinding(2, { evidence: { deviceName: 'KIOSK-2' } }));
    expect(texts(alert)).toContain('SN-00002 · KIOSK-2');
  });

  it('lists more than three items as a Table whose device cell opens the device page', () => {
    const digest = sampleAlerts().digest;
    const card = buildTeamsMessage(digest, { portalUrl: PORTAL }).payload.attachments[0].content;
    const table = walk(card).find((e) => e.type === 'Table');
    expect(table).toBeDefined();
    const rows = table!.rows as { cells: { items: { text: string }[]; selectAction?: { url: string } }[] }[];
    expect(rows).toHaveLength(digest.items.length + 1);
    expect(rows[0]!.cells.map((c) => c.items[0]!.text)).toEqual(['Device or group', 'Finding', 'Severity']);
    const kiosk = rows.find((r) => r.cells[0]!.items[0]!.text === 'SN-00000 · KIOSK-0');
    expect(kiosk?.cells[0]!.selectAction?.url).toBe(
      `${PORTAL}/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/md-0`,
    );
    expect(rows.some((r) => r.cells[0]!.items[0]!.text === 'DESKTOP-1')).toBe(true);
  });

  it('keeps up to three items in full, each with its finding title when the card is not about one finding', () => {
    const alert = remediationFailedAlert(ctx(), {
      action: 'add-to-device-prep-group',
      idempotencyKey: 'k',
      attempt: 1,
      outcome: {
        status: 'failed-permanent',
        detail: 'x',
        before: null,
        after: null,
        graphRequestId: null,
        retryAt: null,
      },
      findings: [devicePrepFinding(1), devicePrepFinding(2)],
    });
    const card = buildTeamsMessage(alert).payload.attachments[0].content;
    expect(walk(card).some((e) => e.type === 'Table')).toBe(false);
    expect(texts(alert).filter((t) => t === 'Device-preparation device missing from its device group')).toHaveLength(2);
  });
});
