import type { AutopilotDevice, AutopilotEvent, EntraDevice, ManagedDevice } from '../../core/model/index.js';
import { PermanentError, type DeviceLookupReader, type ReadOptions } from '../../ports/index.js';
import type { GraphHttp } from './graph-http.js';
import { dateTimeLiteral, isGuid, quote, quoteGuid, segment } from './odata.js';
import { collectAll, listPages } from './paging.js';
import { getOneOrNull, keepWhere } from './read-helpers.js';
import { IDENTITY_SELECT, parseEvent, parseIdentity } from './schemas/autopilot.js';
import {
  DEVICE_SELECT,
  MANAGED_DEVICE_SELECT,
  managedDeviceSchema,
  parseEntraDevice,
  parseManagedDevice,
} from './schemas/directory.js';

// Point reads for the technician's device lookup. Every read is filtered by one serial, name or id (or is a read
// by key), so a lookup costs a few requests in a 100,000-device tenant. Filters on string properties use `eq`;
// every match is re-checked here (case-insensitively), so a service that ignores a filter can never make another
// device's record appear as this one's.

const DM = '/beta/deviceManagement';
const V1 = '/v1.0';

/**
 * If the service refuses a filter on deviceSerialNumber (not listed as filterable on "deviceManagementAutopilotEvent
 * resource type", https://learn.microsoft.com/graph/api/resources/intune-troubleshooting-devicemanagementautopilotevent?view=graph-rest-beta),
 * the lookup falls back to the events of this many recent days, filtered here: bounded, and still one device's view.
 */
export const EVENT_FALLBACK_DAYS = 30;

const same = (a: string | null | undefined, b: string): boolean =>
  (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

export class GraphDeviceLookupReader implements DeviceLookupReader {
  constructor(
    private readonly http: GraphHttp,
    private readonly now: () => number,
  ) {}

  /** `azureActiveDirectoryDeviceId eq '{deviceId}'` is the filter peers use on this resource (beta adds azureAdDeviceId). */
  async identitiesByEntraDeviceId(deviceId: string, opts: ReadOptions = {}): Promise<AutopilotDevice[]> {
    if (!isGuid(deviceId)) return [];
    return collectAll(
      keepWhere(
        listPages(this.http, {
          collection: 'windowsAutopilotDeviceIdentities (Entra deviceId)',
          target: `${DM}/windowsAutopilotDeviceIdentities`,
          query: { $select: IDENTITY_SELECT, $filter: `azureActiveDirectoryDeviceId eq ${quoteGuid(deviceId)}` },
          parse: parseIdentity,
          signal: opts.signal,
        }),
        (d) => same(d.azureAdDeviceId, deviceId),
      ),
    );
  }

  /** displayName supports `eq` in the default (not advanced) query mode of the device resource, so reads are consistent. */
  async entraDevicesByName(displayName: string, opts: ReadOptions = {}): Promise<EntraDevice[]> {
    return collectAll(
      keepWhere(
        listPages(this.http, {
          collection: 'devices (displayName)',
          target: `${V1}/devices`,
          query: { $filter: `displayName eq ${quote(displayName)}`, $select: DEVICE_SELECT },
          parse: parseEntraDevice,
          signal: opts.signal,
        }),
        (d) => same(d.displayName, displayName),
      ),
    );
  }

  /** Beta, like listManagedDevices: the domain type needs `autopilotEnrolled`, which v1.0 lacks. */
  getManagedDevice(id: string, opts: ReadOptions = {}): Promise<ManagedDevice | null> {
    if (id.trim() === '') return Promise.resolve(null);
    return getOneOrNull(
      this.http,
      {
        target: `${DM}/managedDevices/${segment(id)}`,
        query: { $select: MANAGED_DEVICE_SELECT },
        what: `GET managedDevices/${id}`,
        signal: opts.signal,
      },
      managedDeviceSchema,
    );
  }

  async managedDevicesBy(
    by: { readonly serialNumber: string } | { readonly deviceName: string } | { readonly entraDeviceId: string },
    opts: ReadOptions = {},
  ): Promise<ManagedDevice[]> {
    let filter: string;
    let keep: (d: ManagedDevice) => boolean;
    if ('serialNumber' in by) {
      filter = `serialNumber eq ${quote(by.serialNumber)}`;
      keep = (d) => same(d.serialNumber, by.serialNumber);
    } else if ('deviceName' in by) {
      filter = `deviceName eq ${quote(by.deviceName)}`;
      keep = (d) => same(d.deviceName, by.deviceName);
    } else {
      if (!isGuid(by.entraDeviceId)) return [];
      filter = `azureADDeviceId eq ${quoteGuid(by.entraDeviceId)}`;
      keep = (d) => same(d.azureAdDeviceId, by.entraDeviceId);
    }
    return collectAll(
      keepWhere(
        listPages(this.http, {
          collection: 'managedDevices (one device)',
          target: `${DM}/managedDevices`,
          query: { $select: MANAGED_DEVICE_SELECT, $filter: filter },
          parse: parseManagedDevice,
          signal: opts.signal,
        }),
        keep,
      ),
    );
  }

  async eventsForSerial(serialNumber: string, limit: number, opts: ReadOptions = {}): Promise<AutopilotEvent[]> {
    const mine = (e: AutopilotEvent) => same(e.serialNumber, serialNumber);
    let events: AutopilotEvent[];
    try {
      events = await collectAll(keepWhere(this.eventPages(`deviceSerialNumber eq ${quote(serialNumber)}`, opts), mine));
    } catch (err) {
      // A refused filter (400) must not read as "no events": read the recent ones and filter here instead.
      if (!(err instanceof PermanentError && err.status === 400)) throw err;
      const since = this.now() - EVENT_FALLBACK_DAYS * 86_400_000;
      events = await collectAll(keepWhere(this.eventPages(`eventDateTime ge ${dateTimeLiteral(since)}`, opts), mine));
    }
    return events
      .sort((a, b) => (b.eventAt ?? 0) - (a.eventAt ?? 0) || a.id.localeCompare(b.id))
      .slice(0, Math.max(0, limit));
  }

  private eventPages(filter: string, opts: ReadOptions): AsyncIterable<AutopilotEvent[]> {
    return listPages(this.http, {
      collection: 'autopilotEvents (one device)',
      target: `${DM}/autopilotEvents`,
      query: { $filter: filter },
      parse: parseEvent,
      signal: opts.signal,
    });
  }
}
