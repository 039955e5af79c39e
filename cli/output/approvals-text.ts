import { actionModule } from '../../shared/core/actions/index.js';
import { displayStatus, type ApprovalRequest } from '../../shared/core/approvals/index.js';
import { table } from './table.js';
import { terminalText } from './terminal.js';

// `approvals list` and `approvals show` as text. Every tenant string goes through the terminal-safe helpers.

const iso = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z'));

export function approvalsTable(requests: readonly ApprovalRequest[], now: number): string {
  if (requests.length === 0) return 'No approval requests.';
  return table(
    ['id', 'status', 'action', 'device', 'finding', 'expires'],
    requests.map((r) => [
      r.id,
      displayStatus(r, now),
      r.action,
      r.target.serialNumber,
      r.findingCode,
      iso(r.expiresAt),
    ]),
  );
}

export function approvalText(r: ApprovalRequest, now: number, reviewLink: string | null): string {
  const line = (label: string, value: string) => `${label.padEnd(14)} ${terminalText(value)}`;
  const out = [
    terminalText(actionModule(r.action).describe(r.target)),
    '',
    line('id', r.id),
    line('status', displayStatus(r, now)),
    line('call', actionModule(r.action).rule.call.replace(/`/g, '')),
    ...Object.entries(r.target)
      .filter(([k]) => k !== 'action')
      .map(([k, v]) => line(k, String(v))),
    line('finding', `${r.findingCode} (${r.findingTitle})`),
    line('fingerprint', r.fingerprint),
    line('proposed', `${iso(r.createdAt)} by ${r.proposedBy}`),
    line('expires', iso(r.expiresAt)),
  ];
  if (r.decidedBy !== null) out.push(line('decided', `${iso(r.decidedAt)} by ${r.decidedBy}`));
  if (r.execution !== null) out.push(line('worker', `${r.execution.status}: ${r.execution.detail}`));
  out.push('', 'Why:', `  ${terminalText(r.reason)}`);
  for (const d of r.docs)
    out.push(`  ${terminalText(`${d.page.title}${d.section ? `, section "${d.section}"` : ''}: ${d.page.url}`)}`);
  out.push('', 'Evidence:');
  for (const [k, v] of Object.entries(r.evidence)) out.push(`  ${line(k, v === null ? 'none' : String(v))}`);
  out.push('', 'State read when proposed (re-checked before the write):');
  for (const [k, v] of Object.entries(r.state)) out.push(`  ${line(k, v ?? 'none')}`);
  if (reviewLink !== null) out.push('', `Review page: ${terminalText(reviewLink)}`);
  return out.join('\n');
}
