import type { DeviceView } from '../shared/app/devices/lookup-device.js';
import { html, trusted, type SafeHtml } from '../shared/core/report/html.js';
import { DASHBOARD_CSS } from '../shared/core/report/dashboard-style.js';

// GET /api/devices/{key}?format=html: the technician's view of one device as a page, where the dashboard's device
// links lead. Same content as the JSON and as `autopilot-medic device`; every tenant string goes through the
// escaping template (html``), and the page loads nothing (the dashboard's CSP). Links leave only for the Intune
// admin center, and only as https addresses this app built.

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

type Cell = string | number | boolean | null | undefined;
const show = (v: Cell): string => (v === null || v === undefined || v === '' ? '—' : String(v));

function facts(rows: readonly (readonly [string, Cell])[]): SafeHtml {
  return html`<table class="facts"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td class="mono">${show(v)}</td></tr>`)}</tbody></table>`;
}

function section(id: string, title: string, body: SafeHtml): SafeHtml {
  return html`<section class="card" aria-labelledby="h-${id}" data-testid="${id}"><h2 id="h-${id}">${title}</h2>${body}</section>`;
}

function externalLink(label: string, href: string | null): SafeHtml {
  if (href === null || !href.startsWith('https://')) return html`${label}: —`;
  return html`<a href="${href}" rel="noreferrer">${label}</a>`;
}

/**
 * `dashboardQuery`: what the dashboard link carries (`?tenant=<id>` on a many-tenant deployment, so "dashboard"
 * leads back to this tenant's, not the overview); '' for a single tenant.
 */
export function renderDevicePage(d: DeviceView, generatedAt: number, dashboardQuery = ''): string {
  const name = d.autopilot?.displayName ?? d.entra?.displayName ?? d.intune?.deviceName ?? null;
  const title = d.serialNumber ?? name ?? d.key;
  const a = d.autopilot;
  const e = d.entra;
  const m = d.intune;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trusted(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} — autopilot-medic</title>
<style>${trusted(DASHBOARD_CSS)}
.facts th { text-align: left; font-weight: 600; width: 14rem; vertical-align: top; }
.facts td, .facts th { padding: 2px 8px 2px 0; overflow-wrap: anywhere; }</style></head>
<body><main>
<header class="top"><h1 data-testid="device-title">Device ${title}${name !== null && d.serialNumber !== null ? html` <span class="tenant">· ${name}</span>` : ''}</h1>
<p class="meta">Found by ${d.matchedBy.join(', ')} · page ${new Date(generatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · <a href="${`../dashboard${dashboardQuery}`}">dashboard</a></p></header>
${d.notes.length === 0 ? '' : html`<p class="banner" role="status">${d.notes.join(' · ')}</p>`}
<div class="grid2">
${section(
  'autopilot',
  'Autopilot',
  a === null
    ? html`<p class="empty">Not registered with Windows Autopilot (no device identity has this serial number).</p>`
    : facts([
        ['Serial number', a.serialNumber],
        ['Manufacturer, model', `${show(a.manufacturer)}, ${show(a.model)}`],
        ['Group tag', a.groupTag],
        ['Assigned user', a.assignedUser],
        ['Profile status', `${a.profileStatus}${a.profileAssignedAt ? ` (assigned ${a.profileAssignedAt})` : ''}`],
        [
          'Enrollment block',
          `${a.blocked ? 'BLOCKED' : 'not blocked'} (enrollmentState ${a.enrollmentState}, userlessEnrollmentStatus ${a.userlessEnrollmentStatus})`,
        ],
        ['Remediation state', a.remediationState],
        ['Last contact', a.lastContactedAt],
        ['Autopilot id', a.id],
      ]),
)}
${section(
  'records',
  'Entra ID and Intune',
  html`${
    e === null
      ? html`<p class="empty">No Entra device record.</p>`
      : facts([
          ['Entra display name', e.displayName],
          ['Object id', e.objectId],
          ['Device id', e.deviceId],
          ['Enrollment profile', e.enrollmentProfileName],
          ['Autopilot-registered', e.autopilotRegistered ? 'yes (ZTDID physical id)' : 'no'],
          ['Join type', e.trustType],
        ])
  }${
    m === null
      ? html`<p class="empty">No Intune managed device record (not enrolled, or removed).</p>`
      : facts([
          ['Intune device name', m.deviceName],
          ['Managed device id', m.id],
          ['Compliance', m.complianceState],
          ['Last check-in', m.lastSyncAt],
          ['Autopilot-enrolled', m.autopilotEnrolled ? 'yes' : 'no'],
        ])
  }`,
)}
</div>
${section(
  'open',
  `Open findings (${d.openFindings.length})`,
  d.openFindings.length === 0
    ? html`<p class="empty">None recorded.</p>`
    : html`<ul>${d.openFindings.map(
        (f) =>
          html`<li><span class="sev sev-${f.severity}">${f.severity}</span> <code>${f.code}</code> ${f.title} — first seen ${f.firstSeenAt}, ${f.attempts} remediation attempt(s)<br><span class="fix">Fix: ${f.fix}</span></li>`,
      )}</ul>`,
)}
${section(
  'deployments',
  'Deployments (newest first)',
  d.deployments.length === 0
    ? html`<p class="empty">No Autopilot deployment events for this serial number.</p>`
    : html`<ul>${d.deployments.map(
        (dep) =>
          html`<li>${show(dep.at)} · <strong>${dep.outcome}</strong> · ${dep.enrollmentType} · profile ${show(dep.profileName)} (device setup ${dep.deviceSetup}, account setup ${dep.accountSetup})${dep.errorCode ? html` · error <code>${dep.errorCode}</code>` : ''}${dep.explanation ? html`<br>${dep.explanation.title} [<code>${dep.explanation.code}</code>] — Fix: ${dep.explanation.fix}` : ''}</li>`,
      )}</ul>`,
)}
${section(
  'groups',
  'Device-preparation groups',
  d.devicePrepGroups.length === 0
    ? html`<p class="empty">None configured (DEVICE_PREP_GROUPS).</p>`
    : html`<ul>${d.devicePrepGroups.map(
        (g) =>
          html`<li>${show(g.groupName)} <span class="ids mono">${g.groupId}</span>: ${g.member === null ? 'membership unknown' : g.member ? 'member' : g.expected ? 'NOT a member' : 'not a member'}${g.expected ? html` (enrolled with its policy "${g.policyName}", so it belongs there)` : ''}</li>`,
      )}</ul>`,
)}
${section(
  'history',
  'Remediation history (newest first)',
  d.history.length === 0
    ? html`<p class="empty">Nothing recorded for this device.</p>`
    : html`<table><thead><tr><th scope="col">Time</th><th scope="col">Type</th><th scope="col">Action</th><th scope="col">Mode</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead><tbody>${d.history.map(
        (r) =>
          html`<tr><td>${r.at}</td><td>${r.type}</td><td>${show(r.action)}</td><td>${show(r.mode)}</td><td>${r.status}</td><td>${r.reason}</td></tr>`,
      )}</tbody></table>`,
)}
<p class="meta">${externalLink('Intune device', d.links.intuneDevice)} · ${externalLink('Autopilot devices', d.links.autopilotDevices)}</p>
</main></body></html>
`;
  return page.value;
}
