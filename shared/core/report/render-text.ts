import { SEVERITIES } from '../model/index.js';
import { partialCoverage } from './coverage.js';
import { PROFILE_STATES } from './dashboard-charts.js';
import { fmtCount, fmtDate, fmtMinutes, fmtTime, plural } from './format.js';
import type { ComplianceReport } from './types.js';

// Plain-text summary for the CLI. Tenant data can hold control characters (an ESC in a serial would drive
// the operator's terminal), so every data string is passed through `clean`.

const TOP_FINDINGS = 10;

// eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a terminal
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function cleanText(text: string): string {
  return text.replace(CONTROL, '?');
}

function line(label: string, value: string, detail = ''): string {
  return `${label.padEnd(26)}${value}${detail === '' ? '' : `  (${detail})`}`;
}

export function renderReportText(report: ComplianceReport): string {
  const s = report.summary;
  const r = report.rules;
  const profile = PROFILE_STATES.map((p) => `${p.label.toLowerCase()} ${fmtCount(s.profileAssignment[p.status])}`).join(
    ' · ',
  );
  const orphan = [
    `no Entra object ${s.orphaned.noEntraObject === null ? 'not checked' : fmtCount(s.orphaned.noEntraObject)}`,
    `no Intune record ${s.orphaned.noIntuneRecord === null ? 'not checked' : fmtCount(s.orphaned.noIntuneRecord)}`,
  ].join(' · ');
  const sync =
    s.sync.lastSyncAt === null
      ? 'no sync recorded'
      : `last ${fmtTime(s.sync.lastSyncAt)}, ${fmtMinutes(s.sync.minutesSinceLastSync)} ago`;
  const statuses = Object.entries(s.remediations.byStatus)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${cleanText(k)} ${fmtCount(v)}`)
    .join(' · ');
  const severities = SEVERITIES.slice()
    .reverse()
    .map((sev) => `${sev} ${fmtCount(s.openFindings.bySeverity[sev])}`)
    .join(' · ');
  const groups = s.devicePrepGroups;

  const out = [
    `Autopilot compliance — ${cleanText(report.tenant)}`,
    `Report ${fmtTime(report.generatedAt)} · period ${fmtDate(report.period.start)} → ${fmtDate(report.period.end)}`,
    ...partialCoverage(report.coverage).map((p) => `Partial data: ${p}; counts over it are lower bounds.`),
    '',
    line('Autopilot devices', fmtCount(s.totalDevices)),
    `  profile: ${profile}`,
    line('Blocked', fmtCount(s.blocked)),
    line('Fix pending', fmtCount(s.fixPending)),
    line('Attention required', fmtCount(s.attentionRequired)),
    line(`Stale (> ${r.staleDays} d)`, fmtCount(s.stale)),
    line('Never enrolled', fmtCount(s.neverEnrolled)),
    line('Orphaned', fmtCount(s.orphaned.total), orphan),
    line('Duplicate serials', fmtCount(s.duplicateSerials.serials), plural(s.duplicateSerials.devices, 'device')),
    line('Noncompliant (Intune)', fmtCount(s.noncompliant)),
    line(`Not checked in (> ${r.checkinStaleDays} d)`, fmtCount(s.notCheckedIn)),
    line('Device-prep groups', `${fmtCount(groups.healthy)} of ${fmtCount(groups.total)} healthy`),
    line('Autopilot sync', s.sync.status, sync),
    line('Remediations', fmtCount(s.remediations.total), statuses),
    line('Open findings', fmtCount(s.openFindings.total), severities),
    line(
      'Mean time to remediate',
      fmtMinutes(s.mttrMinutes),
      s.mttrSamples === 0 ? '' : plural(s.mttrSamples, 'remediation'),
    ),
  ];

  const open = report.lists.openFindings;
  if (open.total > 0) {
    out.push(
      '',
      `Open findings (most severe first${open.total > TOP_FINDINGS ? `, top ${TOP_FINDINGS} of ${fmtCount(open.total)}` : ''}):`,
    );
    for (const f of open.rows.slice(0, TOP_FINDINGS)) {
      out.push(
        `  ${f.severity.padEnd(10)}${cleanText(f.code)}  ${cleanText(f.subjectKey)}  ${cleanText(f.title)}  (open ${fmtMinutes(f.ageMinutes)})`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
