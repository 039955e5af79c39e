// Typed Graph failures. Expected outcomes (skip, defer, already done) are return values, not errors.

export type GraphErrorKind = 'permission' | 'not-found' | 'throttled' | 'transient' | 'permanent' | 'truncated';

export class GraphError extends Error {
  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly requestId: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GraphError';
  }
}

/** 401/403: alert-worthy, never "no data". */
export class PermissionError extends GraphError {
  constructor(message: string, status: number, code: string | null, requestId: string | null) {
    super('permission', message, status, code, requestId);
    this.name = 'PermissionError';
  }
}

export class NotFoundError extends GraphError {
  constructor(message: string, code: string | null, requestId: string | null) {
    super('not-found', message, 404, code, requestId);
    this.name = 'NotFoundError';
  }
}

export class ThrottledError extends GraphError {
  constructor(message: string, readonly retryAfterMs: number | null, code: string | null, requestId: string | null) {
    super('throttled', message, 429, code, requestId);
    this.name = 'ThrottledError';
  }
}

export class TransientError extends GraphError {
  constructor(message: string, status: number | null, code: string | null, requestId: string | null, options?: { cause?: unknown }) {
    super('transient', message, status, code, requestId, options);
    this.name = 'TransientError';
  }
}

export class PermanentError extends GraphError {
  constructor(message: string, status: number | null, code: string | null, requestId: string | null) {
    super('permanent', message, status, code, requestId);
    this.name = 'PermanentError';
  }
}

/** A list could not be read to the end (stuck cursor, malformed page): nothing may be decided on it. */
export class TruncatedReadError extends GraphError {
  constructor(message: string, readonly collection: string, readonly pagesRead: number) {
    super('truncated', message, null, null, null);
    this.name = 'TruncatedReadError';
  }
}

/** Turn anything thrown into an Error (a thrown string or object must not lose its message). */
export function ensureError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === 'string') return new Error(err);
  try {
    return new Error(JSON.stringify(err));
  } catch {
    return new Error(String(err));
  }
}
