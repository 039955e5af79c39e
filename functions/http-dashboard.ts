import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import {
  DASHBOARD_REFRESH,
  escapeHtml,
  renderDashboardHtml,
  type ComplianceReport,
} from '../shared/core/report/index.js';
import { NO_REPORT_YET, openContainer, readQuery, type StartupFailure } from './http-common.js';

// GET /api/dashboard: the latest compliance report as one self-contained HTML page. The page loads nothing
// (inline CSS and SVG, no script), so the header CSP forbids every fetch; it repeats the page's own <meta> CSP
// and adds what a meta tag cannot carry (frame-ancestors). Tenant strings in the page are escaped by the
// renderer; the CSP is the second line of defence.

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function makeDashboardHandler(getContainer: () => Promise<Container>) {
  return async function dashboard(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const query = readQuery(request, ['refresh']);
    if (!query.ok)
      return page(400, 'Bad request', query.problems.map((p) => `${p.parameter}: ${p.message}`).join('; '));
    const refresh = readRefresh(query.values.refresh);
    if (refresh === 'invalid')
      return page(
        400,
        'Bad request',
        `refresh: seconds between reloads, a whole number from ${DASHBOARD_REFRESH.min} to ${DASHBOARD_REFRESH.max}`,
      );
    const opened = await openContainer(getContainer, context);
    if ('failure' in opened) return page(503, 'Not available', startupText(opened.failure));
    const { container } = opened;
    const record = await container.stores.reports.latest();
    if (!record) return page(404, 'No report yet', NO_REPORT_YET);
    const report = parseReport(record.body);
    if (!report) {
      invocationLogger(context, container).error('dashboard.unreadable-report', { reportId: record.id });
      return page(500, 'Report unreadable', `the stored report ${record.id} is not a schema-1 compliance report`);
    }
    const options = { generatedAt: container.clock.now(), ...(refresh === null ? {} : { refreshSeconds: refresh }) };
    return { status: 200, body: renderDashboardHtml(report, options), headers: HEADERS };
  };
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

/** A minimal page under the same CSP for the non-200 answers (a browser shows it instead of raw JSON). */
function page(status: number, title: string, message: string): HttpResponseInit {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — autopilot-medic</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:42rem;padding:0 1rem;color:#1b1b1b}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;
  return { status, body, headers: HEADERS };
}

app.http(FUNCTION_NAMES.dashboard, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'dashboard',
  handler: makeDashboardHandler(getHostContainer),
});
