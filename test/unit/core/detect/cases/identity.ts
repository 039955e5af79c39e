import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { AutopilotDevice } from '../../../../../shared/core/model/index.js';
import { DAY, HOUR, NOW, entraDevice, identity, importedDevice, snapshot } from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;
const one = (o: Partial<AutopilotDevice>, extra: Parameters<typeof snapshot>[0] = {}) =>
  snapshot({ identities: [identity(o)], ...extra });
/** Registered three days ago: its Entra object was created then. */
const registered3d = { entraDevices: [entraDevice({ createdAt: NOW - 3 * DAY })] };
/**
 * Registered two hours ago (its Entra object was created then): inside the 24-hour profile threshold. Imports carry
 * no timestamp in Graph, so the Entra object is what dates a registration.
 */
const registeredJustNow = { entraDevices: [entraDevice({ createdAt: NOW - 2 * HOUR })], imports: [importedDevice()] };

export const IDENTITY_CASES: readonly Case[] = [
  {
    code: C.AP_USERLESS_BLOCKED,
    name: 'enrollmentState blocked',
    expect: 'present',
    snapshot: one({ enrollmentState: 'blocked' }),
    subjectKey: 'SN-1',
  },
  {
    code: C.AP_USERLESS_BLOCKED,
    name: 'userlessEnrollmentStatus blocked',
    expect: 'present',
    snapshot: one({ userlessEnrollmentStatus: 'blocked' }),
  },
  { code: C.AP_USERLESS_BLOCKED, name: 'allowed', expect: 'absent', snapshot: one({}) },
  {
    code: C.AP_USERLESS_BLOCKED,
    name: 'blocked in Fix pending is the hardware-change finding instead',
    expect: 'absent',
    snapshot: one({ enrollmentState: 'blocked', remediationState: 'automaticRemediationRequired' }),
  },
  {
    code: C.AP_USERLESS_BLOCKED_HW_CHANGE,
    name: 'blocked + Fix pending',
    expect: 'present',
    snapshot: one({ userlessEnrollmentStatus: 'blocked', remediationState: 'automaticRemediationRequired' }),
  },
  {
    code: C.AP_USERLESS_BLOCKED_HW_CHANGE,
    name: 'blocked + Attention required',
    expect: 'present',
    snapshot: one({ enrollmentState: 'blocked', remediationState: 'manualRemediationRequired' }),
  },
  {
    code: C.AP_USERLESS_BLOCKED_HW_CHANGE,
    name: 'Fix pending without a block',
    expect: 'absent',
    snapshot: one({ remediationState: 'automaticRemediationRequired', remediationStateLastModifiedAt: NOW - HOUR }),
  },
  {
    code: C.AP_PROFILE_NOT_ASSIGNED,
    name: 'not assigned 3 days after registration',
    expect: 'present',
    snapshot: one({ profileAssignmentStatus: 'notAssigned', profileAssignedAt: null }, registered3d),
  },
  {
    code: C.AP_PROFILE_NOT_ASSIGNED,
    name: 'not assigned, registration time unknown',
    expect: 'present',
    snapshot: one({ profileAssignmentStatus: 'notAssigned', profileAssignedAt: null }),
  },
  {
    code: C.AP_PROFILE_NOT_ASSIGNED,
    name: 'registered 2 hours ago: assignment still has time',
    expect: 'absent',
    snapshot: one({ profileAssignmentStatus: 'notAssigned', profileAssignedAt: null }, registeredJustNow),
  },
  {
    code: C.AP_PROFILE_ASSIGNMENT_STUCK,
    name: 'assigning 3 days after registration',
    expect: 'present',
    snapshot: one({ profileAssignmentStatus: 'pending', profileAssignedAt: null }, registered3d),
  },
  {
    code: C.AP_PROFILE_ASSIGNMENT_STUCK,
    name: 'assigning 2 hours after registration',
    expect: 'absent',
    snapshot: one({ profileAssignmentStatus: 'pending', profileAssignedAt: null }, registeredJustNow),
  },
  {
    code: C.AP_PROFILE_OUT_OF_SYNC,
    name: 'out of sync 2 days after assignment',
    expect: 'present',
    snapshot: one({ profileAssignmentStatus: 'assignedOutOfSync', profileAssignedAt: NOW - 2 * DAY }),
  },
  {
    code: C.AP_PROFILE_OUT_OF_SYNC,
    name: 'out of sync 1 hour after assignment',
    expect: 'absent',
    snapshot: one({ profileAssignmentStatus: 'assignedOutOfSync', profileAssignedAt: NOW - HOUR }),
  },
  {
    code: C.AP_PROFILE_ASSIGNMENT_FAILED,
    name: 'assignment failed',
    expect: 'present',
    snapshot: one({ profileAssignmentStatus: 'failed' }),
  },
  {
    code: C.AP_PROFILE_ASSIGNMENT_FAILED,
    name: "Graph's assignedUnkownSyncState is not a failure",
    expect: 'absent',
    snapshot: one({ profileAssignmentStatus: 'assignedUnkownSyncState' }),
  },
  {
    code: C.AP_FIX_PENDING,
    name: 'Fix pending for 30 hours (threshold 24)',
    expect: 'present',
    snapshot: one({
      remediationState: 'automaticRemediationRequired',
      remediationStateLastModifiedAt: NOW - 30 * HOUR,
    }),
  },
  {
    code: C.AP_FIX_PENDING,
    name: 'Fix pending for 2 hours: clears at next check-in',
    expect: 'absent',
    snapshot: one({ remediationState: 'automaticRemediationRequired', remediationStateLastModifiedAt: NOW - 2 * HOUR }),
  },
  {
    code: C.AP_FIX_PENDING,
    name: 'Fix pending with no timestamp: age unknown, not reported',
    expect: 'absent',
    snapshot: one({ remediationState: 'automaticRemediationRequired', remediationStateLastModifiedAt: null }),
  },
  {
    code: C.AP_ATTENTION_REQUIRED,
    name: 'Attention required',
    expect: 'present',
    snapshot: one({ remediationState: 'manualRemediationRequired' }),
  },
  {
    code: C.AP_ATTENTION_REQUIRED,
    name: 'no remediation required',
    expect: 'absent',
    snapshot: one({}),
  },
];
