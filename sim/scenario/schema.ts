/**
 * The scenario file format (documented key by key in sim/README.md). Resources are written in Graph
 * shape; every string of the form `now`, `now-3m`, `now-170d`, `now+5m` is resolved against the
 * simulator clock when the scenario loads.
 */
import { z } from 'zod';
import { generateSchema } from '../generate/spec.js';
import { faultRuleSchema } from '../limits/faults.js';
import {
  appReportRowSchema,
  configurationPolicySchema,
  entraDeviceSchema,
  eventSchema,
  groupSchema,
  identitySchema,
  importedDeviceSchema,
  managedDeviceSchema,
  pendingImportSchema,
  reportRowSchema,
  scriptReportRowSchema,
  servicePrincipalSchema,
  settingsSchema,
  userSchema,
} from '../model/schemas.js';

const writeLimitSchema = z.strictObject({
  max: z.number().int().positive(),
  windowMs: z.number().int().positive(),
  mode: z.enum(['sliding', 'fixed']).default('sliding'),
});

export const optionsSchema = z.strictObject({
  token: z.string().min(1).optional(),
  /**
   * Application roles the issued token carries (and Graph enforces): null = not managed (opaque token, everything
   * allowed); "full" = every permission autopilot-medic documents; or a list of role names.
   */
  roles: z.union([z.literal('full'), z.array(z.string().min(1)), z.null()]).optional(),
  /** Roles taken out of the grant (managing roles from the full grant if they were not managed). */
  revokeRoles: z.array(z.string().min(1)).optional(),
  latencyMs: z.number().nonnegative().optional(),
  writeLimit: writeLimitSchema.nullable().optional(),
  syncDurationMs: z.number().int().nonnegative().optional(),
  /** How syncs started in this scenario end. */
  syncOutcome: z.enum(['completed', 'failed']).optional(),
  exportJob: z
    .strictObject({
      /** GET polls answered before the job reports `completed` (the create response is `notStarted`). */
      pollsUntilComplete: z.number().int().nonnegative().default(2),
      /** Minimum simulator time between create and completion. */
      minDurationMs: z.number().int().nonnegative().default(0),
    })
    .optional(),
});

export const denialSchema = z.strictObject({
  method: z.string().optional(),
  path: z.string().min(1),
  version: z.enum(['v1.0', 'beta']).optional(),
});

const plantedItemSchema = z.strictObject({
  serialNumber: z.string().nullable(),
  identityId: z.string().optional(),
  entraObjectId: z.string().optional(),
  deviceId: z.string().optional(),
  managedDeviceId: z.string().optional(),
  eventId: z.string().optional(),
  groupId: z.string().optional(),
  /** An importedWindowsAutopilotDeviceIdentity (import-error plants). */
  importedDeviceId: z.string().optional(),
  note: z.string().optional(),
});

export const scenarioGroupSchema = groupSchema.extend({
  /** Object ids of member devices / users / service principals. */
  members: z.array(z.string()).default([]),
  owners: z.array(z.string()).default([]),
});

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().default('unnamed'),
  description: z.string().optional(),
  /** Human-readable list of what a correct product should find and do. */
  expectations: z.array(z.string()).optional(),
  options: optionsSchema.default({}),
  windowsAutopilotSettings: settingsSchema.default({
    id: '3c5a5a12-7d9a-4f0e-a6b1-5e1f00000001',
    lastManualSyncTriggerDateTime: '0001-01-01T00:00:00Z',
    lastSyncDateTime: '0001-01-01T00:00:00Z',
    syncStatus: 'completed',
  }),
  windowsAutopilotDeviceIdentities: z.array(identitySchema).default([]),
  autopilotEvents: z.array(eventSchema).default([]),
  pendingImports: z.array(pendingImportSchema).default([]),
  /**
   * importedWindowsAutopilotDeviceIdentities beyond the `complete` records of `pendingImports` (which are
   * derived): typically import errors such as 808 ZtdDeviceAssignedToOtherTenant.
   */
  importedDevices: z.array(importedDeviceSchema).default([]),
  groups: z.array(scenarioGroupSchema).default([]),
  /** Device preparation policies (configurationPolicies) and the device group each writes to at enrollment. */
  configurationPolicies: z.array(configurationPolicySchema).default([]),
  devices: z.array(entraDeviceSchema).default([]),
  users: z.array(userSchema).default([]),
  servicePrincipals: z.array(servicePrincipalSchema).default([]),
  managedDevices: z.array(managedDeviceSchema).default([]),
  deviceprepReport: z.array(reportRowSchema).default([]),
  /** Rows of AutopilotV2DeploymentStatusDetailedAppInfo (the Apps tab of a device-preparation deployment). */
  deviceprepAppReport: z.array(appReportRowSchema).default([]),
  /** Rows of AutopilotV2DeploymentStatusDetailedScriptInfo (the Scripts tab). */
  deviceprepScriptReport: z.array(scriptReportRowSchema).default([]),
  denials: z.array(denialSchema).default([]),
  faults: z.array(faultRuleSchema).default([]),
  generate: generateSchema.optional(),
  /** Declared plants of a hand-written scenario, same shape as the generator's `planted.items`. */
  planted: z.record(z.string(), z.array(plantedItemSchema)).optional(),
});

/** What a scenario file or object may contain (relative times allowed, defaults optional). */
export type ScenarioObject = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioOptions = z.output<typeof optionsSchema>;
