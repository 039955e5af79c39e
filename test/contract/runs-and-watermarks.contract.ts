import { describe, expect, it } from 'vitest';
import { AWKWARD_KEYS, rounds, T0, type MakeStores } from './fixtures.js';

export function describeRunLockStore(name: string, makeStores: MakeStores): void {
  describe(`RunLockStore contract: ${name}`, () => {
    it('starts a slot once; other slots are independent', async () => {
      const { runs } = await makeStores();
      expect(await runs.tryStartRun('poll:2026-11-22T10:05:00Z', T0)).toBe(true);
      expect(await runs.tryStartRun('poll:2026-11-22T10:05:00Z', T0 + 1)).toBe(false);
      expect(await runs.tryStartRun('poll:2026-11-22T10:10:00Z', T0 + 2)).toBe(true);
      expect(await runs.tryStartRun('compliance:2026-11-22T10:05:00Z', T0 + 3)).toBe(true);
      expect(await runs.tryStartRun('no-colon-slot', T0 + 4)).toBe(true);
    });

    it('gives a slot to exactly one of several concurrent starters (10 rounds)', async () => {
      const { runs } = await makeStores();
      const results = await rounds(10, (i) => Promise.all([1, 2, 3].map(() => runs.tryStartRun(`poll:slot-${i}`, T0))));
      for (const trio of results) expect(trio.filter(Boolean)).toHaveLength(1);
    });

    it('accepts slots with awkward characters', async () => {
      const { runs } = await makeStores();
      for (const slot of AWKWARD_KEYS) {
        expect(await runs.tryStartRun(slot, T0)).toBe(true);
        expect(await runs.tryStartRun(slot, T0)).toBe(false);
      }
    });
  });
}

export function describeWatermarkStore(name: string, makeStores: MakeStores): void {
  describe(`WatermarkStore contract: ${name}`, () => {
    it('round-trips a watermark with its seen ids, and overwrites it', async () => {
      const { watermarks } = await makeStores();
      expect(await watermarks.get('tenant-1', 'autopilotEvents')).toBeNull();
      const mark = { stream: 'autopilotEvents', value: T0, seenIds: ['e-1', 'e-2'] };
      await watermarks.put('tenant-1', mark);
      expect(await watermarks.get('tenant-1', 'autopilotEvents')).toEqual(mark);
      await watermarks.put('tenant-1', { stream: 'autopilotEvents', value: T0 + 1, seenIds: [] });
      expect(await watermarks.get('tenant-1', 'autopilotEvents')).toEqual({
        stream: 'autopilotEvents',
        value: T0 + 1,
        seenIds: [],
      });
    });

    it('keeps tenants and streams apart', async () => {
      const { watermarks } = await makeStores();
      await watermarks.put('tenant-1', { stream: 's1', value: 1, seenIds: ['a'] });
      await watermarks.put('tenant-1', { stream: 's2', value: 2, seenIds: ['b'] });
      await watermarks.put('tenant-2', { stream: 's1', value: 3, seenIds: ['c'] });
      expect(await watermarks.get('tenant-1', 's1')).toEqual({ stream: 's1', value: 1, seenIds: ['a'] });
      expect(await watermarks.get('tenant-1', 's2')).toEqual({ stream: 's2', value: 2, seenIds: ['b'] });
      expect(await watermarks.get('tenant-2', 's1')).toEqual({ stream: 's1', value: 3, seenIds: ['c'] });
    });

    it('keeps more seen ids than fit one 64 KiB property', async () => {
      const { watermarks } = await makeStores();
      const seenIds = Array.from({ length: 5000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      await watermarks.put('tenant-1', { stream: 'events', value: T0, seenIds });
      expect((await watermarks.get('tenant-1', 'events'))?.seenIds).toEqual(seenIds);
    });

    it('round-trips tenants and streams with awkward characters', async () => {
      const { watermarks } = await makeStores();
      for (const key of AWKWARD_KEYS) await watermarks.put(key, { stream: `stream ${key}`, value: T0, seenIds: [key] });
      for (const key of AWKWARD_KEYS) {
        expect(await watermarks.get(key, `stream ${key}`)).toEqual({
          stream: `stream ${key}`,
          value: T0,
          seenIds: [key],
        });
      }
    });
  });
}
