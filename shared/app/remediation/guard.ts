import { isGuid, MODES, type CommandTarget, type Mode, type RemediationCommand } from '../../core/model/index.js';
import { MAX_MEMBERS_PER_COMMAND, modeFor, type PolicySettings } from '../../core/policy/index.js';

// A queue message is a request, not an instruction (anyone with send rights on the queue can write one). Before
// anything is claimed or read: every id must be a GUID, the message must be for this tenant, and the mode it asks
// for is capped by the CURRENT configuration. The tenant re-checks (group, owner, members) happen in targets.ts.

/** Serial numbers are tenant data, not ids: any text, but bounded (Intune shows at most a few dozen characters). */
export const MAX_SERIAL_LENGTH = 256;

/** Why this command must be refused before it reaches Graph, or null. */
export function commandProblem(command: RemediationCommand, tenant: string): string | null {
  const target = command.target;
  if (target.action !== command.action) return `command action ${command.action} does not match its target (${target.action})`;
  if (command.tenant !== tenant) return `the command is for tenant ${JSON.stringify(command.tenant.slice(0, 80))}, not ${tenant}`;
  const bad = badIds(target);
  return bad.length === 0 ? null : `not a GUID: ${bad.join(', ')}`;
}

function badIds(target: CommandTarget): string[] {
  const out: string[] = [];
  const id = (name: string, value: unknown) => {
    if (!isGuid(value)) out.push(name);
  };
  const serial = (name: string, value: unknown, nullable: boolean) => {
    if (value === null && nullable) return;
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_SERIAL_LENGTH) out.push(`${name} (serial number must be 1-${MAX_SERIAL_LENGTH} characters)`);
  };
  switch (target.action) {
    case 'autopilot-sync':
      break;
    case 'allow-next-enrollment':
      id('target.autopilotId', target.autopilotId);
      serial('target.serialNumber', target.serialNumber, false);
      break;
    case 'add-to-device-prep-group':
      id('target.groupId', target.groupId);
      // The type says array; a hand-made message in the in-process queue is not type-checked.
      if (!(target.members instanceof Array) || target.members.length === 0 || target.members.length > MAX_MEMBERS_PER_COMMAND) {
        out.push(`target.members (1-${MAX_MEMBERS_PER_COMMAND} members)`);
        break;
      }
      target.members.forEach((m, i) => {
        id(`target.members[${i}].objectId`, m.objectId);
        serial(`target.members[${i}].serialNumber`, m.serialNumber, true);
      });
      break;
    case 'restore-device-prep-owner':
      id('target.groupId', target.groupId);
      id('target.servicePrincipalId', target.servicePrincipalId);
      break;
  }
  return out;
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
  return { command: { ...command, mode, idempotencyKey: `${command.idempotencyKey}-${mode}` }, lowered: { asked: command.mode, configured } };
}
