import {
  afterTrigger,
  coverReasons,
  decideSync,
  deferAfterRefusal,
  DEFAULT_GOVERNOR_SETTINGS,
  hasPendingReasons,
  pendingReasonCount,
  sameReasons,
  type GovernorSettings,
  type SyncVerdict,
} from '../../core/governor/index.js';
import type { AutopilotSettings, Outcome, RemediationCommand } from '../../core/model/index.js';
import { deferredSyncKey, tenantSyncCap } from '../../core/policy/index.js';
import { ensureError, type ClaimRecord, type GovernorState } from '../../ports/index.js';
import { recentSyncTimes } from '../history/recent-syncs.js';
import { describeWrite, type GraphWrite, recordAttempt } from './attempt.js';
import type { RemediationDeps } from './deps.js';
import { parkOn, updateGovernor } from './governor-row.js';
import { claimCommand, finish, onFailure, type Phase } from './lifecycle.js';
import { makeOutcome } from './record.js';
import { isoOrNull } from '../../core/time.js';

// The tenant-wide Autopilot sync, through the governor (the window rule is core/governor/sync-window.ts): read the service's settings AND our
// row; window closed or a sync running -> schedule ONE message for the opening time; open -> take the row with
// an ETag-conditional write (one instance wins), call once; 409/429 -> defer, never retry.

interface Result {
  readonly outcome: Outcome;
}

/** https://learn.microsoft.com/graph/api/intune-enrollment-windowsautopilotsettings-sync?view=graph-rest-beta */
const SYNC_WRITE: GraphWrite = {
  method: 'POST',
  path: '/beta/deviceManagement/windowsAutopilotSettings/sync',
  body: null,
};

interface RunContext {
  readonly claim: ClaimRecord;
  readonly phase: { current: Phase };
  /** Appended to a plan-mode detail when the configuration lowered the message's mode. */
  readonly modeNote: string;
}

export async function executeSync(command: RemediationCommand, deps: RemediationDeps, modeNote = ''): Promise<Outcome> {
  const gate = await claimCommand(command, deps);
  if (gate.kind === 'stop') return gate.outcome;
  const ctx: RunContext = { claim: gate.claim, phase: { current: 'pre-check' }, modeNote };
  let result: Result;
  try {
    result = await run(command, deps, deps.governorSettings ?? DEFAULT_GOVERNOR_SETTINGS, ctx);
  } catch (err) {
    return onFailure(err, deps, command, gate.claim, ctx.phase.current);
  }
  return finish(deps, command, gate.claim, result.outcome, [{ subjectKey: 'tenant', outcome: result.outcome }]);
}

async function run(
  command: RemediationCommand,
  deps: RemediationDeps,
  s: GovernorSettings,
  ctx: RunContext,
): Promise<Result> {
  const now = deps.clock.now();
  const [service, firstRead] = await Promise.all([deps.autopilot.getSettings(), deps.governor.get(deps.tenant)]);
  let gov = firstRead;
  const before = view(service, gov);

  // Any sync that started after this command was planned (ours, an admin's, another tool's) covers its reasons.
  const planned = Date.parse(command.createdAt);
  const lastSync = Math.max(service.lastManualSyncTriggerAt ?? -Infinity, gov.lastTriggeredAt ?? -Infinity);
  if (Number.isFinite(planned) && lastSync >= planned && service.syncStatus !== 'failed') {
    const mine = new Set(command.reasons);
    const row = await updateGovernor(deps, (g) => {
      const next = coverReasons(g, mine, lastSync);
      return sameReasons(g, next) ? null : { ...g, ...next };
    });
    // Reasons other commands parked on this (scheduled) run still need a sync: carry on for them.
    if (!hasPendingReasons(row)) {
      // The covering sync may be this command's own, called before storage failed to record its outcome (the
      // claim was then taken over). Its attempt row says so; recorded as a sync, so the caps, which count the
      // syncs history shows, still count it and the next message does not call the service past them.
      const own = await ownAttemptAt(deps, command, planned, lastSync);
      if (own !== null) {
        const detail = `this command's own sync (attempt recorded at ${isoOrNull(own)}, outcome not recorded) started at ${isoOrNull(lastSync)}; not called again`;
        return { outcome: makeOutcome('succeeded', detail, { before, after: before }) };
      }
      const detail = `a sync started at ${isoOrNull(lastSync)}, after this command was planned, already covers it`;
      return { outcome: makeOutcome('no-longer-applies', detail, { before, after: before }) };
    }
    gov = row;
  }

  const inWindow = decideSync(now, s, service, gov, deps.owner);
  // SYNC_MAX_PER_DAY again, from the history the poll's cap counts and the current configuration: the message proves
  // nothing, and sync messages with new keys, one per open window, would each sync. At the cap it waits, as the
  // poll's reasons do (one scheduled message for when the oldest sync leaves the 24 h window).
  const capped =
    inWindow.kind === 'call' ? tenantSyncCap(await recentSyncTimes(deps.history, now), now, deps.policy) : null;
  const verdict: SyncVerdict =
    capped === null ? inWindow : { kind: 'defer', until: capped.notBefore, reason: capped.reason };
  if (command.mode !== 'enforce') {
    const would =
      verdict.kind === 'call'
        ? `call ${describeWrite(SYNC_WRITE)} now`
        : `wait until ${isoOrNull(verdict.until)} (${verdict.reason})`;
    return { outcome: makeOutcome('planned', `plan mode${ctx.modeNote}, nothing written: would ${would}`, { before }) };
  }
  if (verdict.kind === 'defer') return defer(command, deps, verdict.until, verdict.reason, before, null);

  // Take the row: an ETag-conditional write, so of two instances that both saw an open window only one calls.
  const held = await deps.governor.put({ ...gov, holder: deps.owner, holderUntil: now + s.holdMs });
  if (held === null) {
    const fresh = await deps.governor.get(deps.tenant);
    const again = decideSync(now, s, service, fresh, deps.owner);
    const until = again.kind === 'defer' ? again.until : now + s.inProgressDeferMs;
    return defer(command, deps, until, 'another instance took the sync window first', before, null);
  }

  let sync;
  try {
    ctx.phase.current = 'record-attempt';
    await recordAttempt(deps, command, ctx.claim, SYNC_WRITE, ['tenant']);
    ctx.phase.current = 'act';
    sync = await deps.actions.triggerAutopilotSync();
  } catch (err) {
    await releaseHold(deps, null).catch(() => undefined); // best effort; the hold expires on its own anyway
    throw err;
  }

  if (sync.kind === 'started') {
    const covered = new Set([...held.pendingReasons, ...command.reasons]);
    const at = deps.clock.now();
    try {
      await updateGovernor(deps, (g) => ({
        ...g,
        ...afterTrigger(at, s),
        // Unlisted reasons planned before this call are answered by it too.
        ...coverReasons(g, covered, now),
        holder: null,
        holderUntil: null,
        scheduledFor: g.scheduledFor !== null && g.scheduledFor <= at ? null : g.scheduledFor,
      }));
    } catch (err) {
      // The sync did start. The service's own lastManualSyncTriggerDateTime keeps the next caller out of the
      // window, so a failed bookkeeping write must not turn this into a retry.
      deps.logger.warn('remediation.governor-not-updated', {
        key: command.idempotencyKey,
        error: ensureError(err).message,
      });
    }
    let after: Record<string, unknown> | null = null;
    try {
      after = view(await deps.autopilot.getSettings(), await deps.governor.get(deps.tenant));
    } catch {
      after = null; // the 204 is what counts; verification is best effort
    }
    const reasons = Math.max(covered.size, pendingReasonCount(held));
    const detail = `Autopilot sync triggered for ${reasons} reason(s); next sync allowed at ${isoOrNull(at + s.intervalMs + s.safetyMarginMs)}`;
    return { outcome: makeOutcome('succeeded', detail, { before, after, graphRequestId: sync.requestId }) };
  }

  // 409/429: the service refused. Remember the earliest retry for every instance, then schedule — never loop.
  const until = deferAfterRefusal(
    now,
    s,
    sync.kind === 'in-progress' ? { kind: 'in-progress' } : { kind: 'too-soon', retryAfterMs: sync.retryAfterMs },
  );
  await releaseHold(deps, until);
  const why =
    sync.kind === 'in-progress'
      ? 'the service answered 409: a sync is already running'
      : 'the service answered 429: a sync ran within the last 10 minutes';
  return defer(command, deps, until, why, before, sync.requestId);
}

/** When this command recorded an attempt to call the sync, between its planning and `lastSync`; null if it did not. */
async function ownAttemptAt(
  deps: RemediationDeps,
  command: RemediationCommand,
  planned: number,
  lastSync: number,
): Promise<number | null> {
  const page = await deps.history.query({
    subjectKey: 'tenant',
    type: 'attempt',
    action: 'autopilot-sync',
    since: planned,
    limit: 50,
  });
  const mine = page.items.find((r) => r.idempotencyKey === command.idempotencyKey && r.at <= lastSync);
  return mine?.at ?? null;
}

async function releaseHold(deps: RemediationDeps, nextAllowedAt: number | null): Promise<void> {
  await updateGovernor(deps, (g) =>
    g.holder !== deps.owner && nextAllowedAt === null
      ? null
      : {
          ...g,
          holder: g.holder === deps.owner ? null : g.holder,
          holderUntil: g.holder === deps.owner ? null : g.holderUntil,
          nextAllowedAt: nextAllowedAt === null ? g.nextAllowedAt : Math.max(g.nextAllowedAt ?? 0, nextAllowedAt),
        },
  );
}

/** Schedule the command for `until` unless a scheduled one is already pending; record the reasons as pending. */
async function defer(
  command: RemediationCommand,
  deps: RemediationDeps,
  until: number,
  reason: string,
  before: Record<string, unknown>,
  graphRequestId: string | null,
): Promise<Result> {
  const now = deps.clock.now();
  let scheduleNow = false;
  const planned = Date.parse(command.createdAt);
  const row = await updateGovernor(deps, (g) => {
    const parked = parkOn(g, command.reasons, Number.isFinite(planned) ? planned : now);
    scheduleNow = !(g.scheduledFor !== null && g.scheduledFor > now);
    if (!scheduleNow && parked === null) return null;
    return { ...(parked ?? g), scheduledFor: scheduleNow ? until : g.scheduledFor };
  });
  const retryAt = scheduleNow ? until : (row.scheduledFor ?? until);
  if (scheduleNow) {
    const next: RemediationCommand = { ...command, idempotencyKey: deferredSyncKey(deps.tenant, until) };
    try {
      await deps.queue.send(next, until);
    } catch (err) {
      // Undo the marker so the next command schedules instead of trusting a message that does not exist.
      await updateGovernor(deps, (g) => (g.scheduledFor === until ? { ...g, scheduledFor: null } : null)).catch(
        () => undefined,
      );
      throw err;
    }
  }
  const detail = `${reason}; ${scheduleNow ? 'scheduled' : 'a run is already scheduled'} for ${isoOrNull(retryAt)}`;
  deps.logger.info('remediation.sync-deferred', {
    key: command.idempotencyKey,
    retryAt: isoOrNull(retryAt),
    scheduled: scheduleNow,
  });
  return { outcome: makeOutcome('deferred', detail, { before, retryAt, graphRequestId }) };
}

function view(service: AutopilotSettings, gov: GovernorState): Record<string, unknown> {
  return {
    syncStatus: service.syncStatus,
    lastManualSyncTriggerAt: isoOrNull(service.lastManualSyncTriggerAt),
    lastSyncAt: isoOrNull(service.lastSyncAt),
    ourLastTriggeredAt: isoOrNull(gov.lastTriggeredAt),
    nextAllowedAt: isoOrNull(gov.nextAllowedAt),
    pendingReasons: pendingReasonCount(gov),
    scheduledFor: isoOrNull(gov.scheduledFor),
  };
}
