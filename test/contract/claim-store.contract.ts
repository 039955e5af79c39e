import { describe, expect, it } from 'vitest';
import type { ClaimResult, ClaimStore } from '../../shared/ports/stores.port.js';
import { AWKWARD_KEYS, LONG_KEYS, MINUTE, rounds, T0, type MakeStores } from './fixtures.js';

const TTL = 5 * MINUTE;

function claimOf(
  store: ClaimStore,
  key: string,
  over: Partial<Parameters<ClaimStore['claim']>[0]> = {},
): Promise<ClaimResult> {
  return store.claim({
    action: 'allow-next-enrollment',
    key,
    payloadHash: 'hash-1',
    owner: 'instance-a',
    now: T0,
    ttlMs: TTL,
    ...over,
  });
}

async function claimed(store: ClaimStore, key: string, over: Partial<Parameters<ClaimStore['claim']>[0]> = {}) {
  const result = await claimOf(store, key, over);
  if (result.kind !== 'claimed') throw new Error(`expected a claim, got ${result.kind}`);
  return result.claim;
}

export function describeClaimStore(name: string, makeStores: MakeStores): void {
  describe(`ClaimStore contract: ${name}`, () => {
    it('claims a new key, and a second claim of it does not claim', async () => {
      const { claims } = await makeStores();
      const first = await claimOf(claims, 'k1');
      expect(first).toMatchObject({ kind: 'claimed', tookOver: false });
      expect(first.claim).toMatchObject({
        action: 'allow-next-enrollment',
        key: 'k1',
        status: 'in-progress',
        payloadHash: 'hash-1',
        owner: 'instance-a',
        claimedAt: T0,
        expiresAt: T0 + TTL,
        outcome: null,
      });
      expect(first.claim.etag).toBeTruthy();
      expect(await claims.get('allow-next-enrollment', 'k1')).toEqual(first.claim);
      const second = await claimOf(claims, 'k1', { owner: 'instance-b', now: T0 + MINUTE });
      expect(second.kind).toBe('in-progress');
      expect(second.claim.owner).toBe('instance-a');
    });

    it('reports a completed claim as completed, with its outcome', async () => {
      const { claims } = await makeStores();
      const claim = await claimed(claims, 'k1');
      expect(await claims.complete(claim, { result: 'unblocked', requestId: 'r-1' }, T0 + MINUTE)).toBe(true);
      const again = await claimOf(claims, 'k1', { now: T0 + 10 * TTL });
      expect(again.kind).toBe('completed');
      expect(again.claim).toMatchObject({ status: 'completed', outcome: { result: 'unblocked', requestId: 'r-1' } });
      expect(again.claim.etag).not.toBe(claim.etag);
    });

    it('takes over an expired claim, but not one that has not expired yet', async () => {
      const { claims } = await makeStores();
      const original = await claimed(claims, 'k1');
      const early = await claimOf(claims, 'k1', { owner: 'instance-b', now: T0 + TTL - 1 });
      expect(early.kind).toBe('in-progress');
      const late = await claimOf(claims, 'k1', { owner: 'instance-b', now: T0 + TTL });
      expect(late).toMatchObject({ kind: 'claimed', tookOver: true });
      expect(late.claim).toMatchObject({ owner: 'instance-b', claimedAt: T0 + TTL, expiresAt: T0 + 2 * TTL });
      expect(late.claim.etag).not.toBe(original.etag);
    });

    it('returns payload-mismatch for the same key with a different payload hash', async () => {
      const { claims } = await makeStores();
      await claimed(claims, 'k1');
      const other = await claimOf(claims, 'k1', { payloadHash: 'hash-2', now: T0 + 10 * TTL });
      expect(other.kind).toBe('payload-mismatch');
      expect(other.claim.payloadHash).toBe('hash-1');
    });

    it('fails complete and release with a stale ETag after a takeover', async () => {
      const { claims } = await makeStores();
      const stale = await claimed(claims, 'k1');
      const fresh = await claimed(claims, 'k1', { owner: 'instance-b', now: T0 + TTL });
      expect(await claims.complete(stale, { by: 'a' }, T0 + TTL + 1)).toBe(false);
      expect(await claims.release(stale)).toBe(false);
      expect(await claims.get('allow-next-enrollment', 'k1')).toMatchObject({
        owner: 'instance-b',
        status: 'in-progress',
      });
      expect(await claims.complete(fresh, { by: 'b' }, T0 + TTL + 1)).toBe(true);
      expect(await claims.complete(fresh, { by: 'b again' }, T0 + TTL + 2)).toBe(false);
      expect(await claims.get('allow-next-enrollment', 'k1')).toMatchObject({
        status: 'completed',
        outcome: { by: 'b' },
      });
    });

    it('hold keeps an in-progress claim until the time given, and fails with a stale ETag', async () => {
      const { claims } = await makeStores();
      const claim = await claimed(claims, 'k1');
      const held = await claims.hold(claim, T0 + 6 * TTL, { status: 'deferred' });
      expect(held).toMatchObject({ status: 'in-progress', expiresAt: T0 + 6 * TTL, outcome: { status: 'deferred' } });
      expect(await claims.hold(claim, T0 + 7 * TTL, null)).toBeNull();
      expect((await claimOf(claims, 'k1', { owner: 'instance-b', now: T0 + 5 * TTL })).kind).toBe('in-progress');
      expect(await claimOf(claims, 'k1', { owner: 'instance-b', now: T0 + 6 * TTL })).toMatchObject({
        kind: 'claimed',
        tookOver: true,
      });
    });

    it('release frees the key for a new claim', async () => {
      const { claims } = await makeStores();
      const claim = await claimed(claims, 'k1');
      expect(await claims.release(claim)).toBe(true);
      expect(await claims.get('allow-next-enrollment', 'k1')).toBeNull();
      expect(await claimOf(claims, 'k1', { owner: 'instance-b', now: T0 + 1 })).toMatchObject({
        kind: 'claimed',
        tookOver: false,
      });
      expect(await claims.release(claim)).toBe(false);
    });

    it('lets exactly one of two concurrent claims win (10 rounds)', async () => {
      const { claims } = await makeStores();
      const results = await rounds(10, (i) =>
        Promise.all([claimOf(claims, `race-${i}`, { owner: 'a' }), claimOf(claims, `race-${i}`, { owner: 'b' })]),
      );
      for (const pair of results) {
        expect(pair.map((r) => r.kind).sort()).toEqual(['claimed', 'in-progress']);
      }
    });

    it('lets exactly one of several concurrent takeovers of an expired claim win (10 rounds)', async () => {
      const { claims } = await makeStores();
      const results = await rounds(10, async (i) => {
        await claimed(claims, `expired-${i}`);
        const racers = ['b', 'c', 'd'].map((owner) => claimOf(claims, `expired-${i}`, { owner, now: T0 + 2 * TTL }));
        return Promise.all(racers);
      });
      for (const trio of results) {
        expect(trio.filter((r) => r.kind === 'claimed')).toHaveLength(1);
        expect(trio.filter((r) => r.kind === 'in-progress')).toHaveLength(2);
      }
    });

    it('deleteOlderThan removes only claims made before the cutoff', async () => {
      const { claims } = await makeStores();
      for (let i = 0; i < 5; i += 1) await claimed(claims, `k${i}`, { now: T0 + i * MINUTE });
      expect(await claims.deleteOlderThan(T0 + 2 * MINUTE)).toBe(2);
      expect(await claims.get('allow-next-enrollment', 'k1')).toBeNull();
      expect(await claims.get('allow-next-enrollment', 'k2')).not.toBeNull();
    });

    it('round-trips actions and keys with / \\ # ? %, quotes and control characters', async () => {
      const { claims } = await makeStores();
      for (const key of AWKWARD_KEYS) {
        const claim = await claimed(claims, key, { action: `act ${key}` });
        expect(claim).toMatchObject({ action: `act ${key}`, key });
        expect(await claims.get(`act ${key}`, key)).toEqual(claim);
        expect((await claimOf(claims, key, { action: `act ${key}` })).kind).toBe('in-progress');
      }
    });

    it('claims idempotency keys too long for a Table Storage key under a hash: once, and found again (issue 13.4)', async () => {
      const { claims } = await makeStores();
      for (const key of LONG_KEYS) {
        const claim = await claimed(claims, key);
        expect(claim.key).toBe(key);
        expect(await claims.get(claim.action, key)).toEqual(claim);
        expect((await claimOf(claims, key)).kind).toBe('in-progress');
      }
    });
  });
}
