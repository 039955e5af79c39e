// Storage failures the use cases and the CLI must recognise. Not a GraphError: nothing was asked of the tenant.

/**
 * Table Storage could not be reached (connection refused or reset, DNS, timeout) after the client's own short
 * retries. Transient for a queue message (redeliver later), fatal for a CLI run (stop and say so).
 */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';
  constructor(
    /** The table (or 'table service') the request was for. */
    readonly table: string,
    /** What the client saw, e.g. "socket hang up", ECONNREFUSED. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Table Storage is unreachable (${table}): ${detail}`, options);
    this.name = 'StorageUnavailableError';
  }
}

/** The StorageUnavailableError behind `err` (itself, or anywhere in its `cause` chain), or null. */
export function storageFailureOf(err: unknown): StorageUnavailableError | null {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && e !== undefined; depth += 1) {
    if (e instanceof StorageUnavailableError) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return null;
}
