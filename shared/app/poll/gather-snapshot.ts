import { normSerial } from '../../core/fleet/device-keys.js';
import { EntraTable } from '../../core/fleet/entra-table.js';
import { IdentityTable } from '../../core/fleet/identity-table.js';
import { ManagedTable } from '../../core/fleet/managed-table.js';
import {
  INTUNE_PROVISIONING_CLIENT_APP_ID,
  type AutopilotDevice,
  type ImportedDevice,
  type DevicePrepGroupSnapshot,
  type EntraDevice,
  type ManagedDevice,
  type UnusableRecord,
  type ServicePrincipalRef,
  type TenantSnapshot,
} from '../../core/model/index.js';
import {
  distinctUnusable,
  screenDeploymentRows,
  screenEvents,
  screenIdentities,
  screenImports,
  screenManagedDevices,
} from '../../core/detect/index.js';
import type { AutopilotReader, DirectoryReader, ReadOptions, Watermark, WatermarkStore } from '../../ports/index.js';
import { readDevicePrepExports } from '../compliance/read-exports.js';
import { readPolicyTarget } from './read-policy-target.js';
import { collect, fold } from './collect.js';
import { EVENTS_STREAM, readEventsSince } from './read-events.js';
import { allOrAbort, runSignal } from './read-together.js';

// Reads what a run needs. Any read that cannot finish throws (typed Graph errors from the adapter) and the
// whole run aborts: nothing is decided on a partial picture. Independent collections are read concurrently
// so wall time follows the longest chain of pages, not the sum. They share one abort signal: the first read to
// fail (or the caller's signal) stops the others at once. A single record that cannot be used (a serial
// number with a TAB in it) is not a read that failed: it is screened out here, before any Graph filter is built
// from it, and carried in the snapshot to be reported as a finding of its own.

export interface GatherDeps {
  readonly autopilot: AutopilotReader;
  readonly directory: DirectoryReader;
  readonly watermarks: WatermarkStore;
}

export interface GatherOptions {
  readonly kind: 'incremental' | 'full';
  readonly tenant: string;
  readonly now: number;
  readonly overlapMs: number;
  readonly devicePrepGroups: readonly DevicePrepGroupConfig[];
  readonly memory?: TenantSnapshot['memory'];
  /** The caller's stop (a shutting-down host, Ctrl-C): every read of the run is aborted with it. */
  readonly signal?: AbortSignal;
}

export interface Gathered {
  readonly snapshot: TenantSnapshot;
  /** Commit only after the run succeeded. */
  readonly nextWatermark: Watermark;
  readonly newEvents: number;
}

export async function gatherSnapshot(deps: GatherDeps, opts: GatherOptions): Promise<Gathered> {
  const full = opts.kind === 'full';
  const mark = await deps.watermarks.get(opts.tenant, EVENTS_STREAM);
  const run = new AbortController();
  const read: ReadOptions = { signal: runSignal(run, opts.signal) };
  // A sweep's identities, Entra and Intune devices go into compact tables page by page: at 100,000 devices and more,
  // records would be most of the run's memory. Identities and Intune records with an unusable serial are screened out
  // of each page as it comes.
  const unusableManaged: UnusableRecord[] = [];
  const screenPage = (page: readonly ManagedDevice[]): readonly ManagedDevice[] => {
    const screened = screenManagedDevices(page);
    unusableManaged.push(...screened.unusable);
    return screened.usable;
  };
  let identitiesRead = 0;
  const unusableIdentities: UnusableRecord[] = [];
  const screenIdentityPage = (page: readonly AutopilotDevice[]): readonly AutopilotDevice[] => {
    identitiesRead += page.length;
    const screened = screenIdentities(page);
    unusableIdentities.push(...screened.unusable);
    return screened.usable;
  };
  const [eventRead, settings, identitiesTable, importsRead, groups, entraDevices, managedDevices, exports] =
    await allOrAbort(run, [
      // A full sweep re-reads all 30 days of events (complete.events) so old event findings can resolve.
      readEventsSince(deps.autopilot, full ? null : mark, opts.now, opts.overlapMs, mark, read),
      deps.autopilot.getSettings(read),
      // A poll's identities (the blocked ones) are few: a list.
      fold(
        deps.autopilot.listDeviceIdentities(full ? {} : { blockedOnly: true }, read),
        full ? new IdentityTable() : new PlainList<AutopilotDevice>(),
        screenIdentityPage,
      ),
      collect(deps.autopilot.listImportedDevices(read)),
      Promise.all(opts.devicePrepGroups.map((g) => readDevicePrepGroup(deps, g, full, read))),
      full ? fold(deps.directory.listAutopilotEntraDevices(read), new EntraTable()) : Promise.resolve([]),
      full ? fold(deps.directory.listManagedDevices(read), new ManagedTable(), screenPage) : Promise.resolve([]),
      // A failed export is its own finding, not the end of the sweep (read-exports.ts).
      readDevicePrepExports(deps.autopilot, full && opts.devicePrepGroups.length > 0, read),
    ]);
  const imports = screenImports(importsRead);
  const events = screenEvents(eventRead.events);
  const deployments = screenDeploymentRows(exports.deployments);
  const provisioningClient = await lookupProvisioningClientIfNeeded(deps.directory, groups, read);
  const lookups = full
    ? { identities: [], serials: [] }
    : await lookUpImportedSerials(deps.autopilot, imports.usable, identitiesTable, read);
  const looked = screenIdentities(lookups.identities);
  for (const i of looked.usable) identitiesTable.add(i);
  const unusableRecords = distinctUnusable([
    ...unusableIdentities,
    ...looked.unusable,
    ...imports.unusable,
    ...events.unusable,
    ...unusableManaged,
    ...deployments.unusable,
  ]);
  const snapshot: TenantSnapshot = {
    observedAt: opts.now,
    kind: opts.kind,
    identities: identitiesTable instanceof IdentityTable ? identitiesTable : identitiesTable.items,
    identitySerialsQueried: lookups.serials,
    events: events.usable,
    settings,
    imports: imports.usable,
    devicePrepGroups: groups,
    provisioningClient,
    entraDevices,
    managedDevices,
    devicePrepDeployments: deployments.usable,
    devicePrepItems: exports.items,
    reportExports: exports.reportExports,
    complete: {
      identities: full,
      blockedIdentities: true,
      entraDevices: full,
      managedDevices: full,
      devicePrepDeployments: exports.deploymentsComplete,
      devicePrepItems: exports.itemsComplete,
      imports: true,
      events: full,
    },
    // Every Autopilot device counts towards the fleet, usable or not.
    fleetSize: full ? identitiesRead : null,
    ...(opts.memory ? { memory: opts.memory } : {}),
    ...(unusableRecords.length > 0 ? { unusableRecords } : {}),
  };
  return { snapshot, nextWatermark: eventRead.next, newEvents: eventRead.newCount };
}

/** A poll's few records as a plain list that `fold` adds to. */
class PlainList<T> implements Iterable<T> {
  readonly items: T[] = [];

  add(item: T): void {
    this.items.push(item);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}

/** Completed imports whose device is not yet known are looked up, at most this many per run. */
const MAX_IMPORT_LOOKUPS = 20;
/**
 * URL-encoded filter characters per lookup request: the serials go into one `contains() or …` filter, and a
 * few long ones (up to 256 characters each, several bytes per character once encoded) must not make a URL
 * tens of kilobytes long. Usually all of them fit one request.
 */
const LOOKUP_FILTER_CHARS = 2_000;

async function lookUpImportedSerials(
  autopilot: AutopilotReader,
  imports: readonly ImportedDevice[],
  known: Iterable<AutopilotDevice>,
  read: ReadOptions,
): Promise<{ identities: AutopilotDevice[]; serials: string[] }> {
  // Keyed as the detectors key devices (normSerial), so an import is looked up unless its very device is known.
  const have = new Set(Array.from(known, (d) => normSerial(d.serialNumber)));
  const serials = [
    ...new Set(imports.filter((i) => i.status === 'complete' && !i.errorName).map((i) => normSerial(i.serialNumber))),
  ]
    .filter((s): s is string => s !== null && !have.has(s))
    .slice(0, MAX_IMPORT_LOOKUPS);
  // One request for all of them as a rule (the serials are few: import records are cleaned up once processed).
  const identities: AutopilotDevice[] = [];
  for (const chunk of chunkByFilterSize(serials))
    identities.push(...(await collect(autopilot.listDeviceIdentities({ serialNumbers: chunk }, read))));
  return { identities, serials };
}

/** Serials grouped so that each group's filter stays within LOOKUP_FILTER_CHARS (a longer one goes alone). */
function chunkByFilterSize(serials: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const serial of serials) {
    // The adapter's term for one serial, `contains(serialNumber,'…') or `, as it travels in the query string.
    const cost = encodeURIComponent(`contains(serialNumber,'${serial.replaceAll("'", "''")}') or `).length;
    if (current.length > 0 && size + cost > LOOKUP_FILTER_CHARS) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(serial);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

type DevicePrepGroupConfig = { readonly groupId: string; readonly policyName: string; readonly policyId?: string };

async function readDevicePrepGroup(
  deps: Pick<GatherDeps, 'autopilot' | 'directory'>,
  cfg: DevicePrepGroupConfig,
  full: boolean,
  read: ReadOptions,
): Promise<DevicePrepGroupSnapshot> {
  const directory = deps.directory;
  const policyTarget = readPolicyTarget(deps.autopilot, cfg.policyId, read);
  // The group and what is read of it are independent requests, so they go out together (one round trip on the
  // poll's critical path, not two). They only count when the group exists: a deleted group's owners and members
  // answer 404, which is ignored here exactly as it was never asked before.
  const owners = directory.listGroupOwners(cfg.groupId, read);
  // A sweep reads the member and candidate lists whole. A poll asks two counts instead, and the Autopilot-registered
  // devices of the policy (a handful, and in the same round trip): when every device of the policy is a member, that
  // is all it reads, where the two lists of a 6,000-device group are 14 requests every poll.
  const counts = full ? Promise.resolve(null) : directory.countProfileDevices(cfg.groupId, cfg.policyName, read);
  const registered = full ? null : collect(directory.listRegisteredDevicesByEnrollmentProfile(cfg.policyName, read));
  const lists = full ? readLists(directory, cfg, read) : null;
  for (const p of [owners, counts, registered, lists]) void p?.catch(() => undefined);
  const group = await directory.getGroup(cfg.groupId, read);
  const base = { groupId: cfg.groupId, policyName: cfg.policyName };
  if (!group) {
    return { ...base, group: null, owners: [], memberObjectIds: [], candidates: [], policyTarget: await policyTarget };
  }
  const counted = await counts;
  const asked = counted === null ? {} : { counts: counted };
  const [memberObjectIds, candidates] =
    counted !== null && counted.candidates === counted.members
      ? [[], (await registered) ?? []]
      : await (lists ?? readLists(directory, cfg, read));
  return {
    ...base,
    group,
    owners: await owners,
    memberObjectIds,
    candidates,
    policyTarget: await policyTarget,
    ...asked,
  };
}

function readLists(
  directory: DirectoryReader,
  cfg: DevicePrepGroupConfig,
  read: ReadOptions,
): Promise<[string[], EntraDevice[]]> {
  return Promise.all([
    collect(directory.listGroupMemberIds(cfg.groupId, read)),
    collect(directory.listDevicesByEnrollmentProfile(cfg.policyName, read)),
  ]);
}

/** The SP's object id is only needed to restore it as owner, so skip the lookup when every group has it. */
async function lookupProvisioningClientIfNeeded(
  directory: DirectoryReader,
  groups: readonly DevicePrepGroupSnapshot[],
  read: ReadOptions,
): Promise<ServicePrincipalRef | null> {
  const anyMissing = groups.some(
    (g) => g.group !== null && !g.owners.some((o) => o.appId?.toLowerCase() === INTUNE_PROVISIONING_CLIENT_APP_ID),
  );
  if (!anyMissing) {
    const owner = groups
      .flatMap((g) => g.owners)
      .find((o) => o.appId?.toLowerCase() === INTUNE_PROVISIONING_CLIENT_APP_ID);
    return owner ? { objectId: owner.id, appId: INTUNE_PROVISIONING_CLIENT_APP_ID, displayName: null } : null;
  }
  return directory.findServicePrincipalByAppId(INTUNE_PROVISIONING_CLIENT_APP_ID, read);
}
