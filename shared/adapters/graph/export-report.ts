import { unzipSync } from 'fflate';
import type { DevicePrepDeployment, DevicePrepItemStatus } from '../../core/model/index.js';
import { PermanentError, TransientError } from '../../ports/index.js';
import { redactSecretShapes } from '../redaction/redact-secrets.js';
import { abortReason, sleepUnlessAborted, type Sleep } from './abortable-sleep.js';
import { isRedirectRefusal } from './graph-errors.js';
import { type GraphHttp, parseJson } from './graph-http.js';
import { segment } from './odata.js';
import { describeParseError } from './schemas/common.js';
import {
  APP_DETAIL_REPORT,
  DEPLOYMENT_REPORT,
  type ExportJob,
  exportJobSchema,
  parseAppRows,
  parseReportRows,
  parseScriptRows,
  SCRIPT_DETAIL_REPORT,
} from './schemas/report.js';

// Device-preparation (Autopilot v2) deployments, and their apps and scripts, are only available as report exports:
// create a job, poll until `completed`, download the zip from `url`, read the JSON inside. Every export names its
// columns (`select`) instead of relying on the report's defaults, as Microsoft Learn "Export Intune reports using
// Graph APIs" asks (https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis).
// The run's abort signal reaches every step: the create, each poll, the waits between polls, the download and
// its retries — an aborted sweep sends nothing more to the service.

export interface ExportDeps {
  readonly http: GraphHttp;
  readonly fetch: typeof fetch;
  readonly sleep: Sleep;
  readonly now: () => number;
  /** Give up (TransientError) when the job has not completed by then. */
  readonly maxWaitMs: number;
  readonly downloadTimeoutMs: number;
}

const JOBS = '/beta/deviceManagement/reports/exportJobs';
export const DEVICE_PREP_REPORT = DEPLOYMENT_REPORT.reportName;

/** One report export: its name, the columns it asks for, and the parser of its rows (which reads only those). */
export interface ReportSpec<T> {
  readonly reportName: string;
  readonly select: readonly string[];
  readonly parse: (body: unknown) => T[];
}

export const DEVICE_PREP_DEPLOYMENTS: ReportSpec<DevicePrepDeployment> = {
  ...DEPLOYMENT_REPORT,
  parse: parseReportRows,
};
export const DEVICE_PREP_APPS: ReportSpec<DevicePrepItemStatus> = { ...APP_DETAIL_REPORT, parse: parseAppRows };
export const DEVICE_PREP_SCRIPTS: ReportSpec<DevicePrepItemStatus> = {
  ...SCRIPT_DETAIL_REPORT,
  parse: parseScriptRows,
};

/** The export job request. `localizationType` is the service default, named so the `_loc` text columns are certain. */
export function exportRequest(spec: Pick<ReportSpec<unknown>, 'reportName' | 'select'>): Record<string, unknown> {
  return {
    reportName: spec.reportName,
    format: 'json',
    select: [...spec.select],
    localizationType: 'localizedValuesAsAdditionalColumn',
  };
}

export function exportDevicePrepDeployments(d: ExportDeps, signal?: AbortSignal): Promise<DevicePrepDeployment[]> {
  return exportReport(d, DEVICE_PREP_DEPLOYMENTS, signal);
}

export async function exportReport<T>(d: ExportDeps, spec: ReportSpec<T>, signal?: AbortSignal): Promise<T[]> {
  const created = await d.http.send({
    method: 'POST',
    target: JOBS,
    body: exportRequest(spec),
    what: `POST exportJobs ${spec.reportName}`,
    signal,
  });
  let job = readJob(parseJson(created, 'POST exportJobs'), created.requestId, d.http);
  // The job id comes from the service: it is only quoted in errors, through the redactor.
  const jobName = (): string => d.http.redact(job.id);
  const deadline = d.now() + d.maxWaitMs;
  // Jobs usually finish in seconds to a minute; poll at 1, 2, 4 … s (capped) so we don't spend the
  // tenant's read budget on a job that is still queued.
  for (let delay = 1_000; job.status !== 'completed'; delay = Math.min(delay * 2, 15_000)) {
    if (job.status === 'failed')
      throw new PermanentError(`export job ${jobName()} failed`, { requestId: created.requestId });
    const left = deadline - d.now();
    if (left <= 0) {
      throw new TransientError(`export job ${jobName()} not completed after ${d.maxWaitMs} ms (status ${job.status})`);
    }
    await sleepUnlessAborted(d.sleep, Math.min(delay, left), signal);
    const polled = await d.http.send({
      method: 'GET',
      target: `${JOBS}/${segment(job.id)}`,
      what: `GET exportJobs/${jobName()}`,
      signal,
    });
    job = readJob(parseJson(polled, 'GET exportJobs'), polled.requestId, d.http);
  }
  if (!job.url) throw new PermanentError(`export job ${jobName()} completed without a url`);
  return parseDownload(await download(d, job.url, signal), jobName(), spec.parse);
}

function readJob(body: unknown, requestId: string | null, http: GraphHttp): ExportJob {
  const r = exportJobSchema.safeParse(body);
  if (!r.success)
    throw new PermanentError(http.redact(`export job: unusable response: ${describeParseError(r.error)}`), {
      requestId,
    });
  return r.data;
}

/**
 * The `url` is a pre-signed (SAS) blob URL on another host: it must get no Authorization header, so it
 * goes through plain fetch, not GraphHttp. The simulator serves it on loopback the same way. Its `sig=` is a
 * secret: the URL is masked in every error text.
 */
async function download(d: ExportDeps, url: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const redact = (text: string): string => d.http.redact(text.split(url).join('[redacted]'));
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await sleepUnlessAborted(d.sleep, 1_000 * 2 ** attempt, signal);
    const timeout = AbortSignal.timeout(d.downloadTimeoutMs);
    try {
      // No redirect: a pre-signed URL is the blob itself, and a redirect would take the request elsewhere.
      const res = await d.fetch(url, {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        redirect: 'error',
      });
      if (res.ok) return new Uint8Array(await res.arrayBuffer());
      await res.body?.cancel();
      if (res.status < 500 && res.status !== 429) {
        throw new PermanentError(`export download: HTTP ${res.status}`, { status: res.status });
      }
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      if (signal?.aborted) throw abortReason(signal);
      if (err instanceof PermanentError) throw err;
      if (isRedirectRefusal(err))
        throw new PermanentError('export download: the blob URL answered with a redirect, which is refused');
      lastError = err;
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  // No cause attached: the HTTP stack's error may quote the pre-signed URL.
  throw new TransientError(`export download failed: ${redact(why)}`);
}

/** A zip holding one .json file (or, tolerated, the bare JSON). */
/** `jobId` is already redacted (it is the service's). */
export function parseDownload(bytes: Uint8Array, jobId: string): DevicePrepDeployment[];
export function parseDownload<T>(bytes: Uint8Array, jobId: string, parse: (body: unknown) => T[]): T[];
export function parseDownload(
  bytes: Uint8Array,
  jobId: string,
  parse: (body: unknown) => unknown[] = parseReportRows,
): unknown[] {
  let text: string;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes);
    } catch (err) {
      throw new PermanentError(`export ${jobId}: corrupt zip: ${String(err)}`);
    }
    const names = Object.keys(files).filter((n) => !n.endsWith('/'));
    const name = names.find((n) => n.toLowerCase().endsWith('.json')) ?? (names.length === 1 ? names[0] : undefined);
    const file = name === undefined ? undefined : files[name];
    if (!file)
      throw new PermanentError(`export ${jobId}: zip holds no JSON file (${redactSecretShapes(names.join(', '))})`);
    text = new TextDecoder().decode(file);
  } else {
    text = new TextDecoder().decode(bytes);
  }
  try {
    // Exports may start with a UTF-8 BOM.
    return parse(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch (err) {
    throw new PermanentError(`export ${jobId}: unreadable report: ${describeParseError(err)}`);
  }
}
