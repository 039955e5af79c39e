// Errors the transport must understand. Expected outcomes are return values (Outcome); these are the cases
// where the message itself must come back later.

/**
 * Another delivery holds an unexpired claim on the same command. The transport should redeliver no earlier
 * than `retryAt` (when the claim expires and may be taken over), not immediately.
 */
export class AlreadyInProgressError extends Error {
  readonly code = 'ALREADY_IN_PROGRESS';
  constructor(
    readonly idempotencyKey: string,
    readonly retryAt: number,
    readonly holder: string,
  ) {
    super(
      `remediation ${idempotencyKey} is already in progress (held by ${holder} until ${new Date(retryAt).toISOString()})`,
    );
    this.name = 'AlreadyInProgressError';
  }
}

export function isAlreadyInProgress(err: unknown): err is AlreadyInProgressError {
  return err instanceof AlreadyInProgressError;
}

/**
 * Graph throttled a write and neither the claim's hold nor the deferred history row could be written, so nothing
 * durable says "not before `retryAt`". The message must come back, and not before `retryAt`: the transport
 * re-schedules it for then (as for AlreadyInProgressError) instead of redelivering it at once.
 */
export class DeferralNotRecordedError extends Error {
  readonly code = 'DEFERRAL_NOT_RECORDED';
  constructor(
    readonly idempotencyKey: string,
    readonly retryAt: number,
    cause: unknown,
  ) {
    super(
      `remediation ${idempotencyKey} was throttled and its deferral could not be recorded; retry not before ${new Date(retryAt).toISOString()}`,
      { cause },
    );
    this.name = 'DeferralNotRecordedError';
  }
}

/** When the message of a failed delivery may run again, if the failure says (epoch ms); null = redeliver as usual. */
export function redeliverAt(err: unknown): number | null {
  return err instanceof AlreadyInProgressError || err instanceof DeferralNotRecordedError ? err.retryAt : null;
}
