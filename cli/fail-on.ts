import { isTenantWide } from '../shared/core/actions/index.js';
import { SEVERITIES, severityRank, type Decision, type Finding, type Severity } from '../shared/core/model/index.js';
import { isActing } from '../shared/core/policy/index.js';
import { UsageError } from './args.js';
import type { ActionRecord } from './output/sweep-view.js';

// `sweep --fail-on SEVERITY`, for schedulers and CI: exit 3 when findings at or above SEVERITY remain once the run
// is over. A finding remains unless a command of this run answered it and Graph confirmed the fix (succeeded, or
// found it already done); a planned, deferred, refused or failed remediation leaves it open, as does an alert only.

const FIXED = new Set(['succeeded', 'already-done']);

export function parseFailOn(value: string | undefined): Severity | null {
  if (value === undefined) return null;
  const v = value.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  throw new UsageError(
    `sweep: --fail-on: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`,
  );
}

/**
 * The findings of this run at or above `threshold` that the run did not fix. A tenant-wide command (the sync) answers
 * every finding the run decided to act on with it (`decisions`), also those its message does not list.
 */
export function remainingAtOrAbove(
  findings: readonly Finding[],
  actions: readonly ActionRecord[],
  threshold: Severity,
  decisions: readonly Decision[] = [],
): Finding[] {
  const answered = (a: ActionRecord): readonly string[] =>
    isTenantWide(a.command.action)
      ? [
          ...a.command.reasons,
          ...decisions
            .filter((d) => isActing(d) && d.remedy.action === a.command.action)
            .map((d) => d.finding.fingerprint),
        ]
      : a.command.reasons;
  const fixed = new Set(actions.filter((a) => FIXED.has(a.outcome.status)).flatMap(answered));
  return findings.filter((f) => severityRank(f.severity) >= severityRank(threshold) && !fixed.has(f.fingerprint));
}
