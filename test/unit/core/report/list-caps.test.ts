import { describe, expect, it } from 'vitest';
import { buildComplianceReport } from '../../../../shared/core/report/build-report.js';
import { capList, FirstN } from '../../../../shared/core/report/rows.js';
import type { CappedList, ComplianceReport } from '../../../../shared/core/report/types.js';
import { identity, plantedFindings, plantedHistory, plantedInput, plantedSnapshot } from './fixtures.js';

// The report's lists keep only the rows they show (FirstN, a bounded heap) instead of sorting the whole fleet:
// these pin that a capped list is exactly the first rows of the full, sorted list, whatever the input order.

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('FirstN', () => {
  // Keys with many ties: the order breaks them by position, as a stable sort does.
  const keys = Array.from({ length: 200 }, (_, i) => Math.floor(random(7)() * 1000 + i * 7919) % 13);
  const byKeyThenPosition = (a: number, b: number): number => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b;
  const stable = keys
    .map((k, i) => ({ k, i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.i);

  it.each([0, 1, 3, 50, 199, 200, 500, Infinity, 2.5, -1, NaN])(
    'keeps what capList of a stable sort keeps (cap %s)',
    (cap) => {
      for (const seed of [1, 2, 3]) {
        const top = new FirstN<number>(cap, byKeyThenPosition);
        for (const i of shuffled(
          keys.map((_, i) => i),
          seed,
        ))
          top.add(i);
        expect(top.list((i) => i)).toEqual(capList(stable, cap));
      }
    },
  );

  it('counts everything added and builds rows only for the kept items', () => {
    const top = new FirstN<number>(2, (a, b) => a - b);
    for (const n of [5, 3, 9, 1, 7]) top.add(n);
    const built: number[] = [];
    const list = top.list((n) => {
      built.push(n);
      return `row ${n}`;
    });
    expect(list).toEqual({ total: 5, truncated: true, rows: ['row 1', 'row 3'] });
    expect(built).toEqual([1, 3]);
  });
});

describe('report lists under a cap', () => {
  const input = plantedInput;

  function lists(r: ComplianceReport): [string, CappedList<unknown>][] {
    const { profileAssignment, ...rest } = r.lists;
    return [
      ...Object.entries(rest),
      ...Object.entries(profileAssignment).map(([k, v]): [string, CappedList<unknown>] => [`profile ${k}`, v]),
    ];
  }

  it('shows the first rows of the full list, in any input order, and the same figures', () => {
    const base = plantedSnapshot();
    const full = buildComplianceReport(input({ listCap: Infinity }));
    expect(full.lists.devices.rows).toHaveLength(base.identities.length);
    for (const seed of [11, 12, 13]) {
      const snapshot = {
        ...base,
        identities: shuffled([...base.identities], seed),
        managedDevices: shuffled([...base.managedDevices], seed + 100),
      };
      const mixed = {
        snapshot,
        history: shuffled(plantedHistory(), seed),
        findings: shuffled(plantedFindings(), seed),
      };
      // Uncapped, the shuffled input gives the very same lists and figures.
      expect(buildComplianceReport(input({ ...mixed, listCap: Infinity }))).toEqual(full);
      for (const cap of [0, 1, 2, 3]) {
        const capped = buildComplianceReport(input({ ...mixed, listCap: cap }));
        expect(capped.summary).toEqual(full.summary);
        for (const [[name, list], [, whole]] of lists(capped).map((l, i) => [l, lists(full)[i]!] as const)) {
          expect({ name, ...list }).toEqual({ name, ...capList(whole.rows, cap) });
        }
      }
    }
  });

  it('does not count an identity without a serial as holding a serial equal to its id', () => {
    const base = plantedSnapshot();
    // No serial: its device key is its id, which here spells a duplicated serial.
    const odd = identity('', 99, { id: 'DUP-1' });
    const r = buildComplianceReport(input({ snapshot: { ...base, identities: [...base.identities, odd] } }));
    expect(r.summary.duplicateSerials).toEqual({ serials: 2, devices: 5 });
    expect(r.lists.duplicateSerials.rows.map((row) => [row.serialNumber, row.state])).toEqual([
      ['DUP-1', 'serial shared by 2 devices'],
      ['DUP-2', 'serial shared by 3 devices'],
      ['DUP-2', 'serial shared by 3 devices'],
      ['DUP-2', 'serial shared by 3 devices'],
      ['dup-1 ', 'serial shared by 2 devices'],
    ]);
  });
});
