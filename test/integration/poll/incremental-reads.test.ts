import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { lastSeq, startHarness, wireRequests, type Azurite } from '../../support/harness.js';
import { DEMO, findingKeys } from './expected.js';

// Issue 4: a second poll with nothing changed opens nothing and reads only what an incremental poll reads —
// each collection once, no writes (plan mode; the queue is not drained). Counted in the simulator's own
// request log, by path.

const DAY = 86_400_000;

/** `eventDateTime ge 2026-…Z` → epoch ms. */
function eventsSince(query: Record<string, string>): number {
  const m = /eventDateTime ge (\S+)/.exec(query['$filter'] ?? '');
  if (!m?.[1]) throw new Error(`autopilotEvents read without an eventDateTime filter: ${JSON.stringify(query)}`);
  return Date.parse(m[1]);
}

describe('a second poll with no changes', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('demo: opens nothing, resolves nothing, and makes exactly the incremental reads', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      const first = await h.runPoll('incremental');
      const openBefore = await h.container.stores.findings.listOpen();
      const firstEventsRead = wireRequests(h.sim).find((r) => r.path === '/deviceManagement/autopilotEvents');
      expect(firstEventsRead).toBeDefined();

      h.sim.clock.advance(5 * 60_000); // the next timer tick
      const since = lastSeq(h.sim);
      const second = await h.runPoll('incremental');

      expect(findingKeys(second.opened)).toEqual([]);
      expect(second.resolved).toEqual([]);
      // Events older than the overlap are not re-read, so they are not re-detected either; their findings
      // simply stay open (the table is unchanged).
      const openAfter = await h.container.stores.findings.listOpen();
      const view = (rows: typeof openBefore) =>
        rows.map((r) => ({
          subjectKey: r.subjectKey,
          code: r.code,
          status: r.status,
          fingerprint: r.fingerprint,
          firstSeenAt: r.firstSeenAt,
        }));
      expect(view(openAfter)).toEqual(view(openBefore));
      expect(second.newEvents).toBe(0);

      const requests = wireRequests(h.sim, since);
      expect(
        requests.filter((r) => r.kind === 'write'),
        'the poll itself writes nothing',
      ).toEqual([]);
      expect(
        requests.filter((r) => r.status >= 400),
        'every read succeeded',
      ).toEqual([]);
      const g = `/v1.0/groups/${DEMO.group}`;
      // Every collection the incremental poll needs, once each (the scenario's collections fit in one page).
      expect(requests.map((r) => `${r.method} /${r.version}${r.path}`).sort()).toEqual(
        [
          'GET /beta/deviceManagement/autopilotEvents',
          'GET /beta/deviceManagement/windowsAutopilotSettings',
          // the blocked devices (server-side filter)…
          'GET /beta/deviceManagement/windowsAutopilotDeviceIdentities',
          // …and, in ONE request, the two completed imports that are still invisible (plan mode: no sync ran)
          'GET /beta/deviceManagement/windowsAutopilotDeviceIdentities',
          'GET /beta/deviceManagement/importedWindowsAutopilotDeviceIdentities',
          `GET ${g}`,
          `GET ${g}/owners`,
          // the counts: devices of the policy, and those of them in the group (they differ: devices are missing)…
          'GET /v1.0/devices',
          `GET ${g}/members/microsoft.graph.device`,
          // …with the policy's Autopilot-registered devices in the same round trip…
          'GET /v1.0/devices',
          // …so both lists are read: the members, and the candidates (Entra devices of the policy)
          `GET ${g}/members`,
          'GET /v1.0/devices',
          // the Provisioning Client is still not an owner: its object id is needed to restore it
          'GET /v1.0/servicePrincipals',
          // the device preparation policy's own device group (a POST that only reads), before any group write
          'POST /beta/deviceManagement/configurationPolicies/7a000000-0000-4000-8000-000000000001/retrieveEnrollmentTimeDeviceMembershipTarget',
        ].sort(),
      );
      const identityFilters = requests
        .filter((r) => r.path === '/deviceManagement/windowsAutopilotDeviceIdentities')
        .map((r) => r.query['$filter']);
      expect(identityFilters).toContain("enrollmentState eq 'blocked' or userlessEnrollmentStatus eq 'blocked'");
      expect(
        identityFilters.some((f) =>
          /contains\(serialNumber,'5cg3460def'\) or contains\(serialNumber,'pf5a01qx'\)/i.test(f ?? ''),
        ),
      ).toBe(true);
      const devices = requests.filter((r) => r.path === '/devices').map((r) => [r.query['$filter'], r.query['$top']]);
      expect(devices).toEqual(
        expect.arrayContaining([
          [`enrollmentProfileName eq '${DEMO.policyName}'`, '1'],
          [`enrollmentProfileName eq '${DEMO.policyName}' and physicalIds/any(p:startswith(p,'[ZTDID]'))`, '999'],
          [`enrollmentProfileName eq '${DEMO.policyName}'`, '999'],
        ]),
      );
      // The sweep-only collections are not read by a poll.
      expect(requests.some((r) => /managedDevices|exportJobs/.test(r.path))).toBe(false);

      // Incremental: the events read starts near the watermark, not 30 days back like the first read.
      const secondEventsRead = requests.find((r) => r.path === '/deviceManagement/autopilotEvents');
      const firstSince = eventsSince(firstEventsRead?.query ?? {});
      const secondSince = eventsSince(secondEventsRead?.query ?? {});
      expect(first.startedAt - firstSince).toBeGreaterThanOrEqual(29 * DAY);
      expect(second.startedAt - secondSince).toBeLessThan(DAY);
    } finally {
      await h.stop();
    }
  });
});
