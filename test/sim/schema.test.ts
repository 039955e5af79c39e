/**
 * Every payload the simulator serves, checked against Microsoft's published CSDL subset
 * (test/fixtures/graph/graph-schema-subset.json, see its README): property names, JSON types, enum members, date-times,
 * durations, nullability — and no beta-only property in a v1.0 payload.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { all, call, get, obj, start, values, type Json } from './helpers.js';

interface Prop {
  name: string;
  type: string;
  nullable?: boolean;
}
interface EntityType {
  properties: Prop[];
  subset?: boolean;
}
interface VersionSchema {
  entityTypes: Record<string, EntityType>;
  enumTypes: Record<string, { members: { name: string }[] }>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(
  readFileSync(path.resolve(repoRoot, 'test/fixtures/graph/graph-schema-subset.json'), 'utf8'),
) as Record<'v1.0' | 'beta', VersionSchema>;

const DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
/** `user` is outside the captured subset; the simulator serves only these documented properties of it. */
const USER_PROPS = ['id', 'displayName', 'userPrincipalName'];

type Version = 'v1.0' | 'beta';
const seen: Record<Version, Map<string, Set<string>>> = { 'v1.0': new Map(), beta: new Map() };

/** Problems found so far; collected instead of one expect() per value so 10,000-item lists stay fast. */
const problems: string[] = [];
const fail = (msg: string): void => {
  problems.push(msg);
};

function checkValue(where: string, prop: Prop, value: unknown, enums: VersionSchema['enumTypes']): void {
  if (value === null) {
    if (prop.nullable === false) fail(`${where}: ${prop.name} is not nullable`);
    return;
  }
  const collection = /^Collection\((.+)\)$/.exec(prop.type);
  if (collection) {
    if (!Array.isArray(value)) return fail(`${where}: ${prop.name} must be an array`);
    for (const v of value as unknown[])
      checkValue(where, { name: prop.name, type: collection[1] ?? '', nullable: false }, v, enums);
    return;
  }
  const bad = (): void => fail(`${where}: ${prop.name}=${JSON.stringify(value)} is not a valid ${prop.type}`);
  switch (prop.type) {
    case 'Edm.String':
      if (typeof value !== 'string') bad();
      break;
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') bad();
      break;
    case 'Edm.Int32':
    case 'Edm.Int64':
      if (!Number.isInteger(value)) bad();
      break;
    case 'Edm.DateTimeOffset':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/T.*(Z|[+-]\d{2}:\d{2})$/.test(value)) bad();
      break;
    case 'Edm.Duration':
      if (typeof value !== 'string' || !DURATION.test(value)) bad();
      break;
    default: {
      const en = enums[prop.type];
      if (!en) fail(`${where}: ${prop.name} has unknown type ${prop.type}`);
      else if (!en.members.some((m) => m.name === value)) bad();
    }
  }
}

/** Check one payload object against `typeName` in `version`; an @odata.type on the object wins. */
function checkObject(version: Version, typeName: string, o: Json, where: string): void {
  const odataType = o['@odata.type'];
  const type = typeof odataType === 'string' ? odataType.replace('#microsoft.graph.', '') : typeName;
  const props = Object.keys(o).filter((k) => !k.startsWith('@odata.'));
  const names = seen[version].get(type) ?? new Set<string>();
  props.forEach((p) => names.add(p));
  seen[version].set(type, names);
  if (type === 'user') {
    for (const p of props) if (!USER_PROPS.includes(p)) fail(`${where}: user.${p} is not served by the simulator`);
    return;
  }
  const et = schema[version].entityTypes[type];
  if (!et) return fail(`${where}: type ${type} does not exist in ${version}`);
  for (const p of props) {
    const prop = et.properties.find((x) => x.name === p);
    if (!prop) fail(`${where}: ${type}.${p} is not in the ${version} schema`);
    else checkValue(`${where} ${type}`, prop, o[p], schema[version].enumTypes);
  }
}

let sim: Simulator;
let gen: Simulator;
beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
  gen = await start({ scenario: 'large' });
});
afterAll(async () => {
  await sim.stop();
  await gen.stop();
});

async function checkList(s: Simulator, version: Version, p: string, type: string): Promise<number> {
  const { items } = await all(s, `/${version}${p}`);
  items.forEach((o, i) => checkObject(version, type, o, `${version}${p}[${i}]`));
  return items.length;
}

async function checkEntity(s: Simulator, version: Version, p: string, type: string): Promise<void> {
  const r = await get(s, `/${version}${p}`);
  if (r.status !== 200) fail(`${version}${p}: status ${r.status}`);
  checkObject(version, type, obj(r.body), `${version}${p}`);
}

describe.each(['v1.0', 'beta'] as const)('%s payloads', (version) => {
  test.each([['demo'], ['large']])(
    'collections and entities of the %s scenario match the schema',
    async (which) => {
      const s = which === 'demo' ? sim : gen;
      const dp = which === 'demo' ? '9a000000-0000-4000-8000-000000000001' : '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
      expect(
        await checkList(
          s,
          version,
          '/deviceManagement/windowsAutopilotDeviceIdentities',
          'windowsAutopilotDeviceIdentity',
        ),
      ).toBeGreaterThan(0);
      expect(await checkList(s, version, '/deviceManagement/managedDevices', 'managedDevice')).toBeGreaterThan(0);
      expect(await checkList(s, version, '/devices?$top=999', 'device')).toBeGreaterThan(0);
      expect(await checkList(s, version, '/servicePrincipals', 'servicePrincipal')).toBeGreaterThan(0);
      expect(await checkList(s, version, '/groups', 'group')).toBeGreaterThan(0);
      await checkList(s, version, `/groups/${dp}/members?$top=999`, 'directoryObject');
      await checkList(s, version, `/groups/${dp}/owners`, 'directoryObject');
      const first = async (p: string): Promise<string> =>
        String(values(await get(s, `/${version}${p}?$top=1`))[0]?.['id']);
      await checkEntity(
        s,
        version,
        `/deviceManagement/windowsAutopilotDeviceIdentities/${await first('/deviceManagement/windowsAutopilotDeviceIdentities')}`,
        'windowsAutopilotDeviceIdentity',
      );
      await checkEntity(
        s,
        version,
        `/deviceManagement/managedDevices/${await first('/deviceManagement/managedDevices')}`,
        'managedDevice',
      );
      await checkEntity(s, version, `/devices/${await first('/devices')}`, 'device');
      await checkEntity(s, version, `/servicePrincipals/${await first('/servicePrincipals')}`, 'servicePrincipal');
      await checkEntity(s, version, `/groups/${dp}`, 'group');
      const job = obj(
        (
          await call(s, 'POST', `/${version}/deviceManagement/reports/exportJobs`, {
            reportName: 'AutopilotV2DeploymentStatus',
            format: 'json',
          })
        ).body,
      );
      checkObject(version, 'deviceManagementExportJob', job, 'exportJob create');
      for (let i = 0; i < 3; i++)
        await checkEntity(
          s,
          version,
          `/deviceManagement/reports/exportJobs/${String(job['id'])}`,
          'deviceManagementExportJob',
        );
      if (version === 'beta') {
        expect(
          await checkList(s, version, '/deviceManagement/autopilotEvents', 'deviceManagementAutopilotEvent'),
        ).toBeGreaterThan(0);
        await checkEntity(
          s,
          version,
          `/deviceManagement/autopilotEvents/${await first('/deviceManagement/autopilotEvents')}`,
          'deviceManagementAutopilotEvent',
        );
        await checkEntity(s, version, '/deviceManagement/windowsAutopilotSettings', 'windowsAutopilotSettings');
      }
      expect(problems.slice(0, 20)).toEqual([]);
    },
    60_000,
  );
});

describe('coverage', () => {
  test('full (non-subset) types are served with every schema property; v1.0 never shows a beta-only one', () => {
    for (const version of ['v1.0', 'beta'] as const) {
      for (const [type, names] of seen[version]) {
        const et = schema[version].entityTypes[type];
        if (!et || et.subset) continue;
        const want = et.properties.map((p) => p.name).sort();
        expect([...names].sort(), `${version} ${type}`).toEqual(want);
      }
    }
    for (const [type, names] of seen['v1.0']) {
      const beta = schema.beta.entityTypes[type]?.properties.map((p) => p.name) ?? [];
      const v1 = schema['v1.0'].entityTypes[type]?.properties.map((p) => p.name) ?? [];
      const betaOnly = beta.filter((p) => !v1.includes(p));
      for (const n of names) expect(betaOnly, `v1.0 ${type}.${n}`).not.toContain(n);
    }
    expect([...seen.beta.keys()].sort()).toEqual([
      'device',
      'deviceManagementAutopilotEvent',
      'deviceManagementExportJob',
      'group',
      'managedDevice',
      'servicePrincipal',
      'user',
      'windowsAutopilotDeviceIdentity',
      'windowsAutopilotSettings',
    ]);
  });
});
