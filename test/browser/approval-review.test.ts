import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadAppTriggers } from '../../cli/serve/functions.js';
import { startHttpBridge, type HttpBridge } from '../../cli/serve/http-bridge.js';
import { createTableStores } from '../../shared/adapters/tables/table-stores.js';
import { silentLogger } from '../../shared/adapters/logging/loggers.js';
import { runPoll } from '../../shared/app/poll/run-poll.js';
import { buildContainer, type Container } from '../../shared/composition/container.js';
import { loadConfig } from '../../shared/config/index.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { startReceiver, type Receiver } from '../integration/alerts/receiver.js';

// The approval flow in a real Chromium: the app's HTTP functions served on 127.0.0.1 (the `serve` bridge, the same
// handlers as the Functions host), the tenant simulator as Graph, Azurite as Table Storage, a webhook receiver on
// loopback. A full sweep proposes deregistering the Attention-required device; the Review link is taken from the
// webhook payload that was actually sent; the browser opens it, approves, and the history endpoint shows the
// outcome. The review page is screenshotted into docs/ for the README (UPDATE_DOCS_SCREENSHOTS=1) and test-output/.

const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-output');
const ATTENTION = 'ad000000-0000-4000-8000-00000000000e';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(SKIP)('approval review page in Chromium', () => {
  let azurite: Awaited<ReturnType<typeof withAzurite>>;
  let sim: Simulator;
  let receiver: Receiver;
  let container: Container;
  let bridge: HttpBridge;
  let browser: Browser;

  beforeAll(async () => {
    azurite = await withAzurite();
    sim = await startSimulator({ scenario: 'demo', port: 0 });
    receiver = await startReceiver(() => ({ status: 200 }));
    const port = await freePort();
    const config = loadConfig({
      GRAPH_BASE_URL: sim.url,
      GRAPH_TOKEN: sim.token,
      TENANT_NAME: 'contoso.onmicrosoft.com',
      REMEDIATION_MODE: 'enforce',
      APPROVAL_SIGNING_KEY: 'approval-signing-key-for-the-browser-test-42',
      APPROVAL_BASE_URL: `http://127.0.0.1:${port}`,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: 'whsec_' + Buffer.from('0123456789abcdef0123').toString('base64'),
    });
    container = await buildContainer(config, {
      logger: silentLogger,
      stores: await createTableStores({ connectionString: azurite.connectionString }, 'browserApprovals'),
      clock: { now: () => sim.clock.nowMs() },
      forceInProcessQueue: true,
      graph: { sleep: () => Promise.resolve() },
    });
    const triggers = await loadAppTriggers(container);
    bridge = await startHttpBridge(triggers.routes, { port, log: () => undefined });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    mkdirSync(OUT, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await container?.dispose();
    await receiver?.close();
    await sim?.stop();
    await azurite?.stop();
  });

  it('opens the Review link of the real alert, approves, and the history shows the deletion', async () => {
    await runPoll(container.pollDeps(), container.pollOptions('full', 'browser-sweep'));
    await container.drainLocally();
    const events = receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const approval = events.find((e) => {
      const data = e['data'] as { items?: { evidence?: { autopilotId?: string } }[] } | undefined;
      return e['eventType'] === 'approval.requested' && data?.items?.[0]?.evidence?.autopilotId === ATTENTION;
    });
    const link = (approval?.['data'] as { review?: { url?: string } } | undefined)?.review?.url;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/approvals\/[0-9a-f]{32}\?token=/);

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(`${req.method()} ${req.url()}`));
    const res = await page.goto(link ?? '', { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.locator('h1').textContent()).resolves.toBe(
      `deregister Autopilot device PF4ZR7KD (record ${ATTENTION})`,
    );
    await expect(page.locator('#status').textContent()).resolves.toBe('pending');
    // The page loads nothing besides itself.
    expect(requests).toEqual([`GET ${link ?? ''}`]);
    await page.screenshot({ path: join(OUT, 'approval-review.png'), fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
      await page.screenshot({ path: join(ROOT, 'docs', 'approval-review.png'), fullPage: false });
    expect(sim.requests().filter((r) => r.method === 'DELETE')).toEqual([]);

    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Approve' }).click(),
    ]);
    const notice = (await page.getByRole('status').textContent()) ?? '';
    expect(notice).toContain('Approved by function key');
    expect(notice).toContain('succeeded');
    await expect(page.locator('#status').textContent()).resolves.toBe('approved, succeeded');
    await page.screenshot({ path: join(OUT, 'approval-approved.png'), fullPage: true });
    expect(
      sim
        .requests()
        .filter((r) => r.method === 'DELETE')
        .map((r) => `${r.path} ${r.status}`),
    ).toEqual([`/deviceManagement/windowsAutopilotDeviceIdentities/${ATTENTION} 204`]);

    const history = await page.goto(`${bridge.url}/api/history?serial=PF4ZR7KD`, { waitUntil: 'load' });
    const body = (await history?.json()) as {
      items: { type: string; status: string; action: string | null; reason: string }[];
    };
    const mine = body.items.filter((r) => r.action === 'deregister-autopilot-device');
    expect(mine.map((r) => `${r.type}:${r.status}`)).toEqual(
      expect.arrayContaining([
        'outcome:succeeded',
        'attempt:started',
        'decision:approved',
        'decision:approval-requested',
      ]),
    );
    expect(mine.find((r) => r.type === 'decision' && r.status === 'approved')?.reason).toMatch(
      /^approved by function key/,
    );
  }, 120_000);
});
