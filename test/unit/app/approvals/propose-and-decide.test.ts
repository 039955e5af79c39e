// The proposal and decision use cases on in-memory stores (their Table semantics are the contract suite's):
// one request per target, when a finding may be asked about again, the limits and the plan mode at approval time.
import { beforeEach, describe, expect, it } from 'vitest';
import { decideApproval, proposeApprovals, type DecideDeps } from '../../../../shared/app/approvals/index.js';
import { catalogEntry, CODES } from '../../../../shared/core/catalog/index.js';
import { ACTIONS, type Decision, type Finding } from '../../../../shared/core/model/index.js';
import type { PolicySettings } from '../../../../shared/core/policy/index.js';
import { StorageUnavailableError, type ApprovalStore, type HistoryStore } from '../../../../shared/ports/index.js';
import {
  captureLogger,
  ENFORCE_POLICY,
  FixedClock,
  harness,
  RecordingQueue,
  T0,
  type Harness,
} from '../remediation/support.js';
import { AP, MD, SERIAL } from './fixtures.js';

const POLICY: PolicySettings = { ...ENFORCE_POLICY, enabledActions: [...ACTIONS] };
const SETTINGS = { signingKey: 'k'.repeat(40), baseUrl: 'https://apm.example.test', expiryMs: 24 * 3_600_000 };

function finding(code: string, fingerprint = `fp-${code}`): Finding {
  return {
    code,
    subject: { kind: 'device', key: SERIAL, serialNumber: SERIAL, autopilotId: AP },
    severity: 'error',
    title: code,
    evidence: { autopilotId: AP, serialNumber: SERIAL, enrollmentState: 'enrolled', managedDeviceId: MD },
    fingerprint,
    remedy: null,
  };
}
const alertOnly = (f: Finding): Decision => ({
  finding: f,
  kind: 'alert-only',
  action: null,
  mode: 'off',
  reason: 'detect-and-alert',
  remedy: null,
  notBefore: null,
  attempt: 1,
});

/** Attention-required findings of `n` devices, SN-MANY-0…n-1, each with its own deregistration to propose. */
const manyDevices = (n: number): Decision[] =>
  Array.from({ length: n }, (_, i) => {
    const serial = `SN-MANY-${i}`;
    const f = finding(CODES.AP_ATTENTION_REQUIRED, `fp-many-${i}`);
    const autopilotId = `a0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return alertOnly({
      ...f,
      subject: { kind: 'device', key: serial, serialNumber: serial, autopilotId },
      evidence: { ...f.evidence, autopilotId, serialNumber: serial },
    });
  });

let h: Harness;
let clock: FixedClock;
let queue: RecordingQueue;
beforeEach(() => {
  h = harness();
  clock = h.clock;
  queue = new RecordingQueue();
});

/** `store` with some of its methods replaced (to count, hold back or fail its calls); the rest are its own. */
const wrapped = (store: ApprovalStore, over: Partial<ApprovalStore>): ApprovalStore =>
  Object.assign(Object.create(store) as ApprovalStore, over);

/**
 * `store` whose `n`th create fails as a reset connection does: before anything is written, or after the row was
 * written. The count is taken before the first await: parallel creates have all started by then.
 */
function nthCreateFails(store: ApprovalStore, n: number, when: 'before-write' | 'after-write'): ApprovalStore {
  let creates = 0;
  return wrapped(store, {
    create: async (r: Parameters<typeof store.create>[0]) => {
      const nth = ++creates === n;
      if (nth && when === 'before-write') throw new StorageUnavailableError('Approvals', 'ECONNRESET');
      const written = await store.create(r);
      if (nth) throw new StorageUnavailableError('Approvals', 'ECONNRESET');
      return written;
    },
  });
}

/** `approvals` and `history`: the harness's stores unless a test wraps them (to count, hold back or fail calls). */
const propose = (
  decisions: Decision[],
  policy = POLICY,
  approvals: ApprovalStore = h.stores.approvals,
  logger = captureLogger(),
  history: HistoryStore = h.stores.history,
) =>
  proposeApprovals(
    { approvals, history, clock, logger },
    {
      tenant: 'contoso',
      runId: 'run-1',
      policy,
      settings: SETTINGS,
      decisions,
      catalog: catalogEntry,
      portalUrl: 'https://intune.microsoft.com',
    },
  );

const deps = (over: Partial<DecideDeps> = {}): DecideDeps => ({
  tenant: 'contoso',
  approvals: h.stores.approvals,
  claims: h.stores.claims,
  history: h.stores.history,
  queue,
  runOutcomes: h.stores.runOutcomes,
  clock,
  logger: captureLogger(),
  policy: POLICY,
  settings: SETTINGS,
  ...over,
});

describe('proposeApprovals', () => {
  it('more new requests than ALERT_DIGEST_THRESHOLD go out as one digest of them all; up to it, one alert each', async () => {
    const digestOf = (decisions: Decision[]) =>
      proposeApprovals(
        { approvals: h.stores.approvals, history: h.stores.history, clock, logger: captureLogger() },
        {
          tenant: 'contoso',
          runId: 'run-1',
          policy: POLICY,
          settings: SETTINGS,
          decisions,
          catalog: catalogEntry,
          portalUrl: 'https://intune.microsoft.com',
          digestThreshold: 5,
        },
      );
    const many = await digestOf(manyDevices(20));
    expect(many.requests).toHaveLength(20);
    expect(many.alerts.map((a) => [a.kind, a.items.length, a.dedupeKey, a.review])).toEqual([
      ['approval-requested', 20, 'approvals:run-1', undefined],
    ]);
    // Every request is still recorded, each with its own history row.
    const history = await h.stores.history.query({ limit: 100 });
    expect(history.items.filter((r) => r.status === 'approval-requested')).toHaveLength(20);

    h = harness();
    const few = await digestOf(manyDevices(5));
    expect(few.alerts.map((a) => a.kind)).toEqual(Array(5).fill('approval-requested'));
  });

  it('two findings prescribing the same deregistration make one request; its alert carries the Review link', async () => {
    const out = await propose([
      alertOnly(finding(CODES.AP_ATTENTION_REQUIRED)),
      alertOnly(finding(CODES.AP_REGISTRATION_STALE)),
    ]);
    expect(out.requests).toHaveLength(1);
    expect(out.alerts).toHaveLength(1);
    expect(out.alerts[0]?.review?.url).toMatch(
      /^https:\/\/apm\.example\.test\/api\/approvals\/[0-9a-f]{32}\?token=[\w-]{43}$/,
    );
    const history = await h.stores.history.query({ limit: 10 });
    expect(history.items.map((r) => r.status)).toEqual(['approval-requested']);
  });

  it('not asked again while pending or after a rejection; asked again once the request expired', async () => {
    const f = finding(CODES.AP_ATTENTION_REQUIRED);
    const [first] = (await propose([alertOnly(f)])).requests;
    clock.advance(60_000);
    expect((await propose([alertOnly(f)])).requests).toEqual([]);
    clock.advance(SETTINGS.expiryMs);
    const again = (await propose([alertOnly(f)])).requests;
    expect(again).toHaveLength(1);
    expect(again[0]?.id).not.toBe(first?.id);
    const rejected = await decideApproval(deps(), {
      id: again[0]?.id ?? '',
      decision: 'reject',
      approver: 'bob',
      token: null,
    });
    expect(rejected.kind).toBe('rejected');
    clock.advance(SETTINGS.expiryMs * 3);
    expect((await propose([alertOnly(f)])).requests).toEqual([]);
  });

  it('an approval that only planned (plan mode) or was refused on changed state makes room for a new request', async () => {
    const f = finding(CODES.AP_ATTENTION_REQUIRED);
    for (const status of ['planned', 'refused', 'succeeded'] as const) {
      const made = (await propose([alertOnly(f)])).requests;
      expect(made, status).toHaveLength(1);
      const id = made[0]?.id ?? '';
      expect((await decideApproval(deps(), { id, decision: 'approve', approver: 'a', token: null })).kind).toBe(
        'approved',
      );
      await h.stores.approvals.recordExecution(id, { status, detail: status, at: clock.now() });
      clock.advance(60_000);
    }
    // After a success nothing more is proposed for the same finding.
    expect((await propose([alertOnly(f)])).requests).toEqual([]);
  });

  it('many proposals read the earlier requests once, not once each, and reach the same verdicts', async () => {
    // A large tenant's sweep asks about thousands of findings; each forFinding is a scan of the approvals partition
    // in Table Storage. The store is the real in-memory one, wrapped to count the calls.
    const devices = manyDevices(12);
    // Device 1's earlier request has expired, device 0's is still pending: only device 0 is not asked again.
    await propose([devices[1] as Decision]);
    clock.advance(SETTINGS.expiryMs / 2);
    const [pending] = (await propose([devices[0] as Decision])).requests;
    clock.advance(SETTINGS.expiryMs / 2 + 60_000);
    const calls = { list: 0, forFinding: 0 };
    const store = h.stores.approvals;
    const counting = wrapped(store, {
      list: (q: Parameters<typeof store.list>[0]) => (calls.list++, store.list(q)),
      forFinding: (fp: string, action: Parameters<typeof store.forFinding>[1]) => (
        calls.forFinding++,
        store.forFinding(fp, action)
      ),
    });
    const out = await propose(devices, POLICY, counting);
    expect(calls).toEqual({ list: 1, forFinding: 0 });
    expect(out.requests.map((r) => r.subjectKey).sort()).toEqual(
      Array.from({ length: 11 }, (_, n) => `SN-MANY-${n + 1}`).sort(),
    );
    expect((await h.stores.approvals.get(pending?.id ?? ''))?.status).toBe('pending');
  });

  it('proposals are made a few at a time, and reported in the order of the findings', async () => {
    // Each create is a Table Storage round trip; a first sweep of a large tenant makes thousands. The store is the
    // real in-memory one, its creates held back so that they overlap and answer in reverse order.
    const devices = manyDevices(20);
    const store = h.stores.approvals;
    let inFlight = 0;
    let most = 0;
    const slow = wrapped(store, {
      create: async (r: Parameters<typeof store.create>[0]) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 40 - Number(r.subjectKey.split('-').at(-1)) * 2));
        inFlight--;
        return store.create(r);
      },
    });
    const out = await propose(devices, POLICY, slow);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
    const order = Array.from({ length: 20 }, (_, n) => `SN-MANY-${n}`);
    expect(out.requests.map((r) => r.subjectKey)).toEqual(order);
    expect(out.alerts.map((a) => a.facts?.['Approval id'])).toEqual(out.requests.map((r) => r.id));
  });

  it('storage failing mid-way: the requests made are recorded and alerted, the rest are proposed by the next run', async () => {
    // Before, the first failed create threw out of the proposals: the requests already made stayed pending with no
    // history row and no alert, and a pending request is never proposed again, so nobody heard of them. The store is
    // the real in-memory one; its sixth create fails as an unreachable Table Storage does.
    const devices = manyDevices(12);
    const store = h.stores.approvals;
    const failing = nthCreateFails(store, 6, 'before-write');
    const logger = captureLogger();
    const out = await propose(devices, POLICY, failing, logger);
    const made = out.requests.map((r) => r.id);
    expect(made.length).toBeGreaterThanOrEqual(5);
    expect(made.length).toBeLessThan(12);
    for (const id of made) expect(await store.get(id)).not.toBeNull();
    expect(out.alerts.map((a) => a.facts?.['Approval id'])).toEqual(made);
    const rows = (await h.stores.history.query({ limit: 100 })).items.filter((r) => r.status === 'approval-requested');
    expect(rows).toHaveLength(made.length);
    expect(logger.lines.find((e) => e.event === 'approval.propose-failed')?.fields).toMatchObject({
      made: made.length,
      failed: 1,
      error: 'StorageUnavailableError',
    });
    // The next run proposes exactly the devices left out, and none of the pending ones again.
    const next = await propose(devices);
    expect(next.requests.length).toBe(12 - made.length);
    expect((await store.list({ limit: 100 })).length).toBe(12);
  });

  it('a create that fails after the row was written counts as made: the request is read back, recorded and alerted', async () => {
    // A timeout or a reset connection can come after Table Storage wrote the row. Before, such a request was counted
    // as failed: it stayed pending with no history row and no alert, and being pending it blocked every later
    // proposal for its finding until it expired, so nobody ever heard of it. The store is the real in-memory one;
    // its third create writes the row and then fails as a connection reset before the answer does.
    const devices = manyDevices(5);
    const store = h.stores.approvals;
    const lateFailure = nthCreateFails(store, 3, 'after-write');
    const logger = captureLogger();
    const out = await propose(devices, POLICY, lateFailure, logger);
    const stored = await store.list({ limit: 100 });
    expect(stored).toHaveLength(5);
    expect(out.requests.map((r) => r.id).sort()).toEqual(stored.map((r) => r.id).sort());
    expect(out.alerts).toHaveLength(5);
    const rows = (await h.stores.history.query({ limit: 100 })).items.filter((r) => r.status === 'approval-requested');
    expect(rows).toHaveLength(5);
    expect(logger.lines.some((e) => e.event === 'approval.propose-failed')).toBe(false);
  });

  it('history failing after the requests were made: they are still alerted, and the failure is logged', async () => {
    // Before, the failed history append threw out of the proposals after the requests were created: they stayed
    // pending with no alert, and a pending request blocks every later proposal for its finding until it expires, so
    // nobody heard of them. The stores are the real in-memory ones; history's append fails as an unreachable Table
    // Storage does.
    const devices = manyDevices(4);
    const history = h.stores.history;
    const down = Object.assign(Object.create(history) as typeof history, {
      append: () => Promise.reject(new StorageUnavailableError('History', 'ETIMEDOUT')),
    });
    const logger = captureLogger();
    const out = await propose(devices, POLICY, h.stores.approvals, logger, down);
    const stored = await h.stores.approvals.list({ limit: 100 });
    expect(stored).toHaveLength(4);
    expect(out.alerts.map((a) => a.facts?.['Approval id']).sort()).toEqual(stored.map((r) => r.id).sort());
    expect(logger.lines.find((e) => e.event === 'approval.history-failed')?.fields).toEqual({
      runId: 'run-1',
      requests: 4,
      error: 'StorageUnavailableError',
    });
  });

  it('a create that fails with nothing written stays a failure when the read-back finds nothing or fails too', async () => {
    const devices = manyDevices(3);
    const store = h.stores.approvals;
    const down = wrapped(store, {
      create: async (r: Parameters<typeof store.create>[0]) => {
        if (r.subjectKey === 'SN-MANY-1') throw new StorageUnavailableError('Approvals', 'ETIMEDOUT');
        return store.create(r);
      },
      get: async (id: string) => {
        const row = await store.get(id);
        if (row === null) throw new StorageUnavailableError('Approvals', 'ETIMEDOUT');
        return row;
      },
    });
    const logger = captureLogger();
    const out = await propose(devices, POLICY, down, logger);
    expect(out.requests.map((r) => r.subjectKey)).not.toContain('SN-MANY-1');
    expect(logger.lines.find((e) => e.event === 'approval.propose-failed')?.fields).toMatchObject({
      failed: 1,
      error: 'StorageUnavailableError',
    });
  });

  it('without a signing key the request is still made, the alert has no link', async () => {
    const out = await proposeApprovals(
      { approvals: h.stores.approvals, history: h.stores.history, clock, logger: captureLogger() },
      {
        tenant: 'contoso',
        runId: 'run-1',
        policy: POLICY,
        settings: { ...SETTINGS, signingKey: null },
        decisions: [alertOnly(finding(CODES.AP_ATTENTION_REQUIRED))],
        catalog: catalogEntry,
        portalUrl: 'https://intune.microsoft.com',
      },
    );
    expect(out.requests).toHaveLength(1);
    expect(out.alerts[0]?.review?.url).toBeNull();
  });
});

describe('decideApproval', () => {
  async function pending(): Promise<string> {
    const out = await propose([alertOnly(finding(CODES.AP_ATTENTION_REQUIRED))]);
    return out.requests[0]?.id ?? '';
  }

  /** Alice approves `id` while Service Bus is unreachable: the refusal she is shown. */
  async function approveWithQueueDown(id: string, over: Partial<DecideDeps> = {}) {
    const down = { send: () => Promise.reject(Object.assign(new Error('unreachable'), { name: 'ServiceBusError' })) };
    const r = await decideApproval(deps({ queue: down, ...over }), {
      id,
      decision: 'approve',
      approver: 'alice',
      token: null,
    });
    if (r.kind !== 'refused' || r.reason !== 'not-queued') throw new Error(`expected not-queued, got ${r.kind}`);
    return r;
  }

  it('approving enqueues one command in the configured mode, with its own key in plan mode', async () => {
    const id = await pending();
    const plan = { ...POLICY, actionModes: { ...POLICY.actionModes, 'deregister-autopilot-device': 'plan' as const } };
    const r = await decideApproval(deps({ policy: plan }), { id, decision: 'approve', approver: 'alice', token: null });
    expect(r.kind).toBe('approved');
    expect(queue.sent.map((s) => [s.command.mode, s.command.idempotencyKey, s.command.target])).toEqual([
      [
        'plan',
        `contoso:deregister-autopilot-device:approval:${id}:${r.kind === 'approved' ? r.request.decidedAt : ''}-plan`,
        { action: 'deregister-autopilot-device', autopilotId: AP, serialNumber: SERIAL, approvalId: id },
      ],
    ]);
  });

  it('queueing the approved command fails: the request is marked refused, the person told, the fix proposed again', async () => {
    // Before, the error escaped after the decision was written: the request stayed approved with no command and no
    // outcome, a second click answered "already approved", and an approved request with no outcome blocks every later
    // proposal for its finding. The stores are the real in-memory ones; the queue fails as an unreachable Service
    // Bus does.
    const id = await pending();
    const logger = captureLogger();
    const r = await approveWithQueueDown(id, { logger });
    expect(r.message).toMatch(/queueing its command failed \(ServiceBusError\).*next sweep proposes the fix again/);
    const stored = await h.stores.approvals.get(id);
    expect(stored?.status).toBe('approved');
    expect(stored?.execution?.status).toBe('refused');
    expect(stored?.execution?.detail).toMatch(/could not be queued \(ServiceBusError\)/);
    expect(r.request?.execution?.status).toBe('refused');
    expect(logger.lines.find((e) => e.event === 'approval.enqueue-failed')?.fields).toEqual({
      approvalId: id,
      error: 'ServiceBusError',
    });
    // The next sweep (an hour later) asks again: a new request for the same finding.
    clock.advance(3_600_000);
    const again = await propose([alertOnly(finding(CODES.AP_ATTENTION_REQUIRED))]);
    expect(again.requests).toHaveLength(1);
    expect(again.requests[0]?.id).not.toBe(id);
  });

  it('queueing fails and storage refuses the refusal too: the person is told the request stays approved, undone', async () => {
    const id = await pending();
    const store = h.stores.approvals;
    const approvals = wrapped(store, {
      recordExecution: () => Promise.reject(new StorageUnavailableError('Approvals', 'ETIMEDOUT')),
    });
    const logger = captureLogger();
    const r = await approveWithQueueDown(id, { approvals, logger });
    expect(r.message).toMatch(/storage did not take the refusal either: the request stays approved with nothing done/);
    expect((await store.get(id))?.execution ?? null).toBeNull();
    expect(logger.lines.map((e) => e.event)).toEqual(
      expect.arrayContaining(['approval.enqueue-failed', 'approval.execution-not-recorded']),
    );
  });

  it('the decision history row cannot be written: the command is still queued and the failure logged', async () => {
    const id = await pending();
    const history = h.stores.history;
    const down = Object.assign(Object.create(history) as typeof history, {
      append: () => Promise.reject(new StorageUnavailableError('History', 'ETIMEDOUT')),
    });
    const logger = captureLogger();
    const r = await decideApproval(deps({ history: down, logger }), {
      id,
      decision: 'approve',
      approver: 'alice',
      token: null,
    });
    expect(r.kind).toBe('approved');
    expect(queue.sent).toHaveLength(1);
    expect(logger.lines.find((e) => e.event === 'approval.history-failed')?.fields).toEqual({
      approvalId: id,
      error: 'StorageUnavailableError',
    });
  });

  it('refuses: action off, daily limits, review links off, a token for a request that does not exist', async () => {
    const id = await pending();
    const off = { ...POLICY, enabledActions: POLICY.enabledActions.filter((a) => a !== 'deregister-autopilot-device') };
    expect(
      await decideApproval(
        deps({ policy: { ...off, actionModes: { ...off.actionModes, 'deregister-autopilot-device': 'off' } } }),
        { id, decision: 'approve', approver: 'a', token: null },
      ),
    ).toMatchObject({ kind: 'refused', reason: 'action-off' });
    // Three writes to the device in the last 24 h: the per-device limit (MAX_ATTEMPTS_PER_DAY = 3).
    await h.stores.history.append(
      [1, 2, 3].map((i) => ({
        subjectKey: SERIAL,
        at: T0 - i * 60_000,
        id: `a-${i}`,
        runId: 'r',
        type: 'attempt' as const,
        action: 'allow-next-enrollment' as const,
        code: null,
        idempotencyKey: `k-${i}`,
        mode: 'enforce' as const,
        status: 'started',
        reason: 'about to call',
        attempt: 0,
        graphRequestId: null,
        before: null,
        after: null,
      })),
    );
    expect(await decideApproval(deps(), { id, decision: 'approve', approver: 'a', token: null })).toMatchObject({
      kind: 'refused',
      reason: 'limit',
    });
    expect(
      await decideApproval(deps({ settings: { ...SETTINGS, signingKey: null } }), {
        id,
        decision: 'approve',
        approver: 'a',
        token: 'x'.repeat(43),
      }),
    ).toMatchObject({ kind: 'refused', reason: 'no-signing-key' });
    expect(
      await decideApproval(deps(), { id: 'f'.repeat(32), decision: 'approve', approver: 'a', token: 'x'.repeat(43) }),
    ).toMatchObject({ kind: 'refused', reason: 'invalid-token' });
    expect(queue.sent).toEqual([]);
    // Rejecting is always possible.
    expect((await decideApproval(deps(), { id, decision: 'reject', approver: 'a', token: null })).kind).toBe(
      'rejected',
    );
  });

  it('at most BLAST_RADIUS_MAX_DEVICES approvals in 24 hours', async () => {
    const a = (await propose([alertOnly(finding(CODES.AP_ATTENTION_REQUIRED, 'fp-1'))])).requests[0]?.id ?? '';
    const other = { ...finding(CODES.AP_ENTRA_OBJECT_MISSING, 'fp-2') };
    const b =
      (
        await propose([
          alertOnly({
            ...other,
            evidence: { ...other.evidence, autopilotId: 'a0000000-0000-4000-8000-00000000a0b2', serialNumber: 'SN-2' },
          }),
        ])
      ).requests[0]?.id ?? '';
    const one = { ...POLICY, blastRadiusMaxDevices: 1 };
    expect(
      (await decideApproval(deps({ policy: one }), { id: a, decision: 'approve', approver: 'x', token: null })).kind,
    ).toBe('approved');
    expect(
      await decideApproval(deps({ policy: one }), { id: b, decision: 'approve', approver: 'x', token: null }),
    ).toMatchObject({ kind: 'refused', reason: 'limit' });
    clock.advance(24 * 3_600_000 + 1);
    // Expired by now: the limit no longer applies, but the request is past its time.
    expect(
      await decideApproval(deps({ policy: one }), { id: b, decision: 'approve', approver: 'x', token: null }),
    ).toMatchObject({ kind: 'refused', reason: 'expired' });
  });

  it('two approvals at once do not both pass the 24-hour limit', async () => {
    const one = { ...POLICY, blastRadiusMaxDevices: 1 };
    const [a = '', b = ''] = (await propose(manyDevices(2), one)).requests.map((r) => r.id);
    const approve = (id: string) =>
      decideApproval(deps({ policy: one }), { id, decision: 'approve', approver: 'x', token: null });
    // Two reviewers (or one script) press Approve on two requests in the same instant.
    const results = await Promise.all([approve(a), approve(b)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['approved', 'refused']);
    expect(queue.sent).toHaveLength(1);
    expect((await h.stores.approvals.list({ status: 'approved', limit: 10 })).length).toBe(1);
    // The other is left pending; decided again, it meets the limit the first one used up.
    expect(await approve(results[0]?.kind === 'approved' ? b : a)).toMatchObject({ kind: 'refused', reason: 'limit' });
  });

  it('the 24-hour limit counts approvals by when they were decided, not by when their requests were made', async () => {
    // Requests that live three days (APPROVAL_EXPIRY_HOURS up to 168): two made first, two an hour later.
    const long = { ...SETTINGS, expiryMs: 72 * 3_600_000 };
    const one = { ...POLICY, blastRadiusMaxDevices: 1 };
    const made = async (decisions: Decision[]) =>
      (
        await proposeApprovals(
          { approvals: h.stores.approvals, history: h.stores.history, clock, logger: captureLogger() },
          {
            tenant: 'contoso',
            runId: 'run-1',
            policy: one,
            settings: long,
            decisions,
            catalog: catalogEntry,
            portalUrl: '',
          },
        )
      ).requests.map((r) => r.id);
    const approve = (id: string) =>
      decideApproval(deps({ policy: one, settings: long }), { id, decision: 'approve', approver: 'x', token: null });
    const [old1 = '', old2 = ''] = await made(manyDevices(4).slice(0, 2));
    clock.advance(3_600_000);
    const [new1 = '', new2 = ''] = await made(manyDevices(4).slice(2));
    // The newer two are approved a day apart, one a day as the limit allows.
    expect((await approve(new1)).kind).toBe('approved');
    clock.advance(25 * 3_600_000);
    expect((await approve(new2)).kind).toBe('approved');
    clock.advance(25 * 3_600_000);
    // A day later the two older requests are still open: one may be approved today, not both.
    expect((await approve(old1)).kind).toBe('approved');
    expect(await approve(old2)).toMatchObject({ kind: 'refused', reason: 'limit' });
  });
});
