import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTeamsMessage } from '../../shared/core/alerts/index.js';
import { PORTAL, sampleAlerts } from '../unit/core/alerts/fixtures.js';

// Issue 17.5: one card of each kind rendered by the maintained Adaptive Cards JavaScript renderer in a real
// Chromium, for a screenshot a person can look at (test-output/cards/). Teams' own renderer is not available
// here; this is the SDK Microsoft publishes for HTML hosts. Nothing is fetched: the bundle is injected inline.

const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output', 'cards');
const BUNDLE = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');

describe.skipIf(SKIP)(
  SKIP ? `cards in Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)` : 'cards in Chromium',
  () => {
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(OUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it.each(Object.entries(sampleAlerts()))('%s renders with no error, nothing fetched', async (kind, alert) => {
      const page = await browser.newPage({ viewport: { width: 720, height: 400 } });
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      await page.setContent(
        '<!doctype html><html><body style="margin:0;background:#f5f5f5;font-family:sans-serif"><div id="card" style="width:680px;margin:20px"></div></body></html>',
      );
      await page.addScriptTag({ path: BUNDLE });
      const card = buildTeamsMessage(alert, { portalUrl: PORTAL }).payload.attachments[0].content;
      const rendered = await page.evaluate((json) => {
        // Node's typings have no DOM: the few browser shapes used here are spelt out.
        type Md = { didProcess: boolean; outputHtml?: string };
        type El = {
          getBoundingClientRect(): { height: number };
          innerText: string;
          querySelectorAll(s: string): { length: number };
        };
        const doc = (
          globalThis as unknown as { document: { getElementById(id: string): { appendChild(e: El): void } | null } }
        ).document;
        const ac = (
          globalThis as unknown as {
            AdaptiveCards: {
              AdaptiveCard: (new () => { parse(j: unknown): void; render(): El | undefined }) & {
                onProcessMarkdown?: (t: string, r: Md) => void;
              };
            };
          }
        ).AdaptiveCards;
        // The SDK leaves Markdown to its host. A small stand-in for Teams: HTML-escape, honour backslash escapes
        // and **bold**, nothing else (so no link could appear even if a text carried one).
        ac.AdaptiveCard.onProcessMarkdown = (text, result) => {
          const html = text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
          result.outputHtml = html.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>').replace(/\\(.)/g, '$1');
          result.didProcess = true;
        };
        const c = new ac.AdaptiveCard();
        c.parse(json);
        const el = c.render();
        if (!el) return null;
        doc.getElementById('card')!.appendChild(el);
        return {
          height: el.getBoundingClientRect().height,
          text: el.innerText,
          links: el.querySelectorAll('a[href]').length,
        };
      }, card as unknown);
      expect(rendered).not.toBeNull();
      expect(rendered!.height).toBeGreaterThan(60);
      expect(rendered!.text).toContain(alert.title.slice(0, 20));
      // No anchor elements at all: tenant text never became a link; the card's buttons are buttons.
      expect(rendered!.links).toBe(0);
      await page.locator('#card').screenshot({ path: join(OUT, `${kind}.png`) });
      expect(consoleErrors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
      await page.close();
    });
  },
);
