import list from './graph-permissions.json' with { type: 'json' };

// The Microsoft Graph application permissions the managed identity needs, from ONE list
// (graph-permissions.json). The same file is read by infra/app/graph-permissions.bicep and
// infra/scripts/grant-graph-permissions.sh, and the health check compares it with the token's roles.

/**
 * What stops working without the permission: `read` = polls and sweeps abort (nothing is decided),
 * `report` = the device-preparation report export, `remediate` = the named write actions.
 * Read entries are listed even where a ReadWrite entry covers them, so a read-only (plan mode) grant
 * is possible and `missingPermissions` can say exactly which stage is broken.
 */
export const PERMISSION_TIERS = ['read', 'report', 'remediate'] as const;
export type PermissionTier = (typeof PERMISSION_TIERS)[number];

export interface GraphPermission {
  /** App role value, e.g. `DeviceManagementServiceConfig.Read.All`. */
  readonly permission: string;
  /** Microsoft Graph app role id; null = resolve by value from the Graph service principal at grant time. */
  readonly appRoleId: string | null;
  readonly justification: string;
  /** Graph calls that need it (documentation, and what the health check names when it is missing). */
  readonly calls: readonly string[];
  readonly requiredFor: PermissionTier;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isTier(value: unknown): value is PermissionTier {
  return typeof value === 'string' && (PERMISSION_TIERS as readonly string[]).includes(value);
}

/** Validates the JSON at load: a malformed list must fail the app's start, not a grant at 3 a.m. */
export function parsePermissionList(raw: unknown): readonly GraphPermission[] {
  if (!Array.isArray(raw)) throw new Error('graph-permissions.json: expected an array');
  const items: readonly unknown[] = raw;
  const out = items.map((item, i): GraphPermission => {
    const where = `graph-permissions.json[${i}]`;
    if (typeof item !== 'object' || item === null) throw new Error(`${where}: expected an object`);
    const e = item as Record<string, unknown>;
    const { permission, appRoleId, justification, calls, requiredFor } = e;
    if (typeof permission !== 'string' || !/^[A-Za-z]+(\.[A-Za-z]+)+$/.test(permission)) {
      throw new Error(`${where}: permission must look like Resource.Action.Scope`);
    }
    if (appRoleId !== null && (typeof appRoleId !== 'string' || !GUID.test(appRoleId))) {
      throw new Error(`${where}: appRoleId must be a GUID or null`);
    }
    if (typeof justification !== 'string' || justification.trim() === '')
      throw new Error(`${where}: justification is required`);
    const callList: readonly unknown[] = Array.isArray(calls) ? calls : [];
    const callStrings = callList.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
    if (callList.length === 0 || callStrings.length !== callList.length) {
      throw new Error(`${where}: calls must be a non-empty list of strings`);
    }
    if (!isTier(requiredFor)) throw new Error(`${where}: requiredFor must be one of ${PERMISSION_TIERS.join(', ')}`);
    return { permission, appRoleId, justification, calls: callStrings, requiredFor };
  });
  const names = out.map((p) => p.permission.toLowerCase());
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`graph-permissions.json: ${dup} is listed twice`);
  return out;
}

export const GRAPH_PERMISSIONS: readonly GraphPermission[] = parsePermissionList(list);

export function permissionsFor(tiers: readonly PermissionTier[]): readonly GraphPermission[] {
  return GRAPH_PERMISSIONS.filter((p) => tiers.includes(p.requiredFor));
}

/**
 * Granted roles that cover `permission`: itself, its ReadWrite twin for a Read permission, and the Group.*
 * twin for GroupMember.* (Group.ReadWrite.All includes membership writes). Case-insensitive, as Graph is.
 */
export function coveringPermissions(permission: string): readonly string[] {
  const names = new Set([permission]);
  for (const n of [...names]) names.add(n.replace(/\.Read\.All$/, '.ReadWrite.All'));
  for (const n of [...names]) if (n.startsWith('GroupMember.')) names.add(n.replace(/^GroupMember\./, 'Group.'));
  return [...names];
}

/** Entries of the list that the token's `roles` claim does not cover, in list order. */
export function missingPermissions(
  grantedRoles: readonly string[],
  list: readonly GraphPermission[] = GRAPH_PERMISSIONS,
): readonly GraphPermission[] {
  const granted = new Set(grantedRoles.map((r) => r.toLowerCase()));
  return list.filter((p) => !coveringPermissions(p.permission).some((c) => granted.has(c.toLowerCase())));
}
