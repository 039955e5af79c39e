import { describe, expect, it } from 'vitest';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { detectAll, detectorRulesFromConfig } from '../../../../shared/core/detect/index.js';
import { loadConfig } from '../../../../shared/config/index.js';
import { HOUR, NOW, event, snapshot } from '../../../support/builders.js';

// AP_DEPLOYMENT_STUCK at the DEFAULT threshold must be reachable. The deployment report fails a deployment that is
// still In progress after 4 hours: Microsoft Learn "Windows Autopilot - known issues" › "Windows Autopilot report
// incorrectly shows failure even though the deployment was successful" (https://learn.microsoft.com/autopilot/known-issues).
// A threshold of 4 h or more therefore never sees an in-progress deployment old enough (it was 4 h, and "> 4 h"
// after start the row already says Failed). The ESP gives up by default after 60 minutes: Microsoft Learn "Set up the
// Enrollment Status Page" › "Create new profile", setting "Show an error when installation takes longer than
// specified number of minutes" (https://learn.microsoft.com/intune/intune-service/enrollment/windows-enrollment-status).
// So the default must lie between the two.

const MINUTE = 60_000;
const rules = () => {
  const c = loadConfig({});
  return detectorRulesFromConfig({
    deploymentStuckHours: c.env.DEPLOYMENT_STUCK_HOURS,
    profileStuckHours: c.env.PROFILE_STUCK_HOURS,
    importVisibleMinutes: c.env.IMPORT_VISIBLE_MINUTES,
    fixPendingAlertHours: c.env.FIX_PENDING_ALERT_HOURS,
    staleRegistrationDays: c.env.STALE_REGISTRATION_DAYS,
    checkinStaleDays: c.env.CHECKIN_STALE_DAYS,
    devicePrepGroups: [],
  });
};
const stuckAfter = (ms: number): boolean =>
  detectAll(
    snapshot({
      events: [event({ deploymentState: 'inProgress', deploymentStartAt: NOW - ms, deploymentEndAt: null })],
    }),
    NOW,
    rules(),
  ).findings.some((f) => f.code === CODES.AP_DEPLOYMENT_STUCK);

describe('AP_DEPLOYMENT_STUCK default threshold (DEPLOYMENT_STUCK_HOURS)', () => {
  it('lies after the ESP default time-out (60 min) and before the report fails the row (4 h)', () => {
    expect(rules().deploymentStuckMs).toBeGreaterThan(60 * MINUTE);
    expect(rules().deploymentStuckMs).toBeLessThan(4 * HOUR);
  });

  it.each<[string, number, boolean]>([
    ['in progress 3 h 50 min: past the ESP time-out, the report still says In progress', 3 * HOUR + 50 * MINUTE, true],
    ['in progress 2 h 30 min', 2 * HOUR + 30 * MINUTE, true],
    ['in progress 45 min: the ESP may still be running', 45 * MINUTE, false],
  ])('%s', (_name, age, stuck) => {
    expect(stuckAfter(age)).toBe(stuck);
  });
});
