// Issue 18's burst target: the bench's minimum re-check reads for a remediation burst, and the ratio it judges.
import { describe, expect, it } from 'vitest';

import { collectionOf } from '../../../bench/measure.js';
import { burstMinimum, burstReadsTarget } from '../../../bench/minimum.js';
import type { RunResult } from '../../../bench/types.js';
import type { RequestLogEntry } from '../../../sim/index.js';

describe('burstMinimum', () => {
  it('counts per command: 2 gate reads, ids 15 a request, every member page before and after, writes of 20', () => {
    // 998 members: the first command's before-read is one page of 999, its read-back (1,018) two.
    const m = burstMinimum([20, 20, 5], 998);
    expect(m.byCollection).toEqual({
      group: 3,
      'policy target': 3,
      'devices (id)': 2 + 2 + 1,
      'group members': 1 + 2 + (2 + 2) + (2 + 2),
      'group member writes': 3,
    });
    expect(m.reads).toBe(3 + 3 + 5 + 11);
    expect(m.total).toBe(m.reads + 3);
    expect(m.chain).toBe(2 + 1 + 2); // member pages before, the write, member pages after
  });

  it('an empty group still takes a page to prove nobody is in it', () => {
    expect(burstMinimum([1], 0).byCollection['group members']).toBe(2);
    expect(burstMinimum([], 10).reads).toBe(0);
  });
});

function runWith(byCollection: Record<string, number>, wireReads: number): RunResult {
  return {
    requests: {
      wire: 0,
      wireReads,
      wireWrites: 0,
      batches: 0,
      batchedCalls: 0,
      byCollection,
      errors: {},
      throttled429: 0,
    },
    minimum: burstMinimum([20, 20, 5], 998),
  } as unknown as RunResult;
}

describe('burstReadsTarget', () => {
  const base = { group: 3, 'policy target': 3, 'group members': 11, 'group member writes': 3 };

  it('met at the minimum: reads are calls, writes left out', () => {
    const t = burstReadsTarget(runWith({ ...base, 'devices (id)': 5 }, 9), 1000);
    expect(t.met).toBe(true);
    expect(t.measured).toMatch(/^22 read calls \/ 22 = 1\.00× \(9 on the wire; /);
  });

  it('not met when every device is read on its own (45 GETs instead of 5)', () => {
    const t = burstReadsTarget(runWith({ ...base, 'devices (id)': 45 }, 9), 1000);
    expect(t.met).toBe(false);
    expect(t.measured).toMatch(/^62 read calls \/ 22 = 2\.82×/);
  });
});

describe('collectionOf (the burst reads)', () => {
  const entry = (method: string, path: string, query: Record<string, string> = {}): RequestLogEntry =>
    ({ method, path, query, version: 'v1.0', status: 200, kind: 'read' }) as unknown as RequestLogEntry;

  it('names the device, policy-target and member reads', () => {
    expect(collectionOf(entry('GET', '/devices', { $filter: "id in ('a','b')" }))).toBe('devices (id)');
    expect(collectionOf(entry('GET', '/devices/d0000000-0000-4000-8000-000000000001'))).toBe('devices (id)');
    expect(
      collectionOf(
        entry('POST', '/deviceManagement/configurationPolicies/p-1/retrieveEnrollmentTimeDeviceMembershipTarget'),
      ),
    ).toBe('policy target');
    expect(collectionOf(entry('GET', '/devices', { $filter: "enrollmentProfileName eq 'x'" }))).toBe(
      'entraDevices (device-prep candidates)',
    );
    expect(collectionOf(entry('GET', '/groups/g-1/members'))).toBe('group members');
  });
});
