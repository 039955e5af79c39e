/**
 * Build a generated tenant: lazily computed identities, Entra devices and managed devices, plus the
 * small materialised parts (events, report rows, the device-prep group, service principals) and the
 * exact list of what was planted.
 */
import type { GeneratedSource } from '../tenant/collection.js';
import type {
  AutopilotEvent,
  AutopilotIdentity,
  ConfigurationPolicy,
  EntraDevice,
  Group,
  ManagedDevice,
  PendingImport,
  ReportRow,
  ServicePrincipal,
  User,
} from '../model/schemas.js';
import { NEVER } from '../clock.js';
import {
  autopilotPlant,
  deviceprepPlant,
  INTUNE_PROVISIONING_CLIENT_APP_ID,
  makeContext,
  type GenContext,
} from './context.js';
import { entraAt, entraDeviceId, entraObjectId, identityAt, managedAt, managedId } from './devices.js';
import { eventFor, reportRowFor } from './events.js';
import { hardwareFor } from './hardware.js';
import { guid, iso, MINUTE } from './random.js';
import type { GenerateSpec, Planted, PlantedItem } from './spec.js';

export interface GeneratedTenant {
  identities: GeneratedSource<AutopilotIdentity>;
  devices: GeneratedSource<EntraDevice>;
  managedDevices: GeneratedSource<ManagedDevice>;
  events: AutopilotEvent[];
  reportRows: ReportRow[];
  groups: { group: Group; members: string[]; owners: string[] }[];
  /** The device preparation policy, whose enrollment-time device group is the generated group. */
  configurationPolicies: ConfigurationPolicy[];
  servicePrincipals: ServicePrincipal[];
  users: User[];
  pendingImports: PendingImport[];
  planted: Planted;
}

export function generateTenant(spec: GenerateSpec, anchor: number): GeneratedTenant {
  const ctx = makeContext(spec, anchor);
  const events: AutopilotEvent[] = [];
  const items: Record<string, PlantedItem[]> = {};
  const plant = (kind: string, item: PlantedItem): void => {
    (items[kind] ??= []).push(item);
  };

  for (let i = 0; i < ctx.n; i++) {
    const ev = eventFor(ctx, i);
    if (ev) events.push(ev);
    const kind = autopilotPlant(ctx, i);
    if (kind) plant(kind, describe(ctx, i, ev?.id));
  }
  const reportRows: ReportRow[] = [];
  const members: string[] = [];
  for (let i = 0; i < ctx.n; i++) {
    if (autopilotPlant(ctx, i) !== 'deviceprepRegistered') continue;
    reportRows.push(reportRowFor(ctx, i));
    members.push(entraObjectId(ctx, i));
  }
  for (let k = 0; k < ctx.m; k++) {
    const j = ctx.n + k;
    reportRows.push(reportRowFor(ctx, j));
    const kind = deviceprepPlant(ctx, k);
    if (kind) plant(kind, describe(ctx, j));
    if (kind !== 'deviceprepMissingFromGroup') members.push(entraObjectId(ctx, j));
  }

  const dp = spec.deviceprep;
  const sp: ServicePrincipal = {
    id: guid('5', ctx.seed, 0),
    appId: INTUNE_PROVISIONING_CLIENT_APP_ID,
    displayName: 'Intune Provisioning Client',
  };
  const admin: User = {
    id: guid('9', ctx.seed, 0),
    displayName: 'Intune Admin',
    userPrincipalName: 'intune.admin@contoso.com',
  };
  const owners = [admin.id, ...(dp.ownerHasSp && dp.spExists ? [sp.id] : [])];
  if (!owners.includes(sp.id))
    plant('deviceprepOwnerMissing', {
      serialNumber: null,
      groupId: dp.groupId,
      note: dp.spExists ? 'SP exists but is not an owner' : 'SP missing from tenant',
    });
  const group: Group = {
    id: dp.groupId,
    displayName: dp.groupName,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: dp.dynamic ? ['DynamicMembership'] : [],
    membershipRule: dp.dynamic ? `(device.enrollmentProfileName -eq "${dp.policyName}")` : null,
    membershipRuleProcessingState: dp.dynamic ? 'On' : null,
    isAssignableToRole: false,
  };

  const pendingImports = pending(ctx, spec.plant.pendingImports ?? 0);
  for (const p of pendingImports)
    plant('pendingImports', { serialNumber: p.identity.serialNumber, identityId: p.identity.id });

  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(items)) counts[k] = v.length;
  return {
    identities: { count: ctx.n, at: (i) => identityAt(ctx, i) },
    devices: { count: ctx.n + ctx.m, at: (j) => entraAt(ctx, j) },
    managedDevices: { count: ctx.n + ctx.m, at: (j) => managedAt(ctx, j) },
    events,
    reportRows,
    groups: [{ group, members, owners }],
    configurationPolicies: [
      {
        id: dp.policyId,
        name: dp.policyName,
        enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: dp.groupId }],
      },
    ],
    servicePrincipals: [
      ...(dp.spExists ? [sp] : []),
      { id: guid('5', ctx.seed, 1), appId: '0000000a-0000-0000-c000-000000000000', displayName: 'Microsoft Intune' },
    ],
    users: [admin],
    pendingImports,
    planted: { source: 'generator', seed: ctx.seed, devices: ctx.n, deviceprepDevices: ctx.m, counts, items },
  };
}

function describe(ctx: GenContext, j: number, eventId?: string): PlantedItem {
  const ent = entraAt(ctx, j);
  const md = managedAt(ctx, j);
  return {
    serialNumber: hardwareFor(ctx.seed, j).serialNumber,
    ...(j < ctx.n ? { identityId: identityAt(ctx, j).id } : {}),
    deviceId: entraDeviceId(ctx, j),
    ...(ent ? { entraObjectId: ent.id } : {}),
    ...(md ? { managedDeviceId: managedId(ctx, j) } : {}),
    ...(eventId ? { eventId } : {}),
  };
}

/** Devices imported 30 minutes before the anchor, visible after the next sync. */
function pending(ctx: GenContext, count: number): PendingImport[] {
  const out: PendingImport[] = [];
  for (let p = 0; p < count; p++) {
    const j = ctx.n + ctx.m + p;
    const hw = hardwareFor(ctx.seed, j);
    const id = guid('f', ctx.seed, p);
    const aad = guid('e', ctx.seed, j);
    out.push({
      importedDateTime: iso(ctx.anchor - 30 * MINUTE),
      identity: {
        id,
        addressableUserName: null,
        azureActiveDirectoryDeviceId: aad,
        azureAdDeviceId: aad,
        deploymentProfileAssignedDateTime: NEVER,
        deploymentProfileAssignmentDetailedStatus: 'none',
        deploymentProfileAssignmentStatus: 'pending',
        deviceAccountPassword: null,
        deviceAccountUpn: null,
        deviceFriendlyName: null,
        displayName: null,
        enrollmentState: 'notContacted',
        groupTag: 'Sales',
        lastContactedDateTime: NEVER,
        managedDeviceId: null,
        manufacturer: hw.manufacturer,
        model: hw.model,
        productKey: '',
        purchaseOrderIdentifier: 'PO-4600001',
        remediationState: 'noRemediationRequired',
        remediationStateLastModifiedDateTime: iso(ctx.anchor - 30 * MINUTE),
        resourceName: '',
        serialNumber: hw.serialNumber,
        skuNumber: hw.skuNumber,
        systemFamily: hw.systemFamily,
        userlessEnrollmentStatus: 'allowed',
        userPrincipalName: '',
      },
      device: {
        id: guid('d', ctx.seed, j),
        deviceId: aad,
        displayName: hw.serialNumber,
        enrollmentProfileName: null,
        trustType: 'AzureAd',
        physicalIds: [`[ZTDID]:${id}`, '[OrderID]:Sales'],
        accountEnabled: true,
        approximateLastSignInDateTime: null,
        registrationDateTime: iso(ctx.anchor - 30 * MINUTE),
      },
    });
  }
  return out;
}
