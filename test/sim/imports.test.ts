/**
 * importedWindowsAutopilotDeviceIdentities: the outcome of hardware-hash imports. Pending imports show as
 * `complete` records before and after the sync that makes them visible; the scenario's `importedDevices`
 * add import errors. Both versions serve the list, with paging and `$filter` on importId / serialNumber.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { all, call, errorCode, get, obj, start, values, type Json } from './helpers.js';

const SET = '/deviceManagement/importedWindowsAutopilotDeviceIdentities';
const STATE_TYPE = 'microsoft.graph.importedWindowsAutopilotDeviceIdentityState';
const BETA_PROPS = [
  'assignedUserPrincipalName',
  'groupTag',
  'hardwareIdentifier',
  'id',
  'importId',
  'orderIdentifier',
  'productKey',
  'serialNumber',
  'state',
];
const V1_PROPS = BETA_PROPS.filter((p) => p !== 'orderIdentifier');
const STATUSES = ['unknown', 'pending', 'partial', 'complete', 'error'];
const PENDING = {
  '5CG3460DEF': 'ad000000-0000-4000-8000-0000000000c9',
  PF5A01QX: 'ad000000-0000-4000-8000-0000000000ca',
} as const;
const q = (filter: string): string => `$filter=${encodeURIComponent(filter)}`;
const state = (item: Json | undefined): Json => obj(item?.['state']);
const bySerial = (items: Json[]): Map<string, Json> => new Map(items.map((i) => [String(i['serialNumber']), i]));

/** Graph's documented shape, checked by hand: the resource is not in the CSDL subset schema.test.ts reads. */
function checkShape(item: Json, version: 'v1.0' | 'beta', inList: boolean): void {
  expect(item['@odata.type']).toBe('#microsoft.graph.importedWindowsAutopilotDeviceIdentity');
  expect(
    Object.keys(item)
      .filter((k) => !k.startsWith('@'))
      .sort(),
  ).toEqual(version === 'beta' ? BETA_PROPS : V1_PROPS);
  for (const p of ['id', 'serialNumber', 'importId']) expect(typeof item[p]).toBe('string');
  for (const p of ['groupTag', 'productKey', 'assignedUserPrincipalName', 'orderIdentifier']) {
    if (p in item) expect(item[p] === null || typeof item[p] === 'string').toBe(true);
  }
  if (inList) expect(item['hardwareIdentifier']).toBeNull();
  else expect(String(item['hardwareIdentifier'])).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  const s = state(item);
  expect(Object.keys(s).sort()).toEqual([
    '@odata.type',
    'deviceErrorCode',
    'deviceErrorName',
    'deviceImportStatus',
    'deviceRegistrationId',
  ]);
  expect(s['@odata.type']).toBe(STATE_TYPE);
  expect(STATUSES).toContain(s['deviceImportStatus']);
  expect(Number.isInteger(s['deviceErrorCode'])).toBe(true);
}

describe('the demo tenant', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ scenario: 'demo' });
  });
  afterAll(async () => {
    await sim.stop();
  });

  test.each(['v1.0', 'beta'] as const)(
    "%s lists the import errors and the pending imports, in Graph's shape",
    async (version) => {
      const r = await get(sim, `/${version}${SET}`);
      expect(r.status).toBe(200);
      const body = obj(r.body);
      expect(body['@odata.context']).toBe(
        `${sim.url}/${version}/$metadata#deviceManagement/importedWindowsAutopilotDeviceIdentities`,
      );
      expect(body['@odata.nextLink']).toBeUndefined();
      const items = values(r);
      expect(items.map((i) => i['serialNumber'])).toEqual(['R90WK4TZ', 'PF4ZM8TR', '5CG3460DEF', 'PF5A01QX']);
      items.forEach((i) => checkShape(i, version, true));
      const m = bySerial(items);
      expect(state(m.get('R90WK4TZ'))).toEqual({
        '@odata.type': STATE_TYPE,
        deviceImportStatus: 'error',
        deviceRegistrationId: null,
        deviceErrorCode: 808,
        deviceErrorName: 'ZtdDeviceAssignedToOtherTenant',
      });
      expect(state(m.get('PF4ZM8TR'))).toMatchObject({
        deviceImportStatus: 'error',
        deviceErrorCode: 806,
        deviceErrorName: 'ZtdDeviceAlreadyAssigned',
      });
      for (const [serial, identityId] of Object.entries(PENDING)) {
        expect(m.get(serial)).toMatchObject({ groupTag: 'Office', assignedUserPrincipalName: null });
        expect(state(m.get(serial))).toEqual({
          '@odata.type': STATE_TYPE,
          deviceImportStatus: 'complete',
          deviceRegistrationId: identityId,
          deviceErrorCode: 0,
          deviceErrorName: '',
        });
      }
      // Uploads at the same moment share an import batch.
      expect(m.get('5CG3460DEF')?.['importId']).toBe(m.get('PF5A01QX')?.['importId']);
      expect(m.get('5CG3460DEF')?.['importId']).not.toBe(m.get('R90WK4TZ')?.['importId']);
      if (version === 'beta') expect(m.get('5CG3460DEF')?.['orderIdentifier']).toBe('Office');
    },
  );

  test('the planted import kinds point at the served records', async () => {
    const items = (await all(sim, `/beta${SET}`)).items;
    const ids = new Set(items.map((i) => i['id']));
    expect(sim.planted.counts['importOtherTenant']).toBe(1);
    expect(sim.planted.counts['importAlreadyAssigned']).toBe(1);
    for (const kind of ['importOtherTenant', 'importAlreadyAssigned']) {
      for (const p of sim.planted.items[kind] ?? []) expect(ids).toContain(p.importedDeviceId);
    }
    // ZtdDeviceAlreadyAssigned is on a device registered (and visible) in this tenant; 808's is not here at all.
    const identities = values(
      await get(
        sim,
        `/beta/deviceManagement/windowsAutopilotDeviceIdentities?${q("serialNumber in ('PF4ZM8TR', 'R90WK4TZ')")}`,
      ),
    );
    expect(identities.map((i) => i['serialNumber'])).toEqual(['PF4ZM8TR']);
  });

  test('GET by id (both versions, key syntax too) includes the hardware hash; unknown ids are 404', async () => {
    for (const version of ['v1.0', 'beta'] as const) {
      const r = await get(sim, `/${version}${SET}/a1000000-0000-4000-8000-000000000001`);
      expect(r.status).toBe(200);
      const item = obj(r.body);
      checkShape(item, version, false);
      expect(item['@odata.context']).toBe(
        `${sim.url}/${version}/$metadata#deviceManagement/importedWindowsAutopilotDeviceIdentities/$entity`,
      );
      expect(item['hardwareIdentifier']).toBe('T0EaAQEAHAAAAAoAHgZhSgAACgAeBmFKAAAAAQAAAAAAAQ==');
    }
    const derived = bySerial(values(await get(sim, `/beta${SET}`))).get('PF5A01QX');
    const one = await get(sim, `/beta${SET}('${String(derived?.['id'])}')`);
    expect(one.status).toBe(200);
    checkShape(obj(one.body), 'beta', false);
    const missing = await get(sim, `/beta${SET}/a1000000-0000-4000-8000-0000000000ff`);
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe('ResourceNotFound');
  });

  test('$filter on importId eq and serialNumber eq (case-insensitive), and their combination', async () => {
    const bySerialFilter = values(await get(sim, `/v1.0${SET}?${q("serialNumber eq 'r90wk4tz'")}`));
    expect(bySerialFilter.map((i) => i['id'])).toEqual(['a1000000-0000-4000-8000-000000000001']);
    const batch = values(await get(sim, `/beta${SET}?${q("importId eq 'A2000000-0000-4000-8000-000000000001'")}`));
    expect(batch.map((i) => i['serialNumber'])).toEqual(['R90WK4TZ', 'PF4ZM8TR']);
    const both = values(
      await get(
        sim,
        `/beta${SET}?${q("importId eq 'a2000000-0000-4000-8000-000000000001' and serialNumber eq 'PF4ZM8TR'")}`,
      ),
    );
    expect(both.map((i) => i['serialNumber'])).toEqual(['PF4ZM8TR']);
    expect(values(await get(sim, `/beta${SET}?${q("serialNumber eq 'NOPE'")}`))).toEqual([]);
    const pendingBatch = String(bySerial(values(await get(sim, `/beta${SET}`))).get('5CG3460DEF')?.['importId']);
    const fromPending = values(await get(sim, `/v1.0${SET}?${q(`importId eq '${pendingBatch}'`)}`));
    expect(fromPending.map((i) => i['serialNumber']).sort()).toEqual(['5CG3460DEF', 'PF5A01QX']);
  });

  test('unsupported filters, options and $select of beta-only properties on v1.0 are 400', async () => {
    for (const bad of [
      q("groupTag eq 'Office'"),
      q("contains(serialNumber, 'R90')"),
      '$orderby=serialNumber',
      '$expand=state',
      '$skip=1',
    ]) {
      const r = await get(sim, `/beta${SET}?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(errorCode(r)).toBe('BadRequest');
    }
    expect((await get(sim, `/v1.0${SET}?$select=orderIdentifier`)).status).toBe(400);
    const sel = await get(sim, `/beta${SET}?$select=serialNumber,state`);
    expect(sel.status).toBe(200);
    expect(Object.keys(values(sel)[0] ?? {}).sort()).toEqual(['@odata.type', 'serialNumber', 'state']);
  });

  test('$top pages with absolute nextLinks that walk the whole list; $count counts it', async () => {
    const first = await get(sim, `/beta${SET}?$top=1&$count=true`);
    expect(values(first)).toHaveLength(1);
    expect(obj(first.body)['@odata.count']).toBe(4);
    expect(String(obj(first.body)['@odata.nextLink'])).toMatch(new RegExp(`^${sim.url}/beta${SET}\\?.*\\$skiptoken=`));
    const paged = await all(sim, `/beta${SET}?$top=1`);
    expect(paged.pages).toBe(4);
    const whole = values(await get(sim, `/beta${SET}`));
    expect(paged.items.map((i) => i['id'])).toEqual(whole.map((i) => i['id']));
    const v1 = await all(sim, `/v1.0${SET}?$top=3`);
    expect(v1.pages).toBe(2);
    expect(v1.items).toHaveLength(4);
    const filtered = await all(sim, `/beta${SET}?$top=1&${q("importId eq 'a2000000-0000-4000-8000-000000000001'")}`);
    expect(filtered.items.map((i) => i['serialNumber'])).toEqual(['R90WK4TZ', 'PF4ZM8TR']);
    // Over the cap is capped, like the identity list.
    expect((await get(sim, `/beta${SET}?$top=5000`)).status).toBe(200);
  });

  test('reads are logged as reads (also inside $batch)', async () => {
    sim.clearRequests();
    await get(sim, `/beta${SET}?$top=2`);
    await call(sim, 'POST', '/v1.0/$batch', { requests: [{ id: '1', method: 'GET', url: `${SET}?$top=1` }] });
    const log = sim.requests();
    expect(
      log.filter((e) => e.path === SET).map((e) => [e.method, e.version, e.status, e.kind, e.batch === undefined]),
    ).toEqual([
      ['GET', 'beta', 200, 'read', true],
      ['GET', 'v1.0', 200, 'read', false],
    ]);
    expect(log.find((e) => e.path === '/$batch')?.kind).toBe('read');
  });
});

describe('pending imports before and after the sync', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ scenario: 'demo' });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const imported = async (): Promise<Map<string, Json>> => bySerial((await all(sim, `/beta${SET}`)).items);
  const registered = async (): Promise<string[]> =>
    values(await get(sim, '/beta/deviceManagement/windowsAutopilotDeviceIdentities?$select=serialNumber')).map((i) =>
      String(i['serialNumber']),
    );

  test('a pending import is a complete record while invisible, and stays one after the sync reveals the device', async () => {
    const before = await imported();
    expect(await registered()).not.toContain('5CG3460DEF');
    expect(state(before.get('5CG3460DEF'))['deviceImportStatus']).toBe('complete');

    expect((await call(sim, 'POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);
    sim.clock.advance(30_000);
    expect(await registered()).toEqual(expect.arrayContaining(Object.keys(PENDING)));
    expect(sim.tenant.state.pendingImports).toHaveLength(0);

    const after = await imported();
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const serial of Object.keys(PENDING)) expect(after.get(serial)).toEqual(before.get(serial));
  });

  test('addPendingImport (and a push straight into the state) get a record at once; addImportedDevice adds errors', async () => {
    sim.tenant.addPendingImport({
      importedDateTime: 'now-2m',
      identity: {
        id: 'ad000000-0000-4000-8000-0000000000d1',
        serialNumber: 'NEWIMP01',
        groupTag: 'Sales',
        userPrincipalName: 'megan.bowen@contoso.com',
      },
    });
    sim.tenant.state.pendingImports.push({
      ...structuredClone(sim.tenant.state.pendingImports[0]!),
      identity: {
        ...sim.tenant.state.pendingImports[0]!.identity,
        id: 'ad000000-0000-4000-8000-0000000000d2',
        serialNumber: 'NEWIMP02',
      },
    });
    const added = sim.tenant.addImportedDevice({
      id: 'a1000000-0000-4000-8000-0000000000d3',
      serialNumber: 'DUP00001',
      importId: 'a2000000-0000-4000-8000-0000000000d0',
      state: { deviceImportStatus: 'error', deviceErrorCode: 819, deviceErrorName: 'ZtdDeviceDuplicated' },
    });
    expect(added.state).toMatchObject({ deviceRegistrationId: null, deviceErrorCode: 819 });
    expect(sim.tenant.importedDevice('a1000000-0000-4000-8000-0000000000d3')?.serialNumber).toBe('DUP00001');
    const m = await imported();
    expect(m.get('NEWIMP01')).toMatchObject({
      groupTag: 'Sales',
      assignedUserPrincipalName: 'megan.bowen@contoso.com',
    });
    expect(state(m.get('NEWIMP01'))).toMatchObject({
      deviceImportStatus: 'complete',
      deviceRegistrationId: 'ad000000-0000-4000-8000-0000000000d1',
    });
    expect(state(m.get('NEWIMP02'))['deviceImportStatus']).toBe('complete');
    expect(state(m.get('DUP00001'))).toMatchObject({
      deviceImportStatus: 'error',
      deviceErrorCode: 819,
      deviceErrorName: 'ZtdDeviceDuplicated',
    });
    expect(sim.tenant.removeImportedDevice('a1000000-0000-4000-8000-0000000000d3')).toBe(true);
    expect((await imported()).has('DUP00001')).toBe(false);
    expect(() =>
      sim.tenant.addImportedDevice({ id: 'x', state: { deviceImportStatus: 'failed' as 'error' } }),
    ).toThrow();
  });
});

describe('scenario key importedDevices and the control endpoints', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({
      scenario: {
        name: 'import-errors',
        importedDevices: [
          {
            id: 'a1000000-0000-4000-8000-000000000101',
            serialNumber: 'HASH0001',
            importId: 'a2000000-0000-4000-8000-000000000100',
            state: {
              '@odata.type': STATE_TYPE,
              deviceImportStatus: 'error',
              deviceErrorCode: 802,
              deviceErrorName: 'InvalidZtdHardwareHash',
            },
          },
          {
            id: 'a1000000-0000-4000-8000-000000000102',
            serialNumber: 'DUPL0001',
            importId: 'a2000000-0000-4000-8000-000000000100',
            state: { deviceImportStatus: 'error', deviceErrorCode: 819, deviceErrorName: 'ZtdDeviceDuplicated' },
          },
          { id: 'a1000000-0000-4000-8000-000000000103', serialNumber: 'PEND0001' },
        ],
      },
    });
  });
  afterAll(async () => {
    await sim.stop();
  });
  const control = async (body: unknown): Promise<{ status: number; body: Json }> => {
    const r = await fetch(`${sim.url}/_sim/scenario`, { method: 'POST', body: JSON.stringify(body) });
    return { status: r.status, body: obj(await r.json()) };
  };

  test('scenario records are served with defaults filled in', async () => {
    const m = bySerial(values(await get(sim, `/v1.0${SET}`)));
    expect(state(m.get('HASH0001'))).toEqual({
      '@odata.type': STATE_TYPE,
      deviceImportStatus: 'error',
      deviceRegistrationId: null,
      deviceErrorCode: 802,
      deviceErrorName: 'InvalidZtdHardwareHash',
    });
    expect(state(m.get('DUPL0001'))['deviceErrorCode']).toBe(819);
    expect(m.get('PEND0001')).toMatchObject({
      groupTag: null,
      productKey: null,
      importId: null,
      assignedUserPrincipalName: null,
    });
    expect(state(m.get('PEND0001'))).toEqual({
      '@odata.type': STATE_TYPE,
      deviceImportStatus: 'unknown',
      deviceRegistrationId: null,
      deviceErrorCode: 0,
      deviceErrorName: null,
    });
    const st = (await (await fetch(`${sim.url}/_sim/state`)).json()) as Json;
    expect(obj(st['counts'])['importedWindowsAutopilotDeviceIdentities']).toBe(3);
  });

  test('a patch upserts and removes importedDevices; pendingImports in a patch get records', async () => {
    const r = await control({
      mode: 'patch',
      importedDevices: [
        {
          id: 'a1000000-0000-4000-8000-000000000103',
          state: { deviceImportStatus: 'complete', deviceRegistrationId: 'ad000000-0000-4000-8000-000000000103' },
        },
        {
          id: 'a1000000-0000-4000-8000-000000000104',
          serialNumber: 'OTHR0001',
          state: {
            deviceImportStatus: 'error',
            deviceErrorCode: 808,
            deviceErrorName: 'ZtdDeviceAssignedToOtherTenant',
          },
        },
      ],
      pendingImports: [
        {
          importedDateTime: 'now-1m',
          identity: { id: 'ad000000-0000-4000-8000-000000000105', serialNumber: 'PATCH001' },
        },
      ],
      remove: { importedDevices: ['a1000000-0000-4000-8000-000000000102'] },
    });
    expect(r.status).toBe(200);
    expect(obj(r.body['counts'])['importedWindowsAutopilotDeviceIdentities']).toBe(4);
    const m = bySerial(values(await get(sim, `/beta${SET}`)));
    expect([...m.keys()]).toEqual(['HASH0001', 'PEND0001', 'OTHR0001', 'PATCH001']);
    expect(m.get('PEND0001')?.['serialNumber']).toBe('PEND0001');
    expect(state(m.get('PEND0001'))['deviceImportStatus']).toBe('complete');
    expect(state(m.get('OTHR0001'))['deviceErrorCode']).toBe(808);
    expect(state(m.get('PATCH001'))['deviceImportStatus']).toBe('complete');
    expect(
      (await control({ mode: 'patch', importedDevices: [{ id: 'a1000000-0000-4000-8000-000000000106', bogus: 1 }] }))
        .status,
    ).toBe(400);
  });

  test('replacing the scenario replaces the import records', async () => {
    await control({ scenario: 'healthy' });
    expect(values(await get(sim, `/beta${SET}`))).toEqual([]);
  });
});

test.each(['healthy', 'throttled'])('%s has no import errors', async (name) => {
  const sim = await start({ scenario: name });
  try {
    sim.faults.clear();
    const { items } = await all(sim, `/beta${SET}`);
    for (const i of items) expect(state(i)['deviceImportStatus']).toBe('complete');
    expect(items).toHaveLength(sim.planted.counts['pendingImports'] ?? 0);
  } finally {
    await sim.stop();
  }
});
