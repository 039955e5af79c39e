import type {
  DirectoryObjectRef,
  EntraDevice,
  GroupInfo,
  ManagedDevice,
  ServicePrincipalRef,
} from '../../core/model/index.js';
import { GraphError, type DirectoryReader, type ProfileDeviceCounts, type ReadOptions } from '../../ports/index.js';
import { parseJson, type GraphHttp } from './graph-http.js';
import { inList, isGuid, quote, quoteGuid, segment } from './odata.js';
import { collectAll, listPages, type ProgressSink } from './paging.js';
import { firstOf, getOneOrNull } from './read-helpers.js';
import {
  DEVICE_SELECT,
  directoryObjectSchema,
  entraDeviceSchema,
  GROUP_SELECT,
  groupSchema,
  MANAGED_DEVICE_SELECT,
  memberIdSchema,
  parseEntraDevice,
  parseManagedDevice,
  SERVICE_PRINCIPAL_SELECT,
  servicePrincipalSchema,
} from './schemas/directory.js';

// Entra directory reads on v1.0. Directory lists accept $top up to 999, which cuts a 10,000-member
// group from 100 requests to 11.
const V1 = '/v1.0';
const DIRECTORY_PAGE = 999;
/**
 * Values in one `in` clause: "When using the `in` operator, the request is limited to 15 expressions in the filter
 * clause by default" (Known issues with Microsoft Graph, https://learn.microsoft.com/graph/known-issues).
 */
export const IN_FILTER_MAX = 15;

/**
 * Advanced query mode (https://learn.microsoft.com/graph/aad-advanced-queries): needed for lambda
 * filters on physicalIds and for properties outside the basic filter set. Eventually consistent —
 * fine for sweeps and candidate discovery, never used for a verify-after-write.
 */
const ADVANCED = { headers: { ConsistencyLevel: 'eventual' }, count: { $count: 'true' } } as const;

export class GraphDirectoryReader implements DirectoryReader {
  constructor(
    private readonly http: GraphHttp,
    private readonly onProgress?: ProgressSink,
  ) {}

  getGroup(groupId: string, opts: ReadOptions = {}): Promise<GroupInfo | null> {
    return getOneOrNull(
      this.http,
      {
        target: `${V1}/groups/${segment(groupId)}`,
        query: { $select: GROUP_SELECT },
        what: `GET groups/${groupId}`,
        signal: opts.signal,
      },
      groupSchema,
    );
  }

  /** Owners are few (a group has at most 100), so the port returns them whole. */
  listGroupOwners(groupId: string, opts: ReadOptions = {}): Promise<DirectoryObjectRef[]> {
    // No $select: owners are mixed types and `appId` only exists on servicePrincipal.
    return collectAll(
      listPages(
        this.http,
        {
          collection: `groups/${groupId}/owners`,
          target: `${V1}/groups/${segment(groupId)}/owners`,
          parse: (r) => directoryObjectSchema.parse(r),
          signal: opts.signal,
        },
        this.onProgress,
      ),
    );
  }

  listGroupMemberIds(groupId: string, opts: ReadOptions = {}): AsyncIterable<string[]> {
    return this.memberPages(groupId, true, opts);
  }

  /** `prefetch` only when the caller reads to the end (see ListRequest.prefetch). */
  private memberPages(groupId: string, prefetch: boolean, opts: ReadOptions): AsyncIterable<string[]> {
    return listPages(
      this.http,
      {
        collection: `groups/${groupId}/members`,
        target: `${V1}/groups/${segment(groupId)}/members`,
        query: { $select: 'id', $top: DIRECTORY_PAGE },
        parse: (r) => memberIdSchema.parse(r),
        prefetch,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }

  /**
   * Reads the group's direct members (id only, 999 per page) and stops as soon as every asked id is
   * found. Chosen over the alternatives because it is strongly consistent and plainly supported:
   * `members?$filter=id in (…)` needs advanced query (ConsistencyLevel: eventual — stale right after the
   * write we are verifying), `checkMemberGroups` is transitive and per object, and `members/{id}` by key
   * is not documented for groups.
   */
  async filterMembers(groupId: string, objectIds: readonly string[], opts: ReadOptions = {}): Promise<Set<string>> {
    const wanted = new Map(objectIds.map((id) => [id.toLowerCase(), id]));
    const found = new Set<string>();
    if (wanted.size === 0) return found;
    for await (const page of this.memberPages(groupId, false, opts)) {
      for (const id of page) {
        const original = wanted.get(id.toLowerCase());
        if (original !== undefined) found.add(original);
      }
      if (found.size === wanted.size) break;
    }
    return found;
  }

  async findServicePrincipalByAppId(appId: string, opts: ReadOptions = {}): Promise<ServicePrincipalRef | null> {
    return firstOf(
      listPages(this.http, {
        collection: 'servicePrincipals',
        target: `${V1}/servicePrincipals`,
        query: { $filter: `appId eq ${quoteGuid(appId)}`, $select: SERVICE_PRINCIPAL_SELECT },
        parse: (r) => servicePrincipalSchema.parse(r),
        signal: opts.signal,
      }),
    );
  }

  listDevicesByEnrollmentProfile(profileName: string, opts: ReadOptions = {}): AsyncIterable<EntraDevice[]> {
    return this.devicesWhere('devices (enrollmentProfileName)', `enrollmentProfileName eq ${quote(profileName)}`, opts);
  }

  /**
   * An advanced-query device list (enrollmentProfileName and physicalIds are not in the basic $filter table of the
   * device resource; advanced mode is what dynamic-group-style lookups use). A refusal surfaces as PermanentError,
   * never as "none".
   */
  private devicesWhere(collection: string, filter: string, opts: ReadOptions): AsyncIterable<EntraDevice[]> {
    return listPages(
      this.http,
      {
        collection,
        target: `${V1}/devices`,
        query: { $filter: filter, $select: DEVICE_SELECT, $top: DIRECTORY_PAGE, ...ADVANCED.count },
        headers: ADVANCED.headers,
        parse: parseEntraDevice,
        prefetch: true,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }

  /**
   * Two counts from advanced queries (ConsistencyLevel: eventual, `$count=true`, one item a page): the devices whose
   * enrollmentProfileName is `profileName`, and those of them that are direct members of the group (an OData cast of
   * the members to devices, filtered the same way: "List group members", *Optional query parameters*,
   * https://learn.microsoft.com/graph/api/group-list-members). Equal counts mean every such device is a member. null when
   * an answer carries no count, or the service refuses the query (400): the caller then reads the lists.
   */
  async countProfileDevices(
    groupId: string,
    profileName: string,
    opts: ReadOptions = {},
  ): Promise<ProfileDeviceCounts | null> {
    const query = {
      $filter: `enrollmentProfileName eq ${quote(profileName)}`,
      $select: 'id',
      $top: 1,
      ...ADVANCED.count,
    };
    const count = async (target: string, what: string): Promise<number | null> => {
      try {
        const reply = await this.http.send({
          method: 'GET',
          target,
          query,
          headers: ADVANCED.headers,
          what,
          signal: opts.signal,
        });
        const body = parseJson(reply, what) as { '@odata.count'?: unknown } | null;
        const n = body?.['@odata.count'];
        return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
      } catch (err) {
        if (err instanceof GraphError && err.status === 400) return null;
        throw err;
      }
    };
    const [candidates, members] = await Promise.all([
      count(`${V1}/devices`, 'GET devices/$count (enrollmentProfileName)'),
      count(
        `${V1}/groups/${segment(groupId)}/members/microsoft.graph.device`,
        `GET groups/${groupId}/members/microsoft.graph.device/$count (enrollmentProfileName)`,
      ),
    ]);
    return candidates === null || members === null ? null : { candidates, members };
  }

  /** The Autopilot-registered devices (ZTDID physical id) whose enrollmentProfileName is `profileName`. */
  listRegisteredDevicesByEnrollmentProfile(profileName: string, opts: ReadOptions = {}): AsyncIterable<EntraDevice[]> {
    const filter = `enrollmentProfileName eq ${quote(profileName)} and physicalIds/any(p:startswith(p,${quote('[ZTDID]')}))`;
    return this.devicesWhere('devices (enrollmentProfileName, ZTDID)', filter, opts);
  }

  async getDeviceByDeviceId(deviceId: string, opts: ReadOptions = {}): Promise<EntraDevice | null> {
    // deviceId is the Entra device GUID, not the object id; a non-GUID can match nothing.
    if (!isGuid(deviceId)) return null;
    return firstOf(
      listPages(this.http, {
        collection: 'devices (deviceId)',
        target: `${V1}/devices`,
        query: { $filter: `deviceId eq ${quoteGuid(deviceId)}`, $select: DEVICE_SELECT },
        parse: parseEntraDevice,
        signal: opts.signal,
      }),
    );
  }

  /**
   * GET /devices/{id} ("Get device", https://learn.microsoft.com/graph/api/device-get): a plain read by key,
   * strongly consistent, so the worker can prove a device belongs before adding it. A non-GUID can match nothing.
   */
  async getDevice(objectId: string): Promise<EntraDevice | null> {
    if (!isGuid(objectId)) return null;
    return getOneOrNull(
      this.http,
      {
        target: `${V1}/devices/${segment(objectId)}`,
        query: { $select: DEVICE_SELECT },
        what: `GET devices/${objectId}`,
      },
      entraDeviceSchema,
    );
  }

  /**
   * GET /devices?$filter=id in (…), up to IN_FILTER_MAX ids a request, the requests issued together (the read
   * batcher folds them into one JSON batch when it is on). A default query, not an advanced one: "The `in` operator
   * is supported by default whenever `eq` operator is supported by default" and the device's `id` supports `eq` by
   * default (Advanced query capabilities on Microsoft Entra ID objects,
   * https://learn.microsoft.com/graph/aad-advanced-queries), so no ConsistencyLevel header: the answer is as
   * strongly consistent as GET /devices/{id}. Non-GUIDs can match nothing and are not sent.
   */
  async getDevices(objectIds: readonly string[], opts: ReadOptions = {}): Promise<Map<string, EntraDevice>> {
    const ids = [...new Set(objectIds.filter(isGuid).map((id) => id.toLowerCase()))];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IN_FILTER_MAX) chunks.push(ids.slice(i, i + IN_FILTER_MAX));
    const pages = await Promise.all(
      chunks.map((chunk) =>
        collectAll(
          listPages(this.http, {
            collection: 'devices (id)',
            target: `${V1}/devices`,
            query: { $filter: inList('id', chunk), $select: DEVICE_SELECT },
            parse: parseEntraDevice,
            signal: opts.signal,
          }),
        ),
      ),
    );
    const wanted = new Set(ids);
    const out = new Map<string, EntraDevice>();
    for (const d of pages.flat()) {
      const key = d.objectId.toLowerCase();
      // Only what was asked for: a service that answered more than the filter allows is not believed.
      if (wanted.has(key)) out.set(key, d);
    }
    return out;
  }

  listAutopilotEntraDevices(opts: ReadOptions = {}): AsyncIterable<EntraDevice[]> {
    return listPages(
      this.http,
      {
        collection: 'devices (ZTDID)',
        target: `${V1}/devices`,
        query: {
          $filter: `physicalIds/any(p:startswith(p,${quote('[ZTDID]')}))`,
          $select: DEVICE_SELECT,
          $top: DIRECTORY_PAGE,
          ...ADVANCED.count,
        },
        headers: ADVANCED.headers,
        parse: parseEntraDevice,
        prefetch: true,
        pagesAlone: true,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }

  /**
   * Beta, not v1.0: `autopilotEnrolled` exists only on the beta managedDevice (Microsoft's
   * published v1.0 metadata does not list it), and the domain type needs it.
   */
  listManagedDevices(opts: ReadOptions = {}): AsyncIterable<ManagedDevice[]> {
    return listPages(
      this.http,
      {
        collection: 'managedDevices',
        target: '/beta/deviceManagement/managedDevices',
        query: { $select: MANAGED_DEVICE_SELECT },
        parse: parseManagedDevice,
        prefetch: true,
        pagesAlone: true,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }
}
