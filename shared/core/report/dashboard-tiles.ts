import { SEVERITIES } from '../model/index.js';
import { fmtCount, fmtMinutes, plural } from './format.js';
import { html } from './html.js';
import type { HtmlValue, SafeHtml } from './html.js';
import type { ComplianceReport } from './types.js';

// Figure tiles. Each tile and its value carry a data-testid (`tile-<name>`, `tile-<name>-value`) so tests and
// people's scripts can read a figure without depending on layout or wording.

type Tone = 'neutral' | 'warn' | 'bad' | 'good';

function tile(id: string, label: string, value: string, sub: HtmlValue, tone: Tone): SafeHtml {
  const cls = tone === 'neutral' ? 'tile' : `tile ${tone}`;
  return html`<div class="${cls}" data-testid="tile-${id}"><p class="label">${label}</p><p class="value" data-testid="tile-${id}-value">${value}</p><p class="sub">${sub}</p></div>`;
}

/** A problem count is calm at zero and coloured otherwise: the eye should land only where there is work. */
function problem(n: number, severe = false): Tone {
  return n === 0 ? 'neutral' : severe ? 'bad' : 'warn';
}

export function headlineTiles(r: ComplianceReport): SafeHtml {
  const s = r.summary;
  const orphanParts = [
    `no Entra object ${s.orphaned.noEntraObject === null ? 'not checked' : fmtCount(s.orphaned.noEntraObject)}`,
    `no Intune record ${s.orphaned.noIntuneRecord === null ? 'not checked' : fmtCount(s.orphaned.noIntuneRecord)}`,
  ].join(' · ');
  const chips = SEVERITIES.slice()
    .reverse()
    .map(
      (sev) =>
        html`<span class="sev sev-${sev}" data-testid="open-${sev}">${fmtCount(s.openFindings.bySeverity[sev])} ${sev}</span>`,
    );
  const openTone: Tone =
    s.openFindings.bySeverity.critical > 0 || s.openFindings.bySeverity.error > 0
      ? 'bad'
      : problem(s.openFindings.total);
  const inSync = s.profileAssignment.assignedInSync;
  return html`<div class="tiles" data-testid="headline">
${tile('total', 'Autopilot devices', fmtCount(s.totalDevices), `${fmtCount(inSync)} with profile assigned and in sync`, 'neutral')}
${tile('blocked', 'Blocked', fmtCount(s.blocked), 'userless or enrollment blocked', problem(s.blocked, true))}
${tile('stale', 'Stale', fmtCount(s.stale), `silent for over ${plural(r.rules.staleDays, 'day')}`, problem(s.stale))}
${tile('orphaned', 'Orphaned', fmtCount(s.orphaned.total), orphanParts, problem(s.orphaned.total))}
${tile('noncompliant', 'Noncompliant', fmtCount(s.noncompliant), 'Intune managed devices', problem(s.noncompliant))}
${tile('open-findings', 'Open findings', fmtCount(s.openFindings.total), html`<span class="chips">${chips}</span>`, openTone)}
${tile('mttr', 'Time to remediate', fmtMinutes(s.mttrMinutes), s.mttrSamples === 0 ? 'no remediation completed in the period' : `mean over ${plural(s.mttrSamples, 'remediation')}`, 'neutral')}
</div>`;
}

export function secondaryTiles(r: ComplianceReport): SafeHtml {
  const s = r.summary;
  const g = s.devicePrepGroups;
  const syncSub =
    s.sync.minutesSinceLastSync === null
      ? 'no sync recorded'
      : `last sync ${fmtMinutes(s.sync.minutesSinceLastSync)} ago`;
  return html`<div class="tiles secondary" data-testid="secondary">
${tile('fix-pending', 'Fix pending', fmtCount(s.fixPending), 'automatic remediation required', problem(s.fixPending))}
${tile('attention-required', 'Attention required', fmtCount(s.attentionRequired), 'manual remediation required', problem(s.attentionRequired, true))}
${tile('never-enrolled', 'Never enrolled', fmtCount(s.neverEnrolled), `registered over ${plural(r.rules.staleDays, 'day')} ago`, problem(s.neverEnrolled))}
${tile('duplicate-serials', 'Duplicate serials', fmtCount(s.duplicateSerials.serials), `held by ${plural(s.duplicateSerials.devices, 'device')}`, problem(s.duplicateSerials.serials))}
${tile('not-checked-in', 'Not checked in', fmtCount(s.notCheckedIn), `Intune, over ${plural(r.rules.checkinStaleDays, 'day')}`, problem(s.notCheckedIn))}
${tile('device-prep', 'Device-prep groups', `${fmtCount(g.healthy)} / ${fmtCount(g.total)}`, g.unhealthy === 0 ? 'all healthy' : `${fmtCount(g.unhealthy)} unhealthy`, g.unhealthy > 0 ? 'bad' : 'neutral')}
${tile('sync', 'Autopilot sync', s.sync.status, syncSub, s.sync.healthy ? 'neutral' : 'bad')}
</div>`;
}
