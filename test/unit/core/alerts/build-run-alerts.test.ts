import { describe, expect, it } from 'vitest';

import { buildRunAlerts, type RunAlertInput } from '../../../../shared/app/alerting/index.js';
import { catalog, deviceFinding, groupFinding, NOW, PORTAL } from './fixtures.js';

// buildRunAlerts lives in shared/app beside the dispatcher, but it is pure: unit-tested here with no stores.
// Issue 17.1–17.2: the poll's alerts say only what the poll knows. Outcomes come from the worker.

const options = { catalog, portalUrl: PORTAL, digestThreshold: 5 };
const run = (over: Partial<RunAlertInput>): RunAlertInput => ({
  opened: [],
  needsPerson: new Set(),
  queuedForRemediation: 0,
  resolvedAfterRemediation: [],
  resolvedOnTheirOwn: 0,
  escalations: [],
  blastRadius: null,
  runId: 'poll:1',
  tenant: 'contoso',
  now: NOW,
  ...over,
});

describe('buildRunAlerts', () => {
  it('at or below the threshold: escalations first, then the openings that need a person, then resolutions of remediated findings', () => {
    const alerts = buildRunAlerts(
      run({
        opened: [deviceFinding(1), deviceFinding(2), deviceFinding(9)],
        needsPerson: new Set(['fp-1', 'fp-2']),
        queuedForRemediation: 1,
        resolvedAfterRemediation: [deviceFinding(3)],
        resolvedOnTheirOwn: 4,
        escalations: [
          { finding: deviceFinding(4), action: 'allow-next-enrollment', attempts: 3, detail: 'still blocked' },
        ],
      }),
      options,
    );
    expect(alerts.map((a) => [a.kind, a.dedupeKey])).toEqual([
      ['escalation', 'escalated:fp-4'],
      ['finding', 'fp-1'],
      ['finding', 'fp-2'],
      ['resolved', 'resolved:fp-3'],
    ]);
  });

  it('findings that resolve on their own send nothing from the poll', () => {
    expect(buildRunAlerts(run({ resolvedOnTheirOwn: 7 }), options)).toEqual([]);
  });

  it('above the threshold: one digest counting every new finding, with escalations and resolutions still on their own', () => {
    const opened = Array.from({ length: 8 }, (_, i) => deviceFinding(i));
    const alerts = buildRunAlerts(
      run({
        opened: [...opened, groupFinding('g-1')],
        // Six are remediated automatically; SN-00006 and the group need a person.
        needsPerson: new Set(['fp-6', 'fp-group-g-1']),
        queuedForRemediation: 6,
        resolvedAfterRemediation: [deviceFinding(20)],
        resolvedOnTheirOwn: 2,
        escalations: [{ finding: opened[7]!, action: 'allow-next-enrollment', attempts: 3, detail: 'still blocked' }],
      }),
      options,
    );
    expect(alerts.map((a) => a.kind)).toEqual(['escalation', 'digest', 'resolved']);
    const digest = alerts[1]!;
    expect(digest).toMatchObject({
      dedupeKey: 'digest:poll:1',
      severity: 'critical',
      title: 'Run summary: 9 new, 3 resolved, 3 need a person',
      facts: {
        'Devices touched': 8,
        'New findings': 9,
        'Handed to automatic remediation': 6,
        'Needs a person': 3,
        Escalated: 1,
        'Resolved after remediation': 1,
        'Resolved on their own': 2,
      },
    });
    // No outcome counts: the worker has not run when the poll builds this.
    expect(Object.keys(digest.facts).filter((k) => /Remediated|Failed|Planned|Deferred/.test(k))).toEqual([]);
    expect(digest.facts['Found · Self-deploying / pre-provisioning blocked after a previous enrollment']).toBe(8);
    // Needs a person: the escalated device, the alert-only device and the group finding, most severe first.
    expect(digest.items.map((i) => i.subject.key)).toEqual(['g-1', 'SN-00007', 'SN-00006']);
  });

  it('a blast-radius breach always alerts on its own, critical, next to the digest', () => {
    const opened = Array.from({ length: 30 }, (_, i) => deviceFinding(i));
    const alerts = buildRunAlerts(
      run({
        opened,
        needsPerson: new Set(opened.map((f) => f.fingerprint)),
        blastRadius: { runId: 'poll:1', wouldAct: 30, maxDevices: 25, maxPercent: 10, fleetSize: 200 },
      }),
      options,
    );
    expect(alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['blast-radius', 'critical'],
      ['digest', 'error'],
    ]);
  });
});
