/**
 * Generated Autopilot identities, Entra devices and Intune managed devices, each computed from its
 * index. Salts (the third argument of between/pick) keep the fields independent of each other.
 */
import { NEVER } from '../clock.js';
import type { AutopilotIdentity, EntraDevice, ManagedDevice } from '../model/schemas.js';
import { autopilotPlant, PROFILES, type GenContext } from './context.js';
import { desktopName, hardwareFor, upnFor } from './hardware.js';
import { between, DAY, guid, HOUR, iso, pick } from './random.js';
import type { AutopilotPlant } from './spec.js';

const GROUP_TAGS = [null, null, 'Sales', 'Finance', 'Engineering', 'Kiosk', 'Warehouse'] as const;
const OS_VERSIONS = ['10.0.22631.4460', '10.0.26100.2314', '10.0.22631.4317', '10.0.19045.5131'] as const;

/** Plants whose device never enrolled, so it has no Intune managed device and no contact time. */
const NOT_ENROLLED: ReadonlySet<AutopilotPlant> = new Set([
  'notAssigned',
  'profilePending',
  'profileFailed',
  'orphanedNoEntra',
]);
/** Plants whose Intune managed device is gone. */
const NO_MANAGED: ReadonlySet<AutopilotPlant> = new Set([...NOT_ENROLLED, 'stale', 'failedDeployments']);

export const identityId = (ctx: GenContext, i: number): string => guid('a', ctx.seed, i);
export const entraObjectId = (ctx: GenContext, j: number): string => guid('d', ctx.seed, j);
export const entraDeviceId = (ctx: GenContext, j: number): string => guid('e', ctx.seed, j);
export const managedId = (ctx: GenContext, j: number): string => guid('c', ctx.seed, j);

/** `adele.vance12@contoso.com` → `Adele Vance`. */
const friendlyName = (upn: string): string =>
  (upn.split('@')[0] ?? '')
    .replace(/\d+$/, '')
    .split('.')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

export const hasManaged = (ctx: GenContext, i: number): boolean => {
  const p = autopilotPlant(ctx, i);
  return p === null || !NO_MANAGED.has(p);
};

/** Key times of Autopilot device i, all before the anchor. */
export function timesOf(
  ctx: GenContext,
  i: number,
): { registered: number; enrolled: number; lastContact: number; lastSync: number } {
  const { seed, anchor } = ctx;
  const registered = anchor - between(seed, i, 10, 40, 700) * DAY;
  const enrolled = Math.min(registered + between(seed, i, 11, 1, 20) * DAY, anchor - 2 * DAY);
  const plant = autopilotPlant(ctx, i);
  let lastContact = Math.max(enrolled, anchor - between(seed, i, 12, 1, 30 * 24) * HOUR);
  if (plant === 'stale') lastContact = anchor - between(seed, i, 13, 181, 400) * DAY;
  if (plant === 'preprovisionedAging') lastContact = preprovEnd(ctx, i);
  const lastSync =
    plant === 'preprovisionedAging' ? lastContact : Math.max(enrolled, anchor - between(seed, i, 14, 1, 72) * HOUR);
  return { registered, enrolled: Math.min(enrolled, lastContact), lastContact, lastSync };
}

/** End of the technician phase of a pre-provisioned device that was never handed to a user. */
export const preprovEnd = (ctx: GenContext, i: number): number => ctx.anchor - between(ctx.seed, i, 15, 152, 175) * DAY;

export function profileNameFor(ctx: GenContext, i: number): string {
  const p = autopilotPlant(ctx, i);
  if (p === 'blocked' || p === 'blockedFixPending' || p === 'preprovisionedAging') return PROFILES.preProvisioned;
  if (p === 'deviceprepRegistered') return ctx.policyName;
  return pick([PROFILES.userDriven, PROFILES.userDriven, PROFILES.userDriven, PROFILES.selfDeploying], ctx.seed, i, 16);
}

export function identityAt(ctx: GenContext, i: number): AutopilotIdentity {
  const { seed } = ctx;
  const hw = hardwareFor(seed, i);
  const plant = autopilotPlant(ctx, i);
  const t = timesOf(ctx, i);
  const enrolled = plant === null || !NOT_ENROLLED.has(plant);
  const upn = enrolled && profileNameFor(ctx, i) !== PROFILES.selfDeploying ? upnFor(seed, i) : null;
  const aad = entraDeviceId(ctx, i);
  const assignment =
    plant === 'notAssigned'
      ? 'notAssigned'
      : plant === 'profilePending'
        ? 'pending'
        : plant === 'profileFailed'
          ? 'failed'
          : plant === 'profileOutOfSync'
            ? 'assignedOutOfSync'
            : 'assignedInSync';
  const blocked = plant === 'blocked' || plant === 'blockedFixPending';
  const remediation =
    plant === 'fixPending' || plant === 'blockedFixPending'
      ? 'automaticRemediationRequired'
      : plant === 'attentionRequired'
        ? 'manualRemediationRequired'
        : 'noRemediationRequired';
  return {
    id: identityId(ctx, i),
    addressableUserName: upn ? friendlyName(upn) : null,
    azureActiveDirectoryDeviceId: aad,
    azureAdDeviceId: aad,
    deploymentProfileAssignedDateTime:
      assignment === 'assignedInSync' || assignment === 'assignedOutOfSync'
        ? iso(t.registered + between(seed, i, 17, 1, 48) * HOUR)
        : NEVER,
    deploymentProfileAssignmentDetailedStatus: 'none',
    deploymentProfileAssignmentStatus: assignment,
    deviceAccountPassword: null,
    deviceAccountUpn: null,
    deviceFriendlyName: null,
    displayName: enrolled ? hw.deviceName : null,
    enrollmentState: blocked
      ? 'blocked'
      : plant === 'failedDeployments'
        ? 'failed'
        : enrolled
          ? 'enrolled'
          : 'notContacted',
    groupTag: pick(GROUP_TAGS, seed, i, 18),
    lastContactedDateTime: enrolled ? iso(t.lastContact) : NEVER,
    managedDeviceId: hasManaged(ctx, i) ? managedId(ctx, i) : null,
    manufacturer: hw.manufacturer,
    model: hw.model,
    productKey: '',
    purchaseOrderIdentifier: `PO-${4500000 + (i % 997)}`,
    remediationState: remediation,
    remediationStateLastModifiedDateTime:
      remediation === 'noRemediationRequired'
        ? iso(t.registered)
        : iso(ctx.anchor - between(seed, i, 19, 2, 96) * HOUR),
    resourceName: '',
    serialNumber: hw.serialNumber,
    skuNumber: hw.skuNumber,
    systemFamily: hw.systemFamily,
    userlessEnrollmentStatus: blocked ? 'blocked' : 'allowed',
    userPrincipalName: upn ?? '',
  };
}

/** Entra device j: j < n is Autopilot device j, otherwise device-prep device j - n. */
export function entraAt(ctx: GenContext, j: number): EntraDevice | undefined {
  const { seed } = ctx;
  if (j < ctx.n) {
    const plant = autopilotPlant(ctx, j);
    if (plant === 'orphanedNoEntra') return undefined;
    const hw = hardwareFor(seed, j);
    const t = timesOf(ctx, j);
    const enrolled = plant === null || !NOT_ENROLLED.has(plant);
    const tag = pick(GROUP_TAGS, seed, j, 18);
    return {
      id: entraObjectId(ctx, j),
      deviceId: entraDeviceId(ctx, j),
      displayName: enrolled ? hw.deviceName : hw.serialNumber,
      enrollmentProfileName: plant === 'notAssigned' ? null : profileNameFor(ctx, j),
      trustType: 'AzureAd',
      physicalIds: [
        `[ZTDID]:${identityId(ctx, j)}`,
        ...(tag ? [`[OrderID]:${tag}`] : []),
        `[HWID]:h:6966${(j * 7919) % 1e9}`,
      ],
      accountEnabled: true,
      approximateLastSignInDateTime: enrolled ? iso(t.lastContact) : null,
      registrationDateTime: iso(t.registered),
    };
  }
  const k = j - ctx.n;
  if (k >= ctx.m) return undefined;
  const enrolledAt = ctx.anchor - between(seed, j, 20, 1, 60) * DAY;
  return {
    id: entraObjectId(ctx, j),
    deviceId: entraDeviceId(ctx, j),
    displayName: desktopName(seed, j),
    enrollmentProfileName: ctx.policyName,
    trustType: 'AzureAd',
    physicalIds: [`[HWID]:h:6966${(j * 7919) % 1e9}`, `[GID]:g:${6966 + k}`],
    accountEnabled: true,
    approximateLastSignInDateTime: iso(Math.max(enrolledAt, ctx.anchor - between(seed, j, 21, 1, 96) * HOUR)),
    registrationDateTime: iso(enrolledAt),
  };
}

export function managedAt(ctx: GenContext, j: number): ManagedDevice | undefined {
  const { seed } = ctx;
  if (j < ctx.n) {
    if (!hasManaged(ctx, j)) return undefined;
    const hw = hardwareFor(seed, j);
    const t = timesOf(ctx, j);
    return {
      id: managedId(ctx, j),
      deviceName: hw.deviceName,
      serialNumber: hw.serialNumber,
      complianceState: autopilotPlant(ctx, j) === 'noncompliant' ? 'noncompliant' : 'compliant',
      lastSyncDateTime: iso(t.lastSync),
      azureADDeviceId: entraDeviceId(ctx, j),
      enrollmentProfileName: profileNameFor(ctx, j),
      managedDeviceOwnerType: 'company',
      operatingSystem: 'Windows',
      osVersion: pick(OS_VERSIONS, seed, j, 22),
      enrolledDateTime: iso(t.enrolled),
      autopilotEnrolled: true,
    };
  }
  const k = j - ctx.n;
  if (k >= ctx.m) return undefined;
  const hw = hardwareFor(seed, j);
  const enrolledAt = ctx.anchor - between(seed, j, 20, 1, 60) * DAY;
  return {
    id: managedId(ctx, j),
    deviceName: desktopName(seed, j),
    serialNumber: hw.serialNumber,
    complianceState: 'compliant',
    lastSyncDateTime: iso(Math.max(enrolledAt, ctx.anchor - between(seed, j, 21, 1, 72) * HOUR)),
    azureADDeviceId: entraDeviceId(ctx, j),
    enrollmentProfileName: ctx.policyName,
    managedDeviceOwnerType: 'company',
    operatingSystem: 'Windows',
    osVersion: '10.0.26100.2314',
    enrolledDateTime: iso(enrolledAt),
    autopilotEnrolled: false,
  };
}
