import { actionModule } from '../actions/index.js';
import type { Alert, AlertItem, OutcomeStatus, Severity, Subject } from '../model/index.js';
import { bySeverityDesc, maxSeverity } from './alert-item.js';
import type { AlertContext, RunCommandOutcome } from './types.js';

// The outcome summary: what the worker did for one run, sent once the last of the run's commands is done
// (wherever the worker ran). The poll's digest cannot say this: it is built before any command has run.

const WORDS: Readonly<Record<OutcomeStatus, { label: string; severity: Severity }>> = {
  succeeded: { label: 'Succeeded', severity: 'info' },
  'already-done': { label: 'Already done', severity: 'info' },
  'no-longer-applies': { label: 'No longer needed', severity: 'info' },
  planned: { label: 'Planned (plan mode)', severity: 'info' },
  deferred: { label: 'Deferred', severity: 'info' },
  duplicate: { label: 'Duplicate delivery', severity: 'info' },
  unverified: { label: 'Not yet verified', severity: 'warning' },
  refused: { label: 'Refused', severity: 'warning' },
  'failed-transient': { label: 'Failed, will retry', severity: 'warning' },
  'failed-permanent': { label: 'Failed', severity: 'error' },
};

const ORDER = Object.keys(WORDS) as OutcomeStatus[];

/** True when every command of the run has an outcome: the moment to send the summary. */
export function runIsDone(commands: readonly RunCommandOutcome[]): boolean {
  return commands.length > 0 && commands.every((c) => c.status !== null);
}

export function runOutcomesAlert(
  ctx: Pick<AlertContext, 'tenant' | 'at'>,
  input: { readonly runId: string; readonly commands: readonly RunCommandOutcome[] },
): Alert {
  const done = input.commands.filter((c): c is RunCommandOutcome & { status: OutcomeStatus } => c.status !== null);
  const items = bySeverityDesc(done.flatMap((c) => c.subjects.map((label) => item(c, label))));
  const counts = new Map<OutcomeStatus, number>();
  for (const c of done) counts.set(c.status, (counts.get(c.status) ?? 0) + c.subjects.length);
  const facts: Record<string, string | number> = { Run: input.runId, Commands: done.length };
  for (const status of ORDER) {
    const n = counts.get(status);
    if (n) facts[WORDS[status].label] = n;
  }
  const succeeded = (counts.get('succeeded') ?? 0) + (counts.get('already-done') ?? 0);
  const failed = (counts.get('failed-permanent') ?? 0) + (counts.get('refused') ?? 0);
  return {
    kind: 'outcomes',
    severity: maxSeverity(done.map((c) => WORDS[c.status].severity)),
    title: `Remediation outcomes: ${succeeded} done, ${failed} failed or refused`,
    summary: `The remediations queued by run ${input.runId} have finished. Each target and what happened to it is listed below.`,
    tenant: ctx.tenant,
    at: ctx.at,
    dedupeKey: `outcomes:${input.runId}`,
    items,
    facts,
  };
}

function item(c: RunCommandOutcome & { status: OutcomeStatus }, label: string): AlertItem {
  const kind = actionModule(c.action).subjectKind;
  const subject: Subject =
    kind === 'device'
      ? { kind: 'device', key: label, serialNumber: label, autopilotId: null }
      : kind === 'group'
        ? { kind: 'group', key: label, groupId: label }
        : { kind: 'tenant', key: 'tenant' };
  return {
    code: c.action,
    title: `${c.action}: ${WORDS[c.status].label}`,
    severity: WORDS[c.status].severity,
    subject,
    evidence: { status: c.status },
    fix: c.detail ?? '',
    docs: [],
    link: null,
  };
}
