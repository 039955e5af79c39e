/**
 * The `generate` block of a scenario and the plant kinds. Each planted device carries exactly one
 * plant kind, so every count a detector reports can be compared with `planted.counts` one to one.
 * sim/README.md documents what each kind sets; keep the two in step.
 */
import { z } from 'zod';

/** Plants on Autopilot-registered devices, in allocation order. */
export const AUTOPILOT_PLANTS = [
  'blocked',
  'blockedFixPending',
  'fixPending',
  'attentionRequired',
  'notAssigned',
  'profilePending',
  'profileOutOfSync',
  'profileFailed',
  'stale',
  'orphanedNoEntra',
  'noncompliant',
  'failedDeployments',
  'stuckInProgress',
  'successWithTimeout',
  'preprovisionedAging',
  'deviceprepRegistered',
] as const;
/** Plants on device-preparation devices (not Autopilot-registered). */
export const DEVICEPREP_PLANTS = ['deviceprepMissingFromGroup', 'deviceprepFailed'] as const;

export type AutopilotPlant = (typeof AUTOPILOT_PLANTS)[number];
export type DeviceprepPlant = (typeof DEVICEPREP_PLANTS)[number];
export type PlantKind = AutopilotPlant | DeviceprepPlant | 'pendingImports' | 'deviceprepOwnerMissing';

const count = z.number().int().nonnegative();

export const generateSchema = z.strictObject({
  /** Autopilot-registered devices (identity + Entra device + managed device each, unless a plant removes one). */
  devices: count,
  seed: z.number().int().nonnegative().default(1),
  /** Share of healthy registered devices that also have a successful deployment event (last 30 days). */
  healthyEventShare: z.number().min(0).max(1).default(0.03),
  deviceprep: z
    .strictObject({
      /** Device-preparation devices (Entra + managed device + report row, no Autopilot record). */
      devices: count.optional(),
      policyName: z.string().default('Contoso Windows 11 device preparation'),
      groupId: z.string().default('0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5'),
      /** The policy's configurationPolicies id; its enrollment-time device group is `groupId`. */
      policyId: z.string().default('6e2b4f10-3c7d-4e8a-9b5c-1d2e3f4a5b6c'),
      groupName: z.string().default('DP - Windows 11 devices'),
      /** false: the Intune Provisioning Client SP exists but does not own the group (plant `deviceprepOwnerMissing`). */
      ownerHasSp: z.boolean().default(true),
      /** false: the SP is missing from the tenant altogether (then it cannot be an owner either). */
      spExists: z.boolean().default(true),
      dynamic: z.boolean().default(false),
    })
    .default({
      policyName: 'Contoso Windows 11 device preparation',
      groupId: '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5',
      policyId: '6e2b4f10-3c7d-4e8a-9b5c-1d2e3f4a5b6c',
      groupName: 'DP - Windows 11 devices',
      ownerHasSp: true,
      spExists: true,
      dynamic: false,
    }),
  plant: z
    .strictObject({
      ...(Object.fromEntries(AUTOPILOT_PLANTS.map((k) => [k, count.optional()])) as Record<
        AutopilotPlant,
        z.ZodOptional<typeof count>
      >),
      ...(Object.fromEntries(DEVICEPREP_PLANTS.map((k) => [k, count.optional()])) as Record<
        DeviceprepPlant,
        z.ZodOptional<typeof count>
      >),
      pendingImports: count.optional(),
    })
    .default({}),
});
export type GenerateSpec = z.output<typeof generateSchema>;

export interface PlantedItem {
  serialNumber: string | null;
  identityId?: string;
  entraObjectId?: string;
  deviceId?: string;
  managedDeviceId?: string;
  eventId?: string;
  groupId?: string;
  /** An importedWindowsAutopilotDeviceIdentity (import-error plants of hand-written scenarios). */
  importedDeviceId?: string;
  note?: string;
}

export interface Planted {
  source: 'generator' | 'scenario' | 'none';
  seed?: number;
  devices?: number;
  deviceprepDevices?: number;
  counts: Record<string, number>;
  items: Record<string, PlantedItem[]>;
}
