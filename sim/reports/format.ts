/**
 * The device-preparation export files. Rows carry every cell as a string, exactly as the CSV export
 * shows it (graph2otel captured live rows that way: `"DeploymentStatus": "3"`), and the JSON file
 * wraps them as `{"values":[...]}` — the shape Intune's JSON export parsers accept.
 */
import { strToU8, zipSync } from 'fflate';
import { type AppReportRow, ITEM_INSTALL_STATUSES, type ReportRow, type ScriptReportRow } from '../model/schemas.js';

export const V2_COLUMNS = [
  'DeviceId',
  'DeviceName',
  'SerialNumber',
  'UPN',
  'EnrollmentTimeInUtc',
  'CurrentProvisioningPhase',
  'DeploymentStatus',
  'DeploymentDurationTimeInSeconds',
  'Phase',
  'ResultCode',
  'PolicyName',
] as const;

/** AutopilotV2DeploymentStatusDetailedAppInfo columns (as a live export header lists them). */
export const APP_COLUMNS = [
  'DeviceId',
  'ApplicationId',
  'ApplicationName',
  'AppType',
  'IsAdminSelected',
  'PolicyInstallStatus',
] as const;

/** AutopilotV2DeploymentStatusDetailedScriptInfo columns. */
export const SCRIPT_COLUMNS = ['DeviceId', 'PolicyId', 'DisplayName', 'PolicyInstallStatus'] as const;

/** The simulator's numbering of the install status words (1-based, in ITEM_INSTALL_STATUSES order). */
export function installStatusCode(word: (typeof ITEM_INSTALL_STATUSES)[number]): string {
  return String(ITEM_INSTALL_STATUSES.indexOf(word) + 1);
}

/**
 * A detail row's cells. Localizable column PolicyInstallStatus: with `localizedValuesAsAdditionalColumn` (the
 * service default) the code stays in the column and the word goes to `PolicyInstallStatus_loc`; with
 * `replaceLocalizableValues` the word replaces the code (Microsoft Learn "Export Intune reports using Graph APIs" ›
 * "Localization behavior").
 */
export function detailCells(
  row: AppReportRow | ScriptReportRow,
  columns: readonly string[],
  localization: 'localizedValuesAsAdditionalColumn' | 'replaceLocalizableValues',
): Record<string, string> {
  const out: Record<string, string> = {};
  const src: Record<string, string | boolean> = row;
  for (const c of columns) {
    if (c !== 'PolicyInstallStatus') {
      const v = src[c];
      out[c] = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v ?? '');
    } else if (localization === 'replaceLocalizableValues') {
      out[c] = row.PolicyInstallStatus;
    } else {
      out[c] = installStatusCode(row.PolicyInstallStatus);
      out[`${c}_loc`] = row.PolicyInstallStatus;
    }
  }
  return out;
}

/** `2026-07-19T15:35:56.302Z` → `2026-07-19 15:35:56.3020000` (the export's own timestamp text). */
export function exportTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [date, time] = d.toISOString().split('T');
  const [hms, ms] = (time ?? '').replace('Z', '').split('.');
  return `${date} ${hms}.${(ms ?? '0').padEnd(7, '0')}`;
}

export function rowCells(row: ReportRow, columns: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const src: Record<string, string | number> = row;
  for (const c of columns)
    out[c] = c === 'EnrollmentTimeInUtc' ? exportTime(row.EnrollmentTimeInUtc) : String(src[c] ?? '');
  return out;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One-entry zip holding `<job id>.json` or `.csv` (CSV with the UTF-8 BOM Intune writes). */
export function buildZip(
  jobId: string,
  format: 'json' | 'csv',
  rows: readonly Record<string, string>[],
  selected: readonly string[],
): Buffer {
  // Columns added to the selection (the `_loc` twins) follow their column, as in the rows.
  const columns = rows[0] ? Object.keys(rows[0]) : selected;
  const text =
    format === 'json'
      ? JSON.stringify({ values: rows })
      : `\uFEFF${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\r\n')}\r\n`;
  const zipped = zipSync({ [`${jobId}.${format}`]: strToU8(text) });
  return Buffer.from(zipped);
}
