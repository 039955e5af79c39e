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
