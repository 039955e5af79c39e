import type {
  AutopilotDevice,
  AutopilotEvent,
  AutopilotSettings,
  DevicePrepDeployment,
  ImportedDevice,
} from '../../core/model/index.js';
import type { AutopilotReader, EventFilter, IdentityFilter } from '../../ports/index.js';
import type { GraphHttp } from './graph-http.js';
import { dateTimeLiteral, quote, segment } from './odata.js';
import { listPages, type ProgressSink } from './paging.js';
import { getOne, getOneOrNull, keepWhere } from './read-helpers.js';
import { eventSchema, IDENTITY_SELECT, identitySchema, importedSchema, settingsSchema } from './schemas/autopilot.js';

// All Autopilot reads go to beta: the fields the detectors need are beta-only (graph/README.md).
const DM = '/beta/deviceManagement';

export class GraphAutopilotReader implements AutopilotReader {
  constructor(
    private readonly http: GraphHttp,
    private readonly exporter: () => Promise<DevicePrepDeployment[]>,
    private readonly onProgress?: ProgressSink,
  ) {}

  listDeviceIdentities(filter: IdentityFilter = {}): AsyncIterable<AutopilotDevice[]> {
    const serial = filter.serialNumber?.trim() || null;
    const pages = listPages(
      this.http,
      {
        collection: 'windowsAutopilotDeviceIdentities',
        target: `${DM}/windowsAutopilotDeviceIdentities`,
        query: {
          $select: IDENTITY_SELECT,
          // contains() on serialNumber is the filter peers rely on for this resource; exact match is
          // re-checked below.
          $filter: serial ? `contains(serialNumber,${quote(serial)})` : undefined,
        },
        parse: (raw) => identitySchema.parse(raw),
      },
      this.onProgress,
    );
    if (!serial && !filter.blockedOnly) return pages;
    // "Blocked" is filtered here, not in $filter: which of enrollmentState/userlessEnrollmentStatus flips
    // is unverified and $filter support on these beta enums is undocumented — a filter the service
    // ignores or refuses must not decide what we see.
    return keepWhere(
      pages,
      (d) =>
        (!serial || d.serialNumber.toLowerCase() === serial.toLowerCase()) &&
        (!filter.blockedOnly || d.enrollmentState === 'blocked' || d.userlessEnrollmentStatus === 'blocked'),
    );
  }

  getDeviceIdentity(id: string): Promise<AutopilotDevice | null> {
    return getOneOrNull(
      this.http,
      {
        target: `${DM}/windowsAutopilotDeviceIdentities/${segment(id)}`,
        query: { $select: IDENTITY_SELECT },
        what: `GET windowsAutopilotDeviceIdentities/${id}`,
      },
      identitySchema,
    );
  }

  listEvents(filter: EventFilter = {}): AsyncIterable<AutopilotEvent[]> {
    return listPages(
      this.http,
      {
        collection: 'autopilotEvents',
        target: `${DM}/autopilotEvents`,
        query: { $filter: filter.since !== undefined ? `eventDateTime ge ${dateTimeLiteral(filter.since)}` : undefined },
        parse: (raw) => eventSchema.parse(raw),
      },
      this.onProgress,
    );
  }

  getSettings(): Promise<AutopilotSettings> {
    return getOne(this.http, { target: `${DM}/windowsAutopilotSettings`, what: 'GET windowsAutopilotSettings' }, settingsSchema);
  }

  listImportedDevices(): AsyncIterable<ImportedDevice[]> {
    return listPages(
      this.http,
      {
        collection: 'importedWindowsAutopilotDeviceIdentities',
        target: `${DM}/importedWindowsAutopilotDeviceIdentities`,
        parse: (raw) => importedSchema.parse(raw),
      },
      this.onProgress,
    );
  }

  exportDevicePrepDeployments(): Promise<DevicePrepDeployment[]> {
    return this.exporter();
  }
}
