import { stableHash } from '../hash.js';
import { idempotencyKey } from '../keys.js';
import type { RemediationCommand } from '../model/index.js';

// Command identity. A key is derived from what the command targets, never invented, so the same work planned
// twice (two polls, a re-run, a redelivery) gets the same key and the claim / duplicate detection absorb it.

export const SYNC_WINDOW_MS = 10 * 60_000;

/** 2026-11-22T10:07:31.000Z -> 20261122T100731Z (no ':' — keys and message ids stay readable). */
export function compactTime(epochMs: number, withSeconds = true): string {
  const iso = new Date(epochMs).toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return withSeconds ? `${compact}${iso.slice(17, 19)}Z` : `${compact}Z`;
}

/** Start of the 10-minute window containing `at`. */
export function syncWindowStart(at: number): number {
  return Math.floor(at / SYNC_WINDOW_MS) * SYNC_WINDOW_MS;
}

/** One sync per tenant per 10-minute window: every poll inside the window plans the same key. */
export function syncKey(tenant: string, at: number): string {
  return idempotencyKey(tenant, 'autopilot-sync', 'tenant', `w${compactTime(syncWindowStart(at), false)}`);
}

/**
 * A sync the governor re-schedules for `runAt`. Distinct from the window key (the retry may fall in the same
 * window as the original), and equal for every instance deferring to the same time.
 */
export function deferredSyncKey(tenant: string, runAt: number): string {
  return idempotencyKey(tenant, 'autopilot-sync', 'tenant', `deferred-${compactTime(runAt)}`);
}

/** Per-device (or per-group) action: the target, the problem's fingerprint and the attempt number. */
export function targetKey(
  tenant: string,
  action: string,
  targetId: string,
  fingerprint: string,
  attempt: number,
): string {
  return idempotencyKey(tenant, action, targetId, `${fingerprint}-a${attempt}`);
}

/** A batch of members for one group: the same member set (and problems, attempts) -> the same key. */
export function memberBatchKey(
  tenant: string,
  groupId: string,
  members: readonly { readonly objectId: string; readonly fingerprint: string; readonly attempt: number }[],
): string {
  const parts = members.map((m) => `${m.objectId.toLowerCase()}:${m.fingerprint}:${m.attempt}`).sort();
  return idempotencyKey(tenant, 'add-to-device-prep-group', groupId, stableHash(parts, 20));
}

/** What the claim protects: the target and mode. Reasons are excluded — the governor coalesces those. */
export function payloadHash(command: Pick<RemediationCommand, 'action' | 'target' | 'mode'>): string {
  return stableHash({ action: command.action, target: command.target, mode: command.mode }, 32);
}

/**
 * Transport message id. Immediate sends use the idempotency key (duplicate detection absorbs re-sends); a
 * scheduled send adds its time, so re-scheduling the same command for later is not dropped as a duplicate.
 */
export function queueMessageId(
  command: Pick<RemediationCommand, 'idempotencyKey'>,
  notBefore: number | null | undefined,
): string {
  return notBefore === null || notBefore === undefined
    ? command.idempotencyKey
    : `${command.idempotencyKey}@${compactTime(notBefore)}`;
}
