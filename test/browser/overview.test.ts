import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeDashboardFleetHandler } from '../../functions/http-dashboard.js';
import { makeDeviceFleetHandler } from '../../functions/http-device.js';
import { startHttpBridge, type HttpBridge } from '../../cli/serve/http-bridge.js';
import { launchChromium, SKIP_BROWSER } from '../support/chromium.js';
import { DEMO, DENIED, HOSTILE, startFleetHarness, type FleetHarness } from '../functions/fleet-harness.js';

// The cross-tenant overview of a many-tenant deployment in a real Chromium at 1280×800, served by the fleet's own
// dashboard and device handlers (on 127.0.0.1): one row per tenant, worst first; a person can click from the overview
// to a tenant's dashboard, from there to one of its devices and back, and every page keeps the tenant. Nothing is
// fetched, nothing runs, nothing is wider than the screen, and the markup a tenant planted stays text.

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');

describe.skipIf(SKIP_BROWSER)('the overview of many tenants in Chromium', () => {
  let h: FleetHarness;
  let bridge: HttpBridge;
  let browser: Browser;

  beforeAll(async () => {
    h = await startFleetHarness();
    const getFleet = () => Promise.resolve(h.fleet);
    bridge = await startHttpBridge(
      [
        { name: 'dashboard', methods: ['GET'], route: 'dashboard', handler: makeDashboardFleetHandler(getFleet) },
        { name: 'device', methods: ['GET'], route: 'devices/{key}', handler: makeDeviceFleetHandler(getFleet) },
      ],
      { port: 0, log: () => undefined },
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await h?.stop();
  });

  async function open(): Promise<{ page: Page; requests: string[]; dialogs: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const v = { page, requests: [] as string[], dialogs: [] as string[], errors: [] as string[] };
    page.on('request', (r) => v.requests.push(r.url()));
    page.on('dialog', (d) => {
      v.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => v.errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? v.errors.push(m.text()) : undefined));
    return v;
  }

  async function fitsWidth(page: Page): Promise<void> {
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
  }

  it('overview → tenant dashboard → device → back, the tenant kept all the way; nothing fetched or run', async () => {
    const v = await open();
    const { page } = v;
    const res = await page.goto(`${bridge.url}/api/dashboard`);
    expect(res?.status()).toBe(200);
    const rows = page.locator('table[data-testid="overview"] tbody tr');
    expect(await rows.count()).toBe(4);
    // Worst first: the tenant that refuses access heads the list.
    expect(await rows.first().getAttribute('data-tenant')).toBe(DENIED);
    expect(await rows.first().getAttribute('data-health')).toBe('failing');
    expect(await page.locator(`tr[data-tenant="${HOSTILE}"] th a`).textContent()).toBe('Woodgrove & Sons');
    await fitsWidth(page);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'overview.png'), fullPage: true });

    await page.locator(`tr[data-tenant="${HOSTILE}"] th a`).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(HOSTILE);
    expect(await page.getByTestId('tenant').textContent()).toContain(HOSTILE);
    await fitsWidth(page);

    const deviceLink = page.locator('a[href^="devices/9TQ4L83"]').first();
    await deviceLink.click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/api/devices/9TQ4L83');
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(HOSTILE);
    expect(await page.getByTestId('device-title').textContent()).toContain('9TQ4L83');

    await page.locator('a', { hasText: 'dashboard' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(HOSTILE);
    await page.getByTestId('overview-link').click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).search).toBe('');
    expect(await rows.count()).toBe(4);

    // Only the pages themselves were requested, all from this server; no dialog, no script error.
    for (const r of v.requests) expect(r.startsWith(`${bridge.url}/api/`), r).toBe(true);
    expect(v.dialogs).toEqual([]);
    expect(v.errors).toEqual([]);
    await page.close();
  });

  it("a tenant's planted markup is text on its dashboard, and another tenant's dashboard does not show it", async () => {
    const v = await open();
    const { page } = v;
    await page.goto(`${bridge.url}/api/dashboard?tenant=${HOSTILE}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('body').textContent()).toContain('<img src=x onerror=alert(1)>');
    await page.goto(`${bridge.url}/api/dashboard?tenant=${DEMO}`);
    expect(await page.locator('body').textContent()).not.toContain('onerror');
    expect(v.dialogs).toEqual([]);
    await page.close();
  });
});
