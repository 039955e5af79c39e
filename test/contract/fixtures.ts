import { afterAll, beforeAll } from 'vitest';
import { createMemoryStores } from '../../shared/adapters/inprocess/memory-stores.js';
import { createTableStores } from '../../shared/adapters/tables/table-stores.js';
import type { FindingRecord, HistoryRecord, Stores } from '../../shared/ports/stores.port.js';
import { withAzurite } from '../support/azurite.js';

export type MakeStores = () => Promise<Stores>;

/** 2026-11-22T10:00:00Z: every contract uses fixed times, never the clock. */
export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
export const MINUTE = 60_000;

/** Keys Table Storage forbids or mangles unless escaped, plus the escape character and a quote for OData. */
export const AWKWARD_KEYS = [
  'a/b',
  'back\\slash',
  'hash#tag',
  'what?',
  'tab\tnew\nline\u0001\u007f',
  'per%cent %41',
  "o'brien",
  'ünïcødé ✓',
];

/**
 * Keys past Table Storage's 1 KiB (512 UTF-16 units) once escaped (issue 13.4: stored under a hash, never
 * refused): a 600-character serial, one that differs from it only in its last character, a 300-character run of
 * '#' (each escapes to 3 characters), and one that fits a partition key but not a history row key (whose
 * inverted-time prefix takes 17 characters).
 */
export const LONG_KEYS = ['S'.repeat(600), `${'S'.repeat(599)}T`, `${'#'.repeat(300)}x`, `${'L'.repeat(500)}\u0009`];

export const memoryStores: MakeStores = () => Promise.resolve(createMemoryStores());

/**
 * Registers an Azurite for the enclosing describe block and returns a factory of fresh Table stores:
 * every call gets its own tables (prefix = tag + counter), so tests never see each other's rows.
 */
export function azuriteTables(tag: string): MakeStores {
  let azurite: Awaited<ReturnType<typeof withAzurite>> | null = null;
  let counter = 0;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite) throw new Error('Azurite is not running (azuriteTables must be called inside a describe block)');
    counter += 1;
    return createTableStores({ connectionString: azurite.connectionString }, `${tag}${counter}`);
  };
}

export function historyRecord(overrides: Partial<HistoryRecord> & Pick<HistoryRecord, 'id' | 'at'>): HistoryRecord {
  return {
    subjectKey: 'SERIAL-1',
    runId: 'run-1',
    type: 'outcome',
    action: 'allow-next-enrollment',
    code: 'BLOCKED_REENROLLMENT',
    idempotencyKey: 'tenant:allow-next-enrollment:dev-1:b1',
    mode: 'enforce',
    status: 'succeeded',
    reason: 'device was blocked',
    attempt: 1,
    graphRequestId: 'req-1',
    before: { enrollmentState: 'blocked' },
    after: { enrollmentState: 'enrolled', nested: [1, 'two', null, { three: true }] },
    ...overrides,
  };
}

export function findingRecord(
  overrides: Partial<FindingRecord> & Pick<FindingRecord, 'subjectKey' | 'code'>,
): FindingRecord {
  return {
    fingerprint: `${overrides.subjectKey}-${overrides.code}`,
    severity: 'warning',
    title: 'Device blocked for re-enrollment',
    status: 'open',
    firstSeenAt: T0,
    lastSeenAt: T0,
    resolvedAt: null,
    attempts: 0,
    lastAttemptAt: null,
    evidence: { enrollmentState: 'blocked', errorCode: '0x80180014' },
    ...overrides,
  };
}

/** Runs `times` rounds of `race(i)` (each a Promise.all) sequentially and returns the results per round. */
export async function rounds<T>(times: number, race: (round: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i += 1) out.push(await race(i));
  return out;
}
