import { unzipSync } from 'fflate';
import type { DevicePrepDeployment } from '../../core/model/index.js';
import { PermanentError, TransientError } from '../../ports/index.js';
import { type GraphHttp, parseJson } from './graph-http.js';
import { segment } from './odata.js';
import { describeParseError } from './schemas/common.js';
import { type ExportJob, exportJobSchema, parseReportRows } from './schemas/report.js';

// Device-preparation (Autopilot v2) deployments are only available as a report export: create a job,
// poll until `completed`, download the zip from `url`, read the JSON inside
// (https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-apis).

export interface ExportDeps {
  readonly http: GraphHttp;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Give up (TransientError) when the job has not completed by then. */
  readonly maxWaitMs: number;
  readonly downloadTimeoutMs: number;
}

const JOBS = '/beta/deviceManagement/reports/exportJobs';
export const DEVICE_PREP_REPORT = 'AutopilotV2DeploymentStatus';

export async function exportDevicePrepDeployments(d: ExportDeps): Promise<DevicePrepDeployment[]> {
  const created = await d.http.send({
    method: 'POST',
    target: JOBS,
    body: { reportName: DEVICE_PREP_REPORT, format: 'json' },
    what: `POST exportJobs ${DEVICE_PREP_REPORT}`,
  });
  let job = readJob(parseJson(created, 'POST exportJobs'), created.requestId);
  const deadline = d.now() + d.maxWaitMs;
  // Jobs usually finish in seconds to a minute; poll at 1, 2, 4 … s (capped) so we don't spend the
  // tenant's read budget on a job that is still queued.
  for (let delay = 1_000; job.status !== 'completed'; delay = Math.min(delay * 2, 15_000)) {
    if (job.status === 'failed') throw new PermanentError(`export job ${job.id} failed`, null, null, created.requestId);
    const left = deadline - d.now();
    if (left <= 0) throw new TransientError(`export job ${job.id} not completed after ${d.maxWaitMs} ms (status ${job.status})`, null, null, null);
    await d.sleep(Math.min(delay, left));
    const polled = await d.http.send({ method: 'GET', target: `${JOBS}/${segment(job.id)}`, what: `GET exportJobs/${job.id}` });
    job = readJob(parseJson(polled, 'GET exportJobs'), polled.requestId);
  }
  if (!job.url) throw new PermanentError(`export job ${job.id} completed without a url`, null, null, null);
  return parseDownload(await download(d, job.url), job.id);
}

function readJob(body: unknown, requestId: string | null): ExportJob {
  const r = exportJobSchema.safeParse(body);
  if (!r.success) throw new PermanentError(`export job: unusable response: ${describeParseError(r.error)}`, null, null, requestId);
  return r.data;
}

/**
 * The `url` is a pre-signed (SAS) blob URL on another host: it must get no Authorization header, so it
 * goes through plain fetch, not GraphHttp. The simulator serves it on loopback the same way.
 */
async function download(d: ExportDeps, url: string): Promise<Uint8Array> {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await d.sleep(1_000 * 2 ** attempt);
    try {
      const res = await d.fetch(url, { signal: AbortSignal.timeout(d.downloadTimeoutMs) });
      if (res.ok) return new Uint8Array(await res.arrayBuffer());
      await res.body?.cancel();
      if (res.status < 500 && res.status !== 429) {
        throw new PermanentError(`export download: HTTP ${res.status}`, res.status, null, null);
      }
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      if (err instanceof PermanentError) throw err;
      lastError = err;
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new TransientError(`export download failed: ${why}`, null, null, null, { cause: lastError });
}

/** A zip holding one .json file (or, tolerated, the bare JSON). */
export function parseDownload(bytes: Uint8Array, jobId: string): DevicePrepDeployment[] {
  let text: string;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes);
    } catch (err) {
      throw new PermanentError(`export ${jobId}: corrupt zip: ${String(err)}`, null, null, null);
    }
    const names = Object.keys(files).filter((n) => !n.endsWith('/'));
    const name = names.find((n) => n.toLowerCase().endsWith('.json')) ?? (names.length === 1 ? names[0] : undefined);
    const file = name === undefined ? undefined : files[name];
    if (!file) throw new PermanentError(`export ${jobId}: zip holds no JSON file (${names.join(', ')})`, null, null, null);
    text = new TextDecoder().decode(file);
  } else {
    text = new TextDecoder().decode(bytes);
  }
  try {
    // Exports may start with a UTF-8 BOM.
    return parseReportRows(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch (err) {
    throw new PermanentError(`export ${jobId}: unreadable report: ${describeParseError(err)}`, null, null, null);
  }
}
