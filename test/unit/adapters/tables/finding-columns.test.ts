import { describe, expect, it } from 'vitest';

import { splitFindingColumns } from '../../../../shared/adapters/tables/finding-columns.js';

// Issue 16.4: a finding's evidence, subject and remedy are stored once, each in its own column. Rows written before
// that kept subject and remedy inside the evidence JSON; they must read exactly like new rows.

const subject = { kind: 'device', key: 'SN-1', serialNumber: 'SN-1', autopilotId: 'ap-1' } as const;
const remedy = { action: 'allow-next-enrollment', autopilotId: 'ap-1', serialNumber: 'SN-1' } as const;

describe('finding columns', () => {
  it('reads the columns of a current row as written', () => {
    expect(splitFindingColumns({ userlessEnrollmentStatus: 'blocked' }, subject, remedy)).toEqual({
      evidence: { userlessEnrollmentStatus: 'blocked' },
      subject,
      remedy,
    });
  });

  it("splits an older row's subject and remedy out of its evidence", () => {
    const legacy = { userlessEnrollmentStatus: 'blocked', subject, remedy };
    expect(splitFindingColumns(legacy, undefined, undefined)).toEqual({
      evidence: { userlessEnrollmentStatus: 'blocked' },
      subject,
      remedy,
    });
  });

  it('drops a subject or remedy that is not one (hostile or damaged rows), keeping the evidence', () => {
    expect(splitFindingColumns({ a: 1 }, { kind: 'device', key: 7 }, { action: 'wipe-device' })).toEqual({
      evidence: { a: 1 },
      remedy: null,
    });
    expect(splitFindingColumns({ a: 1 }, { kind: 'tenant', key: 'other' }, null)).toEqual({
      evidence: { a: 1 },
      remedy: null,
    });
    expect(splitFindingColumns({ subject: 'text', a: 1 }, undefined, undefined)).toEqual({
      evidence: { a: 1 },
      remedy: null,
    });
  });

  it('leaves absent columns absent (a row that never had them)', () => {
    expect(splitFindingColumns({ a: 1 }, undefined, undefined)).toEqual({ evidence: { a: 1 } });
  });
});
