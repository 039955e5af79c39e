import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../shared/ports/stores.port.js';
import { buildComplianceReport } from '../../shared/core/report/build-report.js';
import { fmtCount, fmtMinutes } from '../../shared/core/report/format.js';
import { renderDashboardHtml } from '../../shared/core/report/render-dashboard.js';
import type { ComplianceReport } from '../../shared/core/report/types.js';
import {
  DAY,
  finding,
  hist,
  HOUR,
  identity,
  NOW,
  PERIOD_START,
  PLANTED,
  plantedFindings,
  plantedHistory,
  plantedRecords,
  plantedSnapshot,
  RULES,
} from '../unit/core/report/fixtures.js';

// The dashboard in a real Chromium at a laptop's 1280×800: figures readable, nothing fetched, nothing wider
// than the screen. Chromium comes from the distribution (apt-get install chromium), never from playwright.

const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');
const HOSTILE_SERIAL = `<script>alert("x")</script>${'W'.repeat(180)}`;

/** A month of outcomes so the chart has a shape (deterministic: a fixed pseudo-random sequence). */
function monthOfOutcomes(): HistoryRecord[] {
  const statuses = [
    'succeeded',
    'succeeded',
    'already-done',
    'planned',
    'deferred',
    'failed-transient',
    'no-longer-applies',
  ];
  let x = 7;
  const next = (n: number): number => (x = (x * 48271) % 2147483647) % n;
  return Array.from({ length: 30 }, (_, day) =>
    Array.from({ length: next(6) }, (_, k) => {
      const status = statuses[next(statuses.length)]!;
      return hist(`SN-${day}-${k}`, PERIOD_START + day * DAY + (k + 1) * HOUR, 'outcome', status, {
        action: 'allow-next-enrollment',
      });
    }),
  ).flat();
}

function report(hostile: boolean): ComplianceReport {
  const base = plantedSnapshot();
  const extra = hostile
    ? [identity(HOSTILE_SERIAL, 999, { enrollmentState: 'blocked', displayName: '<img src=x onerror=alert(1)>' })]
    : [];
  const findings = hostile
    ? [...plantedFindings(), finding(HOSTILE_SERIAL, 'AP_USERLESS_BLOCKED', 'error')]
    : plantedFindings();
  return buildComplianceReport({
    snapshot: { ...base, identities: [...base.identities, ...extra] },
    findings,
    openFindingRecords: plantedRecords(),
    history: [...plantedHistory(), ...monthOfOutcomes()],
    periodStart: PERIOD_START,
    now: NOW,
    tenant: 'contoso.onmicrosoft.com',
    rules: RULES,
  });
}

type Visit = {
  page: Page;
  requests: string[];
  failed: string[];
  consoleErrors: string[];
  dialogs: string[];
  url: string;
};

describe.skipIf(SKIP)(
  SKIP
    ? `dashboard in Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); it always runs when CI is set`
    : 'dashboard in Chromium',
  () => {
    const pages = new Map<string, string>();
    let server: Server;
    let base = '';
    let browser: Browser;

    beforeAll(async () => {
      server = createServer((req, res) => {
        const body = pages.get(req.url ?? '');
        res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(body ?? 'not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    async function visit(path: string, r: ComplianceReport): Promise<Visit> {
      pages.set(path, renderDashboardHtml(r, { generatedAt: NOW + 5 * 60_000 }));
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const v: Visit = { page, requests: [], failed: [], consoleErrors: [], dialogs: [], url: `${base}${path}` };
      page.on('request', (req) => v.requests.push(req.url()));
      page.on('requestfailed', (req) => v.failed.push(req.url()));
      page.on('console', (msg) => (msg.type() === 'error' ? v.consoleErrors.push(msg.text()) : undefined));
      page.on('pageerror', (err) => v.consoleErrors.push(err.message));
      page.on('dialog', (d) => {
        v.dialogs.push(d.message());
        void d.dismiss();
      });
      const res = await page.goto(v.url, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      return v;
    }

    async function assertFitsWidth(page: Page): Promise<void> {
      const view = page.viewportSize()?.width ?? 0;
      // A string expression: the test compiles without the DOM lib, so no callback touches DOM types.
      const scroll = await page.evaluate<number>('document.documentElement.scrollWidth');
      const main = await page.locator('main').boundingBox();
      expect(view).toBe(1280);
      expect(scroll).toBeLessThanOrEqual(view); // no horizontal scrollbar
      expect((main?.x ?? 0) + (main?.width ?? Infinity)).toBeLessThanOrEqual(view);
    }

    it('shows the report’s figures and table, fetches nothing, fits 1280 px, and is screenshotted', async () => {
      const r = report(false);
      const v = await visit('/dashboard', r);
      const { page } = v;
      const tile = (id: string) => page.getByTestId(`tile-${id}-value`).textContent();
      const s = r.summary;
      expect(await tile('total')).toBe(fmtCount(s.totalDevices));
      expect(s.totalDevices).toBe(PLANTED.totalDevices);
      expect(await tile('blocked')).toBe(String(PLANTED.blocked));
      expect(await tile('stale')).toBe(String(PLANTED.stale));
      expect(await tile('orphaned')).toBe(String(PLANTED.orphaned.total));
      expect(await tile('noncompliant')).toBe(String(PLANTED.noncompliant));
      expect(await tile('open-findings')).toBe(String(PLANTED.openFindings.total));
      expect(await tile('mttr')).toBe(fmtMinutes(s.mttrMinutes));
      for (const sev of ['critical', 'error', 'warning', 'info'] as const) {
        expect(await page.getByTestId(`open-${sev}`).textContent()).toBe(`${s.openFindings.bySeverity[sev]} ${sev}`);
      }
      for (const id of ['total', 'blocked', 'stale', 'orphaned', 'noncompliant', 'open-findings', 'mttr']) {
        await expect(page.getByTestId(`tile-${id}`).isVisible()).resolves.toBe(true);
      }

      const table = page.locator('table[data-testid="open-findings"]');
      const cells: string[][] = [];
      for (const row of await table.locator('tbody tr').all()) {
        cells.push((await row.locator('td').allTextContents()).slice(0, 4).map((t) => t.trim()));
      }
      expect(cells).toEqual(r.lists.openFindings.rows.map((f) => [f.severity, f.code, f.title, f.subjectKey]));
      expect(await page.getByTestId('profile-chart').isVisible()).toBe(true);
      expect(await page.getByTestId('remediation-chart').isVisible()).toBe(true);

      await assertFitsWidth(page);
      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: join(OUT, 'dashboard-viewport.png') });
      await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true });
      await table.screenshot({ path: join(OUT, 'dashboard-open-findings.png') });

      expect(v.requests).toEqual([v.url]);
      expect(v.failed).toEqual([]);
      expect(v.consoleErrors).toEqual([]);
      await page.close();
    });

    it('renders a hostile serial as text, runs nothing, and still fits the width with every list open', async () => {
      const v = await visit('/hostile', report(true));
      const { page } = v;
      for (const summary of await page.locator('details > summary').all()) await summary.click(); // open every list
      expect(await page.locator('script, img, [onerror]').count()).toBe(0);
      expect(await page.getByTestId('list-blocked').textContent()).toContain(HOSTILE_SERIAL);
      expect(await page.locator('table[data-testid="open-findings"]').textContent()).toContain(HOSTILE_SERIAL);
      await assertFitsWidth(page);
      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: join(OUT, 'dashboard-hostile.png'), fullPage: true });
      await page.getByTestId('list-blocked').screenshot({ path: join(OUT, 'dashboard-hostile-list.png') });
      expect(v.dialogs).toEqual([]);
      expect(v.requests).toEqual([v.url]);
      expect(v.failed).toEqual([]);
      expect(v.consoleErrors).toEqual([]);
      await page.close();
    });
  },
);
