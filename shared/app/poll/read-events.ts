import type { AutopilotEvent } from '../../core/model/index.js';
import type { AutopilotReader, ReadOptions, Watermark } from '../../ports/index.js';
import { collect } from './collect.js';

// Deployment events have no delta query, so the poll keeps a watermark (latest eventDateTime seen). Each read
// starts `overlapMs` before it, because Graph can surface events late and a deployment that was in progress
// must be re-read until it finishes or is declared stuck. Events seen in the overlap with the same state are
// recognised by a signature (id + states), so "new" counts stay honest while updates to a known event pass.

export const EVENTS_STREAM = 'autopilotEvents';
/** Autopilot deployment data is kept 30 days: the first read goes back that far. */
export const FIRST_READ_LOOKBACK_MS = 30 * 24 * 3_600_000;

export interface EventRead {
  readonly events: AutopilotEvent[];
  readonly newCount: number;
  readonly next: Watermark;
}

export function eventSignature(e: AutopilotEvent): string {
  return `${e.id}|${e.deploymentState}|${e.deviceSetupStatus}|${e.accountSetupStatus}`;
}

export async function readEventsSince(
  reader: AutopilotReader,
  mark: Watermark | null,
  now: number,
  overlapMs: number,
  /** The stored mark, when `mark` is null only to force a full 30-day read (its seen ids still count). */
  stored: Watermark | null = mark,
  read: ReadOptions = {},
): Promise<EventRead> {
  const since = mark ? mark.value - overlapMs : now - FIRST_READ_LOOKBACK_MS;
  const raw = await collect(reader.listEvents({ since }, read));
  // Keep one version per event id: the most recent by eventAt.
  const byId = new Map<string, AutopilotEvent>();
  for (const e of raw) {
    const prev = byId.get(e.id);
    if (!prev || (e.eventAt ?? 0) >= (prev.eventAt ?? 0)) byId.set(e.id, e);
  }
  const events = [...byId.values()];
  const seen = new Set(stored?.seenIds ?? []);
  const newCount = events.filter(
    (e) => !seen.has(eventSignature(e)) && (e.eventAt ?? 0) > (stored?.value ?? 0) - overlapMs,
  ).length;
  const latest = events.reduce((max, e) => Math.max(max, e.eventAt ?? 0), stored?.value ?? 0);
  // The watermark never runs ahead of the clock (a device with a skewed clock must not hide later events).
  const value = Math.min(latest || now - overlapMs, now);
  const seenIds = events.filter((e) => (e.eventAt ?? 0) >= value - overlapMs).map(eventSignature);
  return { events, newCount, next: { stream: EVENTS_STREAM, value, seenIds } };
}
