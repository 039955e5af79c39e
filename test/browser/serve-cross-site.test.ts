import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHttpBridge, type HttpBridge } from '../../cli/serve/http-bridge.js';
import { launchChromium, SKIP_BROWSER } from '../support/chromium.js';

// What a web page open in the administrator's browser can make that browser send to `serve` on 127.0.0.1. Real
// Chromium; the "attacker" is a page served from localhost on another port, another site to the browser. Its form
// and its no-cors fetch both reach serve (the browser sends them), and serve must refuse them before any trigger
// runs. The same request from serve's own origin is taken. The trigger is a counter: what runs is not the question.

describe.skipIf(SKIP_BROWSER)('serve against requests from other web sites (Chromium)', () => {
  let browser: Browser;
  let bridge: HttpBridge;
  let attacker: Server;
  let attackerUrl = '';
  const sweeps: string[] = [];

  beforeAll(async () => {
    bridge = await startHttpBridge(
      [
        {
          name: 'sweep',
          methods: ['POST'],
          route: 'sweep',
          handler: (request) => {
            sweeps.push(request.headers.get('sec-fetch-site') ?? 'none');
            return Promise.resolve({ status: 202, jsonBody: { started: true } });
          },
        },
        {
          name: 'own',
          methods: ['GET'],
          route: 'own',
          handler: () =>
            Promise.resolve({
              headers: { 'content-type': 'text/html; charset=utf-8' },
              body: '<!doctype html><form id="f" method="post" action="/api/sweep"></form>',
            }),
        },
      ],
      { port: 0, log: () => undefined },
    );
    const target = `${bridge.url}/api/sweep`;
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><body>
<iframe name="sink"></iframe>
<form id="f" method="post" action="${target}" target="sink" enctype="text/plain"><input name="x" value="1"></form>
<script>
  fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', body: '{}', headers: { 'content-type': 'text/plain' } })
    .catch(() => undefined)
    .finally(() => { document.getElementById('f').submit(); setTimeout(() => { document.title = 'done'; }, 500); });
</script></body>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    // localhost, not 127.0.0.1: another site to the browser than serve's http://127.0.0.1:port.
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  });

  it("refuses another site's form post and no-cors fetch; serve's own page may post", async () => {
    const page = await browser.newPage();
    const refused: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(bridge.url)) refused.push(r.status());
    });
    await page.goto(attackerUrl);
    await page.waitForFunction("document.title === 'done'", undefined, { timeout: 15_000 });
    expect(sweeps).toEqual([]);
    // The browser did send the form post (the no-cors fetch's answer is opaque to the page and to this listener).
    expect(refused).toContain(403);
    await page.goto(`${bridge.url}/api/own`);
    await Promise.all([page.waitForLoadState('load'), page.evaluate("document.getElementById('f').submit()")]);
    await expect.poll(() => sweeps).toEqual(['same-origin']);
    await page.close();
  });
});
