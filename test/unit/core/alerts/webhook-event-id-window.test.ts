import { describe, expect, it } from 'vitest';
import { alertEventId, blastRadiusAlert, buildWebhookEvent } from '../../../../shared/core/alerts/index.js';
import { ctx, NOW } from './fixtures.js';

const MIN = 60_000;
const breach = { runId: 'run-1', wouldAct: 90, maxDevices: 25, maxPercent: 10, fleetSize: 400 };

// The dispatcher re-sends a failed alert from a later poll that rebuilt it with a new `at`: the message id must
// follow the cooldown window it belongs to, not that `at` (Standard Webhooks: a re-send keeps its webhook-id).
describe('alertEventId with a cooldown window', () => {
  it('is the same for every rebuild of one alert within one window', () => {
    const first = blastRadiusAlert(ctx({ at: NOW }), breach);
    const rebuilt = blastRadiusAlert(ctx({ at: NOW + 16 * MIN }), breach);
    expect(alertEventId(rebuilt, NOW)).toBe(alertEventId(first, NOW));
    expect(buildWebhookEvent(rebuilt, alertEventId(rebuilt, NOW)).id).toBe(buildWebhookEvent(first).id);
  });

  it('differs for a new window, and defaults to the alert instant without one', () => {
    const alert = blastRadiusAlert(ctx({ at: NOW }), breach);
    expect(alertEventId(alert, NOW + 7 * 60 * MIN)).not.toBe(alertEventId(alert, NOW));
    expect(alertEventId(alert)).toBe(alertEventId(alert, NOW));
  });
});
