import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDownload } from '../../../../shared/adapters/graph/export-report.js';
import { parseReportRows, utcCellTime } from '../../../../shared/adapters/graph/schemas/report.js';
import { PermanentError } from '../../../../shared/ports/index.js';

const row = {
  DeviceId: 'md-1',
  DeviceName: 'PC-1',
  SerialNumber: 'SN-1',
  UPN: 'u@contoso.com',
  EnrollmentTimeInUtc: '2026-07-19 15:35:56.3020000',
  DeploymentStatus: '3',
  Phase: '6',
  ResultCode: '-2147023436',
  PolicyName: 'DP policy',
  CurrentProvisioningPhase: '4',
};
const expected = {
  intuneDeviceId: 'md-1',
  deviceName: 'PC-1',
  serialNumber: 'SN-1',
  userPrincipalName: 'u@contoso.com',
  enrolledAt: Date.UTC(2026, 6, 19, 15, 35, 56, 302),
  status: 'failed',
  phase: '6',
  resultCode: '-2147023436',
  policyName: 'DP policy',
};

describe('AutopilotV2DeploymentStatus rows', () => {
  it('reads {values: [...]}, plain arrays and Schema/Values', () => {
    expect(parseReportRows({ values: [row] })).toEqual([expected]);
    expect(parseReportRows([row])).toEqual([expected]);
    const columns = Object.keys(row);
    expect(
      parseReportRows({
        Schema: columns.map((Column) => ({ Column })),
        Values: [columns.map((c) => row[c as keyof typeof row])],
      }),
    ).toEqual([expected]);
  });

  it('maps status codes 1/2/3 (numbers or strings) and anything else to unknown', () => {
    const statuses = [1, '2', 3, 9, null].map(
      (DeploymentStatus) => parseReportRows([{ ...row, DeploymentStatus }])[0]?.status,
    );
    expect(statuses).toEqual(['inProgress', 'succeeded', 'failed', 'unknown', 'unknown']);
  });

  it('reads zone-less export timestamps as UTC', () => {
    expect(utcCellTime('2026-07-19 15:35:56.3020000')).toBe(Date.UTC(2026, 6, 19, 15, 35, 56, 302));
    expect(utcCellTime('2026-07-19 15:35')).toBe(Date.UTC(2026, 6, 19, 15, 35));
    expect(utcCellTime('2026-07-19T15:35:56Z')).toBe(Date.UTC(2026, 6, 19, 15, 35, 56));
    expect(utcCellTime('')).toBeNull();
  });
});

describe('parseDownload', () => {
  it('unzips the single JSON entry (BOM tolerated)', () => {
    const zip = zipSync({
      'AutopilotV2DeploymentStatus_x.json': strToU8(`\uFEFF${JSON.stringify({ values: [row] })}`),
    });
    expect(parseDownload(zip, 'job')).toEqual([expected]);
  });

  it('fails as PermanentError on an unusable file', () => {
    expect(() => parseDownload(zipSync({ 'a.csv': strToU8('x'), 'b.txt': strToU8('y') }), 'job')).toThrow(
      PermanentError,
    );
    expect(() => parseDownload(strToU8('{"nothing":1}'), 'job')).toThrow(PermanentError);
  });
});
