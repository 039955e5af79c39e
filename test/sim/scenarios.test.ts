/** Bundled scenarios, scenario loading (names, files, relative times, validation) and control endpoints. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveTime } from '../../sim/clock.js';
import type { Simulator } from '../../sim/index.js';
import { parseScenario, resolveScenarioPath } from '../../sim/scenario/load.js';
import { all, call, get, obj, start, values } from './helpers.js';

describe('loading', () => {
  test('relative times resolve against the clock; ISO strings pass through', () => {
    const now = Date.UTC(2026, 4, 1, 12);
    expect(resolveTime('now-3m', now)).toBe('2026-05-01T11:57:00.000Z');
    expect(resolveTime('now-1d+2h', now)).toBe('2026-04-30T14:00:00.000Z');
    expect(resolveTime('now+5m', now)).toBe('2026-05-01T12:05:00.000Z');
    expect(resolveTime('2024-01-01T00:00:00Z', now)).toBe('2024-01-01T00:00:00Z');
  });

  test('bundled names resolve to sim/scenarios; paths work; misspelt properties are errors naming the path', () => {
    expect(resolveScenarioPath('demo')).toMatch(/sim[\\/]scenarios[\\/]demo\.json$/);
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-'));
    const file = path.join(dir, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({ name: 'mine', windowsAutopilotDeviceIdentities: [{ id: 'x', serialNumbr: 'typo' }] }),
    );
    expect(() => parseScenario(file, Date.now())).toThrow(/serialNumbr/);
    writeFileSync(
      file,
      JSON.stringify({
        name: 'mine',
        windowsAutopilotDeviceIdentities: [{ id: 'x', lastContactedDateTime: 'now-200d' }],
      }),
    );
    const s = parseScenario(file, Date.UTC(2026, 0, 1));
    expect(s.windowsAutopilotDeviceIdentities[0]?.lastContactedDateTime).toBe('2025-06-15T00:00:00.000Z');
    expect(() => parseScenario('no-such-scenario', Date.now())).toThrow(/not found/);
  });

  test.each(['demo', 'healthy', 'deviceprep-broken', 'throttled', 'large'])(
    'bundled scenario %s starts',
    async (name) => {
      const sim = await start({ scenario: name });
      const state = obj(await (await fetch(`${sim.url}/_sim/state`)).json());
      expect(obj(state['counts'])['groups']).toBeGreaterThan(0);
      await sim.stop();
    },
  );
});

describe('the demo tenant', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ scenario: 'demo' });
  });
  afterAll(async () => {
    await sim.stop();
  });

  test('has the planted problems it documents', async () => {
    const ids = (await all(sim, '/beta/deviceManagement/windowsAutopilotDeviceIdentities')).items;
    expect(ids.length).toBeGreaterThanOrEqual(20);
    const bySerial = new Map(ids.map((i) => [i['serialNumber'], i]));
    expect(bySerial.get('9TQ4L83')).toMatchObject({
      enrollmentState: 'blocked',
      userlessEnrollmentStatus: 'blocked',
      remediationState: 'noRemediationRequired',
    });
    expect(bySerial.get('5CG3420MNB')).toMatchObject({
      enrollmentState: 'blocked',
      remediationState: 'automaticRemediationRequired',
    });
    expect(bySerial.get('PF4ZR7KD')).toMatchObject({ remediationState: 'manualRemediationRequired' });
    const sp = values(
      await get(
        sim,
        `/v1.0/servicePrincipals?$filter=${encodeURIComponent("appId eq 'f1346770-5b25-470b-88bd-d5744ab7952c'")}`,
      ),
    );
    expect(sp[0]?.['displayName']).toBe('Intune Autopilot ConfidentialClient');
    const owners = values(await get(sim, '/v1.0/groups/9a000000-0000-4000-8000-000000000001/owners'));
    expect(owners.map((o) => o['id'])).not.toContain(sp[0]?.['id']);
    expect(sim.planted.counts['deviceprepMissingFromGroup']).toBe(3);
  });

  test('allowNextEnrollment unblocks the plain blocked device but does nothing in Fix pending', async () => {
    const blocked = 'ad000000-0000-4000-8000-000000000008';
    const fixPending = 'ad000000-0000-4000-8000-000000000009';
    for (const id of [blocked, fixPending]) {
      expect(
        (await call(sim, 'POST', `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${id}/allowNextEnrollment`))
          .status,
      ).toBe(204);
    }
    expect(sim.tenant.identity(blocked)).toMatchObject({
      enrollmentState: 'notContacted',
      userlessEnrollmentStatus: 'allowed',
    });
    expect(sim.tenant.identity(fixPending)).toMatchObject({
      enrollmentState: 'blocked',
      userlessEnrollmentStatus: 'blocked',
    });
    expect(
      (
        await call(
          sim,
          'POST',
          '/beta/deviceManagement/windowsAutopilotDeviceIdentities/ad000000-0000-4000-8000-0000000000ee/allowNextEnrollment',
        )
      ).status,
    ).toBe(404);
  });
});

describe('control endpoints', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ scenario: 'healthy' });
  });
  afterAll(async () => {
    await sim.stop();
  });
  const control = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(`${sim.url}${p}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  };

  test('clock: advance and set', async () => {
    const before = sim.clock.nowMs();
    const r = await control('POST', '/_sim/clock', { advanceMs: 3_600_000 });
    expect(Date.parse(String(obj(r.body)['now'])) - before).toBeGreaterThanOrEqual(3_600_000);
    await control('POST', '/_sim/clock', { set: '2030-01-01T00:00:00Z' });
    expect(sim.clock.iso().startsWith('2030-01-01T00:00')).toBe(true);
    expect((await control('POST', '/_sim/clock', { nope: 1 })).status).toBe(400);
  });

  test('requests log: seq, sim time, kind, body of writes; DELETE clears', async () => {
    await control('DELETE', '/_sim/requests');
    await get(sim, '/v1.0/devices?$top=2');
    await call(sim, 'POST', '/v1.0/groups/0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5/owners/$ref', {
      '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-4000-8000-000000000000',
    });
    const log = obj((await control('GET', '/_sim/requests')).body)['value'] as Record<string, unknown>[];
    expect(log.map((e) => [e['method'], e['path'], e['version'], e['status'], e['kind']])).toEqual([
      ['GET', '/devices', 'v1.0', 200, 'read'],
      ['POST', '/groups/0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5/owners/$ref', 'v1.0', 404, 'write'],
    ]);
    expect(log[0]?.['query']).toEqual({ $top: '2' });
    expect(log[1]?.['body']).toEqual({
      '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-4000-8000-000000000000',
    });
    expect(String(log[0]?.['time']).startsWith('2030-01-01')).toBe(true);
    expect(typeof log[0]?.['realMs']).toBe('number');
    expect(sim.requests(Number(log[0]?.['seq']))).toHaveLength(1);
  });

  test('options can change at run time and are validated', async () => {
    expect((await control('POST', '/_sim/options', { writeLimit: { max: 1, windowMs: 60_000 } })).status).toBe(200);
    const del = (): Promise<number> =>
      call(
        sim,
        'DELETE',
        '/v1.0/groups/0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5/members/00000000-0000-4000-8000-000000000000/$ref',
      ).then((r) => r.status);
    expect([await del(), await del()]).toEqual([404, 429]);
    expect((await control('POST', '/_sim/options', { writeLimit: null })).status).toBe(200);
    expect(await del()).toBe(404);
    expect((await control('POST', '/_sim/options', { latencyMs: -1 })).status).toBe(400);
  });

  test('scenario patch upserts, removes and merges settings; replace loads another scenario', async () => {
    const id = values(await get(sim, '/beta/deviceManagement/windowsAutopilotDeviceIdentities?$top=1'))[0]?.['id'];
    await control('POST', '/_sim/scenario', {
      mode: 'patch',
      windowsAutopilotDeviceIdentities: [
        { id, enrollmentState: 'blocked', userlessEnrollmentStatus: 'blocked' },
        { id: 'ad000000-0000-4000-8000-0000000000aa', serialNumber: 'NEW-1', lastContactedDateTime: 'now-1d' },
      ],
      windowsAutopilotSettings: { syncStatus: 'failed' },
      remove: { servicePrincipals: ['50000003-0000-4000-8000-000000000001'] },
    });
    expect(sim.tenant.identity(String(id))?.enrollmentState).toBe('blocked');
    expect(sim.tenant.identity('ad000000-0000-4000-8000-0000000000aa')?.serialNumber).toBe('NEW-1');
    expect(obj((await get(sim, '/beta/deviceManagement/windowsAutopilotSettings')).body)['syncStatus']).toBe('failed');
    expect((await get(sim, '/v1.0/servicePrincipals/50000003-0000-4000-8000-000000000001')).status).toBe(404);
    const replaced = await control('POST', '/_sim/scenario', { scenario: 'deviceprep-broken' });
    expect(obj(obj(replaced.body)['counts'])['windowsAutopilotDeviceIdentities']).toBe(0);
    expect(Object.keys(sim.planted.counts)).toContain('servicePrincipalMissing');
    expect(
      (
        await control('POST', '/_sim/scenario', {
          scenario: { windowsAutopilotDeviceIdentities: [{ id: 'a', bogus: 1 }] },
        })
      ).status,
    ).toBe(400);
  });
});
