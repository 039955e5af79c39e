import { HttpRequest } from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { approverOf, makeApprovalHandler, REVIEW_CSP } from '../../functions/http-approvals.js';
import { reviewUrl } from '../../shared/app/approvals/index.js';
import { runPoll } from '../../shared/app/poll/run-poll.js';
import { getHostContainer } from '../../shared/composition/host.js';
import { header, invocation, startHarness, type Harness } from './http-harness.js';

// GET and POST /api/approvals/{id} with real HttpRequest / InvocationContext objects, the demo tenant simulator
// over real HTTP and in-memory stores: a full sweep proposes deregistering the Attention-required device.

const ATTENTION = 'ad000000-0000-4000-8000-00000000000e';
const KEY = 'approval-signing-key-for-tests-0123456789';

let h: Harness;
let id: string;
let token: string;
beforeEach(async () => {
  h = await startHarness({
    REMEDIATION_MODE: 'enforce',
    APPROVAL_SIGNING_KEY: KEY,
    APPROVAL_BASE_URL: 'https://apm.example.test',
  });
  const c = h.container;
  const poll = await runPoll(c.pollDeps(), c.pollOptions('full', 'run-http-approvals'));
  await c.drainLocally();
  const request = poll.proposals?.find((r) => r.target.autopilotId === ATTENTION);
  if (!request) throw new Error('no proposal for the Attention-required device');
  id = request.id;
  const url = new URL(reviewUrl(c.config.approvals, request) ?? '');
  token = url.searchParams.get('token') ?? '';
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await h.stop();
});

const handler = () => makeApprovalHandler(getHostContainer);

function get(path: string, query: string): HttpRequest {
  return new HttpRequest({
    method: 'GET',
    url: `http://127.0.0.1:7071/api/${path}${query ? `?${query}` : ''}`,
    headers: { 'x-functions-key': 'test-key' },
    params: { id: path.split('/').pop() ?? '' },
  });
}

function post(approvalId: string, body: string, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://127.0.0.1:7071/api/approvals/${approvalId}?code=the-function-key`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    params: { id: approvalId },
    body: { string: body },
  });
}

/** The HTML the handler answered with. */
const text = (res: { body?: unknown }): string => (typeof res.body === 'string' ? res.body : '');

const deletes = () => h.sim.requests().filter((r) => r.method === 'DELETE' && r.kind === 'write');

describe('GET /api/approvals/{id}', () => {
  it('renders the review page under the strict CSP and changes nothing, however often it is opened', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await handler()(get(`approvals/${id}`, `token=${token}`), invocation('approval').ctx);
      expect(res.status).toBe(200);
      expect(header(res, 'content-security-policy')).toBe(REVIEW_CSP);
      expect(REVIEW_CSP).toContain("default-src 'none'");
      expect(REVIEW_CSP).toContain("form-action 'self'");
      expect(REVIEW_CSP).not.toContain('script-src');
      const body = text(res);
      expect(body).toContain('deregister Autopilot device PF4ZR7KD');
      expect(body).toContain('DELETE /v1.0/deviceManagement/windowsAutopilotDeviceIdentities/{id}');
      expect(body).toContain('manualRemediationRequired');
      expect(body).toContain('https://learn.microsoft.com/autopilot/registration-overview');
      expect(body).toMatch(/<button type="submit" class="approve"/);
      expect(body).not.toMatch(/<script/i);
    }
    expect((await h.container.stores.approvals.get(id))?.status).toBe('pending');
    expect(deletes()).toEqual([]);
  });

  it('a wrong token, an unknown id and a missing token are refused without revealing the request', async () => {
    const wrong = await handler()(get(`approvals/${id}`, `token=${'A'.repeat(43)}`), invocation('approval').ctx);
    expect(wrong.status).toBe(404);
    expect(text(wrong)).not.toContain('PF4ZR7KD');
    const unknown = await handler()(get(`approvals/${'0'.repeat(32)}`, `token=${token}`), invocation('approval').ctx);
    expect(unknown.status).toBe(404);
    const missing = await handler()(get(`approvals/${id}`, ''), invocation('approval').ctx);
    expect(missing.status).toBe(400);
    const extra = await handler()(
      get(`approvals/${id}`, `token=${token}&decision=approve`),
      invocation('approval').ctx,
    );
    expect(extra.status).toBe(400);
    expect(deletes()).toEqual([]);
  });
});

describe('POST /api/approvals/{id}', () => {
  it('approve: the signed-in approver is recorded, the worker deletes once and the page shows the outcome', async () => {
    // App Service sets this when its authentication is on (and then only it sets x-ms-client-principal-name).
    vi.stubEnv('WEBSITE_AUTH_ENABLED', 'True');
    const res = await handler()(
      post(id, `token=${token}&decision=approve`, { 'x-ms-client-principal-name': 'alice@contoso.com' }),
      invocation('approval').ctx,
    );
    expect(res.status).toBe(200);
    const body = text(res);
    expect(body).toContain('Approved by alice@contoso.com');
    expect(body).toContain('succeeded');
    // The forms are gone: a decided request cannot be decided again from its page.
    expect(body).not.toContain('<form');
    expect(deletes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `DELETE /deviceManagement/windowsAutopilotDeviceIdentities/${ATTENTION} 204`,
    ]);
    const stored = await h.container.stores.approvals.get(id);
    expect(stored).toMatchObject({ status: 'approved', decidedBy: 'alice@contoso.com' });

    // Replay of the same form: 409, nothing more written.
    const replay = await handler()(post(id, `token=${token}&decision=approve`), invocation('approval').ctx);
    expect(replay.status).toBe(409);
    expect(text(replay)).toContain('already approved by alice@contoso.com');
    expect(deletes()).toHaveLength(1);
  });

  it('reject with only the function key: recorded as "function key", nothing written', async () => {
    const res = await handler()(
      new HttpRequest({
        method: 'POST',
        url: `http://127.0.0.1:7071/api/approvals/${id}`,
        headers: { 'content-type': 'application/json', 'x-functions-key': 'k' },
        params: { id },
        body: { string: JSON.stringify({ token, decision: 'reject' }) },
      }),
      invocation('approval').ctx,
    );
    expect(res.status).toBe(200);
    expect(text(res)).toContain('Rejected by function key');
    expect((await h.container.stores.approvals.get(id))?.decidedBy).toBe('function key');
    await h.container.drainLocally();
    expect(deletes()).toEqual([]);
  });

  it('an expired link is 410, a bad decision or body is 400; nothing written', async () => {
    const bad = await handler()(post(id, `token=${token}&decision=delete-everything`), invocation('approval').ctx);
    expect(bad.status).toBe(400);
    const text = await handler()(
      new HttpRequest({
        method: 'POST',
        url: `http://127.0.0.1:7071/api/approvals/${id}`,
        headers: { 'content-type': 'text/plain' },
        params: { id },
        body: { string: 'approve' },
      }),
      invocation('approval').ctx,
    );
    expect(text.status).toBe(400);
    h.sim.clock.advance(25 * 3_600_000);
    const late = await handler()(post(id, `token=${token}&decision=approve`), invocation('approval').ctx);
    expect(late.status).toBe(410);
    expect(deletes()).toEqual([]);
  });

  it('the approver header is trusted only when it is a plain name', () => {
    const req = (v: string) =>
      new HttpRequest({
        method: 'POST',
        url: 'http://x/api/approvals/1',
        headers: { 'x-ms-client-principal-name': v },
      });
    const authOn = { WEBSITE_AUTH_ENABLED: 'True' };
    expect(approverOf(req('bob@contoso.com'), authOn)).toBe('bob@contoso.com');
    expect(approverOf(req('evil\u001b[2J'), authOn)).toBe('function key');
    expect(approverOf(req('x'.repeat(300)), authOn)).toBe('function key');
    expect(approverOf(new HttpRequest({ method: 'POST', url: 'http://x/api/approvals/1' }), authOn)).toBe(
      'function key',
    );
  });

  it('the approver header is trusted only when App Service Authentication is on: otherwise anyone could set it', () => {
    const forged = new HttpRequest({
      method: 'POST',
      url: 'http://x/api/approvals/1',
      headers: { 'x-ms-client-principal-name': 'ceo@contoso.com' },
    });
    expect(approverOf(forged, {})).toBe('function key');
    expect(approverOf(forged, { WEBSITE_AUTH_ENABLED: 'False' })).toBe('function key');
    expect(approverOf(forged, { WEBSITE_AUTH_ENABLED: 'True' })).toBe('ceo@contoso.com');
  });
});
