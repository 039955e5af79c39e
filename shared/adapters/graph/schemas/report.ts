import { z } from 'zod';
import type { DevicePrepDeployment, DevicePrepDeploymentStatus } from '../../../core/model/index.js';
import { describeParseError, lenient, optInt, optString, requiredId, toEpochMs, wireEnum } from './common.js';

// deviceManagementExportJob and the AutopilotV2DeploymentStatus rows
// (https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-apis).

export const exportJobSchema = z.object({
  id: requiredId,
  status: wireEnum(['unknown', 'notStarted', 'inProgress', 'completed', 'failed'] as const),
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
  .transform(
    (w): DevicePrepDeployment => ({
      intuneDeviceId: w.DeviceId,
      deviceName: w.DeviceName,
      serialNumber: w.SerialNumber,
      userPrincipalName: w.UPN,
      enrolledAt: utcCellTime(w.EnrollmentTimeInUtc),
      status: (w.DeploymentStatus !== null ? STATUS_BY_CODE[w.DeploymentStatus] : undefined) ?? 'unknown',
      phase: w.Phase,
      resultCode: w.ResultCode,
      policyName: w.PolicyName,
    }),
  );

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
 * Rows from the exported JSON, tolerating the shapes seen: a plain array of row objects,
 * `{values|Values: [row objects]}`, or the getReport-style `{Schema: [{Column}], Values: [[cells]]}`.
 */
export function parseReportRows(body: unknown): DevicePrepDeployment[] {
  return rowObjects(body).map((row, i) => {
    const r = reportRowSchema.safeParse(row);
    if (!r.success) throw new Error(`report row ${i}: ${describeParseError(r.error)}`);
    return r.data;
  });
}

function rowObjects(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body === null || typeof body !== 'object') throw new Error('report is neither an array nor an object');
  const rec = body as Record<string, unknown>;
  const values = rec.values ?? rec.Values ?? rec.value;
  if (!Array.isArray(values)) throw new Error('report object has no values array');
  const schema = rec.Schema ?? rec.schema;
  if (!Array.isArray(schema)) return values;
  const columns = (schema as unknown[]).map((c) => (c !== null && typeof c === 'object' ? (c as Record<string, unknown>).Column : c));
  return (values as unknown[]).map((cells): unknown => {
    if (!Array.isArray(cells)) return cells;
    const row: unknown[] = cells;
    return Object.fromEntries(columns.map((name, i) => [String(name), row[i]]));
  });
}
