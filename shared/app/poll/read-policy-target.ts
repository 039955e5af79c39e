import type { PolicyTargetRead } from '../../core/model/index.js';
import type { AutopilotReader, ReadOptions } from '../../ports/index.js';

/**
 * The policy's own enrollment-time target. A failed read is not a failed run: the group is then simply not proven
 * (nothing is written to it, and a finding says why), while every other check of the run goes on. Only the run's
 * own abort ends it.
 */
export async function readPolicyTarget(
  autopilot: Pick<AutopilotReader, 'getEnrollmentTimeTarget'>,
  policyId: string | undefined,
  read: ReadOptions,
  /** Errors the caller wants thrown rather than recorded (the worker retries transient ones). */
  rethrow: (err: unknown) => boolean = () => false,
): Promise<PolicyTargetRead> {
  if (policyId === undefined) return { kind: 'not-configured' };
  try {
    const r = await autopilot.getEnrollmentTimeTarget(policyId, read);
    return r === null ? { kind: 'policy-missing', policyId } : { kind: 'read', policyId, ...r };
  } catch (err) {
    if (read.signal?.aborted || rethrow(err)) throw err;
    return { kind: 'unreadable', policyId, reason: err instanceof Error ? err.message : String(err) };
  }
}
