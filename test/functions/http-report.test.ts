import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DASHBOARD_CSP, makeDashboardHandler } from '../../functions/http-dashboard.js';
import type { Timer } from '@azure/functions';

import { makePollHandler } from '../../functions/poll.js';
import { makeReportLatestHandler } from '../../functions/http-report-latest.js';
import { runComplianceSweep } from '../../shared/app/compliance/run-compliance-sweep.js';
import { getHostContainer } from '../../shared/composition/host.js';
import { header, httpRequest, invocation, jsonOf, startHarness, type Harness } from './http-harness.js';

// GET /api/report/latest and GET /api/dashboard: 404 before the first compliance sweep, then the stored report
// (JSON) and its self-contained HTML page with a CSP that allows no external source.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const latest = makeReportLatestHandler(getHostContainer);
const dashboard = makeDashboardHandler(getHostContainer);
const bodyText = (body: unknown): string => {
  if (typeof body !== 'string') throw new Error('expected a string body');
  return body;
};

function expectStrictCsp(csp: string | null): void {
  expect(csp).toBe(DASHBOARD_CSP);
  const directives = new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(directives.has('script-src')).toBe(false); // falls back to default-src 'none'
  // No source anywhere may name a host or a scheme that reaches the network.
  expect(csp).not.toMatch(/https?:|\*|\/\//);
}

describe('report/latest and dashboard', () => {
  it('before any compliance sweep: 404 JSON and a 404 page under the same CSP', async () => {
    const res = await latest(httpRequest('GET', 'report/latest'), invocation('reportLatest').ctx);
    expect(res.status).toBe(404);
    expect(jsonOf(res)).toMatchObject({
      error: 'not-found',
      message: expect.stringMatching(/^no compliance report has been stored yet/) as unknown,
    });

    const page = await dashboard(httpRequest('GET', 'dashboard'), invocation('dashboard').ctx);
    expect(page.status).toBe(404);
    expect(header(page, 'content-type')).toBe('text/html; charset=utf-8');
    expectStrictCsp(header(page, 'content-security-policy'));
    expect(bodyText(page.body)).toMatch(/<h1>No report yet<\/h1>/);
  });

  it('after a compliance sweep: the stored report as JSON, and the dashboard page', async () => {
    const result = await runComplianceSweep(h.container.complianceDeps(), h.container.complianceOptions('t1'));

    const res = await latest(httpRequest('GET', 'report/latest'), invocation('reportLatest').ctx);
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('application/json; charset=utf-8');
    expect(header(res, 'x-report-id')).toBe('t1');
    expect(header(res, 'last-modified')).toBe(new Date(result.report.generatedAt).toUTCString());
    const report = jsonOf(res);
    expect(report).toEqual(JSON.parse(JSON.stringify(result.report)));
    expect(report).toMatchObject({
      schemaVersion: 1,
      tenant: 'contoso-demo',
      summary: { totalDevices: result.report.summary.totalDevices },
    });
    expect(result.report.summary.totalDevices).toBeGreaterThan(0);

    const page = await dashboard(httpRequest('GET', 'dashboard'), invocation('dashboard').ctx);
    expect(page.status).toBe(200);
    expect(header(page, 'content-type')).toBe('text/html; charset=utf-8');
    expectStrictCsp(header(page, 'content-security-policy'));
    expect(header(page, 'x-content-type-options')).toBe('nosniff');
    const html = bodyText(page.body);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('contoso-demo');
    expect(html).not.toMatch(/<script|<link|<iframe|src="https?:/i);
  });

  it('?refresh=N makes the page reload itself (issue 19: a live view with no script); a bad N is a 400 page', async () => {
    const live = await dashboard(httpRequest('GET', 'dashboard', 'refresh=5'), invocation('dashboard').ctx);
    expect(live.status).toBe(200);
    const html = bodyText(live.body);
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).not.toMatch(/<script/i);
    expectStrictCsp(header(live, 'content-security-policy'));
    const still = await dashboard(httpRequest('GET', 'dashboard'), invocation('dashboard').ctx);
    expect(bodyText(still.body)).not.toContain('http-equiv="refresh"');
    for (const bad of ['1', '99999', 'x', '5;url=https://evil.example']) {
      const page = await dashboard(
        httpRequest('GET', 'dashboard', `refresh=${encodeURIComponent(bad)}`),
        invocation('dashboard').ctx,
      );
      expect(page.status, bad).toBe(400);
      expect(bodyText(page.body)).not.toContain('evil.example');
    }
  });

  it('links each device to its view, and shows the last scheduled runs and the next ones (issue 19)', async () => {
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: true },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };
    await makePollHandler(getHostContainer)(timer, invocation('poll').ctx);
    const page = await dashboard(httpRequest('GET', 'dashboard'), invocation('dashboard').ctx);
    const html = bodyText(page.body);
    // Relative to /api/dashboard: /api/devices/{key}?format=html, the device page.
    expect(html).toContain('<a href="devices/9TQ4L83?format=html">9TQ4L83</a>');
    const last = /data-testid="last-runs">(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
    expect(last).toMatch(/<strong>poll<\/strong> \d{4}-\d\d-\d\d \d\d:\d\d UTC · completed · findings \d+, opened \d+/);
    const next = /data-testid="next-runs">(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
    expect(next).toContain('<strong>poll</strong>');
    expect(next).toContain('<strong>complianceSweep</strong>');
    // A group's subject is not a device: no link.
    expect(html).not.toMatch(/href="devices\/9a000000-0000-4000-8000-000000000001/);
  });

  it('serves the newest report when there are several', async () => {
    h.sim.clock.advance(60 * 60_000);
    await runComplianceSweep(h.container.complianceDeps(), h.container.complianceOptions('t2'));
    const res = await latest(httpRequest('GET', 'report/latest'), invocation('reportLatest').ctx);
    expect(header(res, 'x-report-id')).toBe('t2');
  });

  it('a stored report that is not schema 1 is a 500 page, not a broken dashboard', async () => {
    await h.container.stores.reports.put({
      id: 'broken',
      at: h.container.clock.now() + 60_000,
      summary: null,
      body: '{"schemaVersion":2}',
    });
    const { ctx, logs } = invocation('dashboard');
    const page = await dashboard(httpRequest('GET', 'dashboard'), ctx);
    expect(page.status).toBe(500);
    expectStrictCsp(header(page, 'content-security-policy'));
    expect(bodyText(page.body)).toContain('the stored report broken is not a schema-1 compliance report');
    expect(logs.some((l) => l.level === 'error' && l.args[0] === 'dashboard.unreadable-report')).toBe(true);
  });

  it('refuses unknown query parameters (400) on both', async () => {
    const res = await latest(httpRequest('GET', 'report/latest', 'format=xml'), invocation('reportLatest').ctx);
    expect(res.status).toBe(400);
    expect(jsonOf(res).message).toBe('format: unknown parameter; this endpoint takes no parameters');
    // The parameter NAME is quoted back: on the HTML page it must come out escaped.
    const page = await dashboard(
      httpRequest('GET', 'dashboard', '%3Cscript%3Ealert(1)%3C/script%3E=1'),
      invocation('dashboard').ctx,
    );
    expect(page.status).toBe(400);
    expect(bodyText(page.body)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;: unknown parameter');
    expect(bodyText(page.body)).not.toContain('<script>');
  });
});
