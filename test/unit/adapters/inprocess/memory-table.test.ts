import { describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../../shared/adapters/inprocess/memory-table.js';

// The in-memory table copies what it stores and what it returns (its own copy, made by hand for plain records,
// structuredClone for anything else): a caller can never change a stored row by mutating an object afterwards.

describe('MemoryTable copies', () => {
  it('keeps a stored record apart from the object written and from every object returned', () => {
    const t = new MemoryTable<{ a: { b: number[] }; s: string }>();
    const written = { a: { b: [1, 2] }, s: 'x' };
    t.put('p', 'r', written);
    written.a.b.push(3);
    written.s = 'changed';
    const first = t.get('p', 'r');
    expect(first?.value).toEqual({ a: { b: [1, 2] }, s: 'x' });
    first?.value.a.b.push(4);
    expect(t.scan()[0]?.value).toEqual({ a: { b: [1, 2] }, s: 'x' });
  });

  it('copies what a plain record does not hold as structuredClone does (dates, maps, "__proto__" keys, holes)', () => {
    const t = new MemoryTable<Record<string, unknown>>();
    const when = new Date(Date.UTC(2026, 0, 2));
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "n": -0}') as Record<string, unknown>;
    // eslint-disable-next-line no-sparse-arrays
    const value = { when, map: new Map([['k', 1]]), parsed, sparse: [1, , 3], nothing: undefined, nil: null };
    t.put('p', 'r', value);
    const got = t.get('p', 'r')?.value ?? {};
    expect(got).toEqual(structuredClone(value));
    expect(got['when']).toBeInstanceOf(Date);
    expect(got['when']).not.toBe(when);
    expect(Object.keys(got['parsed'] as object)).toEqual(['__proto__', 'n']);
    expect(Object.is((got['parsed'] as Record<string, unknown>)['n'], -0)).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(1 in (got['sparse'] as unknown[])).toBe(false);
    expect('nothing' in got).toBe(true);
  });

  it('refuses what structuredClone refuses', () => {
    const t = new MemoryTable<Record<string, unknown>>();
    expect(() => t.put('p', 'r', { f: () => 1 })).toThrow();
  });
});

describe('MemoryTable scan with a limit', () => {
  it('returns the first rows in key order, as sorting everything and slicing would', () => {
    const t = new MemoryTable<number>();
    const keys: [string, string][] = [];
    for (let i = 0; i < 300; i++) keys.push([`p${(i * 7919) % 13}`, `r${(i * 104729) % 1000}`.padStart(5, '0')]);
    for (const [pk, rk] of keys) t.put(pk, rk, Number(rk.slice(1)));
    const all = t.scan();
    expect(all.map((r) => `${r.partitionKey}/${r.rowKey}`)).toEqual(
      [...all].map((r) => `${r.partitionKey}/${r.rowKey}`).sort(),
    );
    for (const limit of [1, 2, 17, 299, 300, 1000]) {
      expect(t.scan({ limit })).toEqual(all.slice(0, limit));
      const odd = (row: { value: number }): boolean => row.value % 2 === 1;
      expect(t.scan({ limit, where: odd })).toEqual(all.filter(odd).slice(0, limit));
    }
    for (const limit of [0, -3, Number.NaN]) expect(t.scan({ limit })).toEqual(all.slice(0, limit));
  });
});
