import type { Timer } from '@azure/functions';

/**
 * The slot a timer invocation stands for: the minute it was scheduled for (the invocation time floored to
 * the minute, since `Timer` does not carry this occurrence's own time). runOnStartup, a second instance or a
 * past-due retry in the same minute map to the same slot, and the runs table lets only one of them run.
 */
export function timerSlot(name: string, timer: Timer, nowMs: number): string {
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  return `${name}:${new Date(minute).toISOString()}${timer.isPastDue ? ':pastdue' : ''}`;
}
