import { actionModule } from '../../core/actions/index.js';
import { catalogEntry } from '../../core/catalog/index.js';
import type { RemediationCommand } from '../../core/model/index.js';
import { attemptLimit, NO_HISTORY, type SubjectHistory } from '../../core/policy/index.js';
import { otherAttempts } from '../history/past-attempts.js';
import type { OutcomeReader } from '../history/subject-outcomes.js';
import type { RemediationDeps } from './deps.js';

// The per-subject limits again, before a write: MAX_ATTEMPTS_PER_DAY and DEVICE_COOLDOWN_MINUTES, with the poll's own
// rule (core attemptLimit) over the attempts history holds and the current configuration. The poll never plans a write
// over a limit, so a message that is over one is forged or duplicated under a fresh key: it is refused, recorded and
// alerted like any refusal, and the next poll plans the next attempt when the limits allow it.

type Deps = Pick<RemediationDeps, 'findings' | 'clock' | 'policy'>;

/** Why writing `subjects` now would break a limit, or null. `outcomes` is the command's reader (its pre-check's rows). */
export async function limitProblem(
  command: RemediationCommand,
  subjects: readonly string[],
  deps: Deps,
  outcomes: OutcomeReader,
): Promise<string | null> {
  // A destructive action writes only for a request a person approved, and its limits were checked when they did
  // (approvals/decide.ts); the policy never plans it, so the poll's limits do not apply to it.
  if (actionModule(command.action).requiresApproval === true) return null;
  const now = deps.clock.now();
  const unique = [...new Set(subjects)];
  const limits = await Promise.all(
    unique.map(async (subject) => ({
      subject,
      limit: attemptLimit(await attemptsOn(command, subject, now, deps, outcomes), now, deps.policy),
    })),
  );
  const hit = limits.find((l) => l.limit !== null);
  if (hit?.limit === undefined || hit.limit === null) return null;
  const setting = hit.limit.kind === 'daily' ? 'MAX_ATTEMPTS_PER_DAY' : 'DEVICE_COOLDOWN_MINUTES';
  const who = unique.length > 1 ? `${hit.subject}: ` : '';
  return `${who}${hit.limit.reason} (${setting}); the poll did not plan this write; not written`;
}

/**
 * The subject's attempts as the poll counts them (subjectHistory): only once something was attempted on an open finding
 * of the subject that this action answers (its stored attempts), then every real attempt of the action in history.
 */
async function attemptsOn(
  command: RemediationCommand,
  subject: string,
  now: number,
  deps: Deps,
  outcomes: OutcomeReader,
): Promise<SubjectHistory> {
  const records = await deps.findings.listBySubject(subject);
  const attempted = records.some(
    (r) => r.status === 'open' && r.attempts > 0 && catalogEntry(r.code)?.remediation === command.action,
  );
  if (!attempted) return NO_HISTORY;
  return otherAttempts(outcomes, subject, command.action, now, deps.policy.cooldownMs, command.idempotencyKey);
}
