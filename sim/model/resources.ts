/**
 * Which properties each resource has in each API version, and how a stored (beta-shaped) object is
 * rendered for a version. This is the simulator's own reading of the Graph reference; the schema
 * test checks it against Microsoft's CSDL so a misreading shows up as a failing test.
 */
import {
  entraDeviceSchema,
  eventSchema,
  exportJobProps,
  groupSchema,
  identitySchema,
  importedDeviceSchema,
  managedDeviceSchema,
  servicePrincipalSchema,
  settingsSchema,
  userSchema,
} from './schemas.js';

export type ApiVersion = 'v1.0' | 'beta';

export type ResourceKind =
  | 'identity'
  | 'event'
  | 'settings'
  | 'group'
  | 'device'
  | 'servicePrincipal'
  | 'user'
  | 'managedDevice'
  | 'exportJob'
  | 'imported';

interface ResourceInfo {
  odataType: string;
  /** Properties in beta order. */
  props: readonly string[];
  /** Properties that do not exist in v1.0. */
  betaOnly: ReadonlySet<string>;
  /** Whole resource missing from v1.0. */
  betaOnlyResource?: boolean;
}

const keys = (shape: Record<string, unknown>): string[] => Object.keys(shape);

export const RESOURCES: Record<ResourceKind, ResourceInfo> = {
  identity: {
    odataType: '#microsoft.graph.windowsAutopilotDeviceIdentity',
    props: keys(identitySchema.shape),
    betaOnly: new Set([
      'azureAdDeviceId',
      'deploymentProfileAssignedDateTime',
      'deploymentProfileAssignmentDetailedStatus',
      'deploymentProfileAssignmentStatus',
      'deviceAccountPassword',
      'deviceAccountUpn',
      'deviceFriendlyName',
      'remediationState',
      'remediationStateLastModifiedDateTime',
      'userlessEnrollmentStatus',
    ]),
  },
  event: {
    odataType: '#microsoft.graph.deviceManagementAutopilotEvent',
    props: keys(eventSchema.shape),
    betaOnly: new Set(),
    betaOnlyResource: true,
  },
  settings: {
    odataType: '#microsoft.graph.windowsAutopilotSettings',
    props: keys(settingsSchema.shape),
    betaOnly: new Set(),
    betaOnlyResource: true,
  },
  group: { odataType: '#microsoft.graph.group', props: keys(groupSchema.shape), betaOnly: new Set() },
  device: { odataType: '#microsoft.graph.device', props: keys(entraDeviceSchema.shape), betaOnly: new Set() },
  servicePrincipal: {
    odataType: '#microsoft.graph.servicePrincipal',
    props: keys(servicePrincipalSchema.shape),
    betaOnly: new Set(),
  },
  user: { odataType: '#microsoft.graph.user', props: keys(userSchema.shape), betaOnly: new Set() },
  managedDevice: {
    odataType: '#microsoft.graph.managedDevice',
    props: keys(managedDeviceSchema.shape),
    betaOnly: new Set(['autopilotEnrolled']),
  },
  exportJob: {
    odataType: '#microsoft.graph.deviceManagementExportJob',
    props: exportJobProps,
    betaOnly: new Set(['search']),
  },
  /** Not in the CSDL subset the schema test reads; written from the Graph reference pages. */
  imported: {
    odataType: '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
    props: keys(importedDeviceSchema.shape),
    betaOnly: new Set(['orderIdentifier']),
  },
};

const propCache = new Map<string, readonly string[]>();

/** Property names a version exposes for a resource, in order (cached: rendering is the hot path). */
export function propsFor(kind: ResourceKind, version: ApiVersion): readonly string[] {
  const key = `${kind}/${version}`;
  let props = propCache.get(key);
  if (!props) {
    const info = RESOURCES[kind];
    props = version === 'beta' ? [...info.props] : info.props.filter((p) => !info.betaOnly.has(p));
    propCache.set(key, props);
  }
  return props;
}

/**
 * Render one stored object for a version, optionally limited to `select` (already validated).
 * v1.0 has no `blocked` enrollment state: the service reports it as `unknown` there.
 */
export function render(
  kind: ResourceKind,
  obj: object,
  version: ApiVersion,
  select: readonly string[] | null,
  withType: boolean,
): Record<string, unknown> {
  const source = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (withType) out['@odata.type'] = RESOURCES[kind].odataType;
  const v1 = version === 'v1.0';
  for (const p of select ?? propsFor(kind, version)) {
    let v = source[p];
    if (v === undefined) v = null;
    else if (v1 && v === 'blocked' && p === 'enrollmentState') v = 'unknown';
    out[p] = v;
  }
  return out;
}
