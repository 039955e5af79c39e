import { autopilotDevicesLink, groupLink, managedDeviceLink } from '../../core/alerts/links.js';
import { catalogEntry } from '../../core/catalog/index.js';
import { classifyFailure, normSerial } from '../../core/detect/index.js';
import { normId } from '../../core/detect/lookup.js';
import {
  groupDeviceRecords,
  isBlockedIdentity,
  parseDeviceKey,
  serialOf,
  type DeviceKey,
  type DeviceRecords,
} from '../../core/lookup/device-records.js';
import type { AutopilotDevice, AutopilotEvent, EntraDevice, ManagedDevice } from '../../core/model/index.js';
import type {
  AutopilotReader,
  DeviceLookupReader,
  DirectoryReader,
  FindingRecord,
  FindingStore,
  HistoryRecord,
  HistoryStore,
} from '../../ports/index.js';
import { isoOrNull } from '../../core/time.js';
import { storedEvidence } from '../poll/finding-records.js';

// The technician's device lookup behind `autopilot-medic device <key>` and GET /api/devices/{key}: one view of
// one device from its Autopilot, Entra and Intune records, its last deployment events (error codes explained
// by the catalog), its device-preparation group membership, the open findings and remediation history the
// product recorded, and admin-center links. Read-only, and a few point reads whatever the tenant size.
//
// Resolution: a GUID is tried as an Autopilot identity id, Entra object id, Entra deviceId and Intune managed
// device id; anything else as a serial number (Autopilot, Intune) and a device name (Entra displayName, Intune
// deviceName). The records found are grouped into devices (core/lookup): one device is the answer, several make
// the key ambiguous (the candidates are listed so the caller can use a serial or an id), none means unknown.

export const DEVICE_EVENT_LIMIT = 5;
export const DEVICE_HISTORY_LIMIT = 25;

export interface DeviceLookupDeps {
  readonly autopilot: Pick<AutopilotReader, 'listDeviceIdentities' | 'getDeviceIdentity'>;
  readonly directory: Pick<DirectoryReader, 'getDevice' | 'getDeviceByDeviceId' | 'getGroup' | 'filterMembers'>;
  readonly lookup: DeviceLookupReader;
  readonly findings: Pick<FindingStore, 'listBySubject'>;
  readonly history: Pick<HistoryStore, 'query'>;
  readonly devicePrepGroups: readonly { readonly groupId: string; readonly policyName: string }[];
  readonly portalUrl: string;
}

/** The key cannot belong to any device (empty, control characters, too long): a usage error, not "unknown". */
export class InvalidDeviceKeyError extends Error {
  constructor(readonly reason: string) {
    super(`device key: ${reason}`);
    this.name = 'InvalidDeviceKeyError';
  }
}

export type MatchedBy =
  'autopilot-id' | 'entra-object-id' | 'entra-device-id' | 'intune-id' | 'serial' | 'entra-name' | 'intune-name';

export interface AutopilotView {
  readonly id: string;
  readonly serialNumber: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly displayName: string | null;
  readonly groupTag: string | null;
  readonly assignedUser: string | null;
  readonly profileStatus: string;
  readonly profileAssignedAt: string | null;
  readonly enrollmentState: string;
  readonly userlessEnrollmentStatus: string;
  readonly blocked: boolean;
  readonly remediationState: string;
  readonly lastContactedAt: string | null;
}

export interface EntraView {
  readonly objectId: string;
  readonly deviceId: string;
  readonly displayName: string | null;
  readonly enrollmentProfileName: string | null;
  readonly autopilotRegistered: boolean;
  readonly trustType: string | null;
  readonly registeredAt: string | null;
}

export interface IntuneView {
  readonly id: string;
  readonly deviceName: string | null;
  readonly serialNumber: string | null;
  readonly complianceState: string;
  readonly lastSyncAt: string | null;
  readonly enrollmentProfileName: string | null;
  readonly autopilotEnrolled: boolean;
}

export interface ExplainedCode {
  readonly code: string;
  readonly title: string;
  readonly fix: string;
}

export interface DeploymentView {
  readonly id: string;
  readonly at: string | null;
  readonly enrollmentType: string;
  readonly profileName: string | null;
  /** deploymentState: success, failure, inProgress, successWithTimeout, … */
  readonly outcome: string;
  readonly deviceSetup: string;
  readonly accountSetup: string;
  readonly durationSeconds: number | null;
  readonly failureDetails: string | null;
  /** The HRESULT the failure details carry (0x + 8 hex digits), or null. */
  readonly errorCode: string | null;
  /** What the catalog says about that code, or null (no code, or one the catalog does not know). */
  readonly explanation: ExplainedCode | null;
}

export interface GroupMembershipView {
  readonly groupId: string;
  readonly groupName: string | null;
  readonly policyName: string;
  /** null: the device has no Entra record, or the group does not exist. */
  readonly member: boolean | null;
  /** The device enrolled with this device-preparation policy (Entra enrollmentProfileName), so it belongs in the group. */
  readonly expected: boolean;
  readonly link: string;
}

export interface FindingView {
  readonly subjectKey: string;
  readonly code: string;
  readonly severity: string;
  readonly title: string;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly attempts: number;
  readonly fix: string;
}

export interface HistoryView {
  readonly at: string;
  readonly subjectKey: string;
  readonly type: string;
  readonly action: string | null;
  readonly code: string | null;
  readonly mode: string | null;
  readonly status: string;
  readonly reason: string;
  readonly runId: string;
}

export interface DeviceView {
  readonly key: string;
  readonly matchedBy: readonly MatchedBy[];
  readonly serialNumber: string | null;
  readonly autopilot: AutopilotView | null;
  readonly entra: EntraView | null;
  readonly intune: IntuneView | null;
  readonly deployments: readonly DeploymentView[];
  readonly devicePrepGroups: readonly GroupMembershipView[];
  readonly openFindings: readonly FindingView[];
  readonly history: readonly HistoryView[];
  readonly links: { readonly intuneDevice: string | null; readonly autopilotDevices: string | null };
  /** Things a technician should know about the records themselves (a dangling link, duplicates). */
  readonly notes: readonly string[];
}

export interface DeviceCandidate {
  readonly serialNumber: string | null;
  readonly names: readonly string[];
  readonly autopilotId: string | null;
  readonly entraObjectId: string | null;
  readonly intuneId: string | null;
}

export type DeviceLookupResult =
  | { readonly kind: 'found'; readonly device: DeviceView }
  | { readonly kind: 'not-found'; readonly key: string; readonly message: string }
  | {
      readonly kind: 'ambiguous';
      readonly key: string;
      readonly message: string;
      readonly candidates: readonly DeviceCandidate[];
    };

export async function lookupDevice(
  deps: DeviceLookupDeps,
  rawKey: string,
  opts: { readonly signal?: AbortSignal } = {},
): Promise<DeviceLookupResult> {
  const parsed = parseDeviceKey(rawKey);
  if (!parsed.ok) throw new InvalidDeviceKeyError(parsed.problem);
  let key = parsed.key;
  let { found, labels } = await findRecords(deps, key, opts.signal);
  let groups = groupDeviceRecords(found);
  // Whoever imports or enrolls a device chooses its serial and name, and either may look like a GUID: a GUID-shaped
  // key that is no record's id is looked up as a serial number or name too.
  if (groups.length === 0 && key.kind === 'id') {
    const asText: DeviceKey = { kind: 'serial-or-name', value: rawKey.trim() };
    ({ found, labels } = await findRecords(deps, asText, opts.signal));
    groups = groupDeviceRecords(found);
    if (groups.length > 0) key = asText;
  }
  if (groups.length === 0) {
    return { kind: 'not-found', key: key.value, message: notFoundMessage(key) };
  }
  if (groups.length > 1) {
    const candidates = groups.map(candidateOf);
    return {
      kind: 'ambiguous',
      key: key.value,
      candidates,
      message: `"${key.value}" matches ${groups.length} devices; look one up by its serial number or id`,
    };
  }
  const [group] = groups;
  if (!group) throw new Error('internal: no device group');
  const matchedBy = [
    ...new Set([group.identity, group.entra, group.managed].flatMap((r) => (r ? (labels.get(r) ?? []) : []))),
  ];
  const notes: string[] = [];
  if (group.extra > 0)
    notes.push(
      `${group.extra} more record(s) of the same device were found; the one linked by id or last active is shown`,
    );
  const records = await completeRecords(deps, group, notes, opts.signal);
  return { kind: 'found', device: await assemble(deps, key, matchedBy, records, notes, opts.signal) };
}

function notFoundMessage(key: DeviceKey): string {
  return key.kind === 'id'
    ? `no device has the id ${key.value} (tried: Autopilot identity id, Entra object id, Entra deviceId, Intune managed device id; and as a serial number or name)`
    : `no device has the serial number or name "${key.value}" (tried: Autopilot and Intune serial numbers, Entra display names, Intune device names)`;
}

type Found = { identities: AutopilotDevice[]; entra: EntraDevice[]; managed: ManagedDevice[] };

async function findRecords(
  deps: DeviceLookupDeps,
  key: DeviceKey,
  signal?: AbortSignal,
): Promise<{ found: Found; labels: Map<object, MatchedBy[]> }> {
  const opts = signal ? { signal } : {};
  const labels = new Map<object, MatchedBy[]>();
  const tag = <T extends object>(items: readonly (T | null)[], label: MatchedBy): T[] =>
    items.flatMap((item) => {
      if (item === null) return [];
      labels.set(item, [...(labels.get(item) ?? []), label]);
      return [item];
    });
  if (key.kind === 'id') {
    const [identity, byObject, byDeviceId, managed] = await Promise.all([
      deps.autopilot.getDeviceIdentity(key.value, opts),
      deps.directory.getDevice(key.value, opts),
      deps.directory.getDeviceByDeviceId(key.value, opts),
      deps.lookup.getManagedDevice(key.value, opts),
    ]);
    return {
      found: {
        identities: tag([identity], 'autopilot-id'),
        entra: [...tag([byObject], 'entra-object-id'), ...tag([byDeviceId], 'entra-device-id')],
        managed: tag([managed], 'intune-id'),
      },
      labels,
    };
  }
  const [identities, managedBySerial, entraByName, managedByName] = await Promise.all([
    collect(deps.autopilot.listDeviceIdentities({ serialNumber: key.value }, opts)),
    deps.lookup.managedDevicesBy({ serialNumber: key.value }, opts),
    deps.lookup.entraDevicesByName(key.value, opts),
    deps.lookup.managedDevicesBy({ deviceName: key.value }, opts),
  ]);
  return {
    found: {
      identities: tag(identities, 'serial'),
      entra: tag(entraByName, 'entra-name'),
      managed: [...tag(managedBySerial, 'serial'), ...tag(managedByName, 'intune-name')],
    },
    labels,
  };
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

function candidateOf(r: DeviceRecords): DeviceCandidate {
  const names = [r.identity?.displayName, r.entra?.displayName, r.managed?.deviceName].filter(
    (n): n is string => typeof n === 'string' && n !== '',
  );
  return {
    serialNumber: serialOf(r),
    names: [...new Set(names)],
    autopilotId: r.identity?.id ?? null,
    entraObjectId: r.entra?.objectId ?? null,
    intuneId: r.managed?.id ?? null,
  };
}

/**
 * Fills the records the key did not find by following the links of those it did: the identity's Intune id and
 * Entra deviceId, the Intune record's serial and Entra deviceId, the Entra device's deviceId. Two passes reach
 * every record from any one (e.g. Entra → Intune by deviceId → identity by serial).
 */
async function completeRecords(
  deps: DeviceLookupDeps,
  start: DeviceRecords,
  notes: string[],
  signal?: AbortSignal,
): Promise<DeviceRecords> {
  const opts = signal ? { signal } : {};
  let { identity, entra, managed } = start;
  const tried = new Set<string>();
  const once = (what: string): boolean => {
    if (tried.has(what)) return false;
    tried.add(what);
    return true;
  };
  for (let pass = 0; pass < 2; pass += 1) {
    const wantedIntune = normId(identity?.managedDeviceId);
    if (!managed && wantedIntune && once(`intune:${wantedIntune}`)) {
      managed = await deps.lookup.getManagedDevice(wantedIntune, opts);
      if (!managed)
        notes.push(`the Autopilot identity names Intune device ${wantedIntune}, which Intune does not have`);
    }
    const entraDeviceId =
      normId(entra?.deviceId) ?? normId(identity?.azureAdDeviceId) ?? normId(managed?.azureAdDeviceId);
    if (!entra && entraDeviceId && once(`entra:${entraDeviceId}`)) {
      entra = await deps.directory.getDeviceByDeviceId(entraDeviceId, opts);
      if (!entra)
        notes.push(`no Entra device has the deviceId ${entraDeviceId} its other records name (deleted from Entra ID?)`);
    }
    if (!managed && entraDeviceId && once(`intune-by-entra:${entraDeviceId}`)) {
      managed = latest(await deps.lookup.managedDevicesBy({ entraDeviceId }, opts));
    }
    const serial = normSerial(identity?.serialNumber) ?? normSerial(managed?.serialNumber);
    if (!identity && serial && once(`identity:${serial}`)) {
      identity = (await collect(deps.autopilot.listDeviceIdentities({ serialNumber: serial }, opts)))[0] ?? null;
    }
    if (!identity && entraDeviceId && once(`identity-by-entra:${entraDeviceId}`)) {
      identity = (await deps.lookup.identitiesByEntraDeviceId(entraDeviceId, opts))[0] ?? null;
    }
    if (!managed && serial && once(`intune-by-serial:${serial}`)) {
      managed = latest(await deps.lookup.managedDevicesBy({ serialNumber: serial }, opts));
    }
  }
  return { identity, entra, managed };
}

function latest(items: readonly ManagedDevice[]): ManagedDevice | null {
  return [...items].sort((a, b) => (b.lastSyncAt ?? 0) - (a.lastSyncAt ?? 0))[0] ?? null;
}

async function assemble(
  deps: DeviceLookupDeps,
  key: DeviceKey,
  matchedBy: readonly MatchedBy[],
  r: DeviceRecords,
  notes: string[],
  signal?: AbortSignal,
): Promise<DeviceView> {
  const opts = signal ? { signal } : {};
  const serial = serialOf(r);
  // Findings and history are keyed by serial (upper case) for Autopilot devices and by the Entra OBJECT id
  // (lower case) for device-preparation devices, which the poll knows by object id.
  const subjectKeys = [
    ...new Set([serial, r.entra ? r.entra.objectId.toLowerCase() : null].filter((k): k is string => k !== null)),
  ];
  const [events, groups, findings, history] = await Promise.all([
    serial ? deps.lookup.eventsForSerial(serial, DEVICE_EVENT_LIMIT, opts) : Promise.resolve([]),
    Promise.all(deps.devicePrepGroups.map((g) => membership(deps, g, r.entra, signal))),
    Promise.all(subjectKeys.map((k) => deps.findings.listBySubject(k))).then((lists) => lists.flat()),
    Promise.all(subjectKeys.map((k) => deps.history.query({ subjectKey: k, limit: DEVICE_HISTORY_LIMIT }))).then(
      (pages) => pages.flatMap((p) => p.items),
    ),
  ]);
  const managedId = r.managed?.id ?? normId(r.identity?.managedDeviceId);
  return {
    key: key.value,
    matchedBy,
    serialNumber: serial,
    autopilot: r.identity ? autopilotView(r.identity) : null,
    entra: r.entra ? entraView(r.entra) : null,
    intune: r.managed ? intuneView(r.managed) : null,
    deployments: events.map(deploymentView),
    devicePrepGroups: groups,
    openFindings: findings
      .filter((f) => f.status === 'open')
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt || a.code.localeCompare(b.code))
      .map(findingView),
    history: history
      .sort((a, b) => b.at - a.at || a.id.localeCompare(b.id))
      .slice(0, DEVICE_HISTORY_LIMIT)
      .map(historyView),
    links: {
      intuneDevice: r.managed && managedId ? managedDeviceLink(deps.portalUrl, managedId) : null,
      autopilotDevices: r.identity ? autopilotDevicesLink(deps.portalUrl) : null,
    },
    notes,
  };
}

async function membership(
  deps: DeviceLookupDeps,
  g: { readonly groupId: string; readonly policyName: string },
  entra: EntraDevice | null,
  signal?: AbortSignal,
): Promise<GroupMembershipView> {
  const opts = signal ? { signal } : {};
  const group = await deps.directory.getGroup(g.groupId, opts);
  const expected = (entra?.enrollmentProfileName ?? '').trim().toLowerCase() === g.policyName.trim().toLowerCase();
  // Group membership takes the Entra OBJECT id; the read stops at the page holding it.
  const member =
    entra && group ? (await deps.directory.filterMembers(g.groupId, [entra.objectId], opts)).size > 0 : null;
  return {
    groupId: g.groupId,
    groupName: group?.displayName ?? null,
    policyName: g.policyName,
    member,
    expected,
    link: groupLink(g.groupId),
  };
}

function autopilotView(i: AutopilotDevice): AutopilotView {
  return {
    id: i.id,
    serialNumber: i.serialNumber,
    manufacturer: i.manufacturer,
    model: i.model,
    displayName: i.displayName,
    groupTag: i.groupTag,
    assignedUser: i.userPrincipalName,
    profileStatus: i.profileAssignmentStatus,
    profileAssignedAt: isoOrNull(i.profileAssignedAt),
    enrollmentState: i.enrollmentState,
    userlessEnrollmentStatus: i.userlessEnrollmentStatus,
    blocked: isBlockedIdentity(i),
    remediationState: i.remediationState,
    lastContactedAt: isoOrNull(i.lastContactedAt),
  };
}

function entraView(e: EntraDevice): EntraView {
  return {
    objectId: e.objectId,
    deviceId: e.deviceId,
    displayName: e.displayName,
    enrollmentProfileName: e.enrollmentProfileName,
    autopilotRegistered: e.isAutopilotRegistered,
    trustType: e.trustType,
    registeredAt: isoOrNull(e.createdAt),
  };
}

function intuneView(m: ManagedDevice): IntuneView {
  return {
    id: m.id,
    deviceName: m.deviceName,
    serialNumber: m.serialNumber,
    complianceState: m.complianceState,
    lastSyncAt: isoOrNull(m.lastSyncAt),
    enrollmentProfileName: m.enrollmentProfileName,
    autopilotEnrolled: m.autopilotEnrolled,
  };
}

function deploymentView(e: AutopilotEvent): DeploymentView {
  const classified = classifyFailure(e.failureDetails);
  const entry = classified.finding ? catalogEntry(classified.finding) : null;
  return {
    id: e.id,
    at: isoOrNull(e.eventAt),
    enrollmentType: e.enrollmentType,
    profileName: e.profileName,
    outcome: e.deploymentState,
    deviceSetup: e.deviceSetupStatus,
    accountSetup: e.accountSetupStatus,
    durationSeconds: e.deploymentTotalSeconds,
    failureDetails: e.failureDetails,
    errorCode: classified.matched ?? classified.errorCode,
    explanation: entry ? { code: entry.code, title: entry.title, fix: entry.fix } : null,
  };
}

const NO_FIX = 'No documented fix is catalogued for this code: investigate it by hand.';

function findingView(f: FindingRecord): FindingView {
  const entry = catalogEntry(f.code);
  return {
    subjectKey: f.subjectKey,
    code: f.code,
    severity: f.severity,
    title: entry?.title ?? (f.title || f.code),
    firstSeenAt: new Date(f.firstSeenAt).toISOString(),
    lastSeenAt: new Date(f.lastSeenAt).toISOString(),
    attempts: f.attempts,
    fix: entry?.fixFor?.(storedEvidence(f.evidence)) ?? entry?.fix ?? NO_FIX,
  };
}

function historyView(h: HistoryRecord): HistoryView {
  return {
    at: new Date(h.at).toISOString(),
    subjectKey: h.subjectKey,
    type: h.type,
    action: h.action,
    code: h.code,
    mode: h.mode,
    status: h.status,
    reason: h.reason,
    runId: h.runId,
  };
}
