import { describe, expect, it } from 'vitest';

import { groupDeviceRecords, parseDeviceKey, serialOf } from '../../../../shared/core/lookup/device-records.js';
import { entraDevice, identity, managedDevice, NOW } from '../../../support/builders.js';

// The resolution rules of the technician's device lookup: which key is an id, and how the records a key finds are
// grouped into devices (one group: the device; several: ambiguous; none: unknown).

describe('parseDeviceKey', () => {
  it('a GUID (any case, trimmed) is an id, lower-cased', () => {
    expect(parseDeviceKey(' 0B000000-0000-4000-8000-00000000006A ')).toEqual({
      ok: true,
      key: { kind: 'id', value: '0b000000-0000-4000-8000-00000000006a' },
    });
  });

  it('anything else is a serial number or a name, kept as typed (trimmed)', () => {
    expect(parseDeviceKey(' CTS-9TQ4L83 ')).toEqual({
      ok: true,
      key: { kind: 'serial-or-name', value: 'CTS-9TQ4L83' },
    });
    expect(parseDeviceKey("O'Brien's laptop")).toEqual({
      ok: true,
      key: { kind: 'serial-or-name', value: "O'Brien's laptop" },
    });
  });

  it.each([
    ['', /^expected a serial number, a device name or a device id$/],
    ['   ', /^expected a serial number/],
    ['AB\u001b[2JC', /^the key contains the control character U\+001B at position 3$/],
    ['X'.repeat(257), /^the key is 257 characters long \(at most 256/],
  ])('%j can belong to no device: refused with the reason', (raw, reason) => {
    const parsed = parseDeviceKey(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(reason);
  });
});

describe('groupDeviceRecords', () => {
  const ap = identity({ id: 'ap-1', serialNumber: 'sn-1', azureAdDeviceId: 'aad-1', managedDeviceId: 'md-1' });
  const entra = entraDevice({ objectId: 'obj-1', deviceId: 'aad-1', displayName: 'DESKTOP-1' });
  const md = managedDevice({ id: 'md-1', serialNumber: 'SN-1', azureAdDeviceId: 'aad-1', deviceName: 'DESKTOP-1' });

  it('nothing found: no device', () => {
    expect(groupDeviceRecords({})).toEqual([]);
  });

  it('the three records of one device, linked by Entra deviceId, Intune id and serial, are one device', () => {
    const groups = groupDeviceRecords({ identities: [ap], entra: [entra], managed: [md] });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toEqual({ identity: ap, entra, managed: md, extra: 0 });
    expect(serialOf(groups[0]!)).toBe('SN-1'); // upper case, as findings and history key it
  });

  it('the same record found twice (by serial and by name) counts once', () => {
    const groups = groupDeviceRecords({ managed: [md, { ...md }], entra: [entra] });
    expect(groups).toHaveLength(1);
    expect(groups[0]?.extra).toBe(0);
  });

  it('an Entra device and an Intune record are joined by the Entra deviceId alone', () => {
    const groups = groupDeviceRecords({
      entra: [entra],
      managed: [managedDevice({ id: 'md-9', serialNumber: 'OTHER', azureAdDeviceId: 'AAD-1' })],
    });
    expect(groups).toHaveLength(1);
  });

  it('two devices sharing a name are two groups: the key is ambiguous', () => {
    const other = entraDevice({ objectId: 'obj-2', deviceId: 'aad-2', displayName: 'DESKTOP-1' });
    const groups = groupDeviceRecords({ entra: [entra, other] });
    expect(groups).toHaveLength(2);
    expect(groups.map((g) => g.entra?.objectId).sort()).toEqual(['obj-1', 'obj-2']);
  });

  it('a serial never joins an id of the same text (links are typed)', () => {
    const a = identity({ id: 'ap-a', serialNumber: 'md-7', azureAdDeviceId: null, managedDeviceId: null });
    const b = managedDevice({ id: 'md-7', serialNumber: 'ZZZ', azureAdDeviceId: null });
    expect(groupDeviceRecords({ identities: [a], managed: [b] })).toHaveLength(2);
  });

  it('the all-zero GUID Graph sends for "none" links nothing', () => {
    const zero = '00000000-0000-0000-0000-000000000000';
    const a = identity({ id: 'ap-a', serialNumber: 'A', azureAdDeviceId: zero, managedDeviceId: zero });
    const b = identity({ id: 'ap-b', serialNumber: 'B', azureAdDeviceId: zero, managedDeviceId: zero });
    expect(groupDeviceRecords({ identities: [a, b] })).toHaveLength(2);
  });

  it('two Intune records of one serial: the one the identity names wins, the other is counted', () => {
    const stale = managedDevice({ id: 'md-old', serialNumber: 'SN-1', azureAdDeviceId: 'aad-old', lastSyncAt: NOW });
    const own = managedDevice({
      id: 'md-1',
      serialNumber: 'SN-1',
      azureAdDeviceId: 'aad-1',
      lastSyncAt: NOW - 86_400_000,
    });
    const [group, ...rest] = groupDeviceRecords({ identities: [ap], managed: [stale, own] });
    expect(rest).toEqual([]);
    expect(group?.managed?.id).toBe('md-1');
    expect(group?.extra).toBe(1);
  });

  it('two Intune records of one serial and no identity: the last to check in wins', () => {
    const older = managedDevice({ id: 'md-a', serialNumber: 'SN-2', azureAdDeviceId: 'aad-a', lastSyncAt: NOW - 1000 });
    const newer = managedDevice({ id: 'md-b', serialNumber: 'SN-2', azureAdDeviceId: 'aad-b', lastSyncAt: NOW });
    const [group] = groupDeviceRecords({ managed: [older, newer] });
    expect(group?.managed?.id).toBe('md-b');
  });
});
