import { fmtTime } from './format.js';
import { html, type SafeHtml } from './html.js';

// The strip under the dashboard's header: the last scheduled runs (when, how they ended, their figures) and when the
// next ones are due, so a reader of a live page sees the app is running, and a reader of a stale one sees it is not.

export type RunLine = {
  readonly name: string;
  readonly status: 'completed' | 'aborted';
  readonly finishedAt: number;
  readonly summary: string;
};

export type NextRun = { readonly name: string; readonly at: number };

export type RunsStrip = { readonly last: readonly RunLine[]; readonly next: readonly NextRun[] };

export function runsStrip(runs: RunsStrip | undefined): SafeHtml | null {
  if (runs === undefined) return null;
  const last =
    runs.last.length === 0
      ? html`<li class="empty">No scheduled run recorded yet.</li>`
      : runs.last.map(
          (r) =>
            html`<li data-status="${r.status}"><strong>${r.name}</strong> ${fmtTime(r.finishedAt)} · ${r.status === 'completed' ? 'completed' : html`<span class="sev sev-error">aborted</span>`} · ${r.summary}</li>`,
        );
  const next = runs.next.map((n) => html`<li><strong>${n.name}</strong> ${fmtTime(n.at)}</li>`);
  return html`<section class="card runs" aria-labelledby="h-runs" data-testid="runs"><h2 id="h-runs">Runs</h2>
<div class="grid2"><div><h3>Last</h3><ul data-testid="last-runs">${last}</ul></div>
<div><h3>Next</h3><ul data-testid="next-runs">${next}</ul></div></div></section>`;
}
