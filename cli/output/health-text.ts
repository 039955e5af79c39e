import type { HealthCheck, HealthReport } from '../../shared/app/health/check-health.js';
import { GRAPH_PERMISSIONS, type PermissionTier } from '../../shared/core/permissions/index.js';
import { terminalText } from './terminal.js';

// `autopilot-medic health` as text: a summary line per check, then each section's detail. Every string that can
// carry tenant or service text (group ids, error messages) goes through terminalText: escaped, never obeyed.

const TITLES: Readonly<Record<HealthCheck['name'], string>> = {
  startup: 'Startup',
  config: 'Configuration',
  credential: 'Credential',
  storage: 'Storage tables',
  graph: 'Microsoft Graph',
  permissions: 'Graph permissions',
  endpoints: 'Graph endpoints',
  'device-prep-groups': 'Device-preparation groups',
  schedules: 'Schedules',
};

const MARK: Readonly<Record<HealthCheck['status'], string>> = { ok: 'ok', degraded: 'DEGRADED', failing: 'FAILING' };

export function healthText(report: HealthReport, tenant: string): string {
  const width = Math.max(...report.checks.map((c) => TITLES[c.name].length));
  const lines = [
    `autopilot-medic health, tenant ${terminalText(tenant)}: ${MARK[report.status]} (${report.checkedAt})`,
    '',
  ];
  for (const c of report.checks)
    lines.push(`  ${TITLES[c.name].padEnd(width)}  ${MARK[c.status].padEnd(8)}  ${terminalText(c.detail)}`);
  for (const c of report.checks) {
    const section = details(c);
    if (section.length > 0) lines.push('', `${TITLES[c.name]}:`, ...section.map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

function details(c: HealthCheck): string[] {
  const d = (c.data ?? {}) as Record<string, unknown>;
  switch (c.name) {
    case 'credential':
      return [
        `credential: ${terminalText(str(d.credential, ''))}`,
        `configured tenant: ${terminalText(str(d.configuredTenantId, '(none)'))}`,
        `token tenant: ${terminalText(str(d.tokenTenantId, '(not in the token)'))}`,
      ];
    case 'permissions':
      return permissionLines(d);
    case 'endpoints':
      return list(d.endpoints).map(
        (e) =>
          `${String(e.outcome).padEnd(6)}  ${terminalText(String(e.call))}  (${terminalText(String(e.name))})${e.outcome === 'ok' ? '' : `: ${terminalText(String(e.detail))}`}`,
      );
    case 'device-prep-groups':
      return list(d.groups).flatMap((g) => [
        `group ${terminalText(String(g.groupId))}, policy ${terminalText(str(g.policyId, '(no policyId)'))}: ${MARK[g.status as HealthCheck['status']] ?? String(g.status)}`,
        ...list(g.items).map(
          (i) =>
            `  ${String(i.status === 'ok' ? 'ok' : 'NO').padEnd(3)} ${String(i.check)}: ${terminalText(String(i.detail))}`,
        ),
      ]);
    case 'storage':
      return list(d.tables).map(
        (t) =>
          `${t.ok ? 'ok    ' : 'FAILED'}  ${terminalText(String(t.table))}${t.ok ? '' : `: ${terminalText(String(t.detail))}`}`,
      );
    case 'schedules':
      return list(d.schedules).map(
        (s) =>
          `${String(s.setting)} "${terminalText(String(s.expression))}" (${String(s.function)}), next (UTC): ${list2(s.next).join(', ')}`,
      );
    default:
      return [];
  }
}

/** Every permission of the one list, per tier, present or missing; or why the token cannot tell. */
function permissionLines(d: Record<string, unknown>): string[] {
  if (d.verifiable !== true) return ['not verifiable with this token (see above)'];
  const missing = new Set(
    Object.values((d.missing ?? {}) as Record<string, { permission: string }[]>).flatMap((l) =>
      l.map((p) => p.permission),
    ),
  );
  const tiers: PermissionTier[] = ['read', 'report', 'remediate'];
  return tiers.flatMap((tier) => [
    `${tier}:`,
    ...GRAPH_PERMISSIONS.filter((p) => p.requiredFor === tier).map(
      (p) => `  ${missing.has(p.permission) ? 'MISSING' : 'present'}  ${p.permission}`,
    ),
  ]);
}

function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object') as Record<string, unknown>[]) : [];
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

function list2(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}
