import { request as httpRequest } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHttpBridge, type HttpBridge, type Route } from '../../../cli/serve/http-bridge.js';

// What `serve`'s HTTP bridge lets through to the app's triggers. It listens on 127.0.0.1 with no function key, so
// the bridge itself must refuse what the Functions host (or the browser's same-origin policy) would: headers only
// App Service Authentication may set, requests another web site makes a browser send, names other than loopback in
// Host (DNS rebinding), and request targets that are not URLs. A real server on loopback; the routes are echoes so
// that the test sees exactly what a trigger would be handed.

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** node:http, not fetch: fetch may not set Host, Origin or Sec-Fetch-Site, which is what these tests forge. */
function send(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe("serve's HTTP bridge", () => {
  let bridge: HttpBridge;
  const lines: string[] = [];
  let sweeps = 0;

  beforeAll(async () => {
    const routes: Route[] = [
      {
        name: 'echo',
        methods: ['GET', 'POST'],
        route: 'echo',
        handler: (request) => {
          const headers: Record<string, string> = {};
          request.headers.forEach((v, k) => (headers[k] = v));
          return Promise.resolve({ jsonBody: { headers } });
        },
      },
      {
        name: 'sweep',
        methods: ['POST'],
        route: 'sweep',
        handler: () => {
          sweeps += 1;
          return Promise.resolve({ status: 202, jsonBody: { started: true } });
        },
      },
      {
        name: 'warns',
        methods: ['GET'],
        route: 'warns',
        handler: (_request, context) => {
          context.warn('sweep.http.refused', { reason: 'busy', serial: 'SN\u001b[2J-1' });
          context.error('sweep.http.failed', { error: 'StorageError', status: 503 });
          return Promise.resolve({ status: 503 });
        },
      },
    ];
    bridge = await startHttpBridge(routes, { port: 0, log: (l) => lines.push(l), allowedHosts: ['medic.lan:8443'] });
  });

  afterAll(() => bridge.close());

  it('does not hand a trigger the identity headers only App Service Authentication may set', async () => {
    const res = await send(bridge.port, {
      path: '/api/echo',
      headers: {
        'x-ms-client-principal-name': 'ceo@contoso.com',
        'x-ms-client-principal-id': '00000000-0000-0000-0000-000000000001',
        'x-ms-client-principal': Buffer.from('{"claims":[]}').toString('base64'),
        'x-ms-token-aad-access-token': 'forged',
        'x-request-id': 'kept',
      },
    });
    expect(res.status).toBe(200);
    const headers = (JSON.parse(res.body) as { headers: Record<string, string> }).headers;
    expect(Object.keys(headers).filter((k) => k.startsWith('x-ms-'))).toEqual([]);
    expect(headers['x-request-id']).toBe('kept');
  });

  it('refuses a POST another web site makes the browser send, and runs nothing', async () => {
    const before = sweeps;
    // A form or a no-cors fetch on any page: text/plain needs no preflight.
    const crossSite = await send(bridge.port, {
      method: 'POST',
      path: '/api/sweep',
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    // A browser without Fetch Metadata still sends Origin on a POST.
    const foreignOrigin = await send(bridge.port, {
      method: 'POST',
      path: '/api/sweep',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
    const sameSite = await send(bridge.port, {
      method: 'POST',
      path: '/api/sweep',
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(sameSite.status).toBe(403);
    expect(sweeps).toBe(before);
    // The review page's own forms, a script or curl on this machine (no Origin at all) still work.
    const own = await send(bridge.port, {
      method: 'POST',
      path: '/api/sweep',
      headers: { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${bridge.port}` },
    });
    expect(own.status).toBe(202);
    expect((await send(bridge.port, { method: 'POST', path: '/api/sweep' })).status).toBe(202);
    expect(sweeps).toBe(before + 2);
    // A link opened from a Teams alert is a cross-site navigation: reading is allowed, a GET changes nothing.
    const link = await send(bridge.port, {
      path: '/api/echo',
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
    });
    expect(link.status).toBe(200);
  });

  it('answers only to loopback names and the allowed hosts (DNS rebinding)', async () => {
    const host = async (h: string) => (await send(bridge.port, { path: '/api/echo', headers: { host: h } })).status;
    expect(await host('rebind.attacker.example')).toBe(403);
    expect(await host(`rebind.attacker.example:${bridge.port}`)).toBe(403);
    expect(await host('127.0.0.1:1')).toBe(403);
    expect(await host(`127.0.0.1:${bridge.port}`)).toBe(200);
    expect(await host(`localhost:${bridge.port}`)).toBe(200);
    expect(await host(`LOCALHOST:${bridge.port}`)).toBe(200);
    expect(await host(`[::1]:${bridge.port}`)).toBe(200);
    expect(await host('medic.lan:8443')).toBe(200);
    const post = await send(bridge.port, {
      method: 'POST',
      path: '/api/sweep',
      headers: { host: 'medic.lan:8443', origin: 'http://medic.lan:8443', 'sec-fetch-site': 'same-origin' },
    });
    expect(post.status).toBe(202);
  });

  it("logs a trigger's warnings and errors with their fields", async () => {
    lines.length = 0;
    expect((await send(bridge.port, { path: '/api/warns' })).status).toBe(503);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('[object Object]');
    expect(lines[0]).toContain('warns warning: sweep.http.refused');
    expect(lines[0]).toContain('reason busy');
    expect(lines[1]).toContain('warns error: sweep.http.failed (error StorageError, status 503)');
  });

  it('answers 400, not 500, for a request target that is not a URL', async () => {
    lines.length = 0;
    for (const path of ['http://[/api/echo', 'http://a%/api/echo', '//[/api/echo']) {
      const res = await send(bridge.port, { path });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid-request' });
    }
    expect(lines.filter((l) => l.startsWith('http error'))).toEqual([]);
  });
});
