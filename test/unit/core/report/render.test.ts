import { describe, expect, it } from 'vitest';
import { catalogEntry } from '../../../../shared/core/catalog/index.js';
import { buildComplianceReport } from '../../../../shared/core/report/build-report.js';
import { escapeHtml, html } from '../../../../shared/core/report/html.js';
import { renderDashboardHtml, renderReportText } from '../../../../shared/core/report/render-dashboard.js';
import {
  finding,
  identity,
  NOW,
  PERIOD_START,
  plantedFindings,
  plantedHistory,
  plantedRecords,
  plantedSnapshot,
  RULES,
} from './fixtures.js';

const EVIL = `<script>alert("x")</script>'&`;

function report(snapshot = plantedSnapshot(), findings = plantedFindings(), tenant = 'contoso.onmicrosoft.com') {
  return buildComplianceReport({
    snapshot,
    findings,
    openFindingRecords: plantedRecords(),
    history: plantedHistory(),
    periodStart: PERIOD_START,
    now: NOW,
    tenant,
    rules: RULES,
  });
}

function evilReport() {
  const base = plantedSnapshot();
  const evil = identity(EVIL, 999, {
    enrollmentState: 'blocked',
    displayName: `<img src=x onerror=alert(1)>`,
    model: '"><svg onload=alert(2)>',
  });
  const findings = [...plantedFindings(), finding(EVIL, 'AP_<b>X</b>', 'critical', `Title <i>${EVIL}</i>`)];
  return report({ ...base, identities: [...base.identities, evil] }, findings, `evil<script>tenant</script>`);
}

describe('HTML escaping', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(html`<p title="${`" onmouseover="x`}">${'<b>'}</p>`.value).toBe(
      '<p title="&quot; onmouseover=&quot;x">&lt;b&gt;</p>',
    );
  });

  it('never lets a malicious serial, name, model, code, title or tenant through as markup', () => {
    const page = renderDashboardHtml(evilReport(), { generatedAt: NOW });
    // The only <script occurrences would be from data: there must be none, escaped copies instead.
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<svg onload/i);
    expect(page).not.toMatch(/<b>X<\/b>/);
    expect(page).not.toMatch(/<i>/);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    expect(page).toContain('evil&lt;script&gt;tenant&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderDashboardHtml', () => {
  const page = renderDashboardHtml(report(), { generatedAt: NOW + 5 * 60_000, title: 'Fleet health' });

  it('is one self-contained page: no external fetches, no script, a CSP that forbids them', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\b(src|href)\s*=/i);
    expect(page).not.toMatch(/@import|url\(/i);
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`,
    );
  });

  it('carries the headline tiles with test ids and the report values', () => {
    const value = (id: string): string | undefined =>
      new RegExp(`data-testid="tile-${id}-value">([^<]*)<`).exec(page)?.[1];
    expect(value('total')).toBe('31');
    expect(value('blocked')).toBe('3');
    expect(value('stale')).toBe('2');
    expect(value('orphaned')).toBe('3');
    expect(value('noncompliant')).toBe('3');
    expect(value('open-findings')).toBe('4');
    expect(value('mttr')).toBe('60 min');
    expect(page).toContain('data-testid="open-critical">1 critical<');
    expect(page).toContain('<title>Fleet health — contoso.onmicrosoft.com</title>');
    expect(page).toContain('2025-03-01 12:05 UTC'); // page time
  });

  it('draws both charts and the open-findings table, most severe first', () => {
    expect(page).toContain('data-testid="profile-chart"');
    expect(page).toContain('data-testid="remediation-chart"');
    expect(page).toContain('<table data-testid="open-findings"');
    const order = [...page.matchAll(/<tr data-severity="(\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['critical', 'error', 'warning', 'info']);
  });

  it('says so when there is nothing to chart or list, and flags partial data', () => {
    const base = plantedSnapshot();
    const empty = buildComplianceReport({
      snapshot: { ...base, kind: 'incremental', complete: { ...base.complete, managedDevices: false } },
      findings: [],
      openFindingRecords: [],
      history: [],
      periodStart: PERIOD_START,
      now: NOW,
      tenant: 't',
      rules: RULES,
    });
    const p = renderDashboardHtml(empty, { generatedAt: NOW });
    expect(p).toContain('data-testid="remediation-chart-empty"');
    expect(p).toContain('data-testid="open-findings-empty"');
    expect(p).toContain('data-testid="coverage"');
    expect(p).toContain('Intune devices were read in part');
  });
});

describe('renderReportText', () => {
  it('summarises every figure on one line each', () => {
    const text = renderReportText(report());
    expect(text).toContain('Autopilot compliance — contoso.onmicrosoft.com');
    expect(text).toMatch(/^Autopilot devices {9}31$/m);
    expect(text).toMatch(/^Blocked {19}3$/m);
    expect(text).toMatch(/^Stale \(> 90 d\) {12}2$/m);
    expect(text).toMatch(/^Orphaned {18}3 {2}\(no Entra object 2 · no Intune record 1\)$/m);
    expect(text).toMatch(/^Duplicate serials {9}2 {2}\(5 devices\)$/m);
    expect(text).toMatch(/^Not checked in \(> 30 d\) {3}5$/m);
    expect(text).toMatch(/^Device-prep groups {8}1 of 4 healthy$/m);
    expect(text).toMatch(/^Open findings {13}4 {2}\(critical 1 · error 1 · warning 1 · info 1\)$/m);
    expect(text).toMatch(/^Mean time to remediate {4}60 min {2}\(2 remediations\)$/m);
    expect(text).toContain('profile: assigned, in sync 23 · assigned, out of sync 2');
    expect(text).toContain(
      `  critical  AP_ATTENTION_REQUIRED  AR1  ${catalogEntry('AP_ATTENTION_REQUIRED')!.title}  (open 5 d)`,
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('keeps terminal control characters in tenant data out of the output', () => {
    const base = plantedSnapshot();
    const r = report(base, [finding('SN\u001b[2J\u0007', 'AP_X', 'critical')], 'ten\u001b]0;pwned\u0007ant');
    const text = renderReportText(r);
    // Every character but the newline is printable.
    expect([...text].filter((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))).toEqual([]);
    expect(text).toContain('ten?]0;pwned?ant');
    expect(text).toContain('SN?[2J?');
  });
});
