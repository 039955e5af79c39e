import type { RemediationCommand } from '../../core/model/index.js';
import { queueMessageId } from '../../core/policy/index.js';
import type { Clock, RemediationQueue } from '../../ports/index.js';

// The CLI's and the tests' stand-in for the Service Bus queue, with the semantics the worker relies on:
// duplicate detection by message id within a window, scheduled delivery (notBefore), redelivery after a
// failed delivery up to a max delivery count, then a dead-letter list that keeps the reason. Time comes from
// an injectable clock and timer, so tests drive hours of scheduling in milliseconds.

export interface QueueTimer {
  sleep(ms: number): Promise<void>;
}

export interface Delivery {
  readonly messageId: string;
  /** 1 on the first delivery (Service Bus counts the same way). */
  readonly deliveryCount: number;
  readonly enqueuedAt: number;
  readonly scheduledFor: number | null;
}

export type QueueHandler = (command: RemediationCommand, delivery: Delivery) => Promise<unknown>;

export interface DeadLetter {
  readonly messageId: string;
  readonly command: RemediationCommand;
  /** Service Bus' DeadLetterReason, e.g. MaxDeliveryCountExceeded. */
  readonly reason: string;
  readonly description: string;
  readonly deliveryCount: number;
  readonly at: number;
}

export interface SentMessage {
  readonly messageId: string;
  readonly command: RemediationCommand;
  readonly notBefore: number | null;
  readonly at: number;
  /** Dropped by duplicate detection. */
  readonly duplicate: boolean;
}

/**
 * The production queue's duplicate-detection window (infra/app/servicebus.bicep, `duplicateDetectionHistoryTimeWindow:
 * 'PT1H'`; "Duplicate detection", learn.microsoft.com/azure/service-bus-messaging/duplicate-detection). It was 10
 * minutes here, so what a later poll's copy of a queued or already-run command meets between 10 and 60 minutes (dropped
 * in Azure, delivered here) was never what the CLI, `serve` and the tests exercised.
 */
export const DUPLICATE_WINDOW_MS = 60 * 60_000;

export interface InProcessQueueOptions {
  readonly clock: Clock;
  readonly timer?: QueueTimer;
  readonly handler?: QueueHandler;
  readonly maxDeliveryCount?: number;
  readonly duplicateWindowMs?: number;
}

export interface DrainOptions {
  /** Sleep (on the injected timer) until scheduled or postponed messages are due, and keep going until empty. */
  readonly waitForScheduled?: boolean;
  readonly maxDeliveries?: number;
  /** A handler error for which draining must stop at once (rethrown; the message stays queued). */
  readonly stopOn?: (err: unknown) => boolean;
}

export interface DrainReport {
  readonly deliveries: number;
  readonly completed: number;
  readonly deadLettered: number;
  readonly remaining: number;
}

interface Held {
  readonly seq: number;
  readonly messageId: string;
  readonly body: string;
  readonly enqueuedAt: number;
  readonly scheduledFor: number | null;
  visibleAt: number;
  deliveryCount: number;
}

const realTimer: QueueTimer = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))) };

/** A handler error may carry `retryAt` (epoch ms): redeliver then, not at once (e.g. AlreadyInProgressError). */
function retryAtOf(err: unknown): number | null {
  const v = typeof err === 'object' && err !== null ? (err as { retryAt?: unknown }).retryAt : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export class InProcessQueue implements RemediationQueue {
  private readonly held: Held[] = [];
  private readonly seen = new Map<string, number>();
  private readonly dead: DeadLetter[] = [];
  private readonly log: SentMessage[] = [];
  private seq = 0;
  private handler: QueueHandler | null;
  private readonly clock: Clock;
  private readonly timer: QueueTimer;
  private readonly maxDeliveryCount: number;
  private readonly duplicateWindowMs: number;

  constructor(opts: InProcessQueueOptions) {
    this.clock = opts.clock;
    this.timer = opts.timer ?? realTimer;
    this.handler = opts.handler ?? null;
    this.maxDeliveryCount = opts.maxDeliveryCount ?? 10;
    this.duplicateWindowMs = opts.duplicateWindowMs ?? DUPLICATE_WINDOW_MS;
  }

  setHandler(handler: QueueHandler): void {
    this.handler = handler;
  }

  send(command: RemediationCommand, notBefore?: number | null): Promise<void> {
    const now = this.clock.now();
    const messageId = queueMessageId(command, notBefore);
    const firstSeen = this.seen.get(messageId);
    const duplicate = firstSeen !== undefined && now - firstSeen < this.duplicateWindowMs;
    // Serialise like the real transport, so the handler never shares objects with the sender.
    const body = JSON.stringify(command);
    this.log.push({
      messageId,
      command: JSON.parse(body) as RemediationCommand,
      notBefore: notBefore ?? null,
      at: now,
      duplicate,
    });
    if (duplicate) return Promise.resolve();
    this.seen.set(messageId, now);
    const scheduledFor = notBefore ?? null;
    this.held.push({
      seq: this.seq++,
      messageId,
      body,
      enqueuedAt: now,
      scheduledFor,
      visibleAt: Math.max(now, scheduledFor ?? now),
      deliveryCount: 0,
    });
    return Promise.resolve();
  }

  get deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  get sent(): readonly SentMessage[] {
    return this.log;
  }

  /** Messages not yet completed or dead-lettered, with when they become visible. */
  get pending(): readonly { readonly messageId: string; readonly visibleAt: number; readonly deliveryCount: number }[] {
    return this.held.map((h) => ({ messageId: h.messageId, visibleAt: h.visibleAt, deliveryCount: h.deliveryCount }));
  }

  /**
   * Deliver until nothing is due. With `waitForScheduled`, sleep (on the injected timer) until scheduled or
   * postponed messages become visible, and keep going until the queue is empty. One delivery at a time.
   */
  async drain(opts: DrainOptions = {}): Promise<DrainReport> {
    const handler = this.handler;
    if (handler === null) throw new Error('InProcessQueue.drain: no handler set');
    const limit = opts.maxDeliveries ?? 10_000;
    let deliveries = 0;
    let completed = 0;
    let deadLettered = 0;
    while (this.held.length > 0 && deliveries < limit) {
      const now = this.clock.now();
      const next = this.nextDue(now);
      if (next === null) {
        if (!opts.waitForScheduled) break;
        const soonest = Math.min(...this.held.map((h) => h.visibleAt));
        await this.timer.sleep(soonest - now);
        continue;
      }
      next.deliveryCount += 1;
      deliveries += 1;
      const delivery: Delivery = {
        messageId: next.messageId,
        deliveryCount: next.deliveryCount,
        enqueuedAt: next.enqueuedAt,
        scheduledFor: next.scheduledFor,
      };
      try {
        await handler(JSON.parse(next.body) as RemediationCommand, delivery);
        this.remove(next);
        completed += 1;
      } catch (err) {
        if (opts.stopOn?.(err) === true) {
          // Not the message's fault (e.g. storage is down): it stays queued, undamaged, and the drain ends here.
          next.visibleAt = Math.max(this.clock.now(), retryAtOf(err) ?? 0);
          throw err;
        }
        const description = err instanceof Error ? err.message : String(err);
        if (next.deliveryCount >= this.maxDeliveryCount) {
          this.remove(next);
          this.dead.push({
            messageId: next.messageId,
            command: JSON.parse(next.body) as RemediationCommand,
            reason: 'MaxDeliveryCountExceeded',
            description,
            deliveryCount: next.deliveryCount,
            at: this.clock.now(),
          });
          deadLettered += 1;
        } else {
          // Abandon: visible again at once, or when the error says the work may be retried.
          next.visibleAt = Math.max(this.clock.now(), retryAtOf(err) ?? 0);
        }
      }
    }
    return { deliveries, completed, deadLettered, remaining: this.held.length };
  }

  private nextDue(now: number): Held | null {
    let best: Held | null = null;
    for (const h of this.held) {
      if (h.visibleAt > now) continue;
      if (best === null || h.visibleAt < best.visibleAt || (h.visibleAt === best.visibleAt && h.seq < best.seq))
        best = h;
    }
    return best;
  }

  private remove(h: Held): void {
    const i = this.held.indexOf(h);
    if (i >= 0) this.held.splice(i, 1);
  }
}
