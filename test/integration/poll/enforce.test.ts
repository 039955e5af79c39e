import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RequestLogEntry } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import { lastSeq, startHarness, type Azurite } from '../../support/harness.js';
import { DEMO } from './expected.js';

// Issue 4: REMEDIATION_MODE=enforce on the demo. One poll + draining the queue makes exactly the documented
// Graph writes; a second poll + drain right after makes none (no duplicates). Writes are counted in the
// simulator's log; $batch items are counted as the requests they are (the envelope itself is not a write
// of its own).

/** Graph writes the simulator performed, $batch items included, envelopes excluded. */
function graphWrites(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((r) => r.kind === 'write' && r.version !== null && r.path !== '/$batch');
}

const describeWrite = (r: RequestLogEntry): string => `${r.method} /${r.version}${r.path}`;

function bodyOf(r: RequestLogEntry | undefined): Record<string, unknown> {
  const b = r?.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/** The object id at the end of an `@odata.id` / bind URL (`…/directoryObjects/{id}`). */
const idOf = (ref: unknown): string => (typeof ref === 'string' ? (ref.split('/').pop() ?? '').toLowerCase() : '');

describe('enforce mode on the demo', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('poll + drain makes the documented writes, a second poll + drain right after makes none, and the sync comes once the imports are overdue', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      // The scenario's last manual sync was 1 h ago: the 10-minute window is open, so a sync (not a deferral).
      const settings = h.sim.tenant.settings();
      expect(h.clock.now() - Date.parse(settings.lastManualSyncTriggerDateTime)).toBeGreaterThan(10 * 60_000);

      await h.runPoll('incremental');
      const drained = await h.drainQueue();
      expect(drained.deadLettered).toBe(0);

      const writes = graphWrites(h.sim.requests());
      expect(
        writes.filter((w) => w.status >= 400),
        'no write was refused',
      ).toEqual([]);
      const unblock = (id: string) =>
        `POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/${id}/allowNextEnrollment`;
      expect(writes.map(describeWrite).sort()).toEqual(
        [
          // Unblock the blocked device that is NOT in Fix pending…
          unblock(DEMO.blocked.identityId),
          // (No sync yet: Graph gives imports no timestamp, so the two pending imports are dated by this first
          // sighting and IMPORT_VISIBLE_MINUTES runs from here — issue 14 item 3.)
          // …the three missing device-prep devices in one members PATCH…
          `PATCH /v1.0/groups/${DEMO.group}`,
          // …and the Provisioning Client back as owner.
          `POST /v1.0/groups/${DEMO.group}/owners/$ref`,
        ].sort(),
      );
      // Never the Fix-pending one.
      expect(writes.map(describeWrite)).not.toContain(unblock(DEMO.blockedFixPending.identityId));

      // Members by Entra OBJECT id (never the deviceId GUID).
      const patch = writes.find((w) => w.method === 'PATCH');
      const binds = bodyOf(patch)['members@odata.bind'];
      expect(Array.isArray(binds) ? binds.map(idOf).sort() : binds).toEqual(
        DEMO.missingMembers.map((m) => m.objectId).sort(),
      );
      // The owner by the service principal's object id.
      const owner = writes.find((w) => w.path.endsWith('/owners/$ref'));
      expect(idOf(bodyOf(owner)['@odata.id'])).toBe(DEMO.provisioningClientId);

      // The tenant now says so.
      expect(h.sim.tenant.identity(DEMO.blocked.identityId)?.userlessEnrollmentStatus).toBe('allowed');
      expect(h.sim.tenant.identity(DEMO.blockedFixPending.identityId)?.enrollmentState).toBe('blocked');
      expect(h.sim.tenant.groupMembers(DEMO.group).map((m) => m.toLowerCase())).toEqual(
        expect.arrayContaining(DEMO.missingMembers.map((m) => m.objectId)),
      );
      expect(h.sim.tenant.groupOwners(DEMO.group).map((o) => o.toLowerCase())).toContain(DEMO.provisioningClientId);

      // Right after: poll + drain again — nothing is written twice.
      h.sim.clock.advance(60_000);
      const since = lastSeq(h.sim);
      await h.runPoll('incremental');
      await h.drainQueue();
      expect(graphWrites(h.sim.requests(since)).map(describeWrite), 'second round').toEqual([]);

      // Past IMPORT_VISIBLE_MINUTES (20) since the first sighting, the imports are still not visible: ONE tenant sync
      // for both of them, dated by the sighting the open findings kept in the findings table.
      h.sim.clock.advance(20 * 60_000);
      const overdue = lastSeq(h.sim);
      await h.runPoll('incremental');
      await h.drainQueue();
      expect(graphWrites(h.sim.requests(overdue)).map(describeWrite), 'third round').toEqual([
        'POST /beta/deviceManagement/windowsAutopilotSettings/sync',
      ]);
    } finally {
      await h.stop();
    }
  });

  it('a sync inside the 10-minute window is deferred to the window, then made once', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      // The last (manual) sync was triggered 4 minutes ago and failed: a reason to sync, window closed.
      h.sim.tenant.setSettings({
        lastManualSyncTriggerDateTime: 'now-4m',
        lastSyncDateTime: 'now-4m+30s',
        syncStatus: 'failed',
      });
      const opensAt = Date.parse(h.sim.tenant.settings().lastManualSyncTriggerDateTime) + 10 * 60_000;

      const poll = await h.runPoll('incremental');
      expect(poll.findings.map((f) => f.code)).toContain('AP_SYNC_FAILED');
      await h.drainQueue();
      const syncs = () =>
        graphWrites(h.sim.requests()).filter((w) => w.path === '/deviceManagement/windowsAutopilotSettings/sync');
      expect(syncs(), 'no sync while the window is closed (and no 429 provoked)').toEqual([]);
      expect(
        h.queue.pending.some((p) => p.visibleAt >= opensAt),
        'a command scheduled for the window',
      ).toBe(true);

      // Let the scheduled command come due (the queue's wait advances the simulator clock).
      await h.drainQueue({ waitForScheduled: true });
      const made = syncs();
      expect(made.map((w) => w.status)).toEqual([204]);
      expect(Date.parse(made[0]?.time ?? '')).toBeGreaterThanOrEqual(opensAt);
    } finally {
      await h.stop();
    }
  });
});
