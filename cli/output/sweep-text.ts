import { severityRank } from '../../shared/core/model/index.js';
import type { SweepView } from './sweep-view.js';
import { table } from './table.js';
import { terminalText as t } from './terminal.js';

/** Human summary of a sweep: what was found, what was done, what waits, what needs a person. Data goes through `t` (or table). */
export function sweepText(v: SweepView): string {
  const out: string[] = [];
  const r = v.reads;
  out.push(
    `autopilot-medic sweep ${t(v.runId)}${v.embeddedScenario ? ` — simulated tenant (scenario "${t(v.embeddedScenario)}")` : ''}${v.plan ? ' — PLAN MODE, nothing written' : ''}`,
  );
  out.push(
    `Read ${r.identities} Autopilot devices, ${r.events} deployment events (${r.newEvents} new), ${r.devicePrepGroups} device-prep groups, ${r.entraDevices} Entra devices, ${r.managedDevices} managed devices.`,
  );
  if (r.unusableRecords > 0)
    out.push(`Skipped ${r.unusableRecords} record(s) that cannot be used (see AP_TENANT_RECORD_UNUSABLE below).`);
  out.push('');
  const findings = [...v.findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.code.localeCompare(b.code),
  );
  out.push(`Findings (${findings.length}, ${findings.filter((f) => f.new).length} new):`);
  out.push(
    findings.length === 0
      ? '  none'
      : table(
          ['severity', 'code', 'subject', 'fix', 'title'],
          findings.map((f) => [f.severity, f.code, f.subject.key, f.remediation ?? 'person', f.title]),
        ),
  );
  if (v.resolved.length > 0) {
    const verified = v.resolved.filter((x) => x.fixedBy !== null).length;
    out.push(
      '',
      `Resolved (${v.resolved.length}, ${verified} fixed by an earlier remediation, verified by this run's read):`,
    );
    out.push(
      table(
        ['code', 'subject', 'how', 'title'],
        v.resolved.map((x) => [
          x.code,
          x.subjectKey,
          x.fixedBy === null ? 'cleared on its own' : `fix verified: ${x.fixedBy}`,
          x.title,
        ]),
      ),
    );
  }
  out.push('', `Actions (${v.actions.length}):`);
  out.push(
    v.actions.length === 0
      ? '  none'
      : table(
          ['action', 'mode', 'outcome', 'detail'],
          v.actions.map((a) => [a.action, a.mode, a.status, a.detail]),
        ),
  );
  if (v.deferrals.length > 0 || v.scheduled.length > 0) {
    out.push('', 'Deferred:');
    for (const d of v.deferrals) out.push(`  ${d.action ?? '-'} until ${d.until ?? '?'}: ${t(d.reason)}`);
    for (const s of v.scheduled) out.push(`  scheduled ${t(s.messageId)} at ${s.at ?? '?'}`);
  }
  if (v.deadLettered.length > 0) {
    out.push(
      '',
      `FAILED — dead-lettered after every delivery failed (${v.deadLettered.length}); these commands did not complete:`,
    );
    out.push(
      table(
        ['action', 'command', 'deliveries', 'why'],
        v.deadLettered.map((d) => [
          t(d.action),
          t(d.idempotencyKey),
          String(d.deliveryCount),
          t(`${d.reason}: ${d.description}`),
        ]),
      ),
    );
  }
  if (v.blastRadius.exceeded)
    out.push('', `BLAST RADIUS EXCEEDED: ${t(v.blastRadius.reason ?? '')} — the run was switched to plan mode.`);
  else if (v.blastRadius.targets > 0) out.push('', `Blast radius within limits: ${t(v.blastRadius.basis)}.`);
  // Open findings no remediation fixes, whether alerted by this run or an earlier one.
  const person = findings.filter((f) => f.remediation === null).length;
  const done = v.actions.filter((a) => a.status === 'succeeded' || a.status === 'already-done').length;
  const failed = v.deadLettered.length > 0 ? `, ${v.deadLettered.length} FAILED (dead-lettered)` : '';
  out.push(
    '',
    `Summary: ${findings.length} findings, ${v.resolved.length} resolved, ${done} remediations done, ${v.actions.filter((a) => a.status === 'planned').length} planned${failed}, ${person} need a person; alerts delivered ${v.alerts.delivered}, failed ${v.alerts.failed}, suppressed ${v.alerts.suppressed}.`,
  );
  return out.join('\n');
}
