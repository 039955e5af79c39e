import { z } from 'zod';
import type {
  DevicePrepDeployment,
  DevicePrepDeploymentStatus,
  DevicePrepItemState,
  DevicePrepItemStatus,
} from '../../../core/model/index.js';
import { describeParseError, lenient, optInt, optString, requiredId, toEpochMs, wireEnum } from './common.js';

// deviceManagementExportJob and the rows of the device-preparation reports. Microsoft Learn "Export Intune reports
// using Graph APIs" (https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis), note
// under "Example devices report request and response": select specific columns, "Do not build automation around
// default columns of any report export". So every export names its columns, and each parser reads only those.
// Under "Localization behavior", `localizationType: localizedValuesAsAdditionalColumn` gives each localizable column
// a second column with `_loc` appended holding the human-readable text.

/** AutopilotV2DeploymentStatus: the device-preparation deployments (the columns graph2otel saw on a live tenant). */
export const DEPLOYMENT_REPORT = {
  reportName: 'AutopilotV2DeploymentStatus',
  select: [
    'DeviceId',
    'DeviceName',
    'SerialNumber',
    'UPN',
    'EnrollmentTimeInUtc',
    'DeploymentStatus',
    'Phase',
    'ResultCode',
  ],
} as const;

/** AutopilotV2DeploymentStatusDetailedAppInfo: the Apps tab of a device-preparation deployment. */
export const APP_DETAIL_REPORT = {
  reportName: 'AutopilotV2DeploymentStatusDetailedAppInfo',
  select: ['DeviceId', 'ApplicationId', 'ApplicationName', 'AppType', 'PolicyInstallStatus'],
} as const;

/** AutopilotV2DeploymentStatusDetailedScriptInfo: the Scripts tab of a device-preparation deployment. */
export const SCRIPT_DETAIL_REPORT = {
  reportName: 'AutopilotV2DeploymentStatusDetailedScriptInfo',
  select: ['DeviceId', 'PolicyId', 'DisplayName', 'PolicyInstallStatus'],
} as const;

/** deviceManagementReportStatus. */
export const EXPORT_JOB_STATUSES = ['unknown', 'notStarted', 'inProgress', 'completed', 'failed'] as const;

export const exportJobSchema = z.object({
  id: requiredId,
  status: wireEnum(EXPORT_JOB_STATUSES),
  url: optString,
});
export type ExportJob = z.output<typeof exportJobSchema>;

/** DeploymentStatus: 1 in progress, 2 succeeded, 3 failed (graph2otel live data; sim README). */
const STATUS_BY_CODE: Record<number, DevicePrepDeploymentStatus> = { 1: 'inProgress', 2: 'succeeded', 3: 'failed' };

/** Cells arrive as strings or numbers depending on format/localisation; codes are kept as text. */
const cellText = lenient((v): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
});

/**
 * `PolicyName` is not requested (no live export showed it), only read if a tenant's export carries it anyway.
 */
export const reportRowSchema = z
  .object({
    DeviceId: optString,
    DeviceName: optString,
    SerialNumber: optString,
    UPN: optString,
    EnrollmentTimeInUtc: z.unknown().optional(),
    DeploymentStatus: optInt,
    Phase: cellText,
    ResultCode: cellText,
    PolicyName: optString,
  })
  .transform((w): DevicePrepDeployment => ({
    intuneDeviceId: w.DeviceId,
    deviceName: w.DeviceName,
    serialNumber: w.SerialNumber,
    userPrincipalName: w.UPN,
    enrolledAt: utcCellTime(w.EnrollmentTimeInUtc),
    status: (w.DeploymentStatus !== null ? STATUS_BY_CODE[w.DeploymentStatus] : undefined) ?? 'unknown',
    phase: w.Phase,
    resultCode: w.ResultCode,
    policyName: w.PolicyName,
  }));

/**
 * The export writes `2026-07-19 15:35:56.3020000`: UTC by the column's name but with no zone, which
 * Date.parse would read as local time. Normalise to ISO with `Z` (milliseconds kept) first.
 */
export function utcCellTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return toEpochMs(value);
  const ms = (m[4] ?? '').slice(0, 3).padEnd(3, '0');
  return toEpochMs(`${m[1]}T${m[2]}:${m[3] ?? '00'}.${ms}Z`);
}

/**
 * Status words of the Apps and Scripts tabs (Installed, In progress, Skipped, Failed; Microsoft Learn "Windows Autopilot
 * device preparation reporting and monitoring"). The numeric PolicyInstallStatus code behind them is undocumented, so
 * the text is read: the `_loc` column, or the column itself when the export replaced codes by text. A locale other
 * than English, or a word not listed, reads as 'unknown' — a check then does less, never more.
 */
const ITEM_STATES: Readonly<Record<string, DevicePrepItemState>> = {
  installed: 'installed',
  inprogress: 'inProgress',
  skipped: 'skipped',
  failed: 'failed',
};

function itemState(raw: string | null, localized: string | null): DevicePrepItemState {
  const text = localized ?? (raw !== null && !/^-?\d+$/.test(raw.trim()) ? raw : null);
  return ITEM_STATES[(text ?? '').toLowerCase().replace(/[\s_-]+/g, '')] ?? 'unknown';
}

export const appRowSchema = z
  .object({
    DeviceId: optString,
    ApplicationId: optString,
    ApplicationName: optString,
    AppType: cellText,
    PolicyInstallStatus: cellText,
    PolicyInstallStatus_loc: cellText,
  })
  .transform((w): DevicePrepItemStatus => ({
    kind: 'app',
    intuneDeviceId: w.DeviceId,
    itemId: w.ApplicationId,
    name: w.ApplicationName,
    appType: w.AppType,
    status: itemState(w.PolicyInstallStatus, w.PolicyInstallStatus_loc),
    statusCode: w.PolicyInstallStatus,
  }));

export const scriptRowSchema = z
  .object({
    DeviceId: optString,
    PolicyId: optString,
    DisplayName: optString,
    PolicyInstallStatus: cellText,
    PolicyInstallStatus_loc: cellText,
  })
  .transform((w): DevicePrepItemStatus => ({
    kind: 'script',
    intuneDeviceId: w.DeviceId,
    itemId: w.PolicyId,
    name: w.DisplayName,
    appType: null,
    status: itemState(w.PolicyInstallStatus, w.PolicyInstallStatus_loc),
    statusCode: w.PolicyInstallStatus,
  }));

/** Rows of one report, each through `schema`; the first unusable row fails the whole file (nothing half-read). */
export function parseRows<T>(body: unknown, schema: z.ZodType<T, unknown>): T[] {
  return rowObjects(body).map((row, i) => {
    const r = schema.safeParse(row);
    if (!r.success) throw new Error(`report row ${i}: ${describeParseError(r.error)}`);
    return r.data;
  });
}

/**
 * Rows from the exported JSON, tolerating the shapes seen: a plain array of row objects,
 * `{values|Values: [row objects]}`, or the getReport-style `{Schema: [{Column}], Values: [[cells]]}`.
 */
export function parseReportRows(body: unknown): DevicePrepDeployment[] {
  return parseRows(body, reportRowSchema);
}

export const parseAppRows = (body: unknown): DevicePrepItemStatus[] => parseRows(body, appRowSchema);
export const parseScriptRows = (body: unknown): DevicePrepItemStatus[] => parseRows(body, scriptRowSchema);

function rowObjects(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body === null || typeof body !== 'object') throw new Error('report is neither an array nor an object');
  const rec = body as Record<string, unknown>;
  const values = rec.values ?? rec.Values ?? rec.value;
  if (!Array.isArray(values)) throw new Error('report object has no values array');
  const schema = rec.Schema ?? rec.schema;
  if (!Array.isArray(schema)) return values;
  const columns = (schema as unknown[]).map((c) =>
    c !== null && typeof c === 'object' ? (c as Record<string, unknown>).Column : c,
  );
  return (values as unknown[]).map((cells): unknown => {
    if (!Array.isArray(cells)) return cells;
    const row: unknown[] = cells;
    return Object.fromEntries(columns.map((name, i) => [String(name), row[i]]));
  });
}
