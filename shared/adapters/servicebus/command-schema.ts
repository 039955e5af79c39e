import { z } from 'zod';

import { MAX_MEMBERS_PER_COMMAND, messageSerialProblem, type TargetOf } from '../../core/actions/index.js';
import { ACTIONS, MODES, type ActionName, type RemediationCommand } from '../../core/model/index.js';
import { decodeBody } from './message-body.js';

// Service Bus message -> command: the inverse of message.ts, kept beside it. A queue message is a request, not an
// instruction: it must parse into exactly the shape the poll sends, with every id a GUID and every serial number
// bounded, before the worker even looks at it (the worker then re-derives the target from the tenant).

const id = z.guid();
// The worker's own rule (core/actions/target-checks.ts), which is the poll's: a serial the poll would never send
// (control characters, a lone surrogate, too long once trimmed, blank) is refused here, before anything is claimed.
const serial = z.string().superRefine((value, ctx) => {
  const problem = messageSerialProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});
/** The approved request a destructive command answers (core/approvals/ids.ts). */
const approvalId = z.string().regex(/^[0-9a-f]{32}$/);

/** Per action, what its queued target must look like: the compiler asks for one per name in ACTIONS. */
export const TARGET_SCHEMAS: { readonly [A in ActionName]: z.ZodType<TargetOf<A>> } = {
  'autopilot-sync': z.object({ action: z.literal('autopilot-sync') }),
  'allow-next-enrollment': z.object({
    action: z.literal('allow-next-enrollment'),
    autopilotId: id,
    serialNumber: serial,
  }),
  'add-to-device-prep-group': z.object({
    action: z.literal('add-to-device-prep-group'),
    groupId: id,
    members: z
      .array(z.object({ objectId: id, serialNumber: serial.nullable() }))
      .min(1)
      .max(MAX_MEMBERS_PER_COMMAND)
      // The poll never names a device twice in one batch. A repeated object id (Graph compares them
      // case-insensitively) would be bound twice and give two outcome rows one history key: refuse the message.
      .superRefine((members, ctx) => {
        const seen = new Set<string>();
        members.forEach((m, i) => {
          const key = m.objectId.toLowerCase();
          if (seen.has(key))
            ctx.addIssue({ code: 'custom', path: [i, 'objectId'], message: 'repeats an earlier member' });
          seen.add(key);
        });
      }),
  }),
  'restore-device-prep-owner': z.object({
    action: z.literal('restore-device-prep-owner'),
    groupId: id,
    servicePrincipalId: id,
  }),
  'delete-intune-device-record': z.object({
    action: z.literal('delete-intune-device-record'),
    managedDeviceId: id,
    autopilotId: id,
    serialNumber: serial,
    approvalId: approvalId,
  }),
  'deregister-autopilot-device': z.object({
    action: z.literal('deregister-autopilot-device'),
    autopilotId: id,
    serialNumber: serial,
    approvalId: approvalId,
  }),
};

const envelope = z.object({
  schemaVersion: z.literal(1),
  idempotencyKey: z.string().min(1).max(512),
  // Checked against ACTIONS when a message is parsed, not when this module loads: the list is the registry's.
  action: z.string().refine((a) => (ACTIONS as readonly string[]).includes(a), { message: 'unknown action' }),
  tenant: z.string().min(1).max(256),
  mode: z.enum(MODES),
  target: z.unknown(),
  reasons: z.array(z.string()).max(10_000),
  runId: z.string().min(1).max(256),
  createdAt: z.iso.datetime(),
});

export type ParseResult =
  { readonly ok: true; readonly command: RemediationCommand } | { readonly ok: false; readonly reason: string };

const issues = (e: z.ZodError, prefix = ''): string =>
  e.issues
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)'}: ${i.message}`)
    .join('; ');

/** The tenant a message's body names, if it names one: a request only, checked against the deployment's tenants. */
export function tenantNamedBy(message: unknown): string | undefined {
  const body = decodeBody(message);
  const named = body.ok && typeof body.value === 'object' && body.value !== null ? body.value : {};
  const tenant = (named as { tenant?: unknown }).tenant;
  return typeof tenant === 'string' ? tenant : undefined;
}

export function parseCommand(message: unknown): ParseResult {
  const body = decodeBody(message);
  if (!body.ok) return { ok: false, reason: 'body is not JSON' };
  const value = body.value;
  const action = typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined;
  if (typeof action === 'string' && !(ACTIONS as readonly string[]).includes(action)) {
    return { ok: false, reason: `unknown action "${action.slice(0, 80)}"` };
  }
  const parsed = envelope.safeParse(value);
  if (!parsed.success) return { ok: false, reason: issues(parsed.error) };
  const c = parsed.data;
  const targetAction =
    typeof c.target === 'object' && c.target !== null ? (c.target as { action?: unknown }).action : undefined;
  if (targetAction !== c.action) return { ok: false, reason: 'target.action: target.action must equal action' };
  const target = TARGET_SCHEMAS[c.action as ActionName].safeParse(c.target);
  if (!target.success) return { ok: false, reason: issues(target.error, 'target') };
  return { ok: true, command: { ...c, action: c.action as ActionName, target: target.data } };
}
