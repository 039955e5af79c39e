import type { ProfileAssignmentStatus } from '../model/index.js';
import { OUTCOME_COLOURS } from './dashboard-style.js';
import { fmtCount } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';
import { OUTCOME_GROUPS } from './types.js';
import type { DayBucket, OutcomeGroup } from './types.js';

// Inline SVG charts: no library, no script. Each chart carries role="img" and a text alternative, and each
// bar a <title>, so the numbers are reachable without seeing the colours.

/** Display order and words for the profile-assignment states: healthy first, then the ones to act on. */
export const PROFILE_STATES: readonly {
  readonly status: ProfileAssignmentStatus;
  readonly label: string;
  readonly colour: string;
}[] = [
  { status: 'assignedInSync', label: 'Assigned, in sync', colour: '#2e7d32' },
  { status: 'assignedOutOfSync', label: 'Assigned, out of sync', colour: '#b7791f' },
  { status: 'assignedUnkownSyncState', label: 'Assigned, sync unknown', colour: '#d4a72c' },
  { status: 'pending', label: 'Pending', colour: '#1f6fb2' },
  { status: 'notAssigned', label: 'Not assigned', colour: '#c2410c' },
  { status: 'failed', label: 'Failed', colour: '#c62828' },
  { status: 'unknown', label: 'Unknown', colour: '#7b8794' },
];

export const OUTCOME_LABELS: Readonly<Record<OutcomeGroup, string>> = {
  fixed: 'Fixed (succeeded / already done)',
  planned: 'Planned (plan mode)',
  deferred: 'Deferred',
  failed: 'Failed / refused',
  other: 'Other (no longer applies, duplicate)',
};

const WIDTH = 560;

export function profileChart(counts: Readonly<Record<ProfileAssignmentStatus, number>>, total: number): SafeHtml {
  const labelW = 170;
  const barMax = WIDTH - labelW - 90;
  const rowH = 34; // tall enough that the chart matches the remediation chart beside it
  const max = Math.max(1, ...PROFILE_STATES.map((s) => counts[s.status]));
  const height = PROFILE_STATES.length * rowH + 4;
  const alt = PROFILE_STATES.map((s) => `${s.label}: ${counts[s.status]}`).join('; ');
  const rows = PROFILE_STATES.map((s, i) => {
    const n = counts[s.status];
    const y = i * rowH + 4;
    const w = n === 0 ? 0 : Math.max(2, Math.round((n / max) * barMax));
    const pct = total === 0 ? 0 : Math.round((n / total) * 100);
    return html`<g data-status="${s.status}"><title>${s.label}: ${fmtCount(n)} (${pct}%)</title>
<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" font-size="13" fill="#1b1f24">${s.label}</text>
<rect x="${labelW}" y="${y + 2}" width="${barMax}" height="20" rx="3" fill="#eef1f4"></rect>
<rect x="${labelW}" y="${y + 2}" width="${w}" height="20" rx="3" fill="${s.colour}"></rect>
<text x="${labelW + w + 6}" y="${y + 16}" font-size="13" fill="#1b1f24">${fmtCount(n)}<tspan fill="#525c67"> (${pct}%)</tspan></text></g>`;
  });
  return html`<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${`Profile assignment: ${alt}`}" data-testid="profile-chart">${rows}</svg>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-22" -> "Nov 22": an axis label needs no year, and a month name cannot be misread as day-month. */
function shortDay(day: string): string {
  return `${MONTHS[Number(day.slice(5, 7)) - 1] ?? day.slice(5, 7)} ${Number(day.slice(8, 10))}`;
}

/** Smallest 2/4/6/8/10 × 10^k at or above n, so the half-way gridline is a whole number. */
function niceMax(n: number): number {
  if (n <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(n));
  const step = [2, 4, 6, 8, 10].find((m) => m * power >= n) ?? 10;
  return step * power;
}

export function remediationChart(days: readonly DayBucket[]): SafeHtml {
  const total = (d: DayBucket): number => OUTCOME_GROUPS.reduce((s, g) => s + d.counts[g], 0);
  if (days.length === 0 || days.every((d) => total(d) === 0)) {
    return html`<p class="empty" data-testid="remediation-chart-empty">No remediations in this period.</p>`;
  }
  const left = 36;
  const bottom = 22;
  const top = 8;
  const height = 200;
  const right = 22; // room for the last day's label, centred on the last bar
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(...days.map(total)));
  const slot = plotW / days.length;
  const barW = Math.max(1, Math.min(24, slot * 0.72));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const labelEvery = Math.ceil(days.length / 7);

  const grid = [0, max / 2, max].map(
    (v) => html`<line x1="${left}" x2="${WIDTH - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e7eb"></line>
<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#525c67">${v}</text>`,
  );
  const bars = days.map((d, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    const parts = OUTCOME_GROUPS.filter((g) => d.counts[g] > 0).map((g) => {
      const n = d.counts[g];
      const rect = html`<rect x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${((n / max) * plotH).toFixed(1)}" fill="${OUTCOME_COLOURS[g]}"></rect>`;
      base += n;
      return rect;
    });
    const tip = OUTCOME_GROUPS.filter((g) => d.counts[g] > 0)
      .map((g) => `${d.counts[g]} ${g}`)
      .join(', ');
    // Labels count back from the last day, so "today" is always labelled and never crowded by a neighbour.
    const label =
      (days.length - 1 - i) % labelEvery === 0
        ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle" font-size="11" fill="#525c67">${shortDay(d.day)}</text>`
        : null;
    return html`<g><title>${d.day}: ${tip === '' ? 'none' : tip}</title>${parts}</g>${label}`;
  });
  const alt = `Remediation outcomes per day, ${days[0]?.day ?? ''} to ${days[days.length - 1]?.day ?? ''}`;
  return html`<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${alt}" data-testid="remediation-chart">${grid}${bars}</svg>
<ul class="legend">${OUTCOME_GROUPS.map((g) => html`<li><i style="background:${OUTCOME_COLOURS[g]}"></i>${OUTCOME_LABELS[g]}</li>`)}</ul>`;
}
