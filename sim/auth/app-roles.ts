/**
 * Application permissions, Graph's side: which app roles (the token's `roles` claim) let a request through.
 * Off by default (an opaque token that may do everything); when roles are managed the simulator issues a
 * JWT-shaped token carrying them, and a request none of whose accepted roles is granted answers
 * 403 Authorization_RequestDenied, as Graph does. The accepted roles per call are those listed under
 * "Permissions" on each API's Microsoft Graph reference page (least privileged first, then the broader ones).
 */
import type { GraphRequest } from '../http/context.js';

interface RoleRule {
  /** Methods the rule applies to. */
  methods: readonly string[];
  /** Regular expression tested against `/{version}{path}`. */
  path: RegExp;
  /** Any one of these roles lets the request through. */
  anyOf: readonly string[];
}

const READ = ['GET'];
const WRITE = ['POST', 'PATCH', 'PUT', 'DELETE'];
const SERVICE_CONFIG_READ = ['DeviceManagementServiceConfig.Read.All', 'DeviceManagementServiceConfig.ReadWrite.All'];
const MANAGED_READ = ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];
const EXPORT_JOBS = [
  'DeviceManagementConfiguration.ReadWrite.All',
  'DeviceManagementApps.ReadWrite.All',
  'DeviceManagementManagedDevices.ReadWrite.All',
];
const DEVICE_READ = ['Device.Read.All', 'Device.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const SP_READ = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

const RULES: readonly RoleRule[] = [
  // A POST that changes nothing; Microsoft documents DeviceManagementConfiguration.ReadWrite.All for it, our list asks
  // for Read.All (see shared/core/permissions/graph-permissions.json): the simulator accepts either.
  {
    methods: ['POST'],
    path: /^\/beta\/deviceManagement\/configurationPolicies\/[^/]+\/retrieveEnrollmentTimeDeviceMembershipTarget$/i,
    anyOf: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'],
  },
  {
    methods: READ,
    path: /^\/beta\/deviceManagement\/configurationPolicies/i,
    anyOf: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'],
  },
  { methods: READ, path: /^\/beta\/deviceManagement\/reports\/exportJobs/i, anyOf: EXPORT_JOBS },
  { methods: WRITE, path: /^\/beta\/deviceManagement\/reports\/exportJobs/i, anyOf: EXPORT_JOBS },
  {
    methods: WRITE,
    path: /^\/beta\/deviceManagement\/windowsAutopilotSettings\/sync$/i,
    anyOf: ['DeviceManagementServiceConfig.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All'],
  },
  {
    methods: WRITE,
    path: /^\/beta\/deviceManagement\/(windowsAutopilot|importedWindowsAutopilot)/i,
    anyOf: ['DeviceManagementServiceConfig.ReadWrite.All'],
  },
  {
    // Deregistering (Delete windowsAutopilotDeviceIdentity) is on v1.0 too.
    methods: ['DELETE'],
    path: /^\/(v1\.0|beta)\/deviceManagement\/windowsAutopilotDeviceIdentities\/[^/]+$/i,
    anyOf: ['DeviceManagementServiceConfig.ReadWrite.All'],
  },
  {
    // Delete managedDevice (https://learn.microsoft.com/graph/api/intune-devices-manageddevice-delete?view=graph-rest-1.0).
    methods: ['DELETE'],
    path: /^\/(v1\.0|beta)\/deviceManagement\/managedDevices\/[^/]+$/i,
    anyOf: ['DeviceManagementManagedDevices.ReadWrite.All'],
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/deviceManagement\/(windowsAutopilot|importedWindowsAutopilot)/i,
    anyOf: SERVICE_CONFIG_READ,
  },
  { methods: READ, path: /^\/(v1\.0|beta)\/deviceManagement\/(autopilotEvents|managedDevices)/i, anyOf: MANAGED_READ },
  { methods: READ, path: /^\/(v1\.0|beta)\/devices/i, anyOf: DEVICE_READ },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/groups\/[^/]+\/owners/i,
    anyOf: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/groups\/[^/]+(\/members.*)?$/i,
    anyOf: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  },
  { methods: READ, path: /^\/(v1\.0|beta)\/groups/i, anyOf: GROUP_READ },
  { methods: READ, path: /^\/(v1\.0|beta)\/servicePrincipals/i, anyOf: SP_READ },
];

/** What an app consented to everything autopilot-medic documents would hold: the default when roles are managed. */
export const FULL_GRANT: readonly string[] = [
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'Device.Read.All',
  'GroupMember.Read.All',
  'Application.Read.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementManagedDevices.ReadWrite.All',
  'DeviceManagementServiceConfig.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'Device.ReadWrite.All',
  'Group.ReadWrite.All',
];

/**
 * The tenant id the simulator's tokens name (`tid`) when a test does not choose one (the only tenant, or the first
 * of several), fixed so tests and the health output can rely on it.
 */
export const SIM_TENANT_ID = '5e1a7000-0000-4000-8000-00000000a11d';

/** True when a request needs a role the grant lacks. `roles` null = roles not managed: everything passes. */
export function lacksRole(req: GraphRequest, roles: readonly string[] | null): boolean {
  if (roles === null) return false;
  const target = `/${req.version}${req.path}`;
  const rule = RULES.find((r) => r.methods.includes(req.method.toUpperCase()) && r.path.test(target));
  if (!rule) return false;
  const granted = new Set(roles.map((r) => r.toLowerCase()));
  return !rule.anyOf.some((r) => granted.has(r.toLowerCase()));
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

/**
 * The bearer token Graph requests must carry: the configured secret as is, or (roles managed) an unsigned
 * JWT-shaped token whose payload carries `roles` and `tid` like an app-only Entra token, with the secret as
 * its third part so only the configured secret's holder can use it. Clients read the claims; nobody checks a signature.
 * `tenantId` is the token's `tid`: one app consented in several tenants gets one token per tenant, each naming its
 * tenant, so the same secret yields a different token in every tenant.
 */
export function issuedToken(secret: string, roles: readonly string[] | null, tenantId: string = SIM_TENANT_ID): string {
  if (roles === null) return secret;
  const payload = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${tenantId}/`,
    tid: tenantId,
    idtyp: 'app',
    roles: [...roles],
  };
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(payload)}.${Buffer.from(secret, 'utf8').toString('base64url')}`;
}
