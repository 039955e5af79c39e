import { describe, expect, it } from 'vitest';

import {
  renderOverviewHtml,
  runHealth,
  sortOverview,
  type OverviewFigures,
  type OverviewRow,
} from '../../../../shared/core/report/index.js';

// The cross-tenant overview (core/report/render-overview.ts): health derived from the last runs, the order a person
// reads it in (worst first), and every tenant- or configuration-controlled string escaped.

const AT = Date.parse('2026-12-01T06:00:00Z');

const run = (status: 'completed' | 'aborted', summary: string, minutesAgo = 0) => ({
  status,
  summary,
  finishedAt: AT - minutesAgo * 60_000,
});

describe('runHealth', () => {
  it('no run yet is unknown; a completed last run is ok', () => {
    expect(runHealth([]).status).toBe('unknown');
    expect(runHealth([run('completed', 'findings 3'), run('aborted', 'HTTP 403 Forbidden', 10)]).status).toBe('ok');
  });

  it('a last run refused access is failing: 401/403, permission, AADSTS, consent', () => {
    for (const reason of [
      'Graph GET /deviceManagement/windowsAutopilotDeviceIdentities: 403 Forbidden',
      'PermissionError: the app lacks DeviceManagementServiceConfig.Read.All',
      'AADSTS700016: Application not found in the directory',
      'admin consent was revoked',
      'HTTP 401 Unauthorized',
    ])
      expect(runHealth([run('aborted', reason)]).status, reason).toBe('failing');
  });

  it('a last run aborted for another reason is degraded, and says how many in a row', () => {
    const h = runHealth([run('aborted', 'throttled (429)'), run('aborted', 'timeout', 5), run('completed', 'ok', 10)]);
    expect(h).toEqual({ status: 'degraded', reason: 'the last 2 runs aborted' });
  });
});

const figures = (health: OverviewFigures['health'], extra: Partial<OverviewFigures> = {}): OverviewFigures => ({
  devices: 12,
  reportAt: AT,
  openFindings: { total: 3, bySeverity: { info: 0, warning: 1, error: 0, critical: 2 } },
  remediations: { total: 4, byStatus: { succeeded: 3, 'failed-permanent': 1 } },
  lastRun: { name: 'complianceSweep', status: 'completed', finishedAt: AT, summary: 'devices 12' },
  health,
  ...extra,
});

const rows: OverviewRow[] = [
  {
    tenant: 'a1000000-0000-4000-8000-000000000001',
    name: 'Contoso',
    figures: { ok: true, value: figures({ status: 'ok', reason: 'the last run completed' }) },
  },
  {
    tenant: 'b2000000-0000-4000-8000-000000000002',
    name: 'Fabrikam "quoted" & co',
    figures: { ok: false, error: 'RestError: <img src=x onerror=alert(1)> table unreachable' },
  },
  {
    tenant: 'c3000000-0000-4000-8000-000000000003',
    name: 'Northwind',
    figures: {
      ok: true,
      value: figures(
        { status: 'failing', reason: 'refused' },
        {
          devices: null,
          reportAt: null,
          remediations: null,
          lastRun: { name: 'poll', status: 'aborted', finishedAt: AT, summary: '403 <script>alert(1)</script>' },
        },
      ),
    },
  },
];

describe('renderOverviewHtml', () => {
  const page = renderOverviewHtml(rows, { generatedAt: AT });

  it('one row per tenant, worst first, each linking to its dashboard', () => {
    expect(sortOverview(rows).map((r) => r.name)).toEqual(['Fabrikam "quoted" & co', 'Northwind', 'Contoso']);
    const order = [...page.matchAll(/<tr data-tenant="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([rows[1]?.tenant, rows[2]?.tenant, rows[0]?.tenant]);
    for (const r of rows) expect(page).toContain(`href="dashboard?tenant=${r.tenant}"`);
    expect(page).toContain('1 unreachable, 1 failing, 1 ok');
  });

  it('figures: devices, open findings per severity, remediations by status, no report yet', () => {
    expect(page).toContain('data-testid="devices">12<');
    expect(page).toContain('data-severity="critical"><span class="sev sev-critical">2</span>');
    expect(page).toContain('data-severity="error">0<');
    expect(page).toContain('4 in the report period');
    expect(page).toContain('succeeded 3, failed-permanent 1');
    expect(page).toContain('no report yet');
  });

  it('escapes names, error texts and run summaries; no script, nothing loaded', () => {
    expect(page).toContain('Fabrikam &quot;quoted&quot; &amp; co');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('403 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/\b(src|href)="https?:/);
  });

  it('a tenant id with URL characters is encoded in its link (ids are GUIDs, but the renderer does not rely on it)', () => {
    const odd = renderOverviewHtml([{ ...rows[0]!, tenant: 'a&b c' }], { generatedAt: AT });
    expect(odd).toContain('href="dashboard?tenant=a%26b%20c"');
  });
});
