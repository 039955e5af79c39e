import type { Finding } from '../model/index.js';

// What the destructive actions share: the policy never decides them on its own. They reach the queue only through
// an approved request (core/approvals), whose id the command carries and the worker checks before it writes.

/** Why the policy itself never acts on a destructive remedy: a person approves each one. */
export function approvalOnly(finding: Finding): string {
  return `destructive: only a person's approval runs it (autopilot-medic approvals); ${finding.code} is alert only`;
}

/** Approval ids are 32 lower-case hex digits (core/approvals/ids.ts). */
export function approvalIdProblem(name: string, value: unknown): string[] {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value) ? [] : [`${name} (32 hex digits)`];
}
