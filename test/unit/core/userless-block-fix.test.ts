import { describe, expect, it } from 'vitest';

import { toAlertItem } from '../../../shared/core/alerts/alert-item.js';
import { catalogEntry, CODES } from '../../../shared/core/catalog/catalog.js';
import { classifyManufacturer, userlessBlockedFix } from '../../../shared/core/catalog/userless-block-fix.js';
import type { EvidenceValue, Finding } from '../../../shared/core/model/index.js';

// Issue 14 item 7: the fix for a device blocked by the one-time userless enrollment block names its
// manufacturer and the documented alternatives.
// - Windows Autopilot FAQ, section "General", "Which manufacturers are enabled for pre-population of username and
//   automatic re-enrollment of pre-provisioning devices?" (https://learn.microsoft.com/autopilot/autopilot-faq):
//   Dell, Dynabook, HP, Lenovo and Microsoft Surface.
// - Windows Autopilot: What's new, "Unblock fix pending state for self-deploying and pre-provisioning mode for
//   disabled OEMs" (https://learn.microsoft.com/autopilot/windows-autopilot-whats-new): Unblock device is for
//   manufacturers outside that list, and only some of them.
// - Windows Autopilot troubleshooting FAQ, "Why is error code 0x80180014 occurring when trying to re-enroll a
//   previously enrolled device?" (https://learn.microsoft.com/autopilot/troubleshooting-faq): delete the device
//   record, or allow Windows (MDM) in the device platform restrictions.

/** What an alert card shows of a fix (teams-card.ts LIMITS.fix). */
const CARD_FIX_LIMIT = 600;

describe('AP_USERLESS_BLOCKED fix text', () => {
  it.each<[EvidenceValue, string, RegExp]>([
    ['Dell Inc.', 'listed', /Manufacturer: Dell, on Microsoft's automatic re-enrollment list/],
    ['HP', 'listed', /Manufacturer: HP, on/],
    ['Hewlett-Packard', 'listed', /Manufacturer: HP, on/],
    ['LENOVO', 'listed', /Manufacturer: Lenovo, on/],
    ['Dynabook Inc.', 'listed', /Manufacturer: Dynabook, on/],
    ['Microsoft Corporation', 'listed', /Manufacturer: Microsoft Surface, on/],
    [
      'Acer',
      'other',
      /Manufacturer: Acer, not on Microsoft's automatic re-enrollment list \(Dell, Dynabook, HP, Lenovo, Microsoft Surface\): .*Unblock device/,
    ],
    ['  Fujitsu   Client Computing ', 'other', /Manufacturer: Fujitsu Client Computing, not on/],
    // Tenant data: shown only as plain words, never as markup.
    ['**Evil** [click](https://x.example)', 'unknown', /Manufacturer not shown/],
    ['A'.repeat(41), 'unknown', /Manufacturer not shown/],
    [null, 'unknown', /Manufacturer not shown/],
  ])('%s', (manufacturer, kind, text) => {
    expect(classifyManufacturer(manufacturer).kind).toBe(kind);
    const fix = userlessBlockedFix({ manufacturer });
    expect(fix).toMatch(text);
    expect(fix).toMatch(/0x80180014/);
    expect(fix).toMatch(/delete its Intune device record/);
    expect(fix).toMatch(/Windows \(MDM\) set to Block in a device platform restriction/);
    expect(fix).not.toMatch(/[*[\]<>`|]/);
    expect(fix.length).toBeLessThanOrEqual(CARD_FIX_LIMIT);
  });

  it('reaches the alert through the catalog, per finding', () => {
    const finding: Finding = {
      code: CODES.AP_USERLESS_BLOCKED,
      subject: { kind: 'device', key: 'SN-1', serialNumber: 'SN-1', autopilotId: 'ap-1' },
      severity: 'warning',
      title: 'blocked',
      evidence: { manufacturer: 'Dell Inc.', userlessEnrollmentStatus: 'blocked' },
      fingerprint: 'fp',
      remedy: null,
    };
    const item = toAlertItem(finding, catalogEntry, 'https://intune.microsoft.com');
    expect(item.fix).toMatch(/Manufacturer: Dell/);
    // Without a device (reports, README) the catalog's text still names the list and the alternatives.
    expect(catalogEntry(CODES.AP_USERLESS_BLOCKED)!.fix).toMatch(
      /Dell, Dynabook, HP, Lenovo, Microsoft Surface.*delete its Intune device record/,
    );
  });
});
