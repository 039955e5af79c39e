import { SEVERITIES, type Severity } from '../model/index.js';
import type { RunLine } from './dashboard-runs.js';
import { pageHead } from './page-head.js';
import { fmtCount, fmtTime } from './format.js';
import { html, type SafeHtml } from './html.js';

// The cross-tenant overview of a many-tenant deployment: one row per tenant (devices, open findings by severity,
// remediations, last run, health), each linking to that tenant's own dashboard. Same rules as the dashboard: one
// self-contained page, inline CSS, no script, nothing loaded; every value that came from a tenant or from
// configuration (display names, run summaries, error texts) goes through the escaping template.

/** How a tenant is doing, as far as its last scheduled runs tell (see runHealth). */
export type OverviewHealth = {
  readonly status: 'ok' | 'degraded' | 'failing' | 'unknown';
  readonly reason: string;
};

export type OverviewFigures = {
  /** Autopilot devices of the latest compliance report; null = no report stored yet. */
  readonly devices: number | null;
  readonly reportAt: number | null;
  readonly openFindings: { readonly total: number; readonly bySeverity: Readonly<Record<Severity, number>> };
  /** Remediation outcomes in the latest report's period, by status; null = no report yet. */
  readonly remediations: {
    readonly total: number;
    readonly byStatus: Readonly<Record<string, number>>;
  } | null;
  readonly lastRun: RunLine | null;
  readonly health: OverviewHealth;
};

export type OverviewRow = {
  /** The tenant's key (its Entra tenant id): the `tenant` parameter of its pages. */
  readonly tenant: string;
  /** Its configured display name. */
  readonly name: string;
  /** Its figures, or why they could not be read (its tables unreachable, ...). */
  readonly figures:
    { readonly ok: true; readonly value: OverviewFigures } | { readonly ok: false; readonly error: string };
};

export type OverviewOptions = {
  /** Epoch ms the page is rendered at. */
  readonly generatedAt: number;
  readonly title?: string;
  /** Reload every this many seconds (a meta refresh, as the dashboard's); absent = static. */
  readonly refreshSeconds?: number;
};

/** The fields of a scheduled run's history row the health is derived from. */
export type RunForHealth = {
  readonly status: 'completed' | 'aborted';
  readonly finishedAt: number;
  readonly summary: string;
};

// What an aborted run's reason says when the app identity cannot reach the tenant at all: Graph's 401/403 (the
// adapters' PermissionError message names the status), a credential that cannot get a token (AADSTS codes: "Microsoft
// Entra authentication and authorization error codes", https://learn.microsoft.com/entra/identity-platform/reference-error-codes),
// or admin consent that was never granted or was revoked.
const ACCESS_FAILURE =
  /\b(401|403|forbidden|unauthori[sz]ed|permission|insufficient privileges|AADSTS\d+|credential|consent|invalid_client|invalid_grant)/i;

/**
 * A tenant's health from its last scheduled runs (newest first), without calling Graph: the overview is opened by
 * people, possibly often and for hundreds of tenants, and a live health check costs each tenant a token request and
 * a dozen Graph reads per page load (GET /api/health?tenant=<id> runs the full check for one). The runs already
 * say what matters: the last one aborted for lack of access = failing (nothing is being watched or fixed);
 * aborted for any other reason (throttling, an outage) = degraded; no run yet = unknown.
 */
export function runHealth(runs: readonly RunForHealth[]): OverviewHealth {
  const last = runs[0];
  if (last === undefined) return { status: 'unknown', reason: 'no scheduled run recorded yet' };
  if (last.status === 'completed') return { status: 'ok', reason: 'the last run completed' };
  if (ACCESS_FAILURE.test(last.summary))
    return { status: 'failing', reason: 'the last run was refused access to the tenant (permission or credential)' };
  const aborted = runs.findIndex((r) => r.status === 'completed');
  const streak = aborted === -1 ? runs.length : aborted;
  return { status: 'degraded', reason: `the last ${streak === 1 ? 'run' : `${streak} runs`} aborted` };
}

const HEALTH_ORDER: readonly OverviewHealth['status'][] = ['failing', 'degraded', 'unknown', 'ok'];

function severityCells(f: OverviewFigures['openFindings']): SafeHtml[] {
  return [...SEVERITIES]
    .reverse()
    .map(
      (s) =>
        html`<td class="num" data-severity="${s}">${f.bySeverity[s] > 0 ? html`<span class="sev sev-${s}">${fmtCount(f.bySeverity[s])}</span>` : '0'}</td>`,
    );
}

function remediationCell(r: OverviewFigures['remediations']): SafeHtml {
  if (r === null) return html`<td class="muted">—</td>`;
  const parts = Object.entries(r.byStatus)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([status, n]) => `${status} ${fmtCount(n)}`);
  return html`<td data-testid="remediations">${fmtCount(r.total)} in the report period${parts.length > 0 ? html`<br><span class="ids">${parts.join(', ')}</span>` : ''}</td>`;
}

function runCell(run: RunLine | null): SafeHtml {
  if (run === null) return html`<td class="muted">No run yet</td>`;
  return html`<td data-status="${run.status}"><strong>${run.name}</strong> ${fmtTime(run.finishedAt)} · ${run.status === 'completed' ? 'completed' : html`<span class="sev sev-error">aborted</span>`}<br><span class="ids">${run.summary}</span></td>`;
}

function healthCell(h: OverviewHealth): SafeHtml {
  const cls = h.status === 'failing' ? 'sev-critical' : h.status === 'degraded' ? 'sev-warning' : 'sev-info';
  return html`<td data-testid="health" data-health="${h.status}"><span class="sev ${cls}">${h.status}</span><br><span class="ids">${h.reason}</span></td>`;
}

/** The tenant's dashboard, relative to the overview (both are GET /api/dashboard). */
export function tenantDashboardHref(tenant: string): string {
  return `dashboard?tenant=${encodeURIComponent(tenant)}`;
}

function row(r: OverviewRow): SafeHtml {
  const name = html`<th scope="row"><a href="${tenantDashboardHref(r.tenant)}">${r.name}</a><br><span class="ids mono">${r.tenant}</span></th>`;
  if (!r.figures.ok)
    return html`<tr data-tenant="${r.tenant}" data-health="unreachable">${name}<td colspan="9" data-testid="tenant-error"><span class="sev sev-critical">unreachable</span> ${r.figures.error}</td></tr>`;
  const f = r.figures.value;
  const devices =
    f.devices === null
      ? html`<td class="muted" data-testid="devices">no report yet</td>`
      : html`<td class="num" data-testid="devices">${fmtCount(f.devices)}<br><span class="ids">${fmtTime(f.reportAt)}</span></td>`;
  return html`<tr data-tenant="${r.tenant}" data-health="${f.health.status}">${name}${devices}<td class="num" data-testid="open-total">${fmtCount(f.openFindings.total)}</td>${severityCells(f.openFindings)}${remediationCell(f.remediations)}${runCell(f.lastRun)}${healthCell(f.health)}</tr>`;
}

function statusOf(r: OverviewRow): OverviewHealth['status'] | 'unreachable' {
  return r.figures.ok ? r.figures.value.health.status : 'unreachable';
}

/** Worst first (unreachable, failing, degraded, unknown, ok), then by name: what needs a person comes first. */
export function sortOverview(rows: readonly OverviewRow[]): OverviewRow[] {
  const rank = (r: OverviewRow) => {
    const s = statusOf(r);
    return s === 'unreachable' ? -1 : HEALTH_ORDER.indexOf(s);
  };
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.tenant.localeCompare(b.tenant),
  );
}

const OVERVIEW_CSS = `
.overview th[scope=row] { text-align: left; overflow-wrap: anywhere; }
.overview td, .overview th { vertical-align: top; overflow-wrap: anywhere; }
.overview thead th { overflow-wrap: normal; font-size: .8rem; }
.num { text-align: right; }
.muted { color: var(--muted); }`;

/** One self-contained page: every tenant of the deployment, worst first. */
export function renderOverviewHtml(rows: readonly OverviewRow[], opts: OverviewOptions): string {
  const title = opts.title ?? 'Autopilot compliance — all tenants';
  const sorted = sortOverview(rows);
  const counts = new Map<string, number>();
  for (const r of sorted) counts.set(statusOf(r), (counts.get(statusOf(r)) ?? 0) + 1);
  const tally = ['unreachable', ...HEALTH_ORDER]
    .filter((s) => (counts.get(s) ?? 0) > 0)
    .map((s) => `${fmtCount(counts.get(s) ?? 0)} ${s}`)
    .join(', ');
  const sevHeads = [...SEVERITIES].reverse().map((s) => html`<th scope="col" class="num">${s}</th>`);
  const page = html`<!doctype html>
<html lang="en"><head>${pageHead(title, opts.refreshSeconds, OVERVIEW_CSS)}</head>
<body><main>
<header class="top"><h1>${title}</h1>
<p class="meta" data-testid="generated">${fmtCount(sorted.length)} tenant(s)${tally === '' ? '' : ` · ${tally}`} · page ${fmtTime(opts.generatedAt)} · health from each tenant's last scheduled runs (GET /api/health?tenant=… checks one live)</p></header>
<section class="card" aria-labelledby="h-tenants"><h2 id="h-tenants">Tenants</h2>
<table class="overview" data-testid="overview">
<colgroup><col style="width:15%"><col style="width:8%"><col style="width:7%"><col style="width:6.5%"><col style="width:6.5%"><col style="width:6.5%"><col style="width:6.5%"><col style="width:12%"><col><col style="width:13%"></colgroup>
<thead><tr><th scope="col">Tenant</th><th scope="col" class="num">Devices</th><th scope="col" class="num">Open findings</th>${sevHeads}<th scope="col">Remediations</th><th scope="col">Last run</th><th scope="col">Health</th></tr></thead>
<tbody>${sorted.map(row)}</tbody></table>
<p class="note">Devices and remediations are the latest compliance report's (remediations in its period, up to the time it was written: those carried out after it count in the next report); open findings are live. Times in UTC.</p></section>
<footer>autopilot-medic · one row per configured tenant (TENANTS) · each name opens that tenant's dashboard.</footer>
</main></body></html>
`;
  return page.value;
}
