import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../e2e/cli-process.js';
import { launchChromium, SKIP_BROWSER } from '../support/chromium.js';
import { DASHBOARD_LINE, startServe, type Served } from '../support/serve-process.js';

// Issue 19: `autopilot-medic serve` on the embedded default, sped up, watched in a real Chromium. The dashboard page
// reloads itself (a meta refresh: the page still runs no script); nobody reloads it by hand. The living tenant blocks
// a device; the page shows it open, then resolved once the fix was applied and verified; the history endpoint has
// the decision and the verified outcome. Chromium comes from the distribution, never from playwright.

/** The open findings' rows as `CODE subject`, read between the page's own reloads (a read during one is retried). */
async function openFindingRows(page: Page): Promise<string[]> {
  for (;;) {
    try {
      await page.locator('[data-testid="generated"]').waitFor({ timeout: 5_000 });
      // Code and subject cells only: a fix text may name other codes.
      const rows = '[data-testid="open-findings"] tbody tr';
      const codes = await page.locator(`${rows} td:nth-child(2)`).allTextContents();
      const subjects = await page.locator(`${rows} td:nth-child(4)`).allTextContents();
      const again = await page.locator(`${rows} td:nth-child(2)`).allTextContents();
      // A reload between the reads would pair cells of two pages: read again then.
      if (again.join('\n') !== codes.join('\n') || subjects.length !== codes.length) continue;
      return codes.map((c, i) => `${c} ${subjects[i] ?? ''}`);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const blockedRow = (serial: string) => (rows: string[]) =>
  rows.some((r) => r.includes('AP_USERLESS_BLOCKED') && r.includes(serial));

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe.skipIf(SKIP_BROWSER)('serve: the whole app, unattended, in a browser', () => {
  let browser: Browser;
  let served: Served;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'apm-serve-'));
    served = startServe(dataDir, ['--speed', '120']);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    served?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a blocked device appears on the live dashboard, is unblocked, verified and resolves; history shows it', async () => {
    const [, dashboard = ''] = await served.waitFor(DASHBOARD_LINE, 30_000);
    const base = new URL(dashboard).origin;
    const [, serial = ''] = await served.waitFor(/tenant: blocked \(([A-Z0-9]+)\)/, 90_000);

    const page = await browser.newPage();
    let loads = 0;
    page.on('load', () => (loads += 1));
    await page.goto(dashboard);
    const isBlocked = blockedRow(serial);
    await until(`${serial} is open on the dashboard`, 90_000, async () => isBlocked(await openFindingRows(page)));
    await until(`${serial} is no longer open`, 90_000, async () => !isBlocked(await openFindingRows(page)));
    // Every change above came from the page's own reloads.
    expect(loads).toBeGreaterThan(1);
    const actions = await page.locator('[data-testid="remediations-by-action"]').textContent();
    expect(actions).toContain('allow-next-enrollment');
    // The strip of last and next runs: the timers' own records, and their schedules.
    expect(await page.locator('[data-testid="last-runs"]').textContent()).toMatch(
      /poll \d{4}-.* · completed · findings/,
    );
    expect(await page.locator('[data-testid="next-runs"]').textContent()).toMatch(/complianceSweep \d{4}-/);
    // A device's name on the dashboard opens its view (the page a technician needs next).
    const link = page.locator('[data-testid="open-findings"] tbody a').first();
    const key = (await link.textContent()) ?? '';
    await link.click();
    await page.waitForURL(/\/api\/devices\/[^?]+\?format=html$/);
    expect(page.url()).toContain(`/api/devices/${encodeURIComponent(key)}?format=html`);
    expect(await page.locator('[data-testid="device-title"]').textContent()).toMatch(/^Device \S/);
    expect(await page.locator('[data-testid="history"]').isVisible()).toBe(true);

    const history = (await (await fetch(`${base}/api/history?serial=${serial}&limit=50`)).json()) as {
      items: { type: string; action: string | null; status: string }[];
    };
    const types = history.items.map((r) => `${r.type}:${r.action ?? ''}:${r.status}`);
    expect(types).toContainEqual(expect.stringMatching(/^decision:allow-next-enrollment:/));
    expect(types).toContain('outcome:allow-next-enrollment:succeeded');
    expect(types).toContain('finding-resolved::resolved');

    // The CLI's other commands share the running serve's tables and tenant (Azurite is never started twice on
    // one folder): history has the fix, and the technician's view of the device is complete.
    const cliHistory = await runCli(['history', '--serial', serial], { DATA_DIR: dataDir });
    expect(cliHistory.code, cliHistory.stderr).toBe(0);
    expect(cliHistory.stdout).toMatch(/outcome\s+allow-next-enrollment\s+enforce\s+succeeded/);
    const device = await runCli(['device', serial], { DATA_DIR: dataDir });
    expect(device.code, device.stderr).toBe(0);
    expect(device.stdout).toContain(serial);
    expect(device.stdout).toMatch(/allow-next-enrollment/);

    // Ctrl-C: serve waits for the run in progress, closes everything it started, and exits 0.
    const exited = new Promise<number | null>((resolve) => served.child.once('exit', (code) => resolve(code)));
    served.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(served.output()).not.toMatch(/FAILED|test mode/);
    // What serve did stays in the data folder after it stops.
    expect(existsSync(join(dataDir, 'lock.json'))).toBe(false);
    const after = await runCli(['history', '--serial', serial], { DATA_DIR: dataDir });
    expect(after.stdout).toMatch(/outcome\s+allow-next-enrollment\s+enforce\s+succeeded/);
  }, 300_000);
});
