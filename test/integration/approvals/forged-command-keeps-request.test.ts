// A forged queue message naming a real approval request is refused, as it should be, and recorded in history; but its
// refusal must not be written onto the request. A refusal on the request is final for it, so one forged message sent
// while the request is pending (or naming another target) would make the worker refuse the genuine, person-approved
// command afterwards ("was refused before"), and nothing would be deleted.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { parseCommand } from '../../../shared/adapters/servicebus/command-schema.js';
import { decideApproval } from '../../../shared/app/approvals/index.js';
import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, type Azurite, type Harness } from '../../support/harness.js';
import { startReceiver, type Receiver } from '../alerts/receiver.js';

const ATTENTION = 'ad000000-0000-4000-8000-00000000000e';
const KEY = 'approval-signing-key-for-tests-0123456789';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite.stop();
});
let h: Harness;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver(() => ({ status: 200 }));
  h = await startHarness({
    scenario: 'demo',
    azurite,
    mode: 'enforce',
    env: {
      APPROVAL_SIGNING_KEY: KEY,
      APPROVAL_BASE_URL: 'http://127.0.0.1:7071',
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: 'whsec_' + Buffer.from('0123456789abcdef0123').toString('base64'),
      WEBHOOK_MIN_SEVERITY: 'info',
    },
  });
});
afterEach(async () => {
  await h.stop();
  await receiver.close();
});

const deletes = (h: Harness) =>
  h.sim.requests().filter((r) => r.kind === 'write' && r.method === 'DELETE' && r.batch === undefined);

function tokenOf(approvalId: string): string {
  for (const r of receiver.requests) {
    const e = JSON.parse(r.body) as { data?: { review?: { approvalId: string; url: string | null } } };
    if (e.data?.review?.approvalId === approvalId && e.data.review.url)
      return new URL(e.data.review.url).searchParams.get('token') ?? '';
  }
  throw new Error(`no review link for ${approvalId}`);
}

/** A message as someone with send rights could write it: made-up key, the request's id, any target. */
function forgedCommand(key: string, target: Record<string, unknown>): RemediationCommand {
  const parsed = parseCommand(
    JSON.stringify({
      schemaVersion: 1,
      idempotencyKey: key,
      action: 'deregister-autopilot-device',
      tenant: h.container.remediationDeps().tenant,
      mode: 'enforce',
      target,
      reasons: [],
      runId: 'forged',
      createdAt: new Date(h.sim.clock.nowMs()).toISOString(),
    }),
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.command;
}

/** The person's approval, with the token of the review link the real alert carried. */
function approveAsAlice(id: string) {
  return decideApproval(h.container.approvalDeps(), {
    id,
    decision: 'approve',
    approver: 'alice@contoso.com',
    token: tokenOf(id),
  });
}

async function proposeAttention() {
  const poll = await h.runPoll('full');
  const request = poll.proposals?.find(
    (r) => r.action === 'deregister-autopilot-device' && r.target.autopilotId === ATTENTION,
  );
  if (!request) throw new Error('no deregistration proposed');
  await h.drainQueue();
  return request;
}

describe('a forged message naming a real approval request', () => {
  it('sent while the request is pending is refused and recorded, and the genuine approved command still runs', async () => {
    const request = await proposeAttention();

    const forged = forgedCommand('forged-by-someone-with-send-rights', { ...request.target, approvalId: request.id });
    const out = await executeRemediation(forged, h.container.remediationDeps());
    expect(out.status).toBe('refused');
    expect(out.detail).toContain('pending, not approved');
    // Recorded in history as every refusal is, but not on the request: the request is still undecided.
    const refusals = (await historyRecords(h.container.stores, { type: 'outcome' })).filter(
      (r) => r.idempotencyKey === 'forged-by-someone-with-send-rights',
    );
    expect(refusals.map((r) => r.status)).toEqual(['refused']);
    expect((await h.container.stores.approvals.get(request.id))?.execution).toBeNull();

    const decided = await approveAsAlice(request.id);
    expect(decided.kind).toBe('approved');
    await h.drainQueue();

    expect(deletes(h)).toHaveLength(1);
    expect((await h.container.stores.approvals.get(request.id))?.execution?.status).toBe('succeeded');
  });

  it("sent while pending with the key an approved command used to get cannot use up the genuine command's key", async () => {
    const request = await proposeAttention();
    // Before, the approved command's key was `${tenant}:${action}:approval:${id}`: guessable from the request id
    // alone, so a refused forgery claimed it and the genuine command was later dropped as its duplicate.
    const tenant = h.container.remediationDeps().tenant;
    const guessed = `${tenant}:deregister-autopilot-device:approval:${request.id}`;
    const out = await executeRemediation(
      forgedCommand(guessed, { ...request.target, approvalId: request.id }),
      h.container.remediationDeps(),
    );
    expect(out.status).toBe('refused');
    const decided = await approveAsAlice(request.id);
    expect(decided.kind).toBe('approved');
    await h.drainQueue();
    expect(deletes(h)).toHaveLength(1);
    expect((await h.container.stores.approvals.get(request.id))?.execution?.status).toBe('succeeded');
  });

  it('naming another target after approval is refused, and the genuine command still runs', async () => {
    const request = await proposeAttention();
    const decided = await approveAsAlice(request.id);
    expect(decided.kind).toBe('approved');

    // Before the queued genuine command is delivered: the same request id on a different serial.
    const forged = forgedCommand('forged-other-target', {
      ...request.target,
      serialNumber: 'PF4ZR7XX',
      approvalId: request.id,
    });
    const out = await executeRemediation(forged, h.container.remediationDeps());
    expect(out.status).toBe('refused');
    expect(out.detail).toContain('not the one approval request');
    expect((await h.container.stores.approvals.get(request.id))?.execution).toBeNull();

    await h.drainQueue();
    expect(deletes(h)).toHaveLength(1);
    expect((await h.container.stores.approvals.get(request.id))?.execution?.status).toBe('succeeded');
  });
});
