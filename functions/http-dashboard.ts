import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { recentRuns } from '../shared/app/history/run-records.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import { schedulesOf } from '../shared/composition/health.js';
import type { Container } from '../shared/composition/container.js';
import { gatherOverview } from '../shared/app/tenants/overview.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { getHostFleet } from '../shared/composition/host.js';
import {
  DASHBOARD_REFRESH,
  renderDashboardHtml,
  renderOverviewHtml,
  type ComplianceReport,
  type RunsStrip,
} from '../shared/core/report/index.js';
import { DASHBOARD_CSP, HTML_HEADERS, htmlPage, NO_REPORT_YET, readQuery, type StartupFailure } from './http-common.js';
import {
  containerScoper,
  fleetScoper,
  refusedPageText,
  TENANT_PARAM,
  requestLogger,
  type Scoper,
} from './request-tenant.js';

// GET /api/dashboard: the latest compliance report as one self-contained HTML page. The page loads nothing
// (inline CSS and SVG, no script), so the header CSP forbids every fetch; it repeats the page's own <meta> CSP
// and adds what a meta tag cannot carry (frame-ancestors). Tenant strings in the page are escaped by the
// renderer; the CSP is the second line of defence.

export { DASHBOARD_CSP };

const RUNS_SHOWN = 5;

export function makeDashboardHandler(getContainer: () => Promise<Container>) {
  return dashboardHandler(containerScoper(getContainer));
}

/**
 * The host's handler: one tenant's dashboard as before; on a many-tenant deployment, `?tenant=<id>` is that tenant's
 * dashboard and no `tenant` is the overview of every tenant (one row each, linking to its dashboard).
 */
export function makeDashboardFleetHandler(getFleet: () => Promise<Fleet>) {
  return dashboardHandler(fleetScoper(getFleet));
}

function dashboardHandler(scoper: Scoper) {
  return async function dashboard(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return htmlPage(503, 'Not available', startupText(scoping.failure));
    const query = readQuery(request, ['refresh', ...scoping.scope.params]);
    if (!query.ok)
      return htmlPage(400, 'Bad request', query.problems.map((p) => `${p.parameter}: ${p.message}`).join('; '));
    const refresh = readRefresh(query.values.refresh);
    if (refresh === 'invalid')
      return htmlPage(
        400,
        'Bad request',
        `refresh: seconds between reloads, a whole number from ${DASHBOARD_REFRESH.min} to ${DASHBOARD_REFRESH.max}`,
      );
    const fleet = scoping.scope.fleet;
    const tenantValue = query.values[TENANT_PARAM];
    if (fleet !== null && tenantValue === undefined) return overview(fleet, refresh);
    const selected = scoping.scope.select(tenantValue);
    if (!selected.ok) {
      const text = refusedPageText(selected);
      return htmlPage(selected.status, text.title, text.message);
    }
    const opened = await selected.open(context);
    if ('failure' in opened) return htmlPage(503, 'Not available', startupText(opened.failure));
    const { container } = opened;
    const record = await container.stores.reports.latest();
    if (!record) return htmlPage(404, 'No report yet', NO_REPORT_YET);
    const report = parseReport(record.body);
    if (!report) {
      requestLogger(context, container, selected.tenant).error('dashboard.unreadable-report', { reportId: record.id });
      return htmlPage(500, 'Report unreadable', `the stored report ${record.id} is not a schema-1 compliance report`);
    }
    const now = container.clock.now();
    const options = {
      generatedAt: now,
      deviceLinks: true,
      runs: await runsOf(container, now),
      ...(refresh === null ? {} : { refreshSeconds: refresh }),
      ...(selected.tenant === null
        ? {}
        : { tenantParam: selected.tenant.key, title: `Autopilot compliance · ${selected.tenant.name}` }),
    };
    return { status: 200, body: renderDashboardHtml(report, options), headers: HTML_HEADERS };
  };
}

/**
 * Every tenant of the deployment, one row each, from what their scheduled runs stored (shared/app/tenants/overview.ts:
 * table reads only, no Graph call; one tenant's unreachable tables show in its row and never fail the page).
 */
async function overview(fleet: Fleet, refresh: number | null): Promise<HttpResponseInit> {
  const rows = await gatherOverview(
    fleet.tenants.map((t) => ({
      tenant: t.key,
      name: t.name,
      stores: async () => (await fleet.container(t)).stores,
    })),
    fleet.deployment.concurrency,
  );
  const body = renderOverviewHtml(rows, {
    generatedAt: Date.now(),
    ...(refresh === null ? {} : { refreshSeconds: refresh }),
  });
  return { status: 200, body, headers: HTML_HEADERS };
}

/** The last scheduled runs (history's `run` rows) and the next one of each timer. */
async function runsOf(container: Container, now: number): Promise<RunsStrip> {
  const last = await recentRuns(container.stores.history, RUNS_SHOWN);
  const next = schedulesOf(container.config, now).flatMap((s) =>
    s.next.slice(0, 1).map((at) => ({ name: s.function, at: Date.parse(at) })),
  );
  return { last, next };
}

/** `?refresh=N`: reload every N seconds (a live view); null when absent. */
function readRefresh(value: string | undefined): number | null | 'invalid' {
  if (value === undefined) return null;
  if (!/^\d{1,4}$/.test(value)) return 'invalid';
  const n = Number(value);
  return n >= DASHBOARD_REFRESH.min && n <= DASHBOARD_REFRESH.max ? n : 'invalid';
}

/** The stored body is our own JSON; check the schema version so an older or damaged row fails clearly. */
function parseReport(body: string): ComplianceReport | null {
  try {
    const value: unknown = JSON.parse(body);
    const ok =
      typeof value === 'object' && value !== null && (value as { schemaVersion?: unknown }).schemaVersion === 1;
    return ok ? (value as ComplianceReport) : null;
  } catch {
    return null;
  }
}

function startupText(failure: StartupFailure): string {
  return failure.kind === 'config'
    ? `invalid configuration: ${failure.problems.map((p) => p.key).join(', ')}`
    : failure.detail;
}

app.http(FUNCTION_NAMES.dashboard, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'dashboard',
  handler: makeDashboardFleetHandler(getHostFleet),
});
