// Typed Graph failures. Expected outcomes (skip, defer, already done) are return values, not errors.

export type GraphErrorKind = 'permission' | 'not-found' | 'throttled' | 'transient' | 'permanent' | 'truncated';

/** What the service said besides the message; absent = not known. */
export interface GraphErrorDetails {
  readonly status?: number | null;
  readonly code?: string | null;
  readonly requestId?: string | null;
  readonly cause?: unknown;
}

export class GraphError extends Error {
  readonly status: number | null;
  readonly code: string | null;
  readonly requestId: string | null;

  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    details: GraphErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GraphError';
    this.status = details.status ?? null;
    this.code = details.code ?? null;
    this.requestId = details.requestId ?? null;
  }
}

/** 401/403: alert-worthy, never "no data". */
export class PermissionError extends GraphError {
  constructor(message: string, details: GraphErrorDetails & { readonly status: number }) {
    super('permission', message, details);
    this.name = 'PermissionError';
  }
}

export class NotFoundError extends GraphError {
  constructor(message: string, details: Omit<GraphErrorDetails, 'status'> = {}) {
    super('not-found', message, { ...details, status: 404 });
    this.name = 'NotFoundError';
  }
}

export class ThrottledError extends GraphError {
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    details: Omit<GraphErrorDetails, 'status'> & { readonly retryAfterMs?: number | null } = {},
  ) {
    super('throttled', message, { ...details, status: 429 });
    this.name = 'ThrottledError';
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

export class TransientError extends GraphError {
  constructor(message: string, details: GraphErrorDetails = {}) {
    super('transient', message, details);
    this.name = 'TransientError';
  }
}

export class PermanentError extends GraphError {
  constructor(message: string, details: GraphErrorDetails = {}) {
    super('permanent', message, details);
    this.name = 'PermanentError';
  }
}

/** A list could not be read to the end (stuck cursor, malformed page): nothing may be decided on it. */
export class TruncatedReadError extends GraphError {
  readonly collection: string;
  readonly pagesRead: number;

  constructor(message: string, details: { readonly collection: string; readonly pagesRead: number }) {
    super('truncated', message);
    this.name = 'TruncatedReadError';
    this.collection = details.collection;
    this.pagesRead = details.pagesRead;
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
