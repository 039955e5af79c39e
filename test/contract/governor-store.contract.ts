import { describe, expect, it } from 'vitest';
import {
  MAX_LISTED_PACED_KEYS,
  MAX_LISTED_SYNC_REASONS,
  MAX_PACED_KEY_CHARS,
} from '../../shared/core/governor/index.js';
import type { GovernorState } from '../../shared/ports/stores.port.js';
import { AWKWARD_KEYS, MINUTE, rounds, T0, type MakeStores } from './fixtures.js';

export function describeGovernorStore(name: string, makeStores: MakeStores): void {
  describe(`GovernorStore contract: ${name}`, () => {
    it('reads an unknown tenant as an empty state with a null ETag', async () => {
      const { governor } = await makeStores();
      expect(await governor.get('tenant-1')).toEqual({
        tenant: 'tenant-1',
        lastTriggeredAt: null,
        nextAllowedAt: null,
        pendingReasons: [],
        unlisted: null,
        scheduledFor: null,
        holder: null,
        holderUntil: null,
        pacing: { windowAt: null, used: 0, waiting: [] },
        etag: null,
      });
    });

    it('creates with etag null only once, then round-trips every field', async () => {
      const { governor } = await makeStores();
      const state: GovernorState = {
        tenant: 'tenant-1',
        lastTriggeredAt: T0,
        nextAllowedAt: T0 + 10 * MINUTE,
        pendingReasons: ['fp-1', 'fp-2'],
        unlisted: { count: 29_000, plannedAt: T0 + MINUTE },
        scheduledFor: T0 + 10 * MINUTE,
        holder: 'instance-a',
        holderUntil: T0 + MINUTE,
        pacing: { windowAt: T0 + 20 * MINUTE, used: 3, waiting: [{ key: 'contoso:group-add:g:1', at: T0 + MINUTE }] },
        etag: null,
      };
      const created = await governor.put(state);
      expect(created).toEqual({ ...state, etag: expect.any(String) as string });
      expect(await governor.get('tenant-1')).toEqual(created);
      expect(await governor.put({ ...state, holder: 'instance-b' })).toBeNull();
      expect((await governor.get('tenant-1')).holder).toBe('instance-a');
    });

    it('holds the most it is given: every listed sync reason and every listed paced key', async () => {
      const { governor } = await makeStores();
      // Keys as long as the bound allows (few, long) and as many as it allows (short): both fit one entity.
      const long = Math.floor(MAX_PACED_KEY_CHARS / 200);
      for (const [count, length] of [
        [200, long],
        [MAX_LISTED_PACED_KEYS, Math.floor(MAX_PACED_KEY_CHARS / MAX_LISTED_PACED_KEYS)],
      ] as const) {
        const read = await governor.get(`tenant-${count}`);
        const waiting = Array.from({ length: count }, (_, i) => ({
          key: `${i}:`.padEnd(length, 'k'),
          at: T0 + i * MINUTE,
        }));
        const reasons = Array.from({ length: MAX_LISTED_SYNC_REASONS }, (_, i) => `fp-${i}`.padEnd(64, 'f'));
        const written = await governor.put({
          ...read,
          pendingReasons: reasons,
          pacing: { windowAt: T0, used: 1, waiting },
        });
        expect(written?.pacing.waiting).toEqual(waiting);
        expect((await governor.get(`tenant-${count}`)).pacing.waiting).toEqual(waiting);
      }
    });

    it('replaces at the current ETag, changes the ETag, and refuses a stale one', async () => {
      const { governor } = await makeStores();
      const v1 = await governor.put({ ...(await governor.get('tenant-1')), pendingReasons: ['fp-1'] });
      if (!v1) throw new Error('create failed');
      const v2 = await governor.put({ ...v1, pendingReasons: ['fp-1', 'fp-2'], holder: null, lastTriggeredAt: null });
      if (!v2) throw new Error('update failed');
      expect(v2.etag).not.toBe(v1.etag);
      expect(await governor.put({ ...v1, holder: 'late' })).toBeNull();
      expect(await governor.get('tenant-1')).toEqual(v2);
    });

    it('lets exactly one of two concurrent creates win (10 rounds)', async () => {
      const { governor } = await makeStores();
      const results = await rounds(10, async (i) => {
        const read = await governor.get(`tenant-${i}`);
        return Promise.all([governor.put({ ...read, holder: 'a' }), governor.put({ ...read, holder: 'b' })]);
      });
      for (const pair of results) expect(pair.filter((r) => r !== null)).toHaveLength(1);
    });

    it('lets exactly one of two concurrent puts from the same read state win (10 rounds)', async () => {
      const { governor } = await makeStores();
      await governor.put({ ...(await governor.get('tenant-1')), holder: 'seed' });
      const results = await rounds(10, async () => {
        const read = await governor.get('tenant-1');
        const pair = await Promise.all([
          governor.put({ ...read, holder: 'a', holderUntil: T0 + MINUTE }),
          governor.put({ ...read, holder: 'b', holderUntil: T0 + MINUTE }),
        ]);
        return { pair, after: await governor.get('tenant-1') };
      });
      for (const { pair, after } of results) {
        const winners = pair.filter((r): r is GovernorState => r !== null);
        expect(winners).toHaveLength(1);
        expect(after).toEqual(winners[0]);
      }
    });

    it('keeps tenants apart, including tenants with awkward characters', async () => {
      const { governor } = await makeStores();
      for (const tenant of AWKWARD_KEYS) {
        const put = await governor.put({ ...(await governor.get(tenant)), holder: `holder of ${tenant}` });
        expect(put?.tenant).toBe(tenant);
      }
      for (const tenant of AWKWARD_KEYS) expect((await governor.get(tenant)).holder).toBe(`holder of ${tenant}`);
    });
  });
}
