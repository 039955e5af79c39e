/**
 * The Windows Autopilot deployment report's automatic failure. Microsoft Learn "Windows Autopilot -
 * known issues" › "Windows Autopilot report incorrectly shows failure even though the deployment was
 * successful" (https://learn.microsoft.com/autopilot/known-issues): the report "automatically updates
 * deployment status from In progress to Failed after 4 hours if Intune didn't receive a success or
 * failure status". Such a row got nothing from the device, so it carries no failure details, no end
 * time (Graph's 0001-01-01 default) and zero durations (`PT0S`, the Edm.Duration default).
 *
 * Time-driven, like the sync: a row In progress flips when its 4-hour mark passes on the simulator clock
 * after the row entered the tenant. A scenario (or `tenant.addEvent`) states what the report shows at
 * that moment, so a row that enters already past its mark is served as written.
 */
import { NEVER } from '../clock.js';
import type { AutopilotEvent } from '../model/schemas.js';
import type { Collection } from './collection.js';

export const REPORT_AUTO_FAIL_MS = 4 * 3_600_000;

/** The row as the report shows it after giving up: Failed, with nothing the device would have sent. */
export function autoFailed(e: AutopilotEvent): AutopilotEvent {
  return {
    ...e,
    deploymentState: 'failure',
    deploymentEndDateTime: NEVER,
    deploymentDuration: 'PT0S',
    deploymentTotalDuration: 'PT0S',
    enrollmentFailureDetails: null,
  };
}

function startOf(e: AutopilotEvent): number {
  const t = Date.parse(e.deploymentStartDateTime);
  return Number.isNaN(t) || e.deploymentStartDateTime === NEVER ? Date.parse(e.eventDateTime) : t;
}

export class DeploymentReportClock {
  /** Event id (lower-case) → when the report gives up on it. */
  private readonly due = new Map<string, number>();

  /** Note a row that entered (or changed in) the tenant at `now`. */
  track(e: AutopilotEvent, now: number): void {
    const key = e.id.toLowerCase();
    const mark = startOf(e) + REPORT_AUTO_FAIL_MS;
    if (e.deploymentState === 'inProgress' && Number.isFinite(mark) && mark > now) this.due.set(key, mark);
    else this.due.delete(key);
  }

  /** Fail every tracked row whose mark has passed and that is still In progress. Returns how many flipped. */
  tick(now: number, events: Collection<AutopilotEvent>): number {
    let flipped = 0;
    for (const [key, mark] of this.due) {
      if (mark > now) continue;
      this.due.delete(key);
      const e = events.get(key);
      if (e?.deploymentState !== 'inProgress') continue;
      events.replace(autoFailed(e));
      flipped++;
    }
    return flipped;
  }
}
