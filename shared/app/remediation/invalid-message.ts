import type { Logger } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';

// A queue message that is not a valid remediation command can never succeed: redelivering it only delays the same
// verdict. It is recorded in history ('invalid-message', with the reason and a body excerpt) and alerted, and the
// caller lets the message complete: history is our dead-letter record. If the record cannot be written this
// throws, so the message is retried and, at worst, reaches the real dead-letter queue with the error as its reason.

export interface InvalidMessage {
  readonly messageId: string;
  readonly deliveryCount: number;
  /** Unique per delivery (the Functions invocation id): two deliveries of one message are two rows. */
  readonly deliveryId: string;
  readonly body: unknown;
  readonly reason: string;
}

const MAX_EXCERPT = 2_000;

export async function recordInvalidMessage(
  deps: Pick<RemediationDeps, 'history' | 'alerts' | 'clock' | 'tenant'>,
  m: InvalidMessage,
  logger: Logger,
): Promise<void> {
  const now = deps.clock.now();
  await deps.history.append([
    {
      subjectKey: 'tenant',
      at: now,
      id: `invalid-message|${m.messageId}|${m.deliveryId}`,
      runId: 'unknown',
      type: 'invalid-message',
      action: null,
      code: null,
      idempotencyKey: null,
      mode: null,
      status: 'invalid-message',
      reason: m.reason,
      attempt: m.deliveryCount,
      graphRequestId: null,
      before: { messageId: m.messageId, body: excerpt(m.body) },
      after: null,
    },
  ]);
  try {
    await deps.alerts.send({
      kind: 'remediation-failed',
      severity: 'error',
      title: 'Invalid remediation message dropped',
      summary: `A queue message was not a valid remediation command and was not executed: ${m.reason}`,
      tenant: deps.tenant,
      at: now,
      dedupeKey: `invalid-message:${m.messageId}`,
      items: [],
      facts: { messageId: m.messageId, deliveryCount: m.deliveryCount, reason: m.reason.slice(0, 500) },
    });
  } catch (err) {
    logger.warn('remediate.alert-failed', {
      messageId: m.messageId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  logger.error('remediate.invalid-message', { messageId: m.messageId, reason: m.reason });
}

function excerpt(message: unknown): string {
  const text =
    typeof message === 'string'
      ? message
      : message instanceof Uint8Array
        ? new TextDecoder().decode(message)
        : (JSON.stringify(message) ?? String(message));
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT)}…` : text;
}
