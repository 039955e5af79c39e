// The approval flow end to end: the tenant simulator as Graph (real HTTP on 127.0.0.1), Azurite as Table Storage,
// the container built from configuration as the host builds it, a webhook receiver on loopback for the alerts.
// A sweep proposes deregistering the Attention-required device and alerts with a Review link; the decision is made
// with that link's token; the worker re-reads, deletes once, verifies and records the approver.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { decideApproval } from '../../../shared/app/approvals/index.js';
import { forcePlanPolicy } from '../../../shared/composition/container.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, type Azurite, type Harness } from '../../support/harness.js';
import { startReceiver, type Receiver } from '../alerts/receiver.js';

const ATTENTION = 'ad000000-0000-4000-8000-00000000000e';
const ATTENTION_SERIAL = 'PF4ZR7KD';
const KEY = 'approval-signing-key-for-tests-0123456789';
const DAY = 24 * 3_600_000;

interface ReviewEvent {
  readonly eventType: string;
  readonly data: { readonly review?: { readonly approvalId: string; readonly url: string | null } };
}

function reviewEvents(receiver: Receiver): ReviewEvent[] {
  return receiver.requests
    .map((r) => JSON.parse(r.body) as ReviewEvent)
    .filter((e) => e.eventType === 'approval.requested');
}

/** id and token from a review link of a real alert payload. */
function linkOf(receiver: Receiver, approvalId: string): { id: string; token: string; url: string } {
  const event = reviewEvents(receiver).find((e) => e.data.review?.approvalId === approvalId);
  const url = event?.data.review?.url;
  if (!url) throw new Error(`no review link for ${approvalId}`);
  const parsed = new URL(url);
  const id = parsed.pathname.split('/').pop() ?? '';
  return { id, token: parsed.searchParams.get('token') ?? '', url };
}

const deletes = (h: Harness) =>
  h.sim.requests().filter((r) => r.kind === 'write' && r.method === 'DELETE' && r.batch === undefined);

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

async function proposeAttention(): Promise<string> {
  const poll = await h.runPoll('full');
  const request = poll.proposals?.find(
    (r) => r.action === 'deregister-autopilot-device' && r.target.autopilotId === ATTENTION,
  );
  if (!request) throw new Error(`no deregistration proposed; proposals: ${JSON.stringify(poll.proposals)}`);
  // Proposing is not acting: nothing was deleted, and the drain that follows deletes nothing either.
  await h.drainQueue();
  expect(deletes(h)).toEqual([]);
  return request.id;
}

describe('approval flow against the simulator and Azurite', () => {
  it('a sweep proposes the documented fix with a Review link; approving makes exactly one DELETE, verified, approver in history', async () => {
    const id = await proposeAttention();
    const stored = await h.container.stores.approvals.get(id);
    expect(stored).toMatchObject({
      status: 'pending',
      findingCode: 'AP_ATTENTION_REQUIRED',
      subjectKey: ATTENTION_SERIAL,
    });
    expect(stored?.state['remediationState']).toBe('manualRemediationRequired');
    expect(stored?.docs.map((d) => d.page.url)).toContain(
      'https://learn.microsoft.com/autopilot/registration-overview',
    );
    expect(stored!.expiresAt - stored!.createdAt).toBe(DAY);
    const link = linkOf(receiver, id);
    expect(link.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:7071/api/approvals/${id}\\?token=[A-Za-z0-9_-]{43}$`));

    const result = await decideApproval(h.container.approvalDeps(), {
      id: link.id,
      decision: 'approve',
      approver: 'alice@contoso.com',
      token: link.token,
    });
    expect(result.kind).toBe('approved');
    await h.drainQueue();
    // Twice more: nothing new.
    await h.drainQueue();

    const done = deletes(h);
    expect(done.map((r) => `${r.method} /${r.version}${r.path} ${r.status}`)).toEqual([
      `DELETE /v1.0/deviceManagement/windowsAutopilotDeviceIdentities/${ATTENTION} 204`,
    ]);
    expect(h.sim.tenant.identity(ATTENTION)).toBeUndefined();
    const history = await historyRecords(h.container.stores);
    const mine = history.filter((r) => r.subjectKey === ATTENTION_SERIAL && r.action === 'deregister-autopilot-device');
    expect(mine.find((r) => r.type === 'decision' && r.status === 'approved')?.reason).toMatch(
      /^approved by alice@contoso\.com/,
    );
    expect(mine.filter((r) => r.type === 'attempt')).toHaveLength(1);
    const outcome = mine.find((r) => r.type === 'outcome');
    expect(outcome?.status).toBe('succeeded');
    expect(outcome?.reason).toMatch(/verified by re-reading/);
    expect(outcome?.before).toMatchObject({ approvalId: id, approvedBy: 'alice@contoso.com' });
    expect(outcome?.after).toEqual({ autopilotRecordExists: false });
    expect((await h.container.stores.approvals.get(id))?.execution?.status).toBe('succeeded');

    // The same link again: already decided, nothing further written.
    const replay = await decideApproval(h.container.approvalDeps(), {
      id: link.id,
      decision: 'approve',
      approver: 'mallory',
      token: link.token,
    });
    expect(replay).toMatchObject({ kind: 'refused', reason: 'already-decided' });
    await h.drainQueue();
    expect(deletes(h)).toHaveLength(1);
  });

  it('reject: nothing written, the finding stays open with the rejection noted, and it is not proposed again', async () => {
    const id = await proposeAttention();
    const link = linkOf(receiver, id);
    const result = await decideApproval(h.container.approvalDeps(), {
      id,
      decision: 'reject',
      approver: 'bob@contoso.com',
      token: link.token,
    });
    expect(result.kind).toBe('rejected');
    await h.drainQueue();
    const again = await h.runPoll('full');
    await h.drainQueue();
    expect(deletes(h)).toEqual([]);
    expect(again.proposals?.filter((r) => r.target.autopilotId === ATTENTION)).toEqual([]);
    const finding = await h.container.stores.findings.get(ATTENTION_SERIAL, 'AP_ATTENTION_REQUIRED');
    expect(finding?.status).toBe('open');
    const history = await historyRecords(h.container.stores);
    const rejection = history.find((r) => r.subjectKey === ATTENTION_SERIAL && r.status === 'rejected');
    expect(rejection?.reason).toMatch(/^rejected by bob@contoso\.com: .* the finding stays open/);
  });

  it('an expired link and a forged token are refused, and nothing is written', async () => {
    const id = await proposeAttention();
    const link = linkOf(receiver, id);
    const forged = await decideApproval(h.container.approvalDeps(), {
      id,
      decision: 'approve',
      approver: 'mallory',
      token: `${link.token.slice(0, 42)}${link.token.endsWith('A') ? 'B' : 'A'}`,
    });
    expect(forged).toMatchObject({ kind: 'refused', reason: 'invalid-token' });
    h.sim.clock.advance(DAY + 60_000);
    const late = await decideApproval(h.container.approvalDeps(), {
      id,
      decision: 'approve',
      approver: 'alice@contoso.com',
      token: link.token,
    });
    expect(late).toMatchObject({ kind: 'refused', reason: 'expired' });
    await h.drainQueue();
    expect(deletes(h)).toEqual([]);
    expect((await h.container.stores.approvals.get(id))?.status).toBe('pending');
  });

  it('state changed after the proposal (the device recovered): the approved command is refused and recorded', async () => {
    const id = await proposeAttention();
    const link = linkOf(receiver, id);
    expect(
      (
        await decideApproval(h.container.approvalDeps(), {
          id,
          decision: 'approve',
          approver: 'alice',
          token: link.token,
        })
      ).kind,
    ).toBe('approved');
    // Between the approval and the worker, Intune re-registers the new hardware.
    h.sim.tenant.setIdentity(ATTENTION, { remediationState: 'noRemediationRequired' });
    await h.drainQueue();
    expect(deletes(h)).toEqual([]);
    expect(h.sim.tenant.identity(ATTENTION)).toBeDefined();
    const history = await historyRecords(h.container.stores);
    const outcome = history.find(
      (r) => r.type === 'outcome' && r.subjectKey === ATTENTION_SERIAL && r.action === 'deregister-autopilot-device',
    );
    expect(outcome?.status).toBe('refused');
    expect(outcome?.reason).toMatch(
      /state changed since the proposal: remediationState: manualRemediationRequired → noRemediationRequired; not written/,
    );
    expect((await h.container.stores.approvals.get(id))?.execution?.status).toBe('refused');
  });

  it('the Autopilot record reads another serial number than the one approved: refused, nothing deleted', async () => {
    const id = await proposeAttention();
    const link = linkOf(receiver, id);
    const approved = await decideApproval(h.container.approvalDeps(), {
      id,
      decision: 'approve',
      approver: 'alice',
      token: link.token,
    });
    expect(approved.kind).toBe('approved');
    // Between the approval and the worker, the record the request names is another device's (every state field the
    // proposal recorded reads as before): the person approved deleting ${ATTENTION_SERIAL}, not this one.
    h.sim.tenant.setIdentity(ATTENTION, { serialNumber: 'OTHER-DEVICE-1' });
    await h.drainQueue();
    expect(deletes(h)).toEqual([]);
    expect(h.sim.tenant.identity(ATTENTION)).toBeDefined();
    const outcome = (await historyRecords(h.container.stores)).find(
      (r) => r.type === 'outcome' && r.action === 'deregister-autopilot-device',
    );
    expect(outcome?.status).toBe('refused');
    expect(outcome?.reason).toMatch(/serial/);
    expect((await h.container.stores.approvals.get(id))?.execution?.status).toBe('refused');
  });

  it('an approval already carried out (here in plan mode) is used once: a second command naming it deletes nothing', async () => {
    const id = await proposeAttention();
    const link = linkOf(receiver, id);
    // Decided while deregistration was in plan mode: the person approved a plan, and the worker plans it.
    const planned = await decideApproval(
      { ...h.container.approvalDeps(), policy: forcePlanPolicy(h.config.policy) },
      { id, decision: 'approve', approver: 'alice', token: link.token },
    );
    if (planned.kind !== 'approved') throw new Error(`not approved: ${planned.kind}`);
    expect(planned.command.mode).toBe('plan');
    await h.drainQueue();
    expect((await h.container.stores.approvals.get(id))?.execution?.status).toBe('planned');
    // Later (the action now enforced), a command naming the same approval under a key of its own: the approval was
    // used by the planned run; only a new request, decided by a person, may delete.
    await h.queue.send(
      { ...planned.command, idempotencyKey: `${planned.command.idempotencyKey}-again`, mode: 'enforce' },
      null,
    );
    await h.drainQueue();
    expect(deletes(h)).toEqual([]);
    expect(h.sim.tenant.identity(ATTENTION)).toBeDefined();
    expect((await h.container.stores.approvals.get(id))?.execution?.status).toBe('planned');
  });

  it('an approval whose command never ran goes stale after the expiry: the fix is asked again, the late command deletes nothing', async () => {
    const id = await proposeAttention();
    const link = linkOf(receiver, id);
    // The command is lost after the approval: its tenant was out of the configuration when it was delivered (refused
    // by the deployment), or it was dead-lettered through a Graph outage. Nothing records an execution.
    const lost: RemediationCommand[] = [];
    const approved = await decideApproval(
      { ...h.container.approvalDeps(), queue: { send: (c) => Promise.resolve(void lost.push(c)) } },
      { id, decision: 'approve', approver: 'alice', token: link.token },
    );
    expect(approved.kind).toBe('approved');
    h.sim.clock.advance(DAY + 60_000);
    // A day on, the device still needs the fix: it is asked again rather than waiting on a decision nobody acts on.
    const again = await h.runPoll('full');
    expect(again.proposals?.map((r) => r.target.autopilotId)).toContain(ATTENTION);
    // The lost command turning up now acts on a day-old decision: refused, nothing deleted.
    for (const c of lost) await h.queue.send(c, null);
    await h.drainQueue();
    expect(deletes(h)).toEqual([]);
    const execution = (await h.container.stores.approvals.get(id))?.execution;
    expect(execution?.status).toBe('refused');
    expect(execution?.detail).toMatch(/not carried out within APPROVAL_EXPIRY_HOURS/);
  });
});
