import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../../../../shared/adapters/graph/schemas/common.js';

// toEpochMs reads Graph's usual `YYYY-MM-DDTHH:MM:SS[.fraction]Z` without the general date parser; whatever the
// text, it must answer what Date.parse answers (null for garbage and for Graph's 0001-01-01 "no value").
const viaDateParse = (s: string): number | null => {
  const ms = Date.parse(s);
  return Number.isNaN(ms) || ms < Date.UTC(1601, 0, 2) ? null : ms;
};

function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

describe('toEpochMs', () => {
  it('agrees with Date.parse on edge cases', () => {
    const cases = [
      '2025-03-01T08:00:00Z',
      '2025-03-01T08:00:00.1Z',
      '2025-03-01T08:00:00.12Z',
      '2025-03-01T08:00:00.123Z',
      '2025-03-01T08:00:00.1234Z',
      '2025-03-01T08:00:00.1234567Z',
      '2025-03-01T08:00:00.12345678Z',
      '2025-03-01T08:00:00.9999999Z',
      '0001-01-01T00:00:00Z',
      '0099-01-01T00:00:00Z',
      '1601-01-01T00:00:00Z',
      '1601-01-02T00:00:00Z',
      '2024-02-29T12:00:00Z',
      '2025-02-29T00:00:00Z',
      '2025-04-31T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-00-10T00:00:00Z',
      '2025-03-00T00:00:00Z',
      '2025-03-01T24:00:00Z',
      '2025-03-01T23:60:00Z',
      '2025-03-01T23:59:60Z',
      '2025-03-01T08:00:00.Z',
      '2025-03-01T08:00:00.1a3Z',
      '2025-03-01 08:00:00Z',
      '2025-03-01T08:00:00',
      '2025-03-01T08:00:00+01:00',
      '2025-03-01T08:00Z',
      '+002025-03-01T08:00:00Z',
      '2025-3-01T08:00:00Z',
      '1970-01-01T00:00:00Z',
      '9999-12-28T23:59:59.999Z',
      'garbage',
    ];
    for (const c of cases) expect(toEpochMs(c), c).toBe(viaDateParse(c));
  });

  it('agrees with Date.parse on many generated timestamps', () => {
    const rnd = lcg(18);
    const two = (n: number): string => String(n).padStart(2, '0');
    for (let k = 0; k < 20_000; k++) {
      const y = 1000 + Math.floor(rnd() * 9000);
      const text =
        `${y}-${two(1 + Math.floor(rnd() * 13))}-${two(Math.floor(rnd() * 33))}T` +
        `${two(Math.floor(rnd() * 25))}:${two(Math.floor(rnd() * 61))}:${two(Math.floor(rnd() * 61))}` +
        `${rnd() < 0.5 ? '' : `.${String(Math.floor(rnd() * 10_000_000)).slice(0, 1 + Math.floor(rnd() * 7))}`}Z`;
      expect(toEpochMs(text), text).toBe(viaDateParse(text));
    }
  });
});
