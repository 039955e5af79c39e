import type * as V1 from '@microsoft/microsoft-graph-types';
import type * as Beta from '@microsoft/microsoft-graph-types-beta';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { exportRequest } from '../../../../shared/adapters/graph/export-report.js';
import {
  eventSchema,
  IDENTITY_FIELDS,
  IDENTITY_SELECT,
  identitySchema,
  importedSchema,
  settingsSchema,
} from '../../../../shared/adapters/graph/schemas/autopilot.js';
import {
  DEVICE_FIELDS,
  DEVICE_SELECT,
  directoryObjectSchema,
  entraDeviceSchema,
  GROUP_FIELDS,
  GROUP_SELECT,
  groupSchema,
  MANAGED_DEVICE_FIELDS,
  MANAGED_DEVICE_SELECT,
  managedDeviceSchema,
  memberIdSchema,
  SERVICE_PRINCIPAL_FIELDS,
  SERVICE_PRINCIPAL_SELECT,
  servicePrincipalSchema,
} from '../../../../shared/adapters/graph/schemas/directory.js';
import { EXPORT_JOB_STATUSES, exportJobSchema } from '../../../../shared/adapters/graph/schemas/report.js';
import {
  COMPLIANCE_STATES,
  DEPLOYMENT_STATES,
  ENROLLMENT_STATES,
  ENROLLMENT_TYPES,
  IMPORT_STATUSES,
  PROFILE_ASSIGNMENT_STATUSES,
  REMEDIATION_STATES,
  SYNC_STATUSES,
  USERLESS_ENROLLMENT_STATUSES,
} from '../../../../shared/core/model/enums.js';
import { ENROLLMENT_TIME_TARGET_ERRORS } from '../../../../shared/core/model/index.js';
import {
  POLICY_TARGET_RESULT_FIELDS,
  POLICY_TARGET_STATUS_FIELDS,
  policyTargetResultSchema,
} from '../../../../shared/adapters/graph/schemas/policy-target.js';

// Issue 14 item 15: the wire schemas against Microsoft's official Graph types — @microsoft/microsoft-graph-types for
// v1.0 and @microsoft/microsoft-graph-types-beta for beta, each for the API version the adapter calls (Autopilot,
// events, settings, imports, export jobs and managedDevices on beta; groups, devices, service principals on v1.0).
// These are COMPILE-TIME checks: `npm run typecheck` fails, naming the field, when the adapter selects or parses a
// property the official type does not declare (as it did with the imported device's lastContactedDateTime), or when
// core/model/enums.ts holds a value the official enum does not.

/** Compiles only for `never`: pass the set of unknown fields, and the compiler error lists them. */
function noneOf<T extends never>(..._fields: T[]): true {
  return true;
}
/** The wire fields a zod object schema reads (its input keys). */
type Parsed<S extends z.ZodType> = keyof z.input<S>;
/** Fields a schema reads that the official type lacks (`never` when it reads only real ones). */
type Unknown<S extends z.ZodType, Official> = Exclude<Parsed<S>, keyof Official>;

// $select lists: every selected field exists on the type of the version called.
const identitySelect: readonly (keyof Beta.WindowsAutopilotDeviceIdentity)[] = IDENTITY_FIELDS;
const groupSelect: readonly (keyof V1.Group)[] = GROUP_FIELDS;
const servicePrincipalSelect: readonly (keyof V1.ServicePrincipal)[] = SERVICE_PRINCIPAL_FIELDS;
const deviceSelect: readonly (keyof V1.Device)[] = DEVICE_FIELDS;
const managedDeviceSelect: readonly (keyof Beta.ManagedDevice)[] = MANAGED_DEVICE_FIELDS;
const policyTargetResultFields: readonly (keyof Beta.EnrollmentTimeDeviceMembershipTargetResult)[] =
  POLICY_TARGET_RESULT_FIELDS;
const policyTargetStatusFields: readonly (keyof Beta.EnrollmentTimeDeviceMembershipTargetStatus)[] =
  POLICY_TARGET_STATUS_FIELDS;

// Parsed fields: every field a schema reads exists on the official type.
const parsedFieldsExist = [
  noneOf<Unknown<typeof identitySchema, Beta.WindowsAutopilotDeviceIdentity>>(),
  noneOf<Unknown<typeof eventSchema, Beta.DeviceManagementAutopilotEvent>>(),
  noneOf<Unknown<typeof settingsSchema, Beta.WindowsAutopilotSettings>>(),
  noneOf<Unknown<typeof importedSchema, Beta.ImportedWindowsAutopilotDeviceIdentity>>(),
  noneOf<
    Exclude<
      keyof NonNullable<z.input<typeof importedSchema>['state']>,
      keyof Beta.ImportedWindowsAutopilotDeviceIdentityState
    >
  >(),
  noneOf<Unknown<typeof exportJobSchema, Beta.DeviceManagementExportJob>>(),
  noneOf<Unknown<typeof groupSchema, V1.Group>>(),
  noneOf<Unknown<typeof servicePrincipalSchema, V1.ServicePrincipal>>(),
  noneOf<Unknown<typeof entraDeviceSchema, V1.Device>>(),
  noneOf<Unknown<typeof managedDeviceSchema, Beta.ManagedDevice>>(),
  noneOf<Unknown<typeof memberIdSchema, V1.DirectoryObject>>(),
  // retrieveEnrollmentTimeDeviceMembershipTarget (beta): the result and each target's status.
  noneOf<Unknown<typeof policyTargetResultSchema, Beta.EnrollmentTimeDeviceMembershipTargetResult>>(),
  // Owners and members are mixed directoryObjects: `@odata.type` says which, `appId` exists on service principals.
  noneOf<
    Exclude<Parsed<typeof directoryObjectSchema>, keyof V1.DirectoryObject | keyof V1.ServicePrincipal | '@odata.type'>
  >(),
];

// The export job request uses the job's own properties and enum values.
const request = exportRequest({ reportName: 'AutopilotV2DeploymentStatus', select: ['DeviceId'] });
const jobRequest: Pick<Beta.DeviceManagementExportJob, 'reportName' | 'format' | 'select' | 'localizationType'> = {
  reportName: 'AutopilotV2DeploymentStatus',
  format: 'json',
  select: ['DeviceId'],
  localizationType: 'localizedValuesAsAdditionalColumn',
};

// Enum values: every member the model knows is one the official enum declares (for the version read).
const enums = {
  enrollmentState: ENROLLMENT_STATES satisfies readonly Beta.EnrollmentState[],
  userlessEnrollmentStatus:
    USERLESS_ENROLLMENT_STATUSES satisfies readonly Beta.WindowsAutopilotUserlessEnrollmentStatus[],
  remediationState: REMEDIATION_STATES satisfies readonly Beta.WindowsAutopilotDeviceRemediationState[],
  profileAssignmentStatus:
    PROFILE_ASSIGNMENT_STATUSES satisfies readonly Beta.WindowsAutopilotProfileAssignmentStatus[],
  deploymentState: DEPLOYMENT_STATES satisfies readonly Beta.WindowsAutopilotDeploymentState[],
  enrollmentType: ENROLLMENT_TYPES satisfies readonly Beta.WindowsAutopilotEnrollmentType[],
  syncStatus: SYNC_STATUSES satisfies readonly Beta.WindowsAutopilotSyncStatus[],
  complianceState: COMPLIANCE_STATES satisfies readonly Beta.ComplianceState[],
  complianceStateV1: COMPLIANCE_STATES satisfies readonly V1.ComplianceState[],
  importStatus: IMPORT_STATUSES satisfies readonly Beta.ImportedWindowsAutopilotDeviceIdentityImportStatus[],
  exportJobStatus: EXPORT_JOB_STATUSES satisfies readonly Beta.DeviceManagementReportStatus[],
  enrollmentTimeTargetError:
    ENROLLMENT_TIME_TARGET_ERRORS satisfies readonly Beta.EnrollmentTimeDeviceMembershipTargetValidationErrorCode[],
};

describe('wire schemas match the official Microsoft Graph types', () => {
  it('is enforced by the compiler (npm run typecheck); the select strings are the checked lists', () => {
    expect(parsedFieldsExist.every(Boolean)).toBe(true);
    expect(IDENTITY_SELECT.split(',')).toEqual([...identitySelect]);
    expect(GROUP_SELECT.split(',')).toEqual([...groupSelect]);
    expect(SERVICE_PRINCIPAL_SELECT.split(',')).toEqual([...servicePrincipalSelect]);
    expect(DEVICE_SELECT.split(',')).toEqual([...deviceSelect]);
    expect(MANAGED_DEVICE_SELECT.split(',')).toEqual([...managedDeviceSelect]);
    expect(request).toEqual(jobRequest);
    expect(Object.keys(enums)).toHaveLength(12);
    expect([...policyTargetResultFields, ...policyTargetStatusFields]).toHaveLength(4);
  });

  it('the imported device has no timestamp to read', () => {
    expect(Object.keys(importedSchema.in.shape)).not.toContain('lastContactedDateTime');
  });
});
