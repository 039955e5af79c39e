import { CODES, type FindingCode } from '../catalog/codes.js';
import type { ActionName } from '../model/index.js';

// Each remediation's gates and caps in plain words, for the README's "What it fixes and when" table
// (remediation-table.ts renders it; a test keeps README.md equal to the rendering). `{SETTING}` names a
// configuration key; the renderer prints it with its default, and fails on a key the configuration lacks.
// Keep these next to what enforces them: decide.ts, unblock-gate.ts, sync-caps.ts, blast-radius.ts, plan.ts, the worker.

export interface RemediationRule {
  /** The Graph call the action makes. */
  readonly call: string;
  /** Every condition that must hold for the action to write; otherwise it alerts, defers or plans. */
  readonly gates: readonly string[];
  /** How often it may act. */
  readonly caps: readonly string[];
}

const DEVICE_LIMITS = '{DEVICE_COOLDOWN_MINUTES} min between attempts on one target, {MAX_ATTEMPTS_PER_DAY} attempts in 24 h, then one escalation to a person';
const POLICY_TARGET =
  "the device preparation policy (`policyId` in `DEVICE_PREP_GROUPS`) names this group as its enrollment-time device group, read fresh with `retrieveEnrollmentTimeDeviceMembershipTarget` before the write; another group, no group or an unreadable policy: `DP_POLICY_TARGET_MISMATCH` / `DP_POLICY_TARGET_UNVERIFIED`, nothing written";
const GROUP_SHAPE = 'the group is listed in {DEVICE_PREP_GROUPS}, still exists, and is an assigned (not dynamic) security group that is not role-assignable';

export const REMEDIATION_RULES: Readonly<Record<ActionName, RemediationRule>> = {
  'autopilot-sync': {
    call: '`POST /beta/deviceManagement/windowsAutopilotSettings/sync`',
    gates: [
      "the tenant's 10-minute sync window is open (the later of the service's `lastManualSyncTriggerDateTime` and our last trigger, + 10 min); otherwise one scheduled message waits for it",
      'no sync is running; 409 and 429 are deferrals, never retried',
      'all reasons of a run are coalesced into one call',
    ],
    caps: [
      '{SYNC_MAX_PER_FINDING_PER_DAY} syncs per finding in 24 h (every sync after it was first seen counts), then one escalation: "sync did not fix this"',
      '{SYNC_MAX_PER_DAY} syncs per tenant in 24 h, whatever the reasons; further reasons wait for the window',
    ],
  },
  'allow-next-enrollment': {
    call: '`POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}/allowNextEnrollment`',
    gates: [
      '`userlessEnrollmentStatus` = `blocked` (`enrollmentState` = `blocked` alone is not the userless block)',
      "the device's latest deployment was self-deploying or pre-provisioning and failed with 0x80180014 (parsed from the event, not matched in text), after the device's last unblock ({UNBLOCK_REQUIRES_FAILURE_EVENT})",
      'not in Fix pending or Attention required (`remediationState`): alert instead',
    ],
    caps: [DEVICE_LIMITS],
  },
  'add-to-device-prep-group': {
    call: '`PATCH /v1.0/groups/{g}` with `members@odata.bind` (≤ 20 per call)',
    gates: [
      GROUP_SHAPE,
      POLICY_TARGET,
      "the device belongs: its Entra device's `enrollmentProfileName` is the group's device preparation policy; added by Entra object id, never the `deviceId` GUID",
    ],
    caps: [DEVICE_LIMITS],
  },
  'restore-device-prep-owner': {
    call: '`POST /v1.0/groups/{g}/owners/$ref`',
    gates: [
      GROUP_SHAPE,
      POLICY_TARGET,
      'the Intune Provisioning Client service principal (appId `f1346770-5b25-470b-88bd-d5744ab7952c`, matched by appId) exists in the tenant; otherwise a person must add it',
    ],
    caps: [DEVICE_LIMITS],
  },
};

/** Gates that apply to one finding code on top of its action's. */
export const CODE_GATES: Readonly<Partial<Record<FindingCode, readonly string[]>>> = {
  [CODES.AP_PROFILE_OUT_OF_SYNC]: ['{SYNC_ON_PROFILE_OUT_OF_SYNC} (Intune assigns profiles periodically on its own; off = alert only)'],
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
