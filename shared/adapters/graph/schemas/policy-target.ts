import { z } from 'zod';
import {
  ENROLLMENT_TIME_TARGET_ERRORS,
  type EnrollmentTimeTargetError,
  type PolicyTargetStatus,
} from '../../../core/model/index.js';
import { bool, lenient, optString } from './common.js';

// enrollmentTimeDeviceMembershipTargetResult (Graph beta), the answer of
// POST /beta/deviceManagement/configurationPolicies/{id}/retrieveEnrollmentTimeDeviceMembershipTarget:
// `validationSucceeded` and one `enrollmentTimeDeviceMembershipTargetValidationStatuses` entry per target
// (`targetId`, `targetValidationErrorCode`).
// https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta

/** The fields read; the official-types test checks them against Microsoft's beta types. */
export const POLICY_TARGET_RESULT_FIELDS = [
  'validationSucceeded',
  'enrollmentTimeDeviceMembershipTargetValidationStatuses',
] as const;
export const POLICY_TARGET_STATUS_FIELDS = ['targetId', 'targetValidationErrorCode'] as const;

/**
 * The code is a non-nullable enum whose published members are all errors, so a target without an error carries the
 * enum's default: "unknown" (as Intune documents its defaults), 0, or nothing. Those mean "no error"; a value that is
 * neither that nor a documented error (unknownFutureValue, a new member) is 'unrecognised' and proves nothing.
 */
function errorCode(v: unknown, succeeded: boolean): EnrollmentTimeTargetError | 'unrecognised' | null {
  const known = (ENROLLMENT_TIME_TARGET_ERRORS as readonly unknown[]).includes(v)
    ? (v as EnrollmentTimeTargetError)
    : null;
  if (known !== null) return known;
  if (succeeded || v === undefined || v === null || v === 'unknown' || v === 0 || v === '0') return null;
  return 'unrecognised';
}

const statusSchema = z.object({ targetId: optString, targetValidationErrorCode: lenient((v) => v) });

export const policyTargetResultSchema = z
  .object({
    validationSucceeded: bool,
    enrollmentTimeDeviceMembershipTargetValidationStatuses: lenient((v): unknown[] =>
      Array.isArray(v) ? (v as unknown[]) : [],
    ),
  })
  .transform((r, ctx): { validationSucceeded: boolean; targets: PolicyTargetStatus[] } => {
    const targets: PolicyTargetStatus[] = [];
    for (const raw of r.enrollmentTimeDeviceMembershipTargetValidationStatuses) {
      const s = statusSchema.safeParse(raw);
      if (!s.success) {
        ctx.addIssue({ code: 'custom', message: 'a validation status is not an object' });
        return z.NEVER;
      }
      targets.push({
        targetId: s.data.targetId,
        error: errorCode(s.data.targetValidationErrorCode, r.validationSucceeded),
      });
    }
    return { validationSucceeded: r.validationSucceeded, targets };
  });
