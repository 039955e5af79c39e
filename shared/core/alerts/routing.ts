import type { Alert, Severity } from '../model/index.js';
import { severityRank } from '../model/index.js';

/** A channel takes an alert at or above its minimum severity (TEAMS_MIN_SEVERITY, WEBHOOK_MIN_SEVERITY). */
export function shouldRoute(alert: Pick<Alert, 'severity'>, minSeverity: Severity): boolean {
  return severityRank(alert.severity) >= severityRank(minSeverity);
}
