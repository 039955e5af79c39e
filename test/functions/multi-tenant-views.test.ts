import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApprovalFleetHandler } from '../../functions/http-approvals.js';
import { makeDashboardFleetHandler } from '../../functions/http-dashboard.js';
import { makeDeviceFleetHandler } from '../../functions/http-device.js';
import { makeHealthFleetHandler } from '../../functions/http-health.js';
import { makeHistoryFleetHandler } from '../../functions/http-history.js';
import { makeReportLatestFleetHandler } from '../../functions/http-report-latest.js';
import { makeSweepFleetHandler } from '../../functions/http-sweep.js';
import { reviewUrl } from '../../shared/app/approvals/index.js';
import type { Fleet } from '../../shared/composition/fleet.js';
import type { Stores } from '../../shared/ports/index.js';
import {
  DEMO,
  DENIED,
  HEALTHY,
  HOSTILE,
  startFleetHarness,
  XSS_NAME,
  XSS_SERIAL,
  type FleetHarness,
} from './fleet-harness.js';
import { header, httpRequest, invocation, jsonOf } from './http-harness.js';

// The HTTP functions of a many-tenant deployment, built on the fleet as the host registers them, after one
// compliance run per tenant (fleet-harness.ts): each tenant sees its own data only, a request that names no
// configured tenant is refused, what the tenant controls is escaped.

const bodyOf = (res: HttpResponseInit): string => (typeof res.body === 'string' ? res.body : '');

/** The overview's row of one tenant (the markup between its <tr> and </tr>). */
function rowOf(page: string, tenant: string): string {
  const start = page.indexOf(`<tr data-tenant="${tenant}"`);
  if (start < 0) throw new Error(`no overview row for ${tenant}`);
  return page.slice(start, page.indexOf('</tr>', start));
}

describe('many tenants: views', () => {
  let h: FleetHarness;
  let fleet: Fleet;
  let stores: ReadonlyMap<string, Stores>;
  const getFleet = () => Promise.resolve(fleet);
  const identitiesOf = (tenant: string): number => h.identitiesOf(tenant);

  beforeAll(async () => {
    h = await startFleetHarness();
    fleet = h.fleet;
    stores = h.stores;
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
  });

  const dashboard = makeDashboardFleetHandler(getFleet);

  it('the overview has one row per tenant: devices, open findings by severity, last run, health', async () => {
    const res = await dashboard(httpRequest('GET', 'dashboard'), invocation('dashboard').ctx);
    expect(res.status).toBe(200);
    expect(header(res, 'content-security-policy')).toContain("default-src 'none'");
    const page = bodyOf(res);
    expect(page).not.toMatch(/<script/i);
    expect(page.match(/<tr data-tenant=/g)).toHaveLength(4);

    const demo = rowOf(page, DEMO);
    expect(demo).toContain('data-health="ok"');
    expect(demo).toContain(`href="dashboard?tenant=${DEMO}"`);
    expect(demo).toMatch(new RegExp(`data-testid="devices">${identitiesOf(DEMO)}<`));
    const demoOpen = await stores.get(DEMO)!.findings.listOpen();
    expect(demoOpen.length).toBeGreaterThan(0);
    expect(demo).toContain(`data-testid="open-total">${demoOpen.length}<`);
    const critical = demoOpen.filter((f) => f.severity === 'critical').length;
    expect(demo).toMatch(
      new RegExp(
        `data-severity="critical">${critical > 0 ? `<span class="sev sev-critical">${critical}</span>` : '0'}<`,
      ),
    );
    expect(demo).toContain('complianceSweep');

    const healthy = rowOf(page, HEALTHY);
    expect(healthy).toContain('data-health="ok"');
    expect(healthy).toMatch(new RegExp(`data-testid="devices">${identitiesOf(HEALTHY)}<`));
    expect(healthy).toContain(`data-testid="open-total">${(await stores.get(HEALTHY)!.findings.listOpen()).length}<`);

    // No report (its run was refused by Graph), an aborted run, and health failing for lack of access.
    const denied = rowOf(page, DENIED);
    expect(denied).toContain('data-health="failing"');
    expect(denied).toContain('no report yet');
    expect(denied).toContain('aborted');
    expect(denied).toContain('data-testid="open-total">0<');

    // The worst tenant first.
    expect(page.indexOf(`data-tenant="${DENIED}"`)).toBeLessThan(page.indexOf(`data-tenant="${DEMO}"`));
    // A configured display name is escaped like everything else.
    expect(page).toContain('Woodgrove &amp; Sons');
  });

  it("one tenant's unreachable tables show in its row; the others still show", async () => {
    const s = stores.get(HEALTHY)!;
    const original = s.findings.listOpen.bind(s.findings);
    s.findings.listOpen = () => Promise.reject(new Error('table <unreachable> & gone'));
    try {
      const res = await dashboard(httpRequest('GET', 'dashboard'), invocation('dashboard').ctx);
      expect(res.status).toBe(200);
      const page = bodyOf(res);
      const row = rowOf(page, HEALTHY);
      expect(row).toContain('data-health="unreachable"');
      expect(row).toContain('table &lt;unreachable&gt; &amp; gone');
      expect(page).not.toContain('<unreachable>');
      expect(rowOf(page, DEMO)).toContain('data-health="ok"');
    } finally {
      s.findings.listOpen = original;
    }
  });

  it("a tenant's dashboard shows that tenant's devices only, and its links keep the tenant", async () => {
    const res = await dashboard(
      httpRequest('GET', 'dashboard', `tenant=${HOSTILE.toUpperCase()}`),
      invocation('d').ctx,
    );
    expect(res.status).toBe(200);
    const page = bodyOf(res);
    expect(page).toContain('Woodgrove &amp; Sons');
    expect(page).toContain('href="dashboard"'); // back to the overview
    // Device links carry the tenant (the id as configured, lower-case), escaped inside the attribute.
    const links = [...page.matchAll(/href="(devices\/[^"]*)"/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(new RegExp(`\\?format=html&amp;tenant=${HOSTILE}$`));
    // The markup device is listed (blocked) — as text, never as markup.
    expect(page).toContain('XSS&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain(XSS_NAME);

    const demo = bodyOf(await dashboard(httpRequest('GET', 'dashboard', `tenant=${DEMO}`), invocation('d').ctx));
    expect(demo).toContain('Contoso');
    expect(demo).not.toContain('XSS&quot;');
    expect(demo).not.toContain(HOSTILE);
  });

  it('refuses a tenant no one configured, without echoing it, and a repeated tenant', async () => {
    const hostile = '<b>x</b>';
    const res = await dashboard(
      httpRequest('GET', 'dashboard', `tenant=${encodeURIComponent(hostile)}`),
      invocation('d').ctx,
    );
    expect(res.status).toBe(404);
    expect(bodyOf(res)).toContain('tenant: no configured tenant has this id');
    expect(bodyOf(res)).not.toContain('<b>');
    expect(bodyOf(res)).not.toContain('&lt;b&gt;');

    const twice = await dashboard(
      httpRequest('GET', 'dashboard', `tenant=${DEMO}&tenant=${HEALTHY}`),
      invocation('d').ctx,
    );
    expect(twice.status).toBe(400);
    expect(bodyOf(twice)).toContain('tenant: given more than once');

    const history = makeHistoryFleetHandler(getFleet);
    const missing = await history(httpRequest('GET', 'history'), invocation('h').ctx);
    expect(missing.status).toBe(400);
    expect(jsonOf(missing)).toMatchObject({ problems: [{ parameter: 'tenant' }] });
    const unknown = await history(
      httpRequest('GET', 'history', `tenant=${'e5000000-0000-4000-8000-000000000005'}`),
      invocation('h').ctx,
    );
    expect(unknown.status).toBe(404);
    expect(jsonOf(unknown)).toMatchObject({ error: 'tenant-not-found', problems: [{ parameter: 'tenant' }] });
    expect(JSON.stringify(jsonOf(unknown))).not.toContain('e5000000');

    const report = makeReportLatestFleetHandler(getFleet);
    expect((await report(httpRequest('GET', 'report/latest'), invocation('r').ctx)).status).toBe(400);
  });

  it("history and report/latest answer from the named tenant's tables", async () => {
    const history = makeHistoryFleetHandler(getFleet);
    const res = await history(httpRequest('GET', 'history', `tenant=${DENIED}&type=run`), invocation('h').ctx);
    expect(res.status).toBe(200);
    const items = jsonOf(res)['items'] as { status: string; reason: string }[];
    expect(items).toHaveLength(1);
    expect(items[0]?.status).toBe('aborted');

    const report = makeReportLatestFleetHandler(getFleet);
    const healthy = await report(httpRequest('GET', 'report/latest', `tenant=${HEALTHY}`), invocation('r').ctx);
    expect(healthy.status).toBe(200);
    expect(jsonOf(healthy)).toMatchObject({ tenant: HEALTHY, summary: { totalDevices: identitiesOf(HEALTHY) } });
    const denied = await report(httpRequest('GET', 'report/latest', `tenant=${DENIED}`), invocation('r').ctx);
    expect(denied.status).toBe(404);
  });

  it("the device page is the tenant's: a device of another tenant is not found", async () => {
    const device = makeDeviceFleetHandler(getFleet);
    // As the host hands it over: the route parameter decoded in `params`, the raw path in the URL.
    const req = (tenant: string) =>
      new HttpRequest({
        method: 'GET',
        url: `http://127.0.0.1:7071/api/devices/${encodeURIComponent(XSS_SERIAL)}?format=html&tenant=${tenant}`,
        headers: { 'x-functions-key': 'test-key' },
        params: { key: XSS_SERIAL },
      });
    const hostile = await device(req(HOSTILE), invocation('device').ctx);
    expect(hostile.status).toBe(200);
    const page = bodyOf(hostile);
    expect(page).toContain(`href="../dashboard?tenant=${HOSTILE}"`);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain(XSS_NAME);
    const elsewhere = await device(req(DEMO), invocation('device').ctx);
    expect(elsewhere.status).toBe(404);
  });

  it('health answers per tenant, the worst status overall; ?tenant= checks one', async () => {
    const health = makeHealthFleetHandler(getFleet);
    const all = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(all.status).toBe(503);
    const body = jsonOf(all) as { status: string; tenants: { tenant: string; name: string; status: string }[] };
    expect(body.status).toBe('failing');
    expect(body.tenants.map((t) => t.tenant)).toEqual([DEMO, HEALTHY, DENIED, HOSTILE]);
    expect(body.tenants.find((t) => t.tenant === DENIED)?.status).toBe('failing');
    expect(body.tenants.find((t) => t.tenant === HEALTHY)?.status).not.toBe('failing');

    const one = await health(httpRequest('GET', 'health', `tenant=${HEALTHY}`), invocation('health').ctx);
    expect(one.status).toBe(200);
    expect((jsonOf(one) as { tenants: unknown[] }).tenants).toHaveLength(1);
    const unknown = await health(httpRequest('GET', 'health', 'tenant=nope'), invocation('health').ctx);
    expect(unknown.status).toBe(404);
  });

  it("POST /api/sweep runs the named tenant's poll (plan mode writes nothing), its log lines name the tenant", async () => {
    const sweep = makeSweepFleetHandler(getFleet);
    const writes = () =>
      h.sim
        .tenantById(HEALTHY)
        .requests()
        .filter((r) => r.kind === 'write').length;
    const before = writes();
    const { ctx, logs } = invocation('sweep');
    const res = await sweep(httpRequest('POST', 'sweep', `plan=true&tenant=${HEALTHY}`), ctx);
    expect(res.status).toBe(200);
    expect(writes()).toBe(before);
    const finished = logs.find((l) => l.args[0] === 'sweep.http.finished');
    expect(finished?.args[1]).toMatchObject({ tenant: HEALTHY });
    const denied = await sweep(httpRequest('POST', 'sweep', `tenant=${DENIED}`), invocation('sweep').ctx);
    expect(denied.status).toBe(502);
    expect(jsonOf(denied)).toMatchObject({ error: 'graph-read-failed', graph: { kind: 'permission' } });
    expect((await sweep(httpRequest('POST', 'sweep'), invocation('sweep').ctx)).status).toBe(400);
  });

  describe('approvals: a request belongs to one tenant', () => {
    const approvals = makeApprovalFleetHandler(getFleet);
    async function pending() {
      const [request] = await stores.get(DEMO)!.approvals.list({ status: 'pending', limit: 10 });
      if (!request) throw new Error("the demo tenant's sweep proposed nothing");
      const settings = (await fleet.container(fleet.find(DEMO)!)).config.approvals;
      const plain = reviewUrl(settings, request) ?? '';
      return { request, plain, withTenant: reviewUrl({ ...settings, tenant: DEMO }, request) ?? '' };
    }
    const open = (url: string) => {
      const u = new URL(url);
      return new HttpRequest({
        method: 'GET',
        url: `http://127.0.0.1:7071${u.pathname}${u.search}`,
        params: { id: u.pathname.split('/').pop() ?? '' },
      });
    };

    it("the review link names the tenant only when told to; a single tenant's link is unchanged", async () => {
      const { request, plain, withTenant } = await pending();
      const token = new URL(plain).searchParams.get('token') ?? '';
      expect(plain).toBe(`https://apm.example.test/api/approvals/${request.id}?token=${token}`);
      expect(withTenant).toBe(`${plain}&tenant=${DEMO}`);
    });

    it("opens the request in its tenant's tables, with or without the tenant in the link; the form keeps it", async () => {
      const { plain, withTenant } = await pending();
      for (const url of [withTenant, plain]) {
        const res = await approvals(open(url), invocation('approval').ctx);
        expect(res.status, url).toBe(200);
        expect(bodyOf(res)).toContain(`tenant=${DEMO}"`);
      }
      // Another tenant does not have it (and the page does not say whether any tenant does).
      const wrong = await approvals(open(withTenant.replace(DEMO, HEALTHY)), invocation('approval').ctx);
      expect(wrong.status).toBe(404);
      const unknown = await approvals(open(`${plain}&tenant=%3Cb%3E`), invocation('approval').ctx);
      expect(unknown.status).toBe(404);
      expect(bodyOf(unknown)).not.toContain('<b>');
    });
  });
});
