import type { Decision } from '../model/index.js';

/** Reasons that hand the problem to a person start with this, so callers can raise an escalation alert. */
export const ESCALATION_PREFIX = 'escalate: ';

export function isEscalation(decision: Decision): boolean {
  return decision.kind === 'alert-only' && decision.reason.startsWith(ESCALATION_PREFIX);
}

/**
 * Is reaching a limit news in this run? Only the first run after the attempt that reached it escalates (later
 * runs would repeat the same alert every poll). Unknown previous run = news.
 */
export function isNews(lastAttemptAt: number | null, previousRunAt: number | null | undefined): boolean {
  return (
    previousRunAt === undefined || previousRunAt === null || lastAttemptAt === null || lastAttemptAt >= previousRunAt
  );
}
