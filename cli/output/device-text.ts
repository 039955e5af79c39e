import type { DeviceCandidate, DeviceView } from '../../shared/app/devices/lookup-device.js';
import { table } from './table.js';
import { terminalText as t } from './terminal.js';

// The device view as text for a terminal. Every tenant string (names, group tags, failure details, reasons) goes
// through terminalText or table(), which show control and layout characters as escapes.

const NONE = '—';
const v = (value: string | number | boolean | null | undefined): string =>
  value === null || value === undefined || value === '' ? NONE : t(String(value));

function rows(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, value]) => `  ${k.padEnd(width)}  ${value}`);
}

export function deviceText(d: DeviceView): string {
  const out: string[] = [];
  const name = d.autopilot?.displayName ?? d.entra?.displayName ?? d.intune?.deviceName ?? null;
  out.push(
    `Device ${v(d.serialNumber ?? name ?? d.key)}${name && d.serialNumber ? ` (${t(name)})` : ''} — found by ${d.matchedBy.join(', ')}`,
  );

  out.push('', 'Autopilot');
  const a = d.autopilot;
  if (!a) out.push('  not registered with Windows Autopilot (no device identity has this serial number)');
  else {
    const block = a.blocked
      ? `BLOCKED (enrollmentState ${t(a.enrollmentState)}, userlessEnrollmentStatus ${t(a.userlessEnrollmentStatus)})`
      : `not blocked (enrollmentState ${t(a.enrollmentState)}, userlessEnrollmentStatus ${t(a.userlessEnrollmentStatus)})`;
    out.push(
      ...rows([
        ['Serial number', v(a.serialNumber)],
        ['Manufacturer, model', `${v(a.manufacturer)}, ${v(a.model)}`],
        ['Group tag', v(a.groupTag)],
        ['Assigned user', v(a.assignedUser)],
        ['Profile status', `${t(a.profileStatus)}${a.profileAssignedAt ? ` (assigned ${a.profileAssignedAt})` : ''}`],
        ['Enrollment block', block],
        ['Remediation state', t(a.remediationState)],
        ['Last contact', v(a.lastContactedAt)],
        ['Autopilot id', t(a.id)],
      ]),
    );
  }

  out.push('', 'Entra ID');
  const e = d.entra;
  if (!e) out.push('  no Entra device record');
  else {
    out.push(
      ...rows([
        ['Display name', v(e.displayName)],
        ['Object id', t(e.objectId)],
        ['Device id', v(e.deviceId)],
        ['Enrollment profile', v(e.enrollmentProfileName)],
        ['Autopilot-registered', e.autopilotRegistered ? 'yes (ZTDID physical id)' : 'no'],
        ['Join type', v(e.trustType)],
        ['Registered', v(e.registeredAt)],
      ]),
    );
  }

  out.push('', 'Intune');
  const m = d.intune;
  if (!m) out.push('  no Intune managed device record (not enrolled, or removed)');
  else {
    out.push(
      ...rows([
        ['Device name', v(m.deviceName)],
        ['Managed device id', t(m.id)],
        ['Compliance', t(m.complianceState)],
        ['Last check-in', v(m.lastSyncAt)],
        ['Enrollment profile', v(m.enrollmentProfileName)],
        ['Autopilot-enrolled', m.autopilotEnrolled ? 'yes' : 'no'],
      ]),
    );
  }

  out.push('', `Deployments (newest first, at most ${5})`);
  if (d.deployments.length === 0) out.push('  no Autopilot deployment events for this serial number');
  for (const dep of d.deployments) {
    const phases = `device setup ${t(dep.deviceSetup)}, account setup ${t(dep.accountSetup)}`;
    out.push(
      `  ${v(dep.at)}  ${t(dep.outcome)}  ${t(dep.enrollmentType)}  profile ${v(dep.profileName)}  (${phases})${dep.errorCode ? `  error ${t(dep.errorCode)}` : ''}`,
    );
    if (dep.failureDetails) out.push(`      details: ${t(dep.failureDetails)}`);
    if (dep.explanation) {
      out.push(`      ${t(dep.explanation.title)} [${t(dep.explanation.code)}]`);
      out.push(`      Fix: ${t(dep.explanation.fix)}`);
    } else if (dep.errorCode) {
      out.push('      This error code is not in the catalog: look it up in the Windows Autopilot troubleshooting FAQ.');
    }
  }

  out.push('', 'Device-preparation groups');
  if (d.devicePrepGroups.length === 0) out.push('  none configured (DEVICE_PREP_GROUPS)');
  for (const g of d.devicePrepGroups) {
    const state =
      g.member === null
        ? 'membership unknown (no Entra record, or the group does not exist)'
        : g.member
          ? 'member'
          : g.expected
            ? 'NOT a member'
            : 'not a member';
    const why = g.expected
      ? `; enrolled with its policy "${t(g.policyName)}", so it belongs there`
      : `; not enrolled with its policy "${t(g.policyName)}"`;
    out.push(`  ${v(g.groupName)} (${t(g.groupId)}): ${state}${why}`);
    out.push(`      ${t(g.link)}`);
  }

  out.push('', `Open findings (${d.openFindings.length})`);
  if (d.openFindings.length === 0) out.push('  none recorded');
  for (const f of d.openFindings) {
    out.push(
      `  [${t(f.severity)}] ${t(f.code)}  ${t(f.title)}  (first seen ${f.firstSeenAt}, last seen ${f.lastSeenAt}, ${f.attempts} remediation attempt(s))`,
    );
    out.push(`      Fix: ${t(f.fix)}`);
  }

  out.push('', `Remediation history (newest first, at most 25)`);
  if (d.history.length === 0) out.push('  nothing recorded for this device');
  else {
    const h = table(
      ['time', 'type', 'action', 'mode', 'status', 'reason'],
      d.history.map((r) => [r.at, r.type, r.action ?? '', r.mode ?? '', r.status, r.reason]),
    );
    out.push(...h.split('\n').map((line) => `  ${line}`));
  }

  out.push('', 'Links');
  out.push(
    ...rows([
      ['Intune device', v(d.links.intuneDevice)],
      ['Autopilot devices', v(d.links.autopilotDevices)],
    ]),
  );

  if (d.notes.length > 0) {
    out.push('', 'Notes');
    for (const n of d.notes) out.push(`  ${t(n)}`);
  }
  return out.join('\n');
}

export function candidatesText(candidates: readonly DeviceCandidate[]): string {
  return table(
    ['serial', 'names', 'autopilot id', 'entra object id', 'intune id'],
    candidates.map((c) => [
      c.serialNumber ?? NONE,
      c.names.join(', ') || NONE,
      c.autopilotId ?? NONE,
      c.entraObjectId ?? NONE,
      c.intuneId ?? NONE,
    ]),
  );
}
