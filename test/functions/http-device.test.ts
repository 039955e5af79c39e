import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DASHBOARD_CSP } from '../../functions/http-common.js';
import { makeDeviceHandler } from '../../functions/http-device.js';
import { makeSweepHandler } from '../../functions/http-sweep.js';
import { getHostContainer } from '../../shared/composition/host.js';
import type { ScenarioObject } from '../../sim/index.js';
import { header, httpRequest, invocation, jsonOf, startHarness, type Harness } from './http-harness.js';

// GET /api/devices/{key} with real HttpRequest / InvocationContext objects, the demo tenant simulator over real
// HTTP (plus two devices: one sharing a demo device's name, one with a hostile name) and in-memory stores filled
// by a plan sweep through the sweep endpoint.

const ROOT = resolve(import.meta.dirname, '../..');
const demo = JSON.parse(readFileSync(resolve(ROOT, 'sim/scenarios/demo.json'), 'utf8')) as ScenarioObject & {
  devices: Record<string, unknown>[];
};
const HOSTILE_NAME = '<img src=x onerror=alert(1)>\u001b]0;pwned\u0007\u202e';
const base = { ...demo.devices[0], enrollmentProfileName: null, physicalIds: [] };
const scenario = {
  ...demo,
  devices: [
    ...demo.devices,
    {
      ...base,
      id: '0b000000-0000-4000-8000-0000000000f1',
      deviceId: 'de000000-0000-4000-8000-0000000000f1',
      displayName: 'CTS-8KJ2Q73',
    },
    {
      ...base,
      id: '0b000000-0000-4000-8000-0000000000f2',
      deviceId: 'de000000-0000-4000-8000-0000000000f2',
      displayName: HOSTILE_NAME,
    },
  ],
} as ScenarioObject;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { sim: { scenario } });
  const sweep = await makeSweepHandler(getHostContainer)(
    httpRequest('POST', 'sweep', 'plan=true'),
    invocation('sweep').ctx,
  );
  expect(sweep.status).toBe(200);
});
afterAll(async () => {
  await h?.stop();
});

const handler = makeDeviceHandler(getHostContainer);

/** As the host hands it over: the route parameter decoded in `params`, the raw path in the URL. */
function deviceRequest(key: string, query = ''): HttpRequest {
  return new HttpRequest({
    method: 'GET',
    url: `http://127.0.0.1:7071/api/devices/${encodeURIComponent(key)}${query ? `?${query}` : ''}`,
    headers: { 'x-functions-key': 'test-key' },
    params: { key },
  });
}

async function get(key: string, query = '') {
  const res = await handler(deviceRequest(key, query), invocation('device').ctx);
  return { res, status: res.status, body: jsonOf(res) };
}

describe('GET /api/devices/{key}', () => {
  it('200: the whole view of a device, as JSON data', async () => {
    const { res, status, body } = await get('9TQ4L83');
    expect(status).toBe(200);
    expect(header(res, 'content-type')).toBe('application/json; charset=utf-8');
    expect(header(res, 'cache-control')).toBe('no-store');
    expect(body).toMatchObject({
      key: '9TQ4L83',
      matchedBy: ['serial'],
      serialNumber: '9TQ4L83',
      autopilot: {
        id: 'ad000000-0000-4000-8000-000000000008',
        blocked: true,
        groupTag: 'PreProv',
        profileStatus: 'assignedInSync',
      },
      entra: { objectId: '0b000000-0000-4000-8000-000000000008' },
      intune: { id: 'ed000000-0000-4000-8000-000000000008' },
      links: { intuneDevice: expect.stringContaining('mdmDeviceId/ed000000-0000-4000-8000-000000000008') as unknown },
    });
    const deployments = body.deployments as { errorCode: string | null; explanation: { code: string } | null }[];
    expect(
      deployments.some((d) => d.errorCode === '0x80180014' && d.explanation?.code === 'AP_ONE_TIME_ENROLLMENT_BLOCK'),
    ).toBe(true);
    // What the plan sweep recorded: open findings with their fix, and the decision in the history.
    const findings = body.openFindings as { code: string; fix: string }[];
    expect(findings.map((f) => f.code)).toContain('AP_USERLESS_BLOCKED');
    expect(findings.every((f) => f.fix.length > 0)).toBe(true);
    expect(
      (body.history as { type: string; status: string }[]).some(
        (r) => r.type === 'decision' && r.status === 'remediate',
      ),
    ).toBe(true);
    expect((body.devicePrepGroups as unknown[]).length).toBe(1);
  });

  it('a device-preparation device by its Entra object id: group membership and its findings', async () => {
    const { status, body } = await get('0b000000-0000-4000-8000-000000000069');
    expect(status).toBe(200);
    expect(body.autopilot).toBeNull();
    expect(body.devicePrepGroups).toEqual([
      expect.objectContaining({
        groupId: '9a000000-0000-4000-8000-000000000001',
        groupName: 'DP-Windows11-Devices',
        member: false,
        expected: true,
      }) as unknown,
    ]);
    expect(
      (body.openFindings as { subjectKey: string }[]).some(
        (f) => f.subjectKey === '0b000000-0000-4000-8000-000000000069',
      ),
    ).toBe(true);
  });

  it('404 for a key no device has, saying what was tried', async () => {
    const { status, body } = await get('NO-SUCH-DEVICE');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: 'device-not-found',
      key: 'NO-SUCH-DEVICE',
      message: expect.stringMatching(/^no device has the serial number or name "NO-SUCH-DEVICE" \(tried: /) as unknown,
    });
  });

  it('409 for a name two devices share, listing both', async () => {
    const { status, body } = await get('CTS-8KJ2Q73');
    expect(status).toBe(409);
    expect(body.error).toBe('device-key-ambiguous');
    expect((body.candidates as { entraObjectId: string }[]).map((c) => c.entraObjectId).sort()).toEqual([
      '0b000000-0000-4000-8000-000000000001',
      '0b000000-0000-4000-8000-0000000000f1',
    ]);
  });

  it('a hostile device name is returned as data in JSON, exactly as the tenant has it', async () => {
    const { res, status, body } = await get('0b000000-0000-4000-8000-0000000000f2');
    expect(status).toBe(200);
    expect(header(res, 'content-type')).toMatch(/^application\/json/);
    expect(header(res, 'x-content-type-options')).toBe('nosniff');
    expect((body.entra as { displayName: string }).displayName).toBe(HOSTILE_NAME);
  });

  it('?format=html: the page the dashboard links to, under the dashboard CSP, every tenant string escaped', async () => {
    const found = await handler(
      deviceRequest('0b000000-0000-4000-8000-0000000000f2', 'format=html'),
      invocation('device').ctx,
    );
    expect(found.status).toBe(200);
    expect(header(found, 'content-type')).toBe('text/html; charset=utf-8');
    expect(header(found, 'content-security-policy')).toBe(DASHBOARD_CSP);
    const page = found.body as string;
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('0b000000-0000-4000-8000-0000000000f2');

    const blocked = (await handler(deviceRequest('9TQ4L83', 'format=html'), invocation('device').ctx)).body as string;
    expect(blocked).toMatch(/data-testid="device-title">Device 9TQ4L83/);
    expect(blocked).toContain('BLOCKED');
    expect(blocked).toContain('<a href="../dashboard">');

    const missing = await handler(deviceRequest('NO-SUCH-SERIAL', 'format=html'), invocation('device').ctx);
    expect(missing.status).toBe(404);
    expect(header(missing, 'content-type')).toBe('text/html; charset=utf-8');
  });

  it.each([
    ['9TQ4L83', 'format=xml', 'format', /^json \(the default\) or html/],
    ['AB\u001bC', '', 'key', /^the key contains the control character U\+001B/],
    ['9TQ4L83', 'verbose=true', 'verbose', /^unknown parameter; expected one of format$/],
  ])('400 for %j %s, naming the problem', async (key, query, parameter, message) => {
    const { status, body } = await get(key, query);
    expect(status).toBe(400);
    const problems = body.problems as { parameter: string; message: string }[];
    expect(problems.map((p) => p.parameter)).toEqual([parameter]);
    expect(problems[0]?.message).toMatch(message);
  });

  it('502 when Graph does not answer (nothing is made up)', async () => {
    const down = await startHarness({}, { install: false });
    try {
      await down.stopSim();
      const res = await makeDeviceHandler(() => Promise.resolve(down.container))(
        deviceRequest('9TQ4L83'),
        invocation('device').ctx,
      );
      expect(res.status).toBe(502);
      expect(jsonOf(res)).toMatchObject({
        error: 'graph-read-failed',
        message: expect.stringMatching(/^the device could not be looked up: /) as unknown,
      });
    } finally {
      await down.stop();
    }
  });
});
