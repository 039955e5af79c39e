import { describe, expect, it } from 'vitest';
import { buildRunAlerts, type RunAlertInput } from '../../../../shared/app/alerting/index.js';
import type { Outcome } from '../../../../shared/core/model/index.js';
import { catalog, deviceFinding, groupFinding, NOW, PORTAL } from './fixtures.js';

// buildRunAlerts lives in shared/app beside the dispatcher, but it is pure: unit-tested here with no stores.

const options = { catalog, portalUrl: PORTAL, digestThreshold: 5 };
const outcome = (status: Outcome['status']): Outcome => ({ status, detail: status, before: null, after: null, graphRequestId: null, retryAt: null });
const run = (over: Partial<RunAlertInput>): RunAlertInput => ({
  opened: [],
  resolved: [],
  outcomes: [],
  escalations: [],
  blastRadius: null,
  runId: 'poll:1',
  tenant: 'contoso',
  now: NOW,
  ...over,
});

describe('buildRunAlerts', () => {
  it('at or below the threshold: one alert per event, most actionable first', () => {
    const alerts = buildRunAlerts(
      run({
        opened: [deviceFinding(1), deviceFinding(2)],
        resolved: [deviceFinding(3)],
        outcomes: [
          { action: 'allow-next-enrollment', idempotencyKey: 'k1', attempt: 1, outcome: outcome('failed-permanent'), findings: [deviceFinding(4)] },
          { action: 'allow-next-enrollment', idempotencyKey: 'k2', attempt: 1, outcome: outcome('succeeded'), findings: [deviceFinding(5)] },
          { action: 'allow-next-enrollment', idempotencyKey: 'k3', attempt: 1, outcome: outcome('failed-transient'), findings: [deviceFinding(5)] },
        ],
      }),
      options,
    );
    expect(alerts.map((a) => [a.kind, a.dedupeKey])).toEqual([
      ['remediation-failed', 'failed:k1'],
      ['finding', 'fp-1'],
      ['finding', 'fp-2'],
      ['resolved', 'resolved:fp-3'],
    ]);
  });

  it('above the threshold: one digest, saying what was found, what was done and what needs a person', () => {
    const opened = Array.from({ length: 8 }, (_, i) => deviceFinding(i));
    const alerts = buildRunAlerts(
      run({
        opened: [...opened, groupFinding('g-1')],
        outcomes: [
          { action: 'allow-next-enrollment', idempotencyKey: 'k1', attempt: 1, outcome: outcome('succeeded'), findings: opened.slice(0, 6) },
          { action: 'allow-next-enrollment', idempotencyKey: 'k2', attempt: 1, outcome: outcome('failed-permanent'), findings: opened.slice(6, 7) },
        ],
        escalations: [{ finding: opened[7]!, action: 'allow-next-enrollment', attempts: 3, detail: 'still blocked' }],
      }),
      options,
    );
    expect(alerts).toHaveLength(1);
    const digest = alerts[0]!;
    expect(digest).toMatchObject({
      kind: 'digest',
      dedupeKey: 'digest:poll:1',
      severity: 'critical',
      facts: { 'Devices touched': 8, 'New findings': 9, Remediated: 6, Failed: 1, Escalated: 1, 'Needs a person': 3 },
    });
    expect(digest.facts['Found · Self-deploying / pre-provisioning blocked after a previous enrollment']).toBe(8);
    // Needs a person: the escalated device, the failed one, and the alert-only group finding, most severe first.
    expect(digest.items.map((i) => i.subject.key)).toEqual(['g-1', 'SN-00007', 'SN-00006']);
  });

  it('a blast-radius breach always alerts on its own, critical, next to the digest', () => {
    const opened = Array.from({ length: 30 }, (_, i) => deviceFinding(i));
    const alerts = buildRunAlerts(run({ opened, blastRadius: { runId: 'poll:1', wouldAct: 30, maxDevices: 25, maxPercent: 10, fleetSize: 200 } }), options);
    expect(alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['blast-radius', 'critical'],
      ['digest', 'error'],
    ]);
  });
});
