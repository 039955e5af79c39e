// Gate and cap wording shared by several actions' README rows (`{SETTING}` names a configuration key).

export const DEVICE_LIMITS =
  '{DEVICE_COOLDOWN_MINUTES} min between attempts on one target, {MAX_ATTEMPTS_PER_DAY} attempts in 24 h, then one escalation to a person';
export const POLICY_TARGET =
  'the device preparation policy (`policyId` in `DEVICE_PREP_GROUPS`) names this group as its enrollment-time device group, read fresh with `retrieveEnrollmentTimeDeviceMembershipTarget` before the write; another group, no group or an unreadable policy: `DP_POLICY_TARGET_MISMATCH` / `DP_POLICY_TARGET_UNVERIFIED`, nothing written';
export const GROUP_SHAPE =
  'the group is listed in {DEVICE_PREP_GROUPS}, still exists, and is an assigned (not dynamic) security group that is not role-assignable';
