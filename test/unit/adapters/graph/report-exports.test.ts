import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_PREP_APPS,
  DEVICE_PREP_DEPLOYMENTS,
  DEVICE_PREP_SCRIPTS,
  exportReport,
  type ReportSpec,
} from '../../../../shared/adapters/graph/export-report.js';
import { appRowSchema, reportRowSchema, scriptRowSchema } from '../../../../shared/adapters/graph/schemas/report.js';
import { json } from './fake-fetch.js';
import { BASE, harness } from './harness.js';

// Issue 14 item 13: which export columns are selected. Microsoft Learn "Export Intune reports using Graph APIs"
// (https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis), note under "Example
// devices report request and response": "select specific columns … Do not build automation around default columns of
// any report export". Under "Localization behavior": `LocalizedValuesAsAdditionalColumn` adds `<column>_loc` with the
// human-readable value — which is where the Installed / In progress / Skipped / Failed words of the detail reports are.

const SPECS: readonly [string, ReportSpec<unknown>, readonly string[], readonly string[]][] = [
  [
    'AutopilotV2DeploymentStatus',
    DEVICE_PREP_DEPLOYMENTS,
    Object.keys(reportRowSchema.in.shape),
    ['DeviceId', 'DeviceName', 'SerialNumber', 'UPN', 'EnrollmentTimeInUtc', 'DeploymentStatus', 'Phase', 'ResultCode'],
  ],
  [
    'AutopilotV2DeploymentStatusDetailedAppInfo',
    DEVICE_PREP_APPS,
    Object.keys(appRowSchema.in.shape),
    ['DeviceId', 'ApplicationId', 'ApplicationName', 'AppType', 'PolicyInstallStatus'],
  ],
  [
    'AutopilotV2DeploymentStatusDetailedScriptInfo',
    DEVICE_PREP_SCRIPTS,
    Object.keys(scriptRowSchema.in.shape),
    ['DeviceId', 'PolicyId', 'DisplayName', 'PolicyInstallStatus'],
  ],
];

/** Read if a tenant's export carries it, never requested: no live export showed the column. */
const OPTIONAL = new Set(['PolicyName']);

describe('report exports name their columns', () => {
  it.each(SPECS)('%s selects exactly the columns it needs', (name, spec, parsed, expected) => {
    expect(spec.reportName).toBe(name);
    expect([...spec.select]).toEqual(expected);
    // Everything the parser reads is selected (or is a localized twin of a selected column).
    for (const column of parsed.filter((c) => !OPTIONAL.has(c)))
      expect(spec.select, column).toContain(column.replace(/_loc$/, ''));
  });

  it.each(SPECS)('%s: the job request carries select, json and the localized-text columns', async (_name, spec) => {
    const zip = zipSync({ 'r.json': strToU8(JSON.stringify({ values: [] })) });
    const h = harness([
      json({ id: 'job-1', status: 'notStarted' }, 201),
      json({ id: 'job-1', status: 'completed', url: 'https://blob.example.test/r.zip?sig=x' }),
    ]);
    const downloads: string[] = [];
    const rows = await exportReport(
      {
        http: h.http,
        fetch: (url) => {
          downloads.push(url instanceof Request ? url.url : url.toString());
          return Promise.resolve(new Response(zip));
        },
        sleep: () => Promise.resolve(),
        now: h.now,
        maxWaitMs: 60_000,
        downloadTimeoutMs: 5_000,
      },
      spec,
    );
    expect(rows).toEqual([]);
    expect(h.seen[0]).toMatchObject({ method: 'POST', url: `${BASE}/beta/deviceManagement/reports/exportJobs` });
    expect(h.seen[0]!.body).toEqual({
      reportName: spec.reportName,
      format: 'json',
      select: [...spec.select],
      localizationType: 'localizedValuesAsAdditionalColumn',
    });
    expect(downloads).toHaveLength(1);
  });
});

describe('detail rows', () => {
  it.each([
    {
      name: 'Skipped in the _loc column',
      row: { PolicyInstallStatus: '4', PolicyInstallStatus_loc: 'Skipped' },
      status: 'skipped',
    },
    {
      name: 'In progress',
      row: { PolicyInstallStatus: 1, PolicyInstallStatus_loc: 'In progress' },
      status: 'inProgress',
    },
    { name: 'Installed', row: { PolicyInstallStatus: '2', PolicyInstallStatus_loc: 'Installed' }, status: 'installed' },
    { name: 'Failed', row: { PolicyInstallStatus: '3', PolicyInstallStatus_loc: 'Failed' }, status: 'failed' },
    {
      name: 'text in the column itself (ReplaceLocalizableValues)',
      row: { PolicyInstallStatus: 'Skipped' },
      status: 'skipped',
    },
    { name: 'a bare code: its meaning is not documented', row: { PolicyInstallStatus: '4' }, status: 'unknown' },
    {
      name: 'another language',
      row: { PolicyInstallStatus: '4', PolicyInstallStatus_loc: 'Übersprungen' },
      status: 'unknown',
    },
  ])('app status: $name → $status', ({ row, status }) => {
    const parsed = appRowSchema.parse({
      DeviceId: 'md-1',
      ApplicationId: 'a-1',
      ApplicationName: 'Agent',
      AppType: 'Win32LobApp',
      ...row,
    });
    expect(parsed).toMatchObject({
      kind: 'app',
      intuneDeviceId: 'md-1',
      itemId: 'a-1',
      name: 'Agent',
      appType: 'Win32LobApp',
      status,
    });
  });

  it('reads a script row', () => {
    expect(
      scriptRowSchema.parse({
        DeviceId: 'md-1',
        PolicyId: 'p-1',
        DisplayName: 'Set-Region.ps1',
        PolicyInstallStatus: '4',
        PolicyInstallStatus_loc: 'Skipped',
      }),
    ).toEqual({
      kind: 'script',
      intuneDeviceId: 'md-1',
      itemId: 'p-1',
      name: 'Set-Region.ps1',
      appType: null,
      status: 'skipped',
      statusCode: '4',
    });
  });
});
