import { describe, expect, it } from 'vitest';
import { EntraTable } from '../../../../shared/core/fleet/entra-table.js';
import { CodedColumn } from '../../../../shared/core/fleet/text-column.js';
import { IdColumn } from '../../../../shared/core/fleet/id-column.js';
import { IdentityTable } from '../../../../shared/core/fleet/identity-table.js';
import { LOWER_GUID, NOT_GUID, packGuid, UPPER_GUID, unpackGuid } from '../../../../shared/core/fleet/guid-words.js';
import { ManagedTable } from '../../../../shared/core/fleet/managed-table.js';
import type { AutopilotDevice, EntraDevice, ManagedDevice } from '../../../../shared/core/model/index.js';
import { normId, normSerial } from '../../../../shared/core/detect/lookup.js';

const guid = (n: number): string =>
  `${n.toString(16).padStart(8, '0')}-1a2b-4c3d-8e4f-${n.toString(16).padStart(12, 'f')}`;

function managed(n: number, over: Partial<ManagedDevice> = {}): ManagedDevice {
  return {
    id: guid(n),
    deviceName: `DESKTOP-${n}`,
    serialNumber: `SER${n}`,
    azureAdDeviceId: guid(n + 1_000_000),
    complianceState: n % 2 === 0 ? 'compliant' : 'noncompliant',
    lastSyncAt: 1_700_000_000_000 + n,
    enrolledAt: n % 3 === 0 ? null : 1_600_000_000_000 + n,
    enrollmentProfileName: n % 5 === 0 ? null : 'Contoso profile',
    autopilotEnrolled: n % 4 !== 0,
    ...over,
  };
}

describe('packed GUIDs', () => {
  it('read back as the lower-case GUID they were packed from, and say whether it had upper-case digits', () => {
    const words = new Uint32Array(8);
    expect(packGuid('0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5', words, 4)).toBe(LOWER_GUID);
    expect(unpackGuid(words, 4)).toBe('0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5');
    expect(packGuid('FFFFFFFF-0000-4C0B-9A61-D0E1A2B3C4D5', words, 0)).toBe(UPPER_GUID);
    expect(unpackGuid(words, 0)).toBe('ffffffff-0000-4c0b-9a61-d0e1a2b3c4d5');
  });

  it('refuses what is not an 8-4-4-4-12 GUID', () => {
    const words = new Uint32Array(4);
    for (const s of [
      '',
      'not-a-guid',
      ' 0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5',
      '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4dg',
      '0d9e3a5c05d1e-4c0b-9a61-d0e1a2b3c4d5',
      '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d\u0665',
    ])
      expect(packGuid(s, words, 0)).toBe(NOT_GUID);
  });
});

describe('ManagedTable', () => {
  it('gives back every record exactly as added, odd ids and hostile text included', () => {
    const records = [
      managed(1),
      managed(2, { id: 'ABCDEF01-1A2B-4C3D-8E4F-FFFFFFFFFFFF', azureAdDeviceId: ' ' + guid(7) + ' ' }),
      managed(3, {
        id: 'not-a-guid',
        azureAdDeviceId: null,
        serialNumber: null,
        deviceName: '[x](https://evil)\t<img>',
      }),
      managed(4, { azureAdDeviceId: '00000000-0000-0000-0000-000000000000', complianceState: 'unknown' }),
      managed(5, { serialNumber: ' lower-case serial ', lastSyncAt: null }),
    ];
    const table = ManagedTable.from(records);
    expect(table.length).toBe(records.length);
    expect([...table]).toEqual(records);
    records.forEach((r, row) => expect(table.at(row)).toEqual(r));
  });

  it('finds rows by normalised id, Entra deviceId and serial; the first record of an id wins', () => {
    const records = [
      managed(1),
      managed(2, { id: 'ABCDEF01-1A2B-4C3D-8E4F-FFFFFFFFFFFF', azureAdDeviceId: ' ' + guid(7) + ' ' }),
      managed(3, { id: 'Not-A-Guid' }),
      managed(4, { azureAdDeviceId: '00000000-0000-0000-0000-000000000000' }),
      managed(5, { id: guid(1) }), // a second record of id 1
    ];
    const table = ManagedTable.from(records);
    expect(table.rowById(normId(guid(1)) as string)).toBe(0);
    expect(table.rowById(normId('ABCDEF01-1A2B-4C3D-8E4F-FFFFFFFFFFFF') as string)).toBe(1);
    expect(table.rowById(normId('Not-A-Guid') as string)).toBe(2);
    expect(table.rowById(guid(99))).toBe(-1);
    expect(table.rowByAadId(normId(' ' + guid(7) + ' ') as string)).toBe(1);
    // The all-zero GUID is "none" (normId gives null), so it is no key.
    expect(table.rowByAadId('00000000-0000-0000-0000-000000000000')).toBe(-1);
    expect(table.rowByKey(normSerial('ser3') as string)).toBe(2);
  });

  it('keeps, per serial, the record that checked in last (the first of equal check-ins)', () => {
    const table = ManagedTable.from([
      managed(1, { serialNumber: 'S1', lastSyncAt: 10 }),
      managed(2, { serialNumber: 's1 ', lastSyncAt: 30 }),
      managed(3, { serialNumber: 'S1', lastSyncAt: 30 }),
      managed(4, { serialNumber: 'S1', lastSyncAt: null }),
    ]);
    expect(table.rowByKey('S1')).toBe(1);
  });

  it('holds 10,000 records and finds each of them', () => {
    const records = Array.from({ length: 10_000 }, (_, n) => managed(n));
    const table = ManagedTable.from(records);
    for (let n = 0; n < records.length; n += 97) {
      expect(table.rowById(guid(n))).toBe(n);
      expect(table.rowByAadId(guid(n + 1_000_000))).toBe(n);
      expect(table.rowByKey(`SER${n}`)).toBe(n);
    }
  });

  it('refuses rows once it has been looked up (its indexes would no longer cover them)', () => {
    const table = ManagedTable.from([managed(1)]);
    table.rowById(guid(1));
    expect(() => table.add(managed(2))).toThrow(/cannot be added/);
  });
});

describe('EntraTable', () => {
  it('gives back every record exactly and finds them by deviceId', () => {
    const records: EntraDevice[] = [
      {
        objectId: guid(1),
        deviceId: guid(2),
        displayName: 'PC-1',
        enrollmentProfileName: null,
        isAutopilotRegistered: true,
        trustType: 'AzureAd',
        createdAt: 5,
      },
      {
        objectId: 'odd object id',
        deviceId: guid(3).toUpperCase(),
        displayName: null,
        enrollmentProfileName: 'Policy',
        isAutopilotRegistered: false,
        trustType: null,
        createdAt: null,
      },
      {
        objectId: guid(4),
        deviceId: guid(2),
        displayName: 'PC-1 again',
        enrollmentProfileName: null,
        isAutopilotRegistered: true,
        trustType: 'AzureAd',
        createdAt: 7,
      },
    ];
    const table = EntraTable.from(records);
    expect([...table]).toEqual(records);
    expect(table.rowByDeviceId(guid(2))).toBe(0);
    expect(table.rowByDeviceId(guid(3))).toBe(1);
    expect(table.rowByDeviceId(guid(9))).toBe(-1);
  });
});

function identity(n: number, over: Partial<AutopilotDevice> = {}): AutopilotDevice {
  return {
    id: guid(n),
    serialNumber: `SER${n}`,
    manufacturer: 'Contoso',
    model: n % 2 === 0 ? 'Surface' : null,
    groupTag: null,
    displayName: `CTS-${n}`,
    enrollmentState: 'enrolled',
    userlessEnrollmentStatus: 'allowed',
    remediationState: 'noRemediationRequired',
    remediationStateLastModifiedAt: null,
    profileAssignmentStatus: 'assignedInSync',
    profileAssignedAt: 1_700_000_000_000 + n,
    lastContactedAt: n % 3 === 0 ? null : 1_700_000_100_000 + n,
    azureAdDeviceId: guid(n + 2_000_000),
    managedDeviceId: n % 4 === 0 ? null : guid(n + 3_000_000),
    userPrincipalName: n % 5 === 0 ? null : `user${n}@contoso.com`,
    ...over,
  };
}

describe('IdentityTable', () => {
  it('gives back every record exactly, hostile text and odd ids included, and keys rows as identityKey does', () => {
    const records = [
      identity(1),
      identity(2, {
        serialNumber: ' ser-lower\t',
        displayName: '[x](https://evil)',
        id: 'ABCDEF01-1A2B-4C3D-8E4F-FFFFFFFFFFFF',
        enrollmentState: 'blocked',
        remediationState: 'automaticRemediationRequired',
        remediationStateLastModifiedAt: 1_700_000_000_500,
      }),
      identity(3, { serialNumber: '', id: 'odd-id', azureAdDeviceId: '00000000-0000-0000-0000-000000000000' }),
      identity(4, { serialNumber: 'SER1' }), // shares device 1's serial
    ];
    const table = IdentityTable.from(records);
    expect([...table]).toEqual(records);
    expect(table.key(0)).toBe('SER1');
    expect(table.key(1)).toBe('SER-LOWER');
    expect(table.key(2)).toBe('odd-id'); // no serial: the id
    expect(table.rowByKey('SER1')).toBe(0); // the first identity of a shared key
    expect(table.rowByAadId(guid(2_000_001))).toBe(0);
    expect(table.rowByAadId('00000000-0000-0000-0000-000000000000')).toBe(-1);
    expect(table.rowByManagedId(guid(3_000_002))).toBe(1);
    expect(table.id(1)).toBe('ABCDEF01-1A2B-4C3D-8E4F-FFFFFFFFFFFF');
    expect(table.serialNumber(1)).toBe(' ser-lower\t');
    expect([table.enrollmentState(1), table.remediationState(1)]).toEqual(['blocked', 'automaticRemediationRequired']);
    expect(table.lastContactedAt(1)).toBe(1_700_000_100_002);
    expect(table.lastContactedAt(2)).toBeNull();
    expect(() => table.add(identity(5))).toThrow(/cannot be added/);
  });
});

describe('joins by packed words (IdIndex.rowFor, IdColumn.hasKey)', () => {
  // Every spelling an id field can arrive in: what `normId` makes of it decides the answer.
  const values: (string | null)[] = [
    guid(1),
    guid(2).toUpperCase(),
    ` ${guid(3)} `,
    '00000000-0000-0000-0000-000000000000',
    'not-a-guid',
    ' NOT-A-GUID ',
    '',
    '   ',
    null,
    guid(99), // in no table
  ];
  const target = new IdColumn();
  for (const v of [guid(3), 'not-a-guid', guid(2), guid(1), null, '00000000-0000-0000-0000-000000000000'])
    target.push(v);
  const index = target.index();
  const probes = new IdColumn();
  for (const v of values) probes.push(v);

  it('answer as the string look-up of normId(value) does, for every spelling', () => {
    values.forEach((v, row) => {
      const key = normId(v);
      expect(index.rowFor(probes, row), String(v)).toBe(key === null ? -1 : index.row(key));
    });
    expect(values.map((_, row) => index.rowFor(probes, row))).toEqual([3, 2, 0, -1, 1, 1, -1, -1, -1, -1]);
  });

  it('say whether a value has a key as normId does', () => {
    values.forEach((v, row) => expect(probes.hasKey(row), String(v)).toBe(normId(v) !== null));
  });
});

describe('CodedColumn', () => {
  it('reads back every value as pushed while its codes widen from one byte to two and four', () => {
    // One byte a code up to 255 distinct values, two up to 65,535, then four: the rows pushed before each widening
    // (over several 4,096-row chunks, nulls among them) must read back unchanged after it.
    const column = new CodedColumn<string>();
    const pushed: (string | null)[] = [];
    const valueOf = (row: number): string | null =>
      row % 7 === 0 ? null : row < 9_000 ? `v${row % 200}` : row < 20_000 ? `w${row % 1_000}` : `x${row}`;
    for (let row = 0; row < 90_000; row++) {
      const v = valueOf(row);
      column.push(v);
      pushed.push(v);
      if (row === 8_999 || row === 19_999 || row === 89_999) {
        for (let r = 0; r <= row; r += 1) if (column.get(r) !== pushed[r]) throw new Error(`row ${r} at ${row}`);
      }
    }
    expect(column.get(0)).toBeNull();
    expect(column.get(8_999)).toBe('v199');
    expect(column.get(19_998)).toBe('w998');
    expect(column.get(89_998)).toBe('x89998');
  });
});
