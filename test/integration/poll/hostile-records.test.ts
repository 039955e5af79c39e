import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Finding } from '../../../shared/core/model/index.js';
import { readScenarioFile } from '../../../sim/scenario/load.js';
import type { ScenarioObject } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import {
  BUNDLED_DEVICE_PREP_GROUPS,
  historyRecords,
  startHarness,
  wireRequests,
  wireWrites,
  type Azurite,
} from '../../support/harness.js';
import { DEMO } from './expected.js';

// Issue 13.4: one bad record stopped every run. An imported serial with a TAB aborted every poll ("OData string
// literal contains a control character"), a 600-character serial aborted with "key too long". Now each record
// that cannot be used is skipped and reported once as AP_TENANT_RECORD_UNUSABLE, every other device is still
// checked and fixed, and a serial that only escapes past Table Storage's key limit is stored under a hash and
// found again. The hostile devices are added here, on top of the demo scenario; the bundled demo is unchanged.

const TAB_SERIAL = 'PF5\tTAB01';
const LONG_SERIAL = 'S'.repeat(600);
/** 183 characters, no control characters: usable, but escapes to 543 characters (> 512) in a table key. */
const ESCAPING_SERIAL = `${'#/'.repeat(90)}9TQ`;

const TAB_IMPORT_ID = 'a1000000-0000-4000-8000-0000000000f1';
const LONG_IDENTITY_ID = 'ad000000-0000-4000-8000-0000000000f2';
const ESCAPING_IDENTITY_ID = 'ad000000-0000-4000-8000-0000000000f3';

function hostileScenario(): ScenarioObject {
  const demo = readScenarioFile('demo');
  const identities = demo.windowsAutopilotDeviceIdentities ?? [];
  const blocked = identities.find((i) => i.id === DEMO.blocked.identityId);
  if (!blocked) throw new Error('the demo lost its blocked device');
  const clone = (id: string, serial: string, n: string) => ({
    ...blocked,
    id,
    serialNumber: serial,
    displayName: `CTS-${n}`,
    azureActiveDirectoryDeviceId: `de000000-0000-4000-8000-0000000000${n}`,
    azureAdDeviceId: `de000000-0000-4000-8000-0000000000${n}`,
    managedDeviceId: `ed000000-0000-4000-8000-0000000000${n}`,
  });
  // The escaping device failed with 0x80180014 like the demo's blocked one: same events, its own serial.
  const events = (demo.autopilotEvents ?? [])
    .filter((e) => e.deviceSerialNumber === DEMO.blocked.serial)
    .map((e, i) => ({
      ...e,
      id: `e7000000-0000-4000-8000-0000000ff0f${i}`,
      deviceId: null,
      deviceSerialNumber: ESCAPING_SERIAL,
    }));
  return {
    ...demo,
    name: 'hostile-records',
    windowsAutopilotDeviceIdentities: [
      ...identities,
      clone(LONG_IDENTITY_ID, LONG_SERIAL, 'f2'),
      clone(ESCAPING_IDENTITY_ID, ESCAPING_SERIAL, 'f3'),
    ],
    autopilotEvents: [...(demo.autopilotEvents ?? []), ...events],
    importedDevices: [
      ...(demo.importedDevices ?? []),
      {
        id: TAB_IMPORT_ID,
        groupTag: 'Office',
        serialNumber: TAB_SERIAL,
        productKey: '',
        importId: 'a2000000-0000-4000-8000-0000000000f1',
        hardwareIdentifier: null,
        assignedUserPrincipalName: null,
        state: {
          deviceImportStatus: 'complete',
          deviceRegistrationId: null,
          deviceErrorCode: 0,
          deviceErrorName: null,
        },
      },
    ],
  };
}

const unblock = (id: string) =>
  `POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/${id}/allowNextEnrollment`;
const keyOf = (f: Pick<Finding, 'code' | 'subject'>): string => `${f.code} ${f.subject.key}`;

describe('records that cannot be used do not stop the run (issue 13.4)', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('skips the TAB and 600-character serials, reports each once, and still finds and fixes everything else', async () => {
    const h = await startHarness({
      scenario: hostileScenario(),
      azurite,
      mode: 'enforce',
      devicePrepGroups: BUNDLED_DEVICE_PREP_GROUPS.demo,
    });
    try {
      const first = await h.runPoll('incremental');
      const drained = await h.drainQueue();
      expect(drained.deadLettered).toBe(0);

      // One finding per bad record, naming the record, never carrying the raw value.
      const unusable = first.findings.filter((f) => f.code === 'AP_TENANT_RECORD_UNUSABLE');
      expect(unusable.map((f) => [f.evidence['collection'], f.evidence['recordId']]).sort()).toEqual([
        ['importedWindowsAutopilotDeviceIdentities', TAB_IMPORT_ID],
        ['windowsAutopilotDeviceIdentities', LONG_IDENTITY_ID],
      ]);
      const tab = unusable.find((f) => f.evidence['recordId'] === TAB_IMPORT_ID);
      expect(tab?.evidence['problem']).toMatch(/control character U\+0009/);
      expect(tab?.evidence['value']).toBe('PF5\\tTAB01');
      const long = unusable.find((f) => f.evidence['recordId'] === LONG_IDENTITY_ID);
      expect(long?.evidence['problem']).toMatch(/600 characters/);
      expect(String(long?.evidence['value']).length).toBeLessThan(120);
      for (const f of unusable)
        for (const v of Object.values(f.evidence))
          // eslint-disable-next-line no-control-regex -- the raw TAB must not be in any evidence value
          expect(String(v)).not.toMatch(/[\u0000-\u001f]/);
      expect(first.observed.unusableRecords).toHaveLength(2);

      // Every other device is still checked and fixed: the demo's documented writes plus the escaping device's unblock.
      // (No sync in this first run: a completed import is dated from its first sighting and asks for a sync only
      // after IMPORT_VISIBLE_MINUTES, issue 14.3.)
      const writes = wireWrites(h.sim).map((w) => `${w.method} /${w.version ?? ''}${w.path}`);
      expect(writes.sort()).toEqual(
        [
          unblock(DEMO.blocked.identityId),
          unblock(ESCAPING_IDENTITY_ID),
          `PATCH /v1.0/groups/${DEMO.group}`,
          `POST /v1.0/groups/${DEMO.group}/owners/$ref`,
        ].sort(),
      );
      expect(writes).not.toContain(unblock(LONG_IDENTITY_ID));
      expect(first.findings.map(keyOf)).toEqual(
        expect.arrayContaining([
          `AP_USERLESS_BLOCKED ${DEMO.blocked.serial}`,
          `AP_USERLESS_BLOCKED ${ESCAPING_SERIAL}`,
          `AP_ONE_TIME_ENROLLMENT_BLOCK ${ESCAPING_SERIAL}`,
          'AP_IMPORT_NOT_VISIBLE 5CG3460DEF',
          'AP_IMPORT_OTHER_TENANT R90WK4TZ',
        ]),
      );
      // No Graph request was built from a bad serial.
      for (const r of wireRequests(h.sim)) {
        const url = `${r.path} ${Object.values(r.query).join(' ')}`;
        expect(url).not.toContain('\t');
        expect(url).not.toContain('S'.repeat(300));
      }

      // The escaping device's rows live under a hashed key and are found again by its serial.
      const row = await h.container.stores.findings.get(ESCAPING_SERIAL, 'AP_USERLESS_BLOCKED');
      expect(row).toMatchObject({ subjectKey: ESCAPING_SERIAL, status: 'open' });
      const outcomes = (
        await h.container.stores.history.query({ subjectKey: ESCAPING_SERIAL, type: 'outcome', limit: 10 })
      ).items;
      expect(outcomes.map((o) => [o.action, o.status])).toEqual([['allow-next-enrollment', 'succeeded']]);

      // The next poll: the unblocked device resolves under its hashed key (found again, not re-opened), the bad
      // records are not reported again, and no write is repeated. (The sync made the demo's two pending imports
      // visible, so their own profile findings may open now: that is news, not a repeat.)
      h.sim.clock.advance(5 * 60_000);
      const secondStartedAt = h.clock.now();
      const second = await h.runPoll('incremental');
      await h.drainQueue();
      const repeated = (f: { code: string; subjectKey: string }) =>
        f.code === 'AP_TENANT_RECORD_UNUSABLE' || f.subjectKey === ESCAPING_SERIAL;
      expect(second.opened.map((f) => ({ code: f.code, subjectKey: f.subject.key })).filter(repeated)).toEqual([]);
      expect(second.resolved.map((r) => `${r.code} ${r.subjectKey}`)).toEqual(
        expect.arrayContaining([`AP_USERLESS_BLOCKED ${ESCAPING_SERIAL}`]),
      );
      const allWrites = wireWrites(h.sim).map((w) => `${w.method} /${w.version ?? ''}${w.path}`);
      expect(new Set(allWrites).size, 'no write repeated').toBe(allWrites.length);
      const open = await h.container.stores.findings.listOpen();
      expect(open.filter((r) => r.code === 'AP_TENANT_RECORD_UNUSABLE')).toHaveLength(2);
      const reported = await historyRecords(h.container.stores, { type: 'finding-opened' });
      expect(reported.filter((r) => r.code === 'AP_TENANT_RECORD_UNUSABLE')).toHaveLength(2);
      expect(
        reported.filter((r) => r.at >= secondStartedAt && repeated({ code: r.code ?? '', subjectKey: r.subjectKey })),
      ).toEqual([]);

      // The full sweep reads every identity without a lookup: it completes too and keeps the same two findings.
      const sweep = await h.runPoll('full');
      expect(sweep.findings.filter((f) => f.code === 'AP_TENANT_RECORD_UNUSABLE')).toHaveLength(2);
      expect(sweep.opened.filter((f) => f.code === 'AP_TENANT_RECORD_UNUSABLE')).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
