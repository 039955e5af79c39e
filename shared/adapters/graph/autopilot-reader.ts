import type {
  AutopilotDevice,
  AutopilotEvent,
  AutopilotSettings,
  DevicePrepDeployment,
  DevicePrepItemStatus,
  ImportedDevice,
} from '../../core/model/index.js';
import {
  NotFoundError,
  PermanentError,
  type AutopilotReader,
  type EnrollmentTimeTarget,
  type EventFilter,
  type IdentityFilter,
  type ReadOptions,
} from '../../ports/index.js';
import { DEVICE_PREP_APPS, DEVICE_PREP_DEPLOYMENTS, DEVICE_PREP_SCRIPTS, type ReportSpec } from './export-report.js';
import { parseJson, type GraphHttp } from './graph-http.js';
import { dateTimeLiteral, quote, segment } from './odata.js';
import { listPages, type ProgressSink } from './paging.js';
import { getOne, getOneOrNull, keepWhere } from './read-helpers.js';
import {
  IDENTITY_SELECT,
  identitySchema,
  importedSchema,
  parseEvent,
  parseIdentity,
  settingsSchema,
} from './schemas/autopilot.js';
import { describeParseError } from './schemas/common.js';
import { policyTargetResultSchema } from './schemas/policy-target.js';

// All Autopilot reads go to beta: the fields the detectors need are beta-only (graph/README.md).
const DM = '/beta/deviceManagement';

/** Server-side "blocked for re-enrollment" (see blockedIdentities). Both properties are beta-only. */
export const BLOCKED_FILTER = "enrollmentState eq 'blocked' or userlessEnrollmentStatus eq 'blocked'";

/** Runs one report export (create job, poll, download, parse); built by the adapter factory. */
export type ReportExporter = <T>(spec: ReportSpec<T>, signal?: AbortSignal) => Promise<T[]>;

const isBlocked = (d: AutopilotDevice): boolean =>
  d.enrollmentState === 'blocked' || d.userlessEnrollmentStatus === 'blocked';

export class GraphAutopilotReader implements AutopilotReader {
  constructor(
    private readonly http: GraphHttp,
    private readonly exporter: ReportExporter,
    private readonly onProgress?: ProgressSink,
  ) {}

  listDeviceIdentities(filter: IdentityFilter = {}, opts: ReadOptions = {}): AsyncIterable<AutopilotDevice[]> {
    if (filter.serialNumbers) return this.identitiesBySerials(filter.serialNumbers, opts);
    const serial = filter.serialNumber?.trim() || null;
    if (!serial && filter.blockedOnly) return this.blockedIdentities(opts);
    const pages = this.identityPages(
      // contains() on serialNumber is the filter peers rely on for this resource; exact match is re-checked below.
      serial ? `contains(serialNumber,${quote(serial)})` : undefined,
      !serial,
      opts,
    );
    if (!serial && !filter.blockedOnly) return pages;
    return keepWhere(
      pages,
      (d) =>
        (!serial || d.serialNumber.trim().toLowerCase() === serial.toLowerCase()) &&
        (!filter.blockedOnly || isBlocked(d)),
    );
  }

  /**
   * Blocked devices, filtered by the service: an incremental poll must not read every identity of a
   * 100,000-device tenant to find the few blocked ones (100 pages instead of 1). Filtering on these beta enums
   * is not documented for this resource and unverified against the real service, so:
   * - a 400 on the filtered read (the service refuses the filter) falls back to reading every identity and
   *   filtering here, as before — a refused filter must never turn into "nothing is blocked";
   * - the blocked test is re-applied to what the service returns, so a filter it ignores (returning
   *   everything) still yields only blocked devices.
   * Which of enrollmentState / userlessEnrollmentStatus flips is unverified too, hence `or`.
   */
  private async *blockedIdentities(opts: ReadOptions): AsyncGenerator<AutopilotDevice[]> {
    let yielded = false;
    try {
      for await (const page of this.identityPages(BLOCKED_FILTER, false, opts)) {
        const kept = page.filter(isBlocked);
        yielded = true;
        if (kept.length > 0) yield kept;
      }
      return;
    } catch (err) {
      if (yielded || !(err instanceof PermanentError && err.status === 400)) throw err;
    }
    yield* keepWhere(this.identityPages(undefined, true, opts), isBlocked);
  }

  /** One request for a handful of serials: contains() terms joined by `or`, exact matches re-checked here. */
  private identitiesBySerials(serials: readonly string[], opts: ReadOptions): AsyncIterable<AutopilotDevice[]> {
    const wanted = new Set(serials.map((s) => s.trim().toLowerCase()).filter(Boolean));
    if (wanted.size === 0) return (async function* () {})();
    const filter = [...wanted].map((s) => `contains(serialNumber,${quote(s)})`).join(' or ');
    return keepWhere(this.identityPages(filter, false, opts), (d) => wanted.has(d.serialNumber.trim().toLowerCase()));
  }

  private identityPages(
    filter: string | undefined,
    readsToEnd: boolean,
    opts: ReadOptions,
  ): AsyncIterable<AutopilotDevice[]> {
    return listPages(
      this.http,
      {
        collection: 'windowsAutopilotDeviceIdentities',
        target: `${DM}/windowsAutopilotDeviceIdentities`,
        query: { $select: IDENTITY_SELECT, $filter: filter },
        parse: parseIdentity,
        prefetch: readsToEnd,
        pagesAlone: readsToEnd,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }

  getDeviceIdentity(id: string, opts: ReadOptions = {}): Promise<AutopilotDevice | null> {
    return getOneOrNull(
      this.http,
      {
        target: `${DM}/windowsAutopilotDeviceIdentities/${segment(id)}`,
        query: { $select: IDENTITY_SELECT },
        what: `GET windowsAutopilotDeviceIdentities/${id}`,
        signal: opts.signal,
      },
      identitySchema,
    );
  }

  listEvents(filter: EventFilter = {}, opts: ReadOptions = {}): AsyncIterable<AutopilotEvent[]> {
    return listPages(
      this.http,
      {
        collection: 'autopilotEvents',
        target: `${DM}/autopilotEvents`,
        query: {
          $filter: filter.since !== undefined ? `eventDateTime ge ${dateTimeLiteral(filter.since)}` : undefined,
        },
        parse: parseEvent,
        prefetch: true,
        pagesAlone: true,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }

  getSettings(opts: ReadOptions = {}): Promise<AutopilotSettings> {
    return getOne(
      this.http,
      { target: `${DM}/windowsAutopilotSettings`, what: 'GET windowsAutopilotSettings', signal: opts.signal },
      settingsSchema,
    );
  }

  listImportedDevices(opts: ReadOptions = {}): AsyncIterable<ImportedDevice[]> {
    return listPages(
      this.http,
      {
        collection: 'importedWindowsAutopilotDeviceIdentities',
        target: `${DM}/importedWindowsAutopilotDeviceIdentities`,
        parse: (raw) => importedSchema.parse(raw),
        prefetch: true,
        signal: opts.signal,
      },
      this.onProgress,
    );
  }

  exportDevicePrepDeployments(opts: ReadOptions = {}): Promise<DevicePrepDeployment[]> {
    return this.exporter(DEVICE_PREP_DEPLOYMENTS, opts.signal);
  }

  exportDevicePrepAppStatus(opts: ReadOptions = {}): Promise<DevicePrepItemStatus[]> {
    return this.exporter(DEVICE_PREP_APPS, opts.signal);
  }

  exportDevicePrepScriptStatus(opts: ReadOptions = {}): Promise<DevicePrepItemStatus[]> {
    return this.exporter(DEVICE_PREP_SCRIPTS, opts.signal);
  }

  /**
   * Beta action on the settings-catalog policy (a POST without a body that only reads: it takes no write slot).
   * Microsoft Graph beta "enrollmentTimeDeviceMembershipTargetResult resource type":
   * https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta
   */
  async getEnrollmentTimeTarget(policyId: string, opts: ReadOptions = {}): Promise<EnrollmentTimeTarget | null> {
    const what = `POST configurationPolicies/${policyId}/retrieveEnrollmentTimeDeviceMembershipTarget`;
    try {
      const reply = await this.http.send({
        method: 'POST',
        target: `${DM}/configurationPolicies/${segment(policyId)}/retrieveEnrollmentTimeDeviceMembershipTarget`,
        readOnly: true,
        what,
        signal: opts.signal,
      });
      const parsed = policyTargetResultSchema.safeParse(parseJson(reply, what));
      if (!parsed.success) {
        throw new PermanentError(`${what}: unusable response: ${describeParseError(parsed.error)}`, {
          status: reply.status,
          requestId: reply.requestId,
        });
      }
      return parsed.data;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }
}
