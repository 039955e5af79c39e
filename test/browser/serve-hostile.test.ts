import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ACTING, DEMO_GROUP, hostileScenario, RLO_SERIAL } from '../support/hostile-scenario.js';
import { launchChromium, SKIP_BROWSER } from '../support/chromium.js';
import { DASHBOARD_LINE, startServe, type Served } from '../support/serve-process.js';

// Issue 19: `serve` against a tenant whose names and serials an attacker chose (terminal escapes, a right-to-left
// override, markup as a device name). The run goes on; serve's own output never carries a character a terminal acts
// on; the dashboard and the device page, in a real Chromium, show the strings as text: no element, no script, no
// dialog comes from tenant data.

const MARKUP_NAME = '<img src=x onerror=alert(1)><b>bold</b>';
const MARKUP_SERIAL = 'MARKUP0001';

describe.skipIf(SKIP_BROWSER)('serve on a hostile tenant', () => {
  let browser: Browser;
  let served: Served;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'apm-serve-hostile-'));
    const scenario = hostileScenario();
    const identities = scenario.windowsAutopilotDeviceIdentities ?? [];
    const blocked = identities.find((i) => i.serialNumber === '9TQ4L83');
    const withMarkup = {
      ...scenario,
      windowsAutopilotDeviceIdentities: [
        ...identities,
        // No profile assigned: a finding for a person, listed on the dashboard whatever the timers did first.
        {
          ...blocked,
          id: 'ad000000-0000-4000-8000-0000000000e9',
          serialNumber: MARKUP_SERIAL,
          displayName: MARKUP_NAME,
          enrollmentState: 'notContacted',
          userlessEnrollmentStatus: 'allowed',
          deploymentProfileAssignmentStatus: 'notAssigned',
        },
      ],
    };
    const file = join(dataDir, 'hostile.json');
    writeFileSync(file, JSON.stringify(withMarkup));
    served = startServe(join(dataDir, 'data'), ['--speed', '600', '--no-incidents', '--scenario', file], {
      DEVICE_PREP_GROUPS: JSON.stringify([
        {
          groupId: DEMO_GROUP,
          policyName: 'Contoso Win11 device preparation',
          policyId: '7a000000-0000-4000-8000-000000000001',
        },
      ]),
      REMEDIATION_MODE: 'enforce',
      BLAST_RADIUS_MAX_PERCENT: '50',
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    served?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs on, prints nothing a terminal obeys, and shows every hostile string as text in the browser', async () => {
    const [, dashboard = ''] = await served.waitFor(DASHBOARD_LINE, 30_000);
    await served.waitFor(/complianceSweep done in/, 60_000);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(dashboard.replace(/\?refresh=\d+$/, ''));
    // The device with markup as its name is on the not-assigned list, as text.
    expect(await page.locator('[data-testid="list-profile-notAssigned"]').textContent()).toContain(MARKUP_SERIAL);
    expect(await page.textContent('body')).toContain(RLO_SERIAL);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);

    // Its page, opened from its link: the name is text, not markup.
    await page.goto(new URL(`devices/${MARKUP_SERIAL}?format=html`, dashboard).href);
    expect(await page.locator('[data-testid="device-title"]').textContent()).toContain(MARKUP_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);
    expect(dialogs).toEqual([]);

    const exited = new Promise<number | null>((resolve) => served.child.once('exit', (code) => resolve(code)));
    served.child.kill('SIGINT');
    expect(await exited).toBe(0);
    const out = served.output();
    expect(out).not.toMatch(/FAILED/);
    const hit = ACTING.exec(out);
    expect(
      hit,
      `serve printed U+${(hit?.[0].charCodeAt(0) ?? 0).toString(16)} near ${JSON.stringify(out.slice(Math.max(0, (hit?.index ?? 0) - 40), (hit?.index ?? 0) + 40))}`,
    ).toBeNull();
  }, 180_000);
});
