/** The generator's fast ISO-8601 formatter writes exactly what Date#toISOString writes. */
import { expect, test } from 'vitest';
import { iso, mulberry32 } from '../../sim/generate/random.js';

test('iso(ms) equals new Date(ms).toISOString() across the whole range, edges included', () => {
  const rnd = mulberry32(20261204);
  const edges = [0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_399_999];
  const samples = [...edges, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5, Number.NaN].concat(
    Array.from({ length: 20_000 }, () => Math.floor(rnd() * 253_402_300_800_000)),
  );
  for (const ms of samples) {
    const want = ((): string => {
      try {
        return new Date(ms).toISOString();
      } catch (e) {
        return `throws ${(e as Error).name}`;
      }
    })();
    const got = ((): string => {
      try {
        return iso(ms);
      } catch (e) {
        return `throws ${(e as Error).name}`;
      }
    })();
    expect(got, String(ms)).toBe(want);
  }
});
