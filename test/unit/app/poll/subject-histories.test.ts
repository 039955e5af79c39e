import { describe, expect, it } from 'vitest';

import { MemoryHistoryStore } from '../../../../shared/adapters/inprocess/memory-history-store.js';
import { subjectHistories, subjectHistory } from '../../../../shared/app/poll/subject-history.js';
import type { Finding } from '../../../../shared/core/model/index.js';
import type { FindingRecord, HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../../../shared/ports/index.js';

// Issue 16.4: a run's history reads went out one per finding, one after another. They now go a few at a time, and
// two findings of one subject share a query; the answers are the ones the one-by-one reads gave.

const NOW = Date.UTC(2026, 11, 4, 12);
const serial = (i: number) => `SN-${i}`;

function finding(i: number, code = 'AP_UNBLOCK_NEEDED'): Finding {
  return {
    code,
    subject: { kind: 'device', key: serial(i), serialNumber: serial(i), autopilotId: null },
    severity: 'warning',
    title: 't',
    evidence: {},
    fingerprint: `fp-${i}-${code}`,
    remedy: {
      action: 'allow-next-enrollment',
      autopilotId: `ad000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      serialNumber: serial(i),
    },
  };
}
const record = (f: Finding): FindingRecord => ({
  subjectKey: f.subject.key,
  code: f.code,
  fingerprint: f.fingerprint,
  severity: 'warning',
  title: 't',
  status: 'open',
  firstSeenAt: NOW - 86_400_000,
  lastSeenAt: NOW,
  resolvedAt: null,
  attempts: 2,
  lastAttemptAt: NOW - 3_600_000,
  evidence: {},
});
const outcome = (key: string, at: number): HistoryRecord => ({
  subjectKey: key,
  at,
  id: `o-${key}-${at}`,
  runId: 'r',
  type: 'outcome',
  action: 'allow-next-enrollment',
  code: null,
  idempotencyKey: 'k',
  mode: 'enforce',
  status: 'succeeded',
  reason: 'x',
  attempt: 1,
  graphRequestId: null,
  before: null,
  after: null,
});

/** Counts queries and how many run at once (each answers after a tick, so overlapping ones are seen). */
class Counting implements HistoryStore {
  queries = 0;
  inFlight = 0;
  peak = 0;
  constructor(private readonly inner: HistoryStore) {}
  append(records: readonly HistoryRecord[]): Promise<void> {
    return this.inner.append(records);
  }
  deleteOlderThan(cutoff: number): Promise<number> {
    return this.inner.deleteOlderThan(cutoff);
  }
  async query(q: HistoryQuery): Promise<Page<HistoryRecord>> {
    this.queries++;
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    return this.inner.query(q);
  }
}

describe('subjectHistories', () => {
  it('answers as the one-by-one reads did, a few at a time, one query per subject', async () => {
    const inner = new MemoryHistoryStore();
    const findings = [...Array.from({ length: 20 }, (_, i) => finding(i)), finding(3, 'AP_OTHER_CODE')];
    for (const i of [1, 3, 7])
      await inner.append([outcome(serial(i), NOW - 7_200_000), outcome(serial(i), NOW - 3_600_000)]);
    const needs = findings.map((f) => ({ finding: f, record: record(f), needsLastUnblock: false }));

    const oneByOne = [];
    for (const n of needs) oneByOne.push(await subjectHistory(inner, n.finding, n.record, NOW));

    const counting = new Counting(inner);
    const batched = await subjectHistories(counting, needs, NOW);
    expect(batched).toEqual(oneByOne);
    expect(batched[1]?.attemptsLast24h).toBe(2);
    expect(counting.queries).toBe(20); // 21 findings, 20 subjects
    expect(counting.peak).toBeGreaterThan(1);
    expect(counting.peak).toBeLessThanOrEqual(8);
  });
});
