import { userInfo } from 'node:os';

import { decideApproval, reviewUrl } from '../../shared/app/approvals/index.js';
import { APPROVAL_STATUSES, type ApprovalStatus } from '../../shared/core/approvals/index.js';
import { bool, type CommandSpec, type ParsedFlags, str, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { escapeInvisible } from '../../shared/core/tenant-text.js';
import { approvalsTable, approvalText } from '../output/approvals-text.js';
import { terminalJson, terminalText } from '../output/terminal.js';
import { openCliSession, SESSION_FLAGS } from '../session.js';

// autopilot-medic approvals [list|show|approve|reject] [<id>]: the approval requests for destructive fixes, from a
// terminal, against the configured Table Storage, else the data folder that `sweep`, `compliance` and `serve` write to.
// Approving or rejecting here needs no link token: whoever runs this holds the storage credentials. The approver
// recorded is `--as NAME`, else "cli:<login name>". Approving runs the worker in this process (re-read, refuse on
// changed state, delete once, verify). Exit 0 done; 1 refused (expired, already decided, limit, off) or not found;
// 2 usage.

const VERBS = ['list', 'show', 'approve', 'reject'] as const;
type Verb = (typeof VERBS)[number];

export const approvalsSpec: CommandSpec = {
  name: 'approvals',
  summary:
    'Approval requests for the destructive fixes (delete an Intune record, deregister an Autopilot device):\n' +
    'list them, show one with its evidence, approve or reject it. Nothing destructive runs without one.',
  positionals: {
    args: [
      { name: 'verb', help: `${VERBS.join(' | ')} (default: list)` },
      { name: 'id', help: 'the request id (32 hex digits), for show, approve and reject' },
    ],
    required: 0,
  },
  flags: {
    all: { type: 'boolean', help: 'list: every request, not only the pending ones' },
    status: { type: 'string', value: 'STATUS', help: `list: only ${APPROVAL_STATUSES.join(', ')}` },
    as: { type: 'string', value: 'NAME', help: 'approve/reject: who decides (default: cli:<login name>)' },
    scenario: SESSION_FLAGS.scenario,
    verbose: SESSION_FLAGS.verbose,
    tenant: SESSION_FLAGS.tenant,
    json: { type: 'boolean', help: 'print JSON to stdout' },
  },
};

function verbOf(flags: ParsedFlags): Verb {
  const v = str(flags, 'verb') ?? 'list';
  if (!(VERBS as readonly string[]).includes(v))
    throw new UsageError(`approvals: unknown <verb> "${terminalText(v.slice(0, 40))}": expected ${VERBS.join(', ')}`);
  return v as Verb;
}

function idOf(flags: ParsedFlags, verb: Verb): string {
  const id = str(flags, 'id');
  if (id === undefined)
    throw new UsageError(`approvals ${verb}: missing <id> (see \`autopilot-medic approvals list\`)`);
  if (!/^[0-9a-f]{32}$/.test(id)) throw new UsageError('approvals: <id> is 32 lower-case hex digits');
  return id;
}

function approverOf(flags: ParsedFlags): string {
  const as = str(flags, 'as')?.trim();
  if (as !== undefined) {
    // The name is recorded as the approver and shown on the review page: no control or text-direction characters.
    if (as === '' || as.length > 256 || escapeInvisible(as) !== as)
      throw new UsageError('approvals: --as is a name of 1-256 printable characters');
    return as;
  }
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export async function approvalsCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const verb = verbOf(flags);
  const id = verb === 'list' ? null : idOf(flags, verb);
  const status = str(flags, 'status');
  if (status !== undefined && !(APPROVAL_STATUSES as readonly string[]).includes(status))
    throw new UsageError(`approvals: --status is one of ${APPROVAL_STATUSES.join(', ')}`);
  const approver = verb === 'approve' || verb === 'reject' ? approverOf(flags) : null;
  const json = bool(flags, 'json');
  const session = await openCliSession('approvals', flags, env, {});
  try {
    const c = session.container;
    const now = c.clock.now();
    if (verb === 'list') {
      const filter: ApprovalStatus | undefined = bool(flags, 'all')
        ? undefined
        : ((status as ApprovalStatus) ?? 'pending');
      const requests = await c.stores.approvals.list({ ...(filter ? { status: filter } : {}), limit: 500 });
      process.stdout.write(
        json
          ? `${terminalJson(
              requests.map(({ etag: _e, ...r }) => r),
              2,
            )}\n`
          : `${approvalsTable(requests, now)}\n`,
      );
      return EXIT.ok;
    }
    const request = await c.stores.approvals.get(id ?? '');
    if (request === null) {
      process.stderr.write(`There is no approval request ${id ?? ''}.\n`);
      return EXIT.aborted;
    }
    if (verb === 'show') {
      const { etag: _etag, ...shown } = request;
      process.stdout.write(
        json
          ? `${terminalJson(shown, 2)}\n`
          : `${approvalText(request, now, reviewUrl({ ...c.config.approvals, tenant: session.tenant?.key ?? null }, request))}\n`,
      );
      return EXIT.ok;
    }
    const result = await decideApproval(c.approvalDeps(), {
      id: request.id,
      decision: verb,
      approver: approver ?? 'cli',
      token: null,
    });
    if (result.kind === 'refused') {
      if (json)
        process.stdout.write(
          `${terminalJson({ result: 'refused', reason: result.reason, message: result.message }, 2)}\n`,
        );
      process.stderr.write(`Refused: ${terminalText(result.message)}\n`);
      return EXIT.aborted;
    }
    if (result.kind === 'approved') await c.drainLocally();
    const after = (await c.stores.approvals.get(request.id)) ?? result.request;
    if (json) {
      const { etag: _etag, ...shown } = after;
      process.stdout.write(`${terminalJson({ result: result.kind, request: shown }, 2)}\n`);
    } else {
      process.stdout.write(
        `${result.kind === 'approved' ? 'Approved' : 'Rejected'} by ${terminalText(after.decidedBy ?? '')}.` +
          (after.execution ? ` Worker: ${after.execution.status}: ${terminalText(after.execution.detail)}` : '') +
          '\n',
      );
    }
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
