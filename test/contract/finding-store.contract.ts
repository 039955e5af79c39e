import { describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../shared/ports/stores.port.js';
import { AWKWARD_KEYS, findingRecord, LONG_KEYS, MINUTE, T0, type MakeStores } from './fixtures.js';

const byKey = (a: FindingRecord, b: FindingRecord): number =>
  `${a.subjectKey}\u0000${a.code}` < `${b.subjectKey}\u0000${b.code}` ? -1 : 1;

export function describeFindingStore(name: string, makeStores: MakeStores): void {
  describe(`FindingStore contract: ${name}`, () => {
    it('round-trips a finding with every field', async () => {
      const { findings } = await makeStores();
      expect(await findings.get('SERIAL-1', 'BLOCKED')).toBeNull();
      const full = findingRecord({
        subjectKey: 'SERIAL-1',
        code: 'BLOCKED',
        severity: 'critical',
        attempts: 2,
        lastAttemptAt: T0 + MINUTE,
        evidence: { list: [1, 'a', null], nested: { ok: false } },
      });
      await findings.upsertMany([full]);
      expect(await findings.get('SERIAL-1', 'BLOCKED')).toEqual(full);
    });

    it('keeps the subject and the remedy beside the evidence: the one stored copy of them', async () => {
      const { findings } = await makeStores();
      const device = findingRecord({
        subjectKey: 'SERIAL-1',
        code: 'AP_USERLESS_BLOCKED',
        subject: { kind: 'device', key: 'SERIAL-1', serialNumber: 'SERIAL-1', autopilotId: 'ap-1' },
        remedy: { action: 'allow-next-enrollment', autopilotId: 'ap-1', serialNumber: 'SERIAL-1' },
      });
      const group = findingRecord({
        subjectKey: 'grp-1',
        code: 'DP_GROUP_DYNAMIC',
        subject: { kind: 'group', key: 'grp-1', groupId: 'grp-1' },
        remedy: null,
      });
      await findings.upsertMany([device, group]);
      expect(await findings.get('SERIAL-1', 'AP_USERLESS_BLOCKED')).toEqual(device);
      expect(await findings.get('grp-1', 'DP_GROUP_DYNAMIC')).toEqual(group);
    });

    it('follows the open → resolved → reopened lifecycle in listOpen and listBySubject', async () => {
      const { findings } = await makeStores();
      const open = findingRecord({ subjectKey: 'SERIAL-1', code: 'BLOCKED' });
      const other = findingRecord({ subjectKey: 'SERIAL-2', code: 'TPM' });
      await findings.upsertMany([open, other]);
      expect((await findings.listOpen()).sort(byKey)).toEqual([open, other]);

      const resolved: FindingRecord = {
        ...open,
        status: 'resolved',
        resolvedAt: T0 + 5 * MINUTE,
        lastSeenAt: T0 + 5 * MINUTE,
      };
      await findings.upsertMany([resolved]);
      expect(await findings.listOpen()).toEqual([other]);
      expect(await findings.listBySubject('SERIAL-1')).toEqual([resolved]);

      const reopened: FindingRecord = { ...resolved, status: 'open', resolvedAt: null, lastSeenAt: T0 + 9 * MINUTE };
      await findings.upsertMany([reopened]);
      expect(await findings.get('SERIAL-1', 'BLOCKED')).toEqual(reopened);
      expect((await findings.listOpen()).sort(byKey)).toEqual([reopened, other]);
    });

    it('lists only the given subject', async () => {
      const { findings } = await makeStores();
      const mine = ['A', 'B', 'C'].map((code) => findingRecord({ subjectKey: 'SERIAL-1', code }));
      await findings.upsertMany([...mine, findingRecord({ subjectKey: 'SERIAL-10', code: 'A' })]);
      expect((await findings.listBySubject('SERIAL-1')).sort(byKey)).toEqual(mine);
      expect(await findings.listBySubject('nobody')).toEqual([]);
    });

    it('upserts more findings than one transaction holds', async () => {
      const { findings } = await makeStores();
      const many = Array.from({ length: 150 }, (_, i) =>
        findingRecord({ subjectKey: 'tenant', code: `CODE-${String(i).padStart(3, '0')}` }),
      );
      await findings.upsertMany(many);
      expect(await findings.listBySubject('tenant')).toHaveLength(150);
      expect(await findings.listOpen()).toHaveLength(150);
    });

    it('round-trips subjects and codes with awkward characters', async () => {
      const { findings } = await makeStores();
      const records = AWKWARD_KEYS.map((key) => findingRecord({ subjectKey: key, code: `code ${key}` }));
      await findings.upsertMany(records);
      for (const record of records) {
        expect(await findings.get(record.subjectKey, record.code)).toEqual(record);
        expect(await findings.listBySubject(record.subjectKey)).toEqual([record]);
      }
    });

    it('keeps subjects and codes too long for a Table Storage key under a hash, and finds them again (issue 13.4)', async () => {
      const { findings } = await makeStores();
      const records = LONG_KEYS.map((key) => findingRecord({ subjectKey: key, code: 'AP_IMPORT_OTHER_TENANT' }));
      await findings.upsertMany([...records, findingRecord({ subjectKey: 'tenant', code: LONG_KEYS[0] ?? '' })]);
      for (const record of records) {
        expect(await findings.get(record.subjectKey, record.code)).toEqual(record);
        expect(await findings.listBySubject(record.subjectKey)).toEqual([record]);
      }
      expect((await findings.get('tenant', LONG_KEYS[0] ?? ''))?.code).toBe(LONG_KEYS[0]);
      // The next poll upserts the same subject: the same row, not a second one.
      const resolved = records.map((r): FindingRecord => ({ ...r, status: 'resolved', resolvedAt: T0 + MINUTE }));
      await findings.upsertMany(resolved);
      expect(await findings.listOpen()).toHaveLength(1);
      expect(await findings.get(LONG_KEYS[0] ?? '', 'AP_IMPORT_OTHER_TENANT')).toEqual(resolved[0]);
    });
  });
}
