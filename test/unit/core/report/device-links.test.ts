import { describe, expect, it } from 'vitest';

import {
  deviceListDetails,
  deviceViewHref,
  openFindingsTable,
} from '../../../../shared/core/report/dashboard-tables.js';
import type { DeviceRow, OpenFindingRow } from '../../../../shared/core/report/index.js';

// The dashboard links a device to its page only when the device lookup can take its key: a serial with a TAB or
// 600 characters is shown (escaped) but not linked, since its page could only answer 400. A Markdown link as a name
// stays text.

const row = (serialNumber: string, name = 'CTS-1'): DeviceRow => ({
  serialNumber,
  manufacturer: null,
  model: null,
  name,
  state: 'userless: blocked',
  autopilotId: null,
  azureAdDeviceId: null,
  managedDeviceId: null,
  lastSeenAt: null,
});
const list = <T>(rows: T[]) => ({ total: rows.length, truncated: false, rows });

describe('device links on the dashboard', () => {
  it('links a usable serial, not one with a TAB or of 600 characters; names stay text', () => {
    const long = 'A'.repeat(600);
    const page = deviceListDetails(
      'blocked',
      'Blocked',
      list([row('9TQ4L83', '[click](https://evil.example)'), row('AB\tCD'), row(long)]),
      [],
      deviceViewHref,
    ).value;
    expect(page).toContain('<a href="devices/9TQ4L83?format=html">9TQ4L83</a>');
    expect(page).toContain('AB\tCD');
    expect(page).not.toContain('href="devices/AB');
    expect(page).toContain(long);
    expect(page).not.toContain(`href="devices/${long}`);
    expect(page).toContain('[click](https://evil.example)');
    expect(page).not.toContain('href="https://evil.example');
  });

  it('an open finding about a device links it; a hostile subject key does not', () => {
    const finding = (subjectKey: string): OpenFindingRow => ({
      severity: 'warning',
      code: 'AP_USERLESS_BLOCKED',
      title: 't',
      subjectKey,
      subjectKind: 'device',
      firstSeenAt: 0,
      ageMinutes: 0,
      fix: null,
      remediation: null,
    });
    const table = openFindingsTable(list([finding('9TQ4L83'), finding('X\u001b[2JY')]), 0, deviceViewHref).value;
    expect(table).toContain('href="devices/9TQ4L83?format=html"');
    expect(table).not.toContain('href="devices/X');
  });
});
