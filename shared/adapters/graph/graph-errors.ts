import {
  type GraphError,
  NotFoundError,
  PermanentError,
  PermissionError,
  ThrottledError,
  TransientError,
} from '../../ports/index.js';
import { redactSecretShapes, type Redactor } from '../redaction/redact-secrets.js';

// Graph error body: {"error":{"code","message","innerError":{"request-id","client-request-id","date"}}}
// (https://learn.microsoft.com/graph/errors). We branch on status and `code`, never on the message,
// with one documented exception below.

export interface GraphErrorBody {
  readonly code: string | null;
  readonly message: string | null;
  readonly requestId: string | null;
}

export function readErrorBody(text: string): GraphErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { code: null, message: null, requestId: null };
  }
  const err = field(parsed, 'error');
  const inner = field(err, 'innerError') ?? field(err, 'innererror');
  return {
    code: str(field(err, 'code')),
    message: str(field(err, 'message')),
    requestId: str(field(inner, 'request-id')),
  };
}

function field(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export interface FailedReply {
  readonly status: number;
  readonly body: GraphErrorBody;
  /** From the `request-id` response header, falling back to the body's innerError. */
  readonly requestId: string | null;
  readonly retryAfterMs: number | null;
  readonly what: string;
}

/**
 * Typed error for a final (post-retry) non-2xx reply. Everything taken from the reply (message, code, request id)
 * goes through `redact`: a 401/403 body may quote the bearer token we sent, and these texts reach stderr,
 * --json output and history rows.
 */
export function toGraphError(r: FailedReply, redact: Redactor = redactSecretShapes): GraphError {
  const code = r.body.code === null ? null : redact(r.body.code);
  const rawRequestId = r.requestId ?? r.body.requestId;
  const requestId = rawRequestId === null ? null : redact(rawRequestId);
  const msg = redact(
    `${r.what}: HTTP ${r.status}${r.body.code ? ` ${r.body.code}` : ''}${r.body.message ? ` — ${r.body.message}` : ''}`,
  );
  if (r.status === 401 || r.status === 403) return new PermissionError(msg, { status: r.status, code, requestId });
  if (r.status === 404) return new NotFoundError(msg, { code, requestId });
  if (r.status === 429) return new ThrottledError(msg, { retryAfterMs: r.retryAfterMs, code, requestId });
  if (r.status >= 500 || r.status === 408) return new TransientError(msg, { status: r.status, code, requestId });
  return new PermanentError(msg, { status: r.status, code, requestId });
}

/**
 * The one message match: adding a member/owner that is already there is a 400 `Request_BadRequest` whose
 * only distinguishing feature is the message "One or more added object references already exist for the
 * following modified properties: 'members'" (or 'owners'). Graph has no specific code for it
 * (https://learn.microsoft.com/graph/api/group-post-members#response), and it is the idempotent success
 * case of every group write, so we match code + fragment and nothing looser.
 */
export function isAlreadyExists(status: number, body: GraphErrorBody): boolean {
  return (
    status === 400 &&
    body.code === 'Request_BadRequest' &&
    (body.message ?? '').includes('One or more added object references already exist')
  );
}

/** fetch() with `redirect: 'error'` rejects a 3xx as a TypeError whose cause says so (undici, Node 20 and 22). */
export function isRedirectRefusal(err: unknown): boolean {
  return err instanceof TypeError && err.cause instanceof Error && /redirect/i.test(err.cause.message);
}
