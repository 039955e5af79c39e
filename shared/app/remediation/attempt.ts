import type { RemediationCommand } from '../../core/model/index.js';
import { ensureError, type ClaimRecord, type HistoryRecord, type Json } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';
import { subjectKeysOf } from './record.js';

// No hidden writes: before every tenant write, a durable history row says which Graph call is about to be made.
// If that row cannot be written, the write is not made (the command fails transient and comes back later). A
// crash after the call therefore always leaves a record of it, even when the outcome row is never written.

/** The exact Graph call a write makes: what the attempt row and plan mode record. */
export interface GraphWrite {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  /** Path with version, e.g. /beta/deviceManagement/windowsAutopilotSettings/sync. */
  readonly path: string;
  /** The request body (or a summary of it: ids only); null when there is none. */
  readonly body: Json;
  /** What else the adapter may send for the same write (e.g. a per-member fallback). */
  readonly fallback?: string;
}

export function describeWrite(w: GraphWrite): string {
  const body = w.body === null ? '' : ` ${JSON.stringify(w.body)}`;
  return `${w.method} ${w.path}${body}${w.fallback ? ` (${w.fallback})` : ''}`;
}

/** The attempt row could not be written, so the tenant write was not made. Transient: the message comes back. */
export class AttemptNotRecordedError extends Error {
  constructor(cause: unknown) {
    super(
      `the attempt record could not be written, so nothing was written to the tenant: ${ensureError(cause).message}`,
      { cause },
    );
    this.name = 'AttemptNotRecordedError';
  }
}

/** One 'attempt' row per subject the write touches; throws AttemptNotRecordedError when storage refuses it. */
export async function recordAttempt(
  deps: Pick<RemediationDeps, 'history' | 'clock' | 'owner'>,
  command: RemediationCommand,
  claim: ClaimRecord,
  write: GraphWrite,
  subjects: readonly string[] = subjectKeysOf(command.target),
): Promise<void> {
  const at = deps.clock.now();
  const rows: HistoryRecord[] = [...new Set(subjects)].map((subjectKey) => ({
    subjectKey,
    at,
    // The claim time tells a take-over's attempt from the first one: both rows stay.
    id: [command.idempotencyKey, 'attempt', deps.owner, String(claim.claimedAt)].join('|'),
    runId: command.runId,
    type: 'attempt',
    action: command.action,
    code: null,
    idempotencyKey: command.idempotencyKey,
    mode: command.mode,
    status: 'started',
    reason: `about to call ${describeWrite(write)}`,
    attempt: 0,
    graphRequestId: null,
    before: {
      method: write.method,
      path: write.path,
      body: write.body,
      ...(write.fallback ? { fallback: write.fallback } : {}),
    },
    after: null,
  }));
  try {
    await deps.history.append(rows);
  } catch (err) {
    throw new AttemptNotRecordedError(err);
  }
}
