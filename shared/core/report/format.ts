import { DAY_MS, MINUTE_MS } from './rows.js';

// Formatting for the dashboard and the CLI text. Times are shown in UTC with the zone spelled out: the report
// is read by people in several zones, and core has no reader's locale to format for.

export function fmtTime(epochMs: number | null): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return '—';
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function fmtDate(epochMs: number | null): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return '—';
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** 1234567 -> "1,234,567" without depending on the runtime's ICU data. */
export function fmtCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration in minutes, in the largest unit that keeps it readable. */
export function fmtMinutes(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 90) return `${Math.round(minutes * 10) / 10} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round(((minutes * MINUTE_MS) / DAY_MS) * 10) / 10} d`;
}

/** "3 days", "1 day": plural agreement for short labels. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtCount(n)} ${n === 1 ? one : many}`;
}
