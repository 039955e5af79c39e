/** $filter: the parser on its own, then each resource's supported clauses over HTTP. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { compileFilter, type FilterSpec } from '../../sim/odata/compile.js';
import { parseFilter } from '../../sim/odata/parse.js';
import { errorCode, get, start, values } from './helpers.js';

const SPEC: FilterSpec = {
  typeName: 'thing',
  errorCode: 'BadRequest',
  fields: {
    name: { type: 'string', ops: ['eq', 'ne', 'in', 'contains', 'startswith'] },
    state: { type: 'enum', ops: ['eq', 'ne'], values: ['inProgress', 'success'] },
    at: { type: 'datetime', ops: ['ge', 'lt'] },
    ids: { type: 'stringCollection', ops: ['any'] },
  },
};

describe('parser and compiler', () => {
  test('doubled quotes inside a literal are one quote', () => {
    const ast = parseFilter("name eq 'O''Brien''s'");
    expect(ast).toEqual({ k: 'cmp', op: 'eq', path: 'name', lit: { t: 'string', v: "O'Brien's" } });
    expect(compileFilter("name eq 'o''brien''s'", SPEC).test({ name: "O'Brien's" })).toBe(true);
  });

  test('and binds tighter than or; parentheses and not work', () => {
    const f = compileFilter("name eq 'a' or name eq 'b' and state eq 'success'", SPEC);
    expect(f.test({ name: 'a', state: 'inProgress' })).toBe(true);
    expect(f.test({ name: 'b', state: 'inProgress' })).toBe(false);
    const g = compileFilter("(name eq 'a' or name eq 'b') and not (state eq 'success')", SPEC);
    expect(g.test({ name: 'b', state: 'inProgress' })).toBe(true);
    expect(g.test({ name: 'b', state: 'success' })).toBe(false);
  });

  test('enum values are case-insensitive but must be members; dates must be unquoted', () => {
    expect(compileFilter("state ne 'InProgress'", SPEC).test({ state: 'success' })).toBe(true);
    expect(() => compileFilter("state eq 'bogus'", SPEC)).toThrow(/not a valid enumeration/);
    expect(compileFilter('at ge 2024-05-01T00:00:00Z', SPEC).test({ at: '2024-05-02T00:00:00.000Z' })).toBe(true);
    expect(() => compileFilter("at ge '2024-05-01T00:00:00Z'", SPEC)).toThrow(/date-time/);
  });

  test('unknown properties, unsupported operators and syntax errors are refused', () => {
    expect(() => compileFilter("colour eq 'red'", SPEC)).toThrow(/colour/);
    expect(() => compileFilter('at eq 2024-05-01T00:00:00Z', SPEC)).toThrow(/Operator 'eq'/);
    expect(() => compileFilter("name eq 'x", SPEC)).toThrow(/unterminated/);
    expect(() => compileFilter('name eq', SPEC)).toThrow();
  });

  test('any() lambdas over string collections, in (...), and the cast prefix', () => {
    expect(compileFilter("ids/any(p:startswith(p,'[ztdid]'))", SPEC).test({ ids: ['[ZTDID]:x'] })).toBe(true);
    expect(compileFilter("ids/any(x:x eq 'b')", SPEC).test({ ids: ['a', 'b'] })).toBe(true);
    expect(compileFilter("name in ('a','b')", SPEC).test({ name: 'B' })).toBe(true);
    expect(compileFilter("microsoft.graph.thing/name eq 'a'", SPEC).test({ name: 'a' })).toBe(true);
    expect(() => compileFilter("microsoft.graph.other/name eq 'a'", SPEC)).toThrow(/type cast/);
  });
});

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

const q = (path: string, filter: string): string => `${path}?$filter=${encodeURIComponent(filter)}`;
const IDS = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';
const EVENTS = '/beta/deviceManagement/autopilotEvents';
const serials = async (path: string, filter: string, key = 'serialNumber'): Promise<string[]> => {
  const r = await get(sim, q(path, filter));
  if (r.status !== 200) throw new Error(`${filter}: ${r.text}`);
  return values(r)
    .map((v) => String(v[key]))
    .sort();
};

describe('identities', () => {
  test('blocked by enrollmentState and by userlessEnrollmentStatus', async () => {
    expect(await serials(IDS, "enrollmentState eq 'blocked'")).toEqual(['5CG3420MNB', '9TQ4L83']);
    expect(await serials(IDS, "userlessEnrollmentStatus eq 'blocked'")).toEqual(['5CG3420MNB', '9TQ4L83']);
    expect(await serials(IDS, "enrollmentState eq 'blocked' and remediationState eq 'noRemediationRequired'")).toEqual([
      '9TQ4L83',
    ]);
  });

  test('serialNumber eq / contains, azureActiveDirectoryDeviceId eq, id eq, or', async () => {
    expect(await serials(IDS, "serialNumber eq '8KJ2Q73'")).toEqual(['8KJ2Q73']);
    expect(await serials(IDS, "contains(serialNumber,'zk2')")).toEqual(['PF4ZK2QW']);
    expect(await serials(IDS, "azureActiveDirectoryDeviceId eq 'de000000-0000-4000-8000-000000000001'")).toEqual([
      '8KJ2Q73',
    ]);
    expect(await serials(IDS, "id eq 'ad000000-0000-4000-8000-000000000002' or serialNumber eq 'PF4ZK2QW'")).toEqual([
      '5CG3412K7P',
      'PF4ZK2QW',
    ]);
  });

  test("a quote in a serial is escaped as ''", async () => {
    sim.tenant.addIdentity({ id: 'ad000000-0000-4000-8000-0000000000ff', serialNumber: "QA'01" });
    expect(await serials(IDS, "serialNumber eq 'QA''01'")).toEqual(["QA'01"]);
    sim.tenant.removeIdentity('ad000000-0000-4000-8000-0000000000ff');
  });

  test('an or of enum clauses (answered from the field indexes) lists what the predicate alone lists, as state changes', async () => {
    const filter = "enrollmentState eq 'BLOCKED' or userlessEnrollmentStatus eq 'blocked'";
    const byPredicate = (): string[] =>
      sim.tenant.state.identities
        .values()
        .filter((i) => i.enrollmentState === 'blocked' || i.userlessEnrollmentStatus === 'blocked')
        .map((i) => String(i.serialNumber))
        .sort();
    expect(await serials(IDS, filter)).toEqual(byPredicate());
    const before = byPredicate();
    sim.tenant.setIdentity('ad000000-0000-4000-8000-000000000002', { userlessEnrollmentStatus: 'blocked' });
    expect(await serials(IDS, filter)).toEqual(byPredicate());
    expect(byPredicate()).not.toEqual(before);
    sim.tenant.setIdentity('ad000000-0000-4000-8000-000000000002', { userlessEnrollmentStatus: 'allowed' });
    expect(await serials(IDS, filter)).toEqual(before);
    // v1.0 shows `blocked` as `unknown`: its filter is applied to that view, not to the stored value.
    const v1 = await get(
      sim,
      q('/v1.0/deviceManagement/windowsAutopilotDeviceIdentities', "enrollmentState eq 'unknown'"),
    );
    expect(
      values(v1)
        .map((v) => String(v['serialNumber']))
        .sort(),
    ).toEqual(
      sim.tenant.state.identities
        .values()
        .filter((i) => i.enrollmentState === 'blocked' || i.enrollmentState === 'unknown')
        .map((i) => String(i.serialNumber))
        .sort(),
    );
  });

  test('unsupported filters are 400', async () => {
    const r = await get(sim, q(IDS, "model gt 'x'"));
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('BadRequest');
  });
});

describe('events', () => {
  test('date ranges with and without the type-cast prefix, deploymentState ne (case-insensitive)', async () => {
    const all = values(await get(sim, EVENTS));
    const recent = await serials(
      EVENTS,
      `microsoft.graph.DeviceManagementAutopilotEvent/deploymentEndDateTime ge ${new Date(Date.now() - 26 * 3600_000).toISOString()}`,
      'deviceSerialNumber',
    );
    // The in-progress deployment (031928374651) has no end time yet, so it is not in the range.
    expect(recent).toEqual(['2LM8N93', '5CG3405WXY', '5CG3417ZZA', '5CG3420MNB', '6DN2P73', '9TQ4L83']);
    const notInProgress = await serials(
      EVENTS,
      `((microsoft.graph.DeviceManagementAutopilotEvent/eventDateTime ge 2000-01-01T00:00:00Z) and deploymentState ne 'InProgress')`,
      'deviceSerialNumber',
    );
    expect(notInProgress).toHaveLength(all.length - 1);
    const window = await serials(
      EVENTS,
      `enrollmentStartDateTime gt ${new Date(Date.now() - 7 * 86400_000).toISOString()} and deploymentStartDateTime lt ${new Date(Date.now() - 2 * 86400_000).toISOString()}`,
      'deviceSerialNumber',
    );
    expect(window).toEqual(['3HX9R53', 'PF4ZT3GH', '8KJ2Q73'].sort());
  });

  test('events come newest first in pages of at most 50; $orderby asc reverses', async () => {
    const ev = values(await get(sim, `${EVENTS}?$top=100`));
    const times = ev.map((e) => Date.parse(String(e['eventDateTime'])));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const asc = values(await get(sim, `${EVENTS}?$orderby=eventDateTime asc`)).map((e) =>
      Date.parse(String(e['eventDateTime'])),
    );
    expect(asc).toEqual([...times].reverse());
  });
});

describe('directory and managed devices', () => {
  test('devices by deviceId, enrollmentProfileName, id and physicalIds any(startswith)', async () => {
    expect(await serials('/v1.0/devices', "deviceId eq 'de000000-0000-4000-8000-000000000001'", 'id')).toEqual([
      '0b000000-0000-4000-8000-000000000001',
    ]);
    expect(
      await serials('/v1.0/devices', "enrollmentProfileName eq 'Contoso Win11 device preparation'", 'displayName'),
    ).toHaveLength(7);
    expect(await serials('/v1.0/devices', "id eq '0b000000-0000-4000-8000-000000000002'", 'id')).toHaveLength(1);
    expect(await serials('/v1.0/devices', "physicalIds/any(p:startswith(p,'[ZTDID]'))", 'id')).toHaveLength(24);
    const bad = await get(sim, q('/v1.0/devices', "operatingSystem eq 'Windows'"));
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('Request_UnsupportedQuery');
  });

  test('service principal by appId', async () => {
    expect(
      await serials('/v1.0/servicePrincipals', "appId eq 'f1346770-5b25-470b-88bd-d5744ab7952c'", 'displayName'),
    ).toEqual(['Intune Autopilot ConfidentialClient']);
  });

  test('managed devices by complianceState, serialNumber, azureADDeviceId', async () => {
    expect(await serials('/v1.0/deviceManagement/managedDevices', "complianceState eq 'noncompliant'")).toEqual([
      '052837461928',
      '7FG3H63',
    ]);
    expect(await serials('/v1.0/deviceManagement/managedDevices', "serialNumber eq '8KJ2Q73'")).toEqual(['8KJ2Q73']);
    expect(
      await serials(
        '/v1.0/deviceManagement/managedDevices',
        "azureADDeviceId eq 'de000000-0000-4000-8000-000000000002'",
      ),
    ).toEqual(['5CG3412K7P']);
  });
});
