import type {
  AutopilotDevice,
  AutopilotEvent,
  AutopilotSettings,
  DevicePrepDeployment,
  DevicePrepGroupSnapshot,
  EntraDevice,
  ImportedDevice,
  ManagedDevice,
  ServicePrincipalRef,
} from './tenant.js';

/**
 * What one poll or sweep observed. `complete` says which collections were read in full: a detector may only
 * conclude "this problem is gone" for subjects it could see, so an incremental poll never resolves findings
 * that only a full read can confirm.
 */
export interface TenantSnapshot {
  readonly observedAt: number;
  readonly kind: 'incremental' | 'full';
  /** Identities read in this run (full list on a sweep; the filtered "problem" lists on a poll). */
  readonly identities: readonly AutopilotDevice[];
  /** Deployment events read in this run (new since the watermark on a poll). */
  readonly events: readonly AutopilotEvent[];
  readonly settings: AutopilotSettings | null;
  readonly imports: readonly ImportedDevice[];
  readonly devicePrepGroups: readonly DevicePrepGroupSnapshot[];
  /** The Intune Provisioning Client service principal, or null if the tenant lacks it. */
  readonly provisioningClient: ServicePrincipalRef | null;
  readonly entraDevices: readonly EntraDevice[];
  readonly managedDevices: readonly ManagedDevice[];
  readonly devicePrepDeployments: readonly DevicePrepDeployment[];
  readonly complete: {
    readonly identities: boolean;
    readonly entraDevices: boolean;
    readonly managedDevices: boolean;
    readonly devicePrepDeployments: boolean;
    readonly imports: boolean;
  };
  /** Total Autopilot devices in the tenant (for blast-radius percentages), when known. */
  readonly fleetSize: number | null;
}

export const INTUNE_PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
