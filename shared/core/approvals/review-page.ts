import { actionModule } from '../actions/index.js';
import { html, trusted, type SafeHtml } from '../report/html.js';
import type { EvidenceValue } from '../model/index.js';
import { displayStatus, isExpired, type ApprovalRequest } from './types.js';

// The review page of one approval request: what will be deleted (the exact Graph call), why (the documented reason
// and its Microsoft Learn pages), the evidence and the state read when it was proposed, and — while it can still be
// decided — Approve and Reject. One self-contained page: inline CSS, no script, every tenant string escaped by the
// `html` template. Rendering it never changes anything; only the forms' POST does.

export interface ReviewPageOptions {
  /** Where the forms post (the page's own address, with the function key when the request carried one). */
  readonly formAction: string;
  /** The link's token, sent back with the decision. */
  readonly token: string;
  readonly now: number;
  /** A line shown above the request (the result of a decision just made), or null. */
  readonly notice?: { readonly kind: 'ok' | 'refused'; readonly text: string } | null;
}

const STYLE = trusted(`
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.6rem 0 .4rem}
.tag{display:inline-block;font-size:.8rem;padding:.1rem .5rem;border-radius:.8rem;background:#fde7e9;color:#a4262c;font-weight:600}
.status{font-weight:600}.muted{color:#605e5c}
code{font:13px/1.4 ui-monospace,Consolas,monospace;background:#f3f2f1;padding:.1rem .3rem;border-radius:.2rem;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #edebe9;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{width:16rem;font-weight:600;color:#323130}
.notice{padding:.6rem .8rem;border-radius:.3rem;margin:1rem 0}.ok{background:#dff6dd}.refused{background:#fde7e9}
.actions{display:flex;gap:1rem;margin:1.5rem 0}form{margin:0}
button{font:inherit;padding:.5rem 1.4rem;border-radius:.3rem;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.approve{background:#a4262c;border-color:#a4262c;color:#fff}
`);

function value(v: EvidenceValue | undefined): string {
  if (v === null || v === undefined) return 'none';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function rows(entries: readonly (readonly [string, string])[]): SafeHtml {
  return html`<table>
    ${entries.map(([k, v]) => html`<tr><th>${k}</th><td><code>${v}</code></td></tr>`)}
  </table>`;
}

function decisionForms(r: ApprovalRequest, o: ReviewPageOptions): SafeHtml {
  const form = (
    decision: 'approve' | 'reject',
    label: string,
    cls: string,
  ) => html`<form method="post" action="${o.formAction}">
      <input type="hidden" name="token" value="${o.token}"><input type="hidden" name="decision" value="${decision}">
      <button type="submit" class="${cls}" name="submit" value="${decision}">${label}</button>
    </form>`;
  return html`<div class="actions">
    ${form('approve', 'Approve', 'approve')}${form('reject', 'Reject', 'reject')}
  </div>
  <p class="muted">Approving deletes once, after the worker has re-read the device: if its state changed since this
  request was made (${r.findingCode} resolved or changed, the device re-enrolled, the record already gone) nothing is
  deleted and the refusal is recorded. Rejecting leaves the finding open and records your decision.</p>`;
}

/** The whole page, as a string. */
export function renderReviewPage(r: ApprovalRequest, o: ReviewPageOptions): string {
  const module = actionModule(r.action);
  const call = module.rule.call.replace(/`/g, '');
  const status = displayStatus(r, o.now);
  const decidable = r.status === 'pending' && !isExpired(r, o.now);
  const target = Object.entries(r.target)
    .filter(([k]) => k !== 'action')
    .map(([k, v]) => [k, String(v)] as const);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Approval needed — autopilot-medic</title>
<style>${STYLE}</style></head>
<body>
<p><span class="tag">Destructive · needs approval</span></p>
<h1>${module.describe(r.target)}</h1>
${o.notice ? html`<p class="notice ${o.notice.kind}" role="status">${o.notice.text}</p>` : ''}
<p>Status: <span class="status" id="status">${status}</span>${r.decidedBy ? html` · decided by <strong>${r.decidedBy}</strong>` : ''}
${r.execution ? html` · worker: <strong>${r.execution.status}</strong> — ${r.execution.detail}` : ''}</p>
${decidable ? decisionForms(r, o) : ''}
<h2>What will be deleted</h2>
<p><code>${call}</code></p>
${rows(target)}
<h2>Why</h2>
<p>${r.reason}</p>
<ul>${r.docs.map((d) => html`<li><a href="${d.page.url}" rel="noreferrer">${d.page.title}</a>${d.section ? html`, section “${d.section}”` : ''}</li>`)}</ul>
<h2>Finding</h2>
${rows([
  ['code', r.findingCode],
  ['title', r.findingTitle],
  ['device', r.subjectKey],
  ['fingerprint', r.fingerprint],
])}
<h2>Evidence</h2>
${rows(Object.entries(r.evidence).map(([k, v]) => [k, value(v)] as const))}
<h2>State read when proposed</h2>
<p class="muted">The worker compares these fields with a fresh read before it deletes anything.</p>
${rows(Object.entries(r.state).map(([k, v]) => [k, v ?? 'none'] as const))}
<h2>Request</h2>
${rows([
  ['id', r.id],
  ['proposed by', r.proposedBy],
  ['proposed at', new Date(r.createdAt).toISOString()],
  ['expires at', new Date(r.expiresAt).toISOString()],
])}
</body></html>
`;
  return page.value;
}
