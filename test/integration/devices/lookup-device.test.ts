import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  InvalidDeviceKeyError,
  lookupDevice,
  type DeviceLookupResult,
  type DeviceView,
} from '../../../shared/app/devices/lookup-device.js';
import { deviceLookupDeps } from '../../../shared/composition/device-lookup.js';
import type { ScenarioObject } from '../../../sim/index.js';
import { lastSeq, startHarness, wireRequests, type Harness } from '../../support/harness.js';

// The device lookup use case against the simulator over real HTTP and Azurite, after one enforce-mode cycle of
// the demo tenant (poll + worker), so the findings and history it shows are the ones the product recorded.
// One extra Entra device shares the name of a healthy demo device, to make that name ambiguous.

const ROOT = resolve(import.meta.dirname, '../../..');
const demo = JSON.parse(readFileSync(resolve(ROOT, 'sim/scenarios/demo.json'), 'utf8')) as ScenarioObject & {
  devices: Record<string, unknown>[];
};
const twin = {
  ...demo.devices[0],
  id: '0b000000-0000-4000-8000-0000000000f1',
  deviceId: 'de000000-0000-4000-8000-0000000000f1',
  displayName: 'CTS-8KJ2Q73',
  enrollmentProfileName: null,
  physicalIds: [],
};
const scenario = { ...demo, devices: [...demo.devices, twin] } as ScenarioObject;

let h: Harness;
beforeAll(async () => {
  // The demo's first cycle writes to 4 of 25 devices: above the default blast-radius limit, which would switch it to plan.
  h = await startHarness({ scenario, mode: 'enforce' });
  await h.runPoll('full');
  await h.drainQueue();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const lookup = (key: string): Promise<DeviceLookupResult> => lookupDevice(deviceLookupDeps(h.container), key);

async function found(key: string): Promise<DeviceView> {
  const r = await lookup(key);
  if (r.kind !== 'found') throw new Error(`${key}: ${r.kind}: ${r.message}`);
  return r.device;
}

describe('lookupDevice', () => {
  it('by serial: Autopilot identity, Entra and Intune records, the failed deployment explained, the unblock on record', async () => {
    const d = await found('9tq4l83');
    expect(d.matchedBy).toEqual(['serial']);
    expect(d.serialNumber).toBe('9TQ4L83');
    expect(d.autopilot).toMatchObject({
      id: 'ad000000-0000-4000-8000-000000000008',
      groupTag: 'PreProv',
      profileStatus: 'assignedInSync',
    });
    expect(d.entra).toMatchObject({
      objectId: '0b000000-0000-4000-8000-000000000008',
      displayName: 'CTS-9TQ4L83',
      autopilotRegistered: true,
    });
    expect(d.intune).toMatchObject({ id: 'ed000000-0000-4000-8000-000000000008', deviceName: 'CTS-9TQ4L83' });
    const failed = d.deployments.find((e) => e.outcome === 'failure');
    expect(failed).toMatchObject({ errorCode: '0x80180014', explanation: { code: 'AP_ONE_TIME_ENROLLMENT_BLOCK' } });
    expect(failed?.explanation?.fix).toMatch(/Unblock device/);
    // The cycle unblocked it: the decision, the attempt written before the write, and the outcome are all there.
    const kinds = d.history.map((r) => `${r.type}:${r.action ?? ''}:${r.status}`);
    expect(kinds).toContain('outcome:allow-next-enrollment:succeeded');
    expect(kinds.some((k) => k.startsWith('attempt:allow-next-enrollment'))).toBe(true);
    expect(d.links.intuneDevice).toBe(
      'https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/ed000000-0000-4000-8000-000000000008',
    );
    expect(d.links.autopilotDevices).toMatch(/AutopilotDevices/);
  });

  it('a blocked device in Fix pending: blocked, and its open finding with the documented fix', async () => {
    const d = await found('5CG3420MNB');
    expect(d.autopilot).toMatchObject({ blocked: true, remediationState: 'automaticRemediationRequired' });
    expect(d.openFindings.length).toBeGreaterThan(0);
    for (const f of d.openFindings) expect(f.fix.length).toBeGreaterThan(20);
    expect(d.openFindings.every((f) => f.subjectKey === '5CG3420MNB')).toBe(true);
  });

  it.each([
    ['ad000000-0000-4000-8000-000000000008', 'autopilot-id'],
    ['0B000000-0000-4000-8000-000000000008', 'entra-object-id'],
    ['de000000-0000-4000-8000-000000000008', 'entra-device-id'],
    ['ed000000-0000-4000-8000-000000000008', 'intune-id'],
    ['CTS-9TQ4L83', 'entra-name'],
  ])('%s (%s) finds the same device, complete', async (key, by) => {
    const d = await found(key);
    expect(d.matchedBy).toContain(by);
    expect(d.serialNumber).toBe('9TQ4L83');
    expect(d.autopilot?.id).toBe('ad000000-0000-4000-8000-000000000008');
    expect(d.entra?.objectId).toBe('0b000000-0000-4000-8000-000000000008');
    expect(d.intune?.id).toBe('ed000000-0000-4000-8000-000000000008');
    expect(d.history.length).toBeGreaterThan(0);
  });

  it('a device-preparation device (no Autopilot identity): group membership and its findings, keyed by Entra object id', async () => {
    const d = await found('DESKTOP-H2J7C5Q');
    expect(d.autopilot).toBeNull();
    expect(d.serialNumber).toBe('041829374650');
    expect(d.entra?.objectId).toBe('0b000000-0000-4000-8000-000000000068');
    const [group] = d.devicePrepGroups;
    expect(group).toMatchObject({
      groupId: '9a000000-0000-4000-8000-000000000001',
      groupName: 'DP-Windows11-Devices',
      expected: true,
    });
    // Whatever the configured mode did with it, the view agrees with the group in the tenant and with the record.
    const added = d.history.some(
      (r) => r.type === 'outcome' && r.action === 'add-to-device-prep-group' && r.status === 'succeeded',
    );
    expect(group?.member).toBe(added);
    expect([...d.openFindings, ...d.history].some((x) => x.subjectKey === '0b000000-0000-4000-8000-000000000068')).toBe(
      true,
    );
  });

  it('an orphaned identity (Entra object deleted) says so, and explains 0x801C03F3', async () => {
    const d = await found('2LM8N93');
    expect(d.entra).toBeNull();
    expect(d.notes.join(' ')).toMatch(/no Entra device has the deviceId de000000-0000-4000-8000-000000000012/);
    expect(d.deployments[0]).toMatchObject({
      errorCode: '0x801c03f3',
      explanation: { code: 'AP_ENTRA_OBJECT_DELETED' },
    });
  });

  it('a name two devices share is ambiguous: both are listed with their serial numbers and ids', async () => {
    const r = await lookup('CTS-8KJ2Q73');
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect(r.message).toMatch(/matches 2 devices/);
    expect(r.candidates.map((c) => c.entraObjectId).sort()).toEqual([
      '0b000000-0000-4000-8000-000000000001',
      '0b000000-0000-4000-8000-0000000000f1',
    ]);
    expect(r.candidates.find((c) => c.entraObjectId?.endsWith('0001'))?.serialNumber).toBe('8KJ2Q73');
    // The serial number of one of them is not ambiguous.
    expect((await found('8KJ2Q73')).entra?.objectId).toBe('0b000000-0000-4000-8000-000000000001');
  });

  it.each(['NO-SUCH-DEVICE', "O'Brien's laptop", 'ffffffff-0000-4000-8000-000000000000'])(
    '%s: not found, with what was tried',
    async (key) => {
      const r = await lookup(key);
      expect(r.kind).toBe('not-found');
      if (r.kind === 'not-found')
        expect(r.message).toMatch(/^no device has the (serial number or name|id) .*\(tried: /);
    },
  );

  it('a key no device can have is refused before any request', async () => {
    const before = lastSeq(h.sim);
    await expect(lookup('AB\u001bC')).rejects.toBeInstanceOf(InvalidDeviceKeyError);
    expect(wireRequests(h.sim, before)).toEqual([]);
  });

  it('is cheap: a few requests, each filtered or by key (no fleet-wide read), and no writes', async () => {
    const before = lastSeq(h.sim);
    await found('9TQ4L83');
    const requests = wireRequests(h.sim, before);
    expect(requests.length).toBeLessThanOrEqual(12);
    expect(requests.every((r) => r.kind === 'read')).toBe(true);
    const collections = /(windowsAutopilotDeviceIdentities|managedDevices|autopilotEvents|\/devices)$/;
    for (const r of requests) {
      if (collections.test(r.path)) expect(r.query['$filter'], `${r.path} without a filter`).toBeTruthy();
    }
  });
});
