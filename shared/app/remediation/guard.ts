import { actionModule } from '../../core/actions/index.js';
import { MODES, type Mode, type RemediationCommand } from '../../core/model/index.js';
import { modeFor, type PolicySettings } from '../../core/policy/index.js';

// A queue message is a request, not an instruction (anyone with send rights on the queue can write one). Before
// anything is claimed or read: every id must be a GUID, the message must be for this tenant, and the mode it asks
// for is capped by the CURRENT configuration (each action's module says what its target's ids must be). The tenant re-checks (group, owner, members) happen in targets.ts.

export { MAX_SERIAL_LENGTH } from '../../core/actions/index.js';

/** Why this command must be refused before it reaches Graph, or null. */
export function commandProblem(command: RemediationCommand, tenant: string): string | null {
  const target = command.target;
  if (target.action !== command.action)
    return `command action ${command.action} does not match its target (${target.action})`;
  if (command.tenant !== tenant)
    return `the command is for tenant ${JSON.stringify(command.tenant.slice(0, 80))}, not ${tenant}`;
  const bad = actionModule(target.action).targetProblems(target);
  return bad.length === 0 ? null : `invalid target: ${bad.join(', ')}`;
}

const rank = (m: Mode): number => MODES.indexOf(m);

/** off < plan < enforce: the stricter (lower) of the two. */
export function stricterMode(a: Mode, b: Mode): Mode {
  return rank(a) <= rank(b) ? a : b;
}

export interface EffectiveCommand {
  /** The command to run: the message itself, or a copy in the configuration's lower mode under its own key. */
  readonly command: RemediationCommand;
  /** Set when the configuration lowered the mode: what was asked and what the configuration allows. */
  readonly lowered: { readonly asked: Mode; readonly configured: Mode } | null;
}

/**
 * The command as the current configuration allows it. A lowered command gets the key a run in that mode plans
 * (`…-plan`, as planRun does), so its completed claim never stands in for the real enforce command later, when
 * the configuration is switched back.
 */
export function withConfiguredMode(command: RemediationCommand, policy: PolicySettings): EffectiveCommand {
  const configured = modeFor(command.action, policy);
  const mode = stricterMode(command.mode, configured);
  if (mode === command.mode) return { command, lowered: null };
  return {
    command: { ...command, mode, idempotencyKey: `${command.idempotencyKey}-${mode}` },
    lowered: { asked: command.mode, configured },
  };
}
