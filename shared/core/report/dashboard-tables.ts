import { parseDeviceKey } from '../lookup/device-records.js';
import { fmtCount, fmtDate, fmtMinutes, fmtTime, plural } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';
import type { FigureFix } from './figure-codes.js';
import type { CappedList, ComplianceSummary, DeviceRow, GroupRow, OpenFindingRow } from './types.js';

// Tables. Columns have fixed widths and cells wrap anywhere: a 200-character serial (attacker-chosen) must
// wrap inside its cell, never widen the page.

/** Rows drawn per device list; the report JSON keeps up to its own cap, the page stays light. */
const HTML_ROWS = 100;

function shownNote(list: CappedList<unknown>, shown: number): SafeHtml | null {
  if (list.total <= shown) return null;
  return html`<p class="note">Showing the first ${fmtCount(shown)} of ${fmtCount(list.total)}; the full list is in the stored report${list.truncated ? ' (up to its list cap)' : ''}.</p>`;
}

/** Codes are long (up to ~35 characters): offer line breaks after underscores instead of mid-word. */
function breakable(code: string): SafeHtml {
  const parts = code.split('_');
  return html`${parts.map((p, i) => (i === parts.length - 1 ? html`${p}` : html`${p}_<wbr>`))}`;
}

/** How a device's name links to its view; null = no links (a page saved to a file has nothing to link to). */
export type DeviceLink = ((key: string) => string) | null;

/** The device view, relative to the dashboard (`/api/dashboard` → `/api/devices/{key}?format=html`). */
export const deviceViewHref = (key: string): string => `devices/${encodeURIComponent(key)}?format=html`;

/** Linked only when the device lookup takes the key (a serial with a control character or over 256 characters is
 * shown, escaped, but its page could only answer 400). */
function linked(text: string, key: string | null, link: DeviceLink): SafeHtml {
  return link === null || key === null || !parseDeviceKey(key).ok
    ? html`${text}`
    : html`<a href="${link(key)}">${text}</a>`;
}

export function openFindingsTable(list: CappedList<OpenFindingRow>, now: number, link: DeviceLink = null): SafeHtml {
  if (list.total === 0) return html`<p class="empty" data-testid="open-findings-empty">No open findings.</p>`;
  const rows = list.rows.map(
    (f) => html`<tr data-severity="${f.severity}"><td><span class="sev sev-${f.severity}">${f.severity}</span></td>
<td><code>${breakable(f.code)}</code></td><td>${f.title}</td><td class="mono">${linked(f.subjectKey, f.subjectKind === 'device' ? f.subjectKey : null, link)}</td>
<td>${fmtDate(f.firstSeenAt)}<br><span class="ids">${f.ageMinutes < 1 ? 'new' : `${fmtMinutes(f.ageMinutes)} ago`}</span></td>
<td class="fix">${f.fix ?? 'No documented fix is catalogued for this code.'}${f.remediation === null ? '' : html`<br><span class="ids">auto-fix: ${f.remediation}</span>`}</td></tr>`,
  );
  return html`<table data-testid="open-findings" aria-describedby="open-findings-note">
<colgroup><col style="width:84px"><col style="width:19%"><col style="width:18%"><col style="width:11%"><col style="width:104px"><col></colgroup>
<thead><tr><th scope="col" aria-sort="descending">Severity</th><th scope="col">Code</th><th scope="col">Title</th><th scope="col">Subject</th><th scope="col">First seen</th><th scope="col">Fix</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="note" id="open-findings-note">Sorted by severity, then longest open first. Times in UTC; report time ${fmtTime(now)}.</p>${shownNote(list, list.rows.length)}`;
}

/** Outcome columns in the order a reader scans them: done, not done yet, went wrong; unknown ones last. */
const STATUS_ORDER = [
  'succeeded',
  'already-done',
  'planned',
  'deferred',
  'no-longer-applies',
  'duplicate',
  'refused',
  'failed-transient',
  'failed-permanent',
];

/** Actions × outcomes matrix: one row per action is easier to read than one row per (action, outcome). */
export function remediationActionsTable(rem: ComplianceSummary['remediations']): SafeHtml {
  if (rem.total === 0) return html``;
  const rank = (st: string): number => (STATUS_ORDER.includes(st) ? STATUS_ORDER.indexOf(st) : STATUS_ORDER.length);
  const statuses = Object.keys(rem.byStatus).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const actions = [...new Set(rem.byAction.map((a) => a.action))];
  const count = (action: string, status: string): number =>
    rem.byAction.find((a) => a.action === action && a.status === status)?.count ?? 0;
  const cell = (n: number): SafeHtml =>
    n === 0 ? html`<td class="num zero">–</td>` : html`<td class="num">${fmtCount(n)}</td>`;
  const rows = actions.map((a) => {
    const total = statuses.reduce((n, st) => n + count(a, st), 0);
    return html`<tr><th scope="row"><code>${a}</code></th>${statuses.map((st) => cell(count(a, st)))}<td class="num"><strong>${fmtCount(total)}</strong></td></tr>`;
  });
  return html`<table data-testid="remediations-by-action"><colgroup><col style="width:230px"></colgroup>
<thead><tr><th scope="col">Action</th>${statuses.map((st) => html`<th scope="col" class="num">${st}</th>`)}<th scope="col" class="num">Total</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function ids(d: DeviceRow): SafeHtml {
  const parts = [
    d.autopilotId === null ? null : html`Autopilot ${d.autopilotId}`,
    d.azureAdDeviceId === null ? null : html`Entra ${d.azureAdDeviceId}`,
    d.managedDeviceId === null ? null : html`Intune ${d.managedDeviceId}`,
  ].filter((p) => p !== null);
  return html`${parts.map((p, i) => (i === 0 ? p : html`<br>${p}`))}`;
}

function fixNotes(fixes: readonly FigureFix[]): SafeHtml[] {
  return fixes.map(
    (f) => html`<p class="fix what"><strong>${fixes.length > 1 ? `${f.title}: ` : 'What to do: '}</strong>${f.fix}</p>`,
  );
}

export function deviceListDetails(
  id: string,
  title: string,
  list: CappedList<DeviceRow>,
  fixes: readonly FigureFix[] = [],
  link: DeviceLink = null,
): SafeHtml {
  const shown = list.rows.slice(0, HTML_ROWS);
  const body = shown.map(
    (
      d,
    ) => html`<tr><td class="mono">${linked(d.serialNumber ?? '—', d.serialNumber ?? d.autopilotId ?? d.managedDeviceId, link)}</td><td>${d.name ?? '—'}</td><td>${[d.manufacturer, d.model].filter((x) => x !== null).join(' ') || '—'}</td>
<td>${d.state}</td><td>${fmtTime(d.lastSeenAt)}</td><td class="ids mono">${ids(d)}</td></tr>`,
  );
  const content =
    list.total === 0
      ? html`<p class="empty">None.</p>`
      : html`<table><colgroup><col style="width:15%"><col style="width:14%"><col style="width:14%"><col style="width:17%"><col style="width:130px"><col></colgroup>
<thead><tr><th scope="col">Serial</th><th scope="col">Name</th><th scope="col">Model</th><th scope="col">State</th><th scope="col">Last seen</th><th scope="col">Ids</th></tr></thead>
<tbody>${body}</tbody></table>${shownNote(list, shown.length)}`;
  return html`<details data-testid="list-${id}"><summary>${title} <span class="count">— ${plural(list.total, 'device')}</span></summary><div>${list.total === 0 ? null : fixNotes(fixes)}${content}</div></details>`;
}

export function groupListDetails(list: CappedList<GroupRow>): SafeHtml {
  const body = list.rows.map(
    (g) => html`<tr><td>${g.name ?? '—'}<br><span class="ids mono">${g.groupId}</span></td><td>${g.policyName}</td>
<td>${g.healthy ? 'healthy' : g.problems.join('; ')}</td><td class="num">${fmtCount(g.members)}</td><td class="num">${fmtCount(g.missingMembers)}</td></tr>`,
  );
  const content =
    list.total === 0
      ? html`<p class="empty">No device-preparation groups are configured.</p>`
      : html`<table><colgroup><col style="width:30%"><col style="width:22%"><col><col style="width:90px"><col style="width:90px"></colgroup>
<thead><tr><th scope="col">Group</th><th scope="col">Policy</th><th scope="col">Health</th><th scope="col" class="num">Members</th><th scope="col" class="num">Missing</th></tr></thead>
<tbody>${body}</tbody></table>`;
  return html`<details data-testid="list-device-prep-groups"><summary>Device-preparation groups <span class="count">— ${plural(list.total, 'group')}</span></summary><div>${content}</div></details>`;
}
