import { CODES, type FindingCode } from '../catalog/codes.js';
import { actionModule, type RemediationRule } from '../actions/index.js';
import { ACTIONS, type ActionName } from '../model/index.js';

// Each remediation's gates and caps in plain words, for the README's "What it fixes and when" table
// (remediation-table.ts renders it; a test keeps README.md equal to the rendering). `{SETTING}` names a
// configuration key; the renderer prints it with its default, and fails on a key the configuration lacks.
// Each action's own gates live in its module (core/actions/<name>.ts), next to the code that enforces them.

export type { RemediationRule } from '../actions/index.js';

/** Each action's rule, from its module (core/actions/<name>.ts). */
export const REMEDIATION_RULES: Readonly<Record<ActionName, RemediationRule>> = Object.fromEntries(
  ACTIONS.map((a) => [a, actionModule(a).rule]),
) as Record<ActionName, RemediationRule>;

/** Gates that apply to one finding code on top of its action's. */
export const CODE_GATES: Readonly<Partial<Record<FindingCode, readonly string[]>>> = {
  [CODES.AP_PROFILE_OUT_OF_SYNC]: [
    '{SYNC_ON_PROFILE_OUT_OF_SYNC} (Intune assigns profiles periodically on its own; off = alert only)',
  ],
};

/** Gates of every action, said once above the table. */
export const COMMON_GATES: readonly string[] = [
  'the action is enabled ({REMEDIATION_ACTIONS}) and its mode is `enforce` ({REMEDIATION_MODE}; per action {REMEDIATION_ACTION_MODES}); in `plan` mode it is recorded and nothing is written',
  'the worker re-reads the target from the tenant before writing and records the attempt first',
];

/** Limits on a whole run, whatever its actions: said once above the table. */
export const COMMON_LIMITS: readonly string[] = [
  'a run that would act on more than {BLAST_RADIUS_MAX_DEVICES} targets, or on more than {BLAST_RADIUS_MAX_PERCENT} % of the fleet and more than ' +
    '{BLAST_RADIUS_MIN_DEVICES} targets, drops to plan as a whole and raises one critical alert. Every action counts: each device (unblock, group ' +
    'membership), each group whose owner is restored, a sync. The fleet is the Autopilot devices (read by the daily sweep) plus the ' +
    'device-preparation devices; when the run does not know it, only the first limit applies',
];
