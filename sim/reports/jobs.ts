/**
 * deviceManagement/reports/exportJobs: a job is created `notStarted`, reports `inProgress` on the
 * first poll(s) and `completed` after a configurable number of polls (and sim time), when its data is
 * snapshotted into a real zip served at a SAS-style URL that needs no bearer token (it is a blob).
 */
import { randomBytes } from 'node:crypto';
import { NEVER } from '../clock.js';
import { GraphError } from '../http/errors.js';
import type { AppReportRow, ReportRow, ScriptReportRow } from '../model/schemas.js';
import { APP_COLUMNS, buildZip, detailCells, rowCells, SCRIPT_COLUMNS, V2_COLUMNS } from './format.js';

/**
 * Report names the simulator knows. The device-preparation status report and its app and script detail reports
 * carry the tenant's rows; AutopilotV1DeploymentStatus is known but exports no rows.
 */
export const KNOWN_REPORTS = [
  'AutopilotV2DeploymentStatus',
  'AutopilotV1DeploymentStatus',
  'AutopilotV2DeploymentStatusDetailedAppInfo',
  'AutopilotV2DeploymentStatusDetailedScriptInfo',
] as const;
type KnownReport = (typeof KNOWN_REPORTS)[number];

/** Columns a report may select (select is validated against them; an empty select exports all of them). */
const COLUMNS: Partial<Record<KnownReport, readonly string[]>> = {
  AutopilotV2DeploymentStatus: V2_COLUMNS,
  AutopilotV2DeploymentStatusDetailedAppInfo: APP_COLUMNS,
  AutopilotV2DeploymentStatusDetailedScriptInfo: SCRIPT_COLUMNS,
};

/** The tenant's rows for each report with data. */
export interface ReportData {
  deployments(): ReportRow[];
  apps(): AppReportRow[];
  scripts(): ScriptReportRow[];
}

export interface ExportJob {
  id: string;
  reportName: string;
  filter: string | null;
  select: string[];
  format: 'csv' | 'json';
  localizationType: 'localizedValuesAsAdditionalColumn' | 'replaceLocalizableValues';
  snapshotId: string | null;
  status: 'notStarted' | 'inProgress' | 'completed' | 'failed';
  url: string | null;
  requestDateTime: string;
  expirationDateTime: string;
}

interface Stored {
  job: ExportJob;
  createdMs: number;
  polls: number;
  sig: string;
  zip: Buffer | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export class ExportJobs {
  private readonly jobs = new Map<string, Stored>();

  create(body: Record<string, unknown>, now: number): ExportJob {
    const reportName = str(body['reportName']);
    if (!reportName) throw new GraphError(400, 'BadRequest', 'reportName is required.');
    const known = KNOWN_REPORTS.find((r) => r.toLowerCase() === reportName.toLowerCase());
    if (!known) throw new GraphError(400, 'BadRequest', `Report '${reportName}' is not a valid report name.`);
    const format = (str(body['format']) ?? 'csv').toLowerCase();
    if (format !== 'csv' && format !== 'json')
      throw new GraphError(400, 'BadRequest', `Export format '${format}' is not supported.`);
    const select = Array.isArray(body['select']) ? body['select'].map(String) : [];
    const allowed = COLUMNS[known];
    const unknown = allowed ? select.filter((c) => !allowed.includes(c)) : [];
    if (unknown.length)
      throw new GraphError(400, 'BadRequest', `Unknown column(s) for ${known}: ${unknown.join(', ')}.`);
    const loc = (str(body['localizationType']) ?? '').toLowerCase();
    const id = `${known}_${randomBytes(16)
      .toString('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;
    const job: ExportJob = {
      id,
      reportName: known,
      filter: str(body['filter']),
      select,
      format,
      localizationType:
        loc === 'replacelocalizablevalues' ? 'replaceLocalizableValues' : 'localizedValuesAsAdditionalColumn',
      snapshotId: str(body['snapshotId']),
      status: 'notStarted',
      url: null,
      requestDateTime: new Date(now).toISOString(),
      expirationDateTime: NEVER,
    };
    this.jobs.set(id.toLowerCase(), {
      job,
      createdMs: now,
      polls: 0,
      sig: randomBytes(12).toString('base64url'),
      zip: null,
    });
    return { ...job };
  }

  /** A GET of the job: counts as a poll and may complete it. */
  poll(
    id: string,
    now: number,
    rule: { pollsUntilComplete: number; minDurationMs: number },
    data: ReportData,
    baseUrl: string,
  ): ExportJob {
    const s = this.jobs.get(id.toLowerCase());
    if (!s) throw new GraphError(404, 'ResourceNotFound', `deviceManagementExportJob with id '${id}' was not found.`);
    s.polls++;
    if (s.job.status !== 'completed') {
      if (s.polls >= rule.pollsUntilComplete && now - s.createdMs >= rule.minDurationMs) {
        const columns = s.job.select.length ? s.job.select : [...(COLUMNS[s.job.reportName as KnownReport] ?? [])];
        s.zip = buildZip(s.job.id, s.job.format, cellsOf(s.job, columns, data), columns);
        const expires = now + 60 * 60_000;
        s.job = {
          ...s.job,
          status: 'completed',
          expirationDateTime: new Date(expires).toISOString(),
          url: `${baseUrl}/_blob/exports/${encodeURIComponent(s.job.id)}.zip?sv=2023-11-03&se=${encodeURIComponent(new Date(expires).toISOString())}&sr=b&sp=r&sig=${s.sig}`,
        };
      } else {
        s.job = { ...s.job, status: 'inProgress' };
      }
    }
    return { ...s.job };
  }

  /** True when this tenant created the job (the blob download finds the tenant that owns a link this way). */
  has(id: string): boolean {
    return this.jobs.has(id.toLowerCase());
  }

  /** The blob download: checks the SAS signature and expiry like storage would. */
  download(id: string, sig: string | null, now: number): Buffer {
    const s = this.jobs.get(id.toLowerCase());
    if (!s || !s.zip) throw new GraphError(404, 'BlobNotFound', 'The specified blob does not exist.');
    if (sig !== s.sig)
      throw new GraphError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request (bad SAS signature).',
      );
    if (now > Date.parse(s.job.expirationDateTime))
      throw new GraphError(403, 'AuthenticationFailed', 'Signed expiry time has passed.');
    return s.zip;
  }
}

function cellsOf(job: ExportJob, columns: readonly string[], data: ReportData): Record<string, string>[] {
  switch (job.reportName) {
    case 'AutopilotV2DeploymentStatus':
      return data.deployments().map((r) => rowCells(r, columns));
    case 'AutopilotV2DeploymentStatusDetailedAppInfo':
      return data.apps().map((r) => detailCells(r, columns, job.localizationType));
    case 'AutopilotV2DeploymentStatusDetailedScriptInfo':
      return data.scripts().map((r) => detailCells(r, columns, job.localizationType));
    default:
      return [];
  }
}
