/**
 * The AutopilotV2DeploymentStatus export file. Rows carry every cell as a string, exactly as the
 * CSV export shows it (graph2otel captured live rows that way: `"DeploymentStatus": "3"`), and the
 * JSON file wraps them as `{"values":[...]}` — the shape Intune's JSON export parsers accept.
 */
import { strToU8, zipSync } from 'fflate';
import type { ReportRow } from '../model/schemas.js';

export const V2_COLUMNS = [
  'DeviceId', 'DeviceName', 'SerialNumber', 'UPN', 'EnrollmentTimeInUtc', 'CurrentProvisioningPhase',
  'DeploymentStatus', 'DeploymentDurationTimeInSeconds', 'Phase', 'ResultCode', 'PolicyName',
] as const;

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
  for (const c of columns) out[c] = c === 'EnrollmentTimeInUtc' ? exportTime(row.EnrollmentTimeInUtc) : String(src[c] ?? '');
  return out;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One-entry zip holding `<job id>.json` or `.csv` (CSV with the UTF-8 BOM Intune writes). */
export function buildZip(jobId: string, format: 'json' | 'csv', rows: readonly Record<string, string>[], columns: readonly string[]): Buffer {
  const text = format === 'json'
    ? JSON.stringify({ values: rows })
    : `\uFEFF${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\r\n')}\r\n`;
  const zipped = zipSync({ [`${jobId}.${format}`]: strToU8(text) });
  return Buffer.from(zipped);
}
