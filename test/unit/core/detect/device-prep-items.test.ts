import { describe, expect, it } from 'vitest';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { defaultDetectorRules, detectAll } from '../../../../shared/core/detect/index.js';
import type { DevicePrepItemStatus, Finding, TenantSnapshot } from '../../../../shared/core/model/index.js';
import { reconcile } from '../../../../shared/core/lifecycle/reconcile.js';
import { HOUR, NOW, devicePrepDeployment, devicePrepItem, fullSnapshot } from '../../../support/builders.js';

// Issue 14 item 13, from the device-preparation detail exports:
//  - Microsoft Learn "Windows Autopilot device preparation reporting and monitoring" › Apps / Scripts
//    (https://learn.microsoft.com/autopilot/device-preparation/reporting-monitoring): Skipped usually means selected in
//    the policy but not assigned to its device group;
//  - "Windows Autopilot device preparation - known issues" (https://learn.microsoft.com/autopilot/device-preparation/known-issues)
//    › "Win32 and WinGet applications are skipped when Managed installer policy is enabled for the tenant", and
//    › "Device is stuck at 100% during the out-of-box experience (OOBE)".

const CODES_HERE: readonly string[] = [CODES.DP_APP_SKIPPED, CODES.DP_SCRIPT_SKIPPED, CODES.DP_DEPLOYMENT_STUCK_AT_100];
const script = (o: Partial<DevicePrepItemStatus> = {}) =>
  devicePrepItem({ kind: 'script', itemId: 'ps-1', name: 'Set-Region.ps1', appType: null, ...o });

function run(s: TenantSnapshot): Finding[] {
  return detectAll(s, NOW, defaultDetectorRules).findings.filter((f) => CODES_HERE.includes(f.code));
}

const sweep = (
  rows: Parameters<typeof devicePrepDeployment>[0][],
  items: DevicePrepItemStatus[],
  itemsComplete = true,
) =>
  fullSnapshot({
    devicePrepDeployments: rows.map(devicePrepDeployment),
    devicePrepItems: items,
    complete: { devicePrepItems: itemsComplete },
  });

describe('skipped apps and scripts', () => {
  it.each([
    {
      name: 'Win32 app skipped: managed installer is a possible cause',
      items: [devicePrepItem({ status: 'skipped', appType: 'Win32LobApp', name: 'Agent' })],
      code: CODES.DP_APP_SKIPPED,
      mi: true,
    },
    {
      name: 'WinGet (Store) app skipped',
      items: [devicePrepItem({ status: 'skipped', appType: 'WinGetApp' })],
      code: CODES.DP_APP_SKIPPED,
      mi: true,
    },
    {
      name: 'Microsoft 365 Apps skipped: not the managed installer case',
      items: [devicePrepItem({ status: 'skipped', appType: 'OfficeSuiteApp' })],
      code: CODES.DP_APP_SKIPPED,
      mi: false,
    },
    { name: 'script skipped', items: [script({ status: 'skipped' })], code: CODES.DP_SCRIPT_SKIPPED, mi: null },
  ])('$name', ({ items, code, mi }) => {
    const found = run(sweep([{}], items));
    expect(found.map((f) => f.code)).toEqual([code]);
    if (mi !== null) expect(found[0]!.evidence['managedInstallerPossible']).toBe(mi);
  });

  it.each([
    {
      name: 'installed, failed and in progress are not skipped',
      items: [devicePrepItem(), devicePrepItem({ itemId: 'a2', status: 'failed' }), script({ status: 'inProgress' })],
    },
    {
      name: 'a status the report wrote in another language is unknown, not skipped',
      items: [devicePrepItem({ status: 'unknown', statusCode: '4' })],
    },
    { name: 'rows of another device', items: [devicePrepItem({ status: 'skipped', intuneDeviceId: 'md-other' })] },
  ])('nothing for: $name', ({ items }) => {
    expect(run(sweep([{}], items))).toEqual([]);
  });

  it('one finding per device, names bounded, fingerprint follows the set of skipped items', () => {
    const many = Array.from({ length: 14 }, (_, n) =>
      devicePrepItem({
        itemId: `app-${n}`,
        name: `App ${String(n).padStart(2, '0')} ${'x'.repeat(200)}`,
        status: 'skipped',
      }),
    );
    const [f] = run(sweep([{}], many));
    expect(f!.evidence['skipped']).toBe(14);
    expect(String(f!.evidence['names'])).toContain('(+4 more)');
    expect(String(f!.evidence['names']).length).toBeLessThan(10 * 82 + 40);
    const [g] = run(sweep([{}], many.slice(0, 13)));
    expect(g!.fingerprint).not.toBe(f!.fingerprint);
  });
});

describe('deployment stuck at 100%', () => {
  const stuckRow = { status: 'inProgress' as const, enrolledAt: NOW - 6 * HOUR };
  it.each([
    {
      name: 'in progress 6 h, every app and script finished',
      rows: [stuckRow],
      items: [devicePrepItem(), script({ status: 'installed' })],
      complete: true,
      stuck: true,
    },
    { name: 'in progress 6 h, nothing tracked at all', rows: [stuckRow], items: [], complete: true, stuck: true },
    {
      name: 'in progress 6 h, a skipped app counts as finished',
      rows: [stuckRow],
      items: [devicePrepItem({ status: 'skipped' })],
      complete: true,
      stuck: true,
    },
    {
      name: 'an app still installing',
      rows: [stuckRow],
      items: [devicePrepItem({ status: 'inProgress' })],
      complete: true,
      stuck: false,
    },
    {
      name: 'an unreadable status counts as busy',
      rows: [stuckRow],
      items: [script({ status: 'unknown' })],
      complete: true,
      stuck: false,
    },
    {
      name: 'in progress only 2 h',
      rows: [{ status: 'inProgress' as const, enrolledAt: NOW - 2 * HOUR }],
      items: [devicePrepItem()],
      complete: true,
      stuck: false,
    },
    {
      name: 'succeeded',
      rows: [{ status: 'succeeded' as const, enrolledAt: NOW - 6 * HOUR }],
      items: [devicePrepItem()],
      complete: true,
      stuck: false,
    },
    {
      name: 'detail exports not read in full: absence of work unknown',
      rows: [stuckRow],
      items: [devicePrepItem()],
      complete: false,
      stuck: false,
    },
  ])('$name → stuck: $stuck', ({ rows, items, complete, stuck }) => {
    expect(run(sweep(rows, items, complete)).some((f) => f.code === CODES.DP_DEPLOYMENT_STUCK_AT_100)).toBe(stuck);
  });
});

describe('coverage: a run without the detail exports neither opens nor resolves these findings', () => {
  it('keeps an open skipped-app finding when the detail export was not read', () => {
    const opened = run(sweep([{}], [devicePrepItem({ status: 'skipped' })]))[0]!;
    const open = [
      {
        subjectKey: opened.subject.key,
        code: opened.code,
        fingerprint: opened.fingerprint,
        severity: opened.severity,
        title: opened.title,
        status: 'open' as const,
        firstSeenAt: NOW,
        lastSeenAt: NOW,
        resolvedAt: null,
        attempts: 0,
        lastAttemptAt: null,
      },
    ];
    const without = fullSnapshot({
      devicePrepDeployments: [devicePrepDeployment()],
      complete: { devicePrepItems: false },
    });
    const d = detectAll(without, NOW, defaultDetectorRules);
    expect(reconcile(open, d.findings, d.covers).resolved).toEqual([]);
    const withItems = sweep([{}], [devicePrepItem()]);
    const d2 = detectAll(withItems, NOW, defaultDetectorRules);
    expect(reconcile(open, d2.findings, d2.covers).resolved).toHaveLength(1);
  });
});
