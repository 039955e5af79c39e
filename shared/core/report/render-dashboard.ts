import { PROFILE_STATES, profileChart, remediationChart } from './dashboard-charts.js';
import { partialCoverage } from './coverage.js';
import { type RunsStrip, runsStrip } from './dashboard-runs.js';
import { pageHead } from './page-head.js';
import { type FigureFix, figureFixes, profileFixes } from './figure-codes.js';
import {
  type DeviceLink,
  deviceListDetails,
  deviceViewHref,
  groupListDetails,
  openFindingsTable,
  remediationActionsTable,
} from './dashboard-tables.js';
import { headlineTiles, secondaryTiles } from './dashboard-tiles.js';
import { fmtCount, fmtDate, fmtTime } from './format.js';
import { html } from './html.js';
import { DEFAULT_LIST_CAP } from './rows.js';
import type { SafeHtml } from './html.js';
import type { CappedList, ComplianceReport, DeviceRow } from './types.js';

export { renderReportText } from './render-text.js';

export type DashboardOptions = {
  /** Epoch ms the page is rendered at (may differ from the report time when an old report is shown). */
  readonly generatedAt: number;
  readonly title?: string;
  /**
   * Reload the page every this many seconds (a live view under `serve`). A meta refresh, not a script: the CSP still
   * forbids every script and fetch. Absent = a static page.
   */
  readonly refreshSeconds?: number;
  /**
   * Link device names and serial numbers to the device view (`devices/{key}?format=html`, relative to the page):
   * on where the page is served beside it (GET /api/dashboard), off for a page written to a file.
   */
  readonly deviceLinks?: boolean;
  /** The last scheduled runs and the next ones (a page served live); absent = no strip (a page written to a file). */
  readonly runs?: RunsStrip;
  /**
   * A many-tenant deployment's tenant (its id): device links carry `&tenant=<id>` so they open this tenant's device,
   * and the header links back to the overview of all tenants. Absent = a single tenant, links as before.
   */
  readonly tenantParam?: string;
};

/** The refresh interval a caller may ask for, in seconds. */
export { DASHBOARD_REFRESH } from './page-head.js';

/** One self-contained HTML page for a compliance report: inline CSS and SVG, no script, no external fetch. */
export function renderDashboardHtml(report: ComplianceReport, opts: DashboardOptions): string {
  const title = opts.title ?? 'Autopilot compliance';
  const s = report.summary;
  const tenantParam = opts.tenantParam;
  const link: DeviceLink =
    opts.deviceLinks !== true
      ? null
      : tenantParam === undefined
        ? deviceViewHref
        : (key) => `${deviceViewHref(key)}&tenant=${encodeURIComponent(tenantParam)}`;
  const list = (id: string, heading: string, rows: CappedList<DeviceRow>, fixes: readonly FigureFix[]) =>
    deviceListDetails(id, heading, rows, fixes, link);
  const page = html`<!doctype html>
<html lang="en"><head>${pageHead(`${title} — ${report.tenant}`, opts.refreshSeconds)}</head>
<body><main>
<header class="top"><h1>${title} <span class="tenant" data-testid="tenant">· ${report.tenant}</span></h1>
<p class="meta" data-testid="generated">Report ${fmtTime(report.generatedAt)} · period ${fmtDate(report.period.start)} → ${fmtDate(report.period.end)} · page ${fmtTime(opts.generatedAt)}${tenantParam === undefined ? '' : html` · <a href="dashboard" data-testid="overview-link">all tenants</a>`}</p></header>
${coverageBanner(report)}
${runsStrip(opts.runs)}
${headlineTiles(report)}
${secondaryTiles(report)}
<div class="grid2">
<section class="card" aria-labelledby="h-profile"><h2 id="h-profile">Profile assignment</h2>${profileChart(s.profileAssignment, s.totalDevices)}</section>
<section class="card" aria-labelledby="h-rem"><h2 id="h-rem">Remediations per day ${remediationCount(report)}</h2>${remediationChart(s.remediations.byDay)}</section>
</div>
<section class="card" aria-labelledby="h-open"><h2 id="h-open">Open findings</h2>${openFindingsTable(report.lists.openFindings, report.generatedAt, link)}</section>
<section aria-labelledby="h-lists"><h2 id="h-lists">Devices behind the figures</h2>
${list('blocked', 'Blocked', report.lists.blocked, figureFixes('blocked'))}
${list('attention-required', 'Attention required', report.lists.attentionRequired, figureFixes('attentionRequired'))}
${list('fix-pending', 'Fix pending', report.lists.fixPending, figureFixes('fixPending'))}
${list('stale', `Stale (no Autopilot contact or Intune check-in for over ${report.rules.staleDays} days)`, report.lists.stale, figureFixes('stale'))}
${list('never-enrolled', `Never enrolled (registered over ${report.rules.staleDays} days ago)`, report.lists.neverEnrolled, figureFixes('neverEnrolled'))}
${list('orphaned', 'Orphaned', report.lists.orphaned, figureFixes('orphaned'))}
${list('duplicate-serials', 'Duplicate serials', report.lists.duplicateSerials, figureFixes('duplicateSerials'))}
${profileListDetails(report, link)}
${list('noncompliant', 'Noncompliant (Intune)', report.lists.noncompliant, figureFixes('noncompliant'))}
${list('not-checked-in', `Not checked in for over ${report.rules.checkinStaleDays} days (Intune)`, report.lists.notCheckedIn, figureFixes('notCheckedIn'))}
${groupListDetails(report.lists.devicePrepGroups)}
</section>
${remediationSection(report)}
<footer>autopilot-medic compliance report (schema ${report.schemaVersion}) · times in UTC · the page lists up to 100 devices per figure; the stored report keeps every total and up to ${fmtCount(DEFAULT_LIST_CAP)} rows per list.</footer>
</main></body></html>
`;
  return page.value;
}

function coverageBanner(r: ComplianceReport): SafeHtml | null {
  const partial = partialCoverage(r.coverage);
  if (partial.length === 0) return null;
  return html`<p class="banner" role="status" data-testid="coverage">Partial data: ${partial.join('; ')}. Counts over those collections are lower bounds.</p>`;
}

/** Devices whose profile is not assigned and in sync, one list per state that has any (in-sync is the norm). */
function profileListDetails(r: ComplianceReport, link: DeviceLink): SafeHtml[] {
  return PROFILE_STATES.filter(
    (p) => p.status !== 'assignedInSync' && r.lists.profileAssignment[p.status].total > 0,
  ).map((p) =>
    deviceListDetails(
      `profile-${p.status}`,
      `Profile: ${p.label.toLowerCase()}`,
      r.lists.profileAssignment[p.status],
      profileFixes(p.status),
      link,
    ),
  );
}

function remediationCount(r: ComplianceReport): SafeHtml {
  const rem = r.summary.remediations;
  const fixed = rem.byDay.reduce((n, d) => n + d.counts.fixed, 0);
  return html`<span class="count" data-testid="remediations-total">· ${fmtCount(rem.total)} in the period, ${fmtCount(fixed)} fixed</span>`;
}

function remediationSection(r: ComplianceReport): SafeHtml | null {
  if (r.summary.remediations.total === 0) return null;
  return html`<section class="card" aria-labelledby="h-actions"><h2 id="h-actions">Remediations by action and outcome</h2>${remediationActionsTable(r.summary.remediations)}</section>`;
}
