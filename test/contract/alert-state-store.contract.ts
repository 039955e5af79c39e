import { describe, expect, it } from 'vitest';
import { AWKWARD_KEYS, LONG_KEYS, MINUTE, rounds, T0, type MakeStores } from './fixtures.js';

const HOUR = 60 * MINUTE;

export function describeAlertStateStore(name: string, makeStores: MakeStores): void {
  describe(`AlertStateStore contract: ${name}`, () => {
    it('acquires once per window and counts the sends', async () => {
      const { alerts } = await makeStores();
      expect(await alerts.get('teams', 'fp-1')).toBeNull();
      expect(await alerts.tryAcquire('teams', 'fp-1', T0, T0 - HOUR)).toBe(true);
      expect(await alerts.get('teams', 'fp-1')).toMatchObject({
        channel: 'teams',
        dedupeKey: 'fp-1',
        lastSentAt: T0,
        count: 1,
      });
      // Still inside the window that started an hour before now.
      expect(await alerts.tryAcquire('teams', 'fp-1', T0 + 30 * MINUTE, T0 - 30 * MINUTE)).toBe(false);
      // A send exactly at windowStart counts as inside the window.
      expect(await alerts.tryAcquire('teams', 'fp-1', T0 + HOUR, T0)).toBe(false);
      expect(await alerts.tryAcquire('teams', 'fp-1', T0 + HOUR + 1, T0 + 1)).toBe(true);
      expect(await alerts.get('teams', 'fp-1')).toMatchObject({ lastSentAt: T0 + HOUR + 1, count: 2 });
    });

    it('records the result of a send without reopening the window', async () => {
      const { alerts } = await makeStores();
      await alerts.tryAcquire('webhook', 'fp-1', T0, T0 - HOUR);
      await alerts.recordResult('webhook', 'fp-1', 'sent');
      expect(await alerts.get('webhook', 'fp-1')).toEqual({
        channel: 'webhook',
        dedupeKey: 'fp-1',
        lastSentAt: T0,
        count: 1,
        lastStatus: 'sent',
        windowOpenedAt: T0,
      });
      expect(await alerts.tryAcquire('webhook', 'fp-1', T0 + 1, T0 - HOUR)).toBe(false);
      await alerts.recordResult('webhook', 'never-acquired', 'sent');
      expect(await alerts.get('webhook', 'never-acquired')).toBeNull();
    });

    it('keeps the window opening across a re-send, and opens a new one by default', async () => {
      const { alerts } = await makeStores();
      await alerts.tryAcquire('webhook', 'fp-1', T0, T0 - HOUR);
      await alerts.recordResult('webhook', 'fp-1', 'failed:http-500');
      // The re-send 15 minutes later belongs to the same window (same message id).
      expect(await alerts.tryAcquire('webhook', 'fp-1', T0 + 15 * MINUTE, T0 + 1, T0)).toBe(true);
      expect(await alerts.get('webhook', 'fp-1')).toMatchObject({ lastSentAt: T0 + 15 * MINUTE, windowOpenedAt: T0 });
      // After the cooldown, a new window opens at its first send.
      expect(await alerts.tryAcquire('webhook', 'fp-1', T0 + 8 * HOUR, T0 + 2 * HOUR)).toBe(true);
      expect(await alerts.get('webhook', 'fp-1')).toMatchObject({ windowOpenedAt: T0 + 8 * HOUR });
    });

    it('keeps channels apart', async () => {
      const { alerts } = await makeStores();
      expect(await alerts.tryAcquire('teams', 'fp-1', T0, T0 - HOUR)).toBe(true);
      expect(await alerts.tryAcquire('webhook', 'fp-1', T0, T0 - HOUR)).toBe(true);
    });

    it('gives a new alert to exactly one of several concurrent senders (10 rounds)', async () => {
      const { alerts } = await makeStores();
      const results = await rounds(10, (i) =>
        Promise.all([1, 2, 3].map(() => alerts.tryAcquire('teams', `new-${i}`, T0, T0 - HOUR))),
      );
      for (const trio of results) expect(trio.filter(Boolean)).toHaveLength(1);
    });

    it('gives a re-opened window to exactly one of several concurrent senders (10 rounds)', async () => {
      const { alerts } = await makeStores();
      const results = await rounds(10, async (i) => {
        await alerts.tryAcquire('teams', `old-${i}`, T0, T0 - HOUR);
        return Promise.all([1, 2, 3].map(() => alerts.tryAcquire('teams', `old-${i}`, T0 + 2 * HOUR, T0 + HOUR)));
      });
      for (const trio of results) expect(trio.filter(Boolean)).toHaveLength(1);
      expect(await alerts.get('teams', 'old-0')).toMatchObject({ count: 2, lastSentAt: T0 + 2 * HOUR });
    });

    it('round-trips channels and dedupe keys with awkward characters', async () => {
      const { alerts } = await makeStores();
      for (const key of AWKWARD_KEYS) {
        expect(await alerts.tryAcquire(`ch ${key}`, key, T0, T0 - HOUR)).toBe(true);
        expect(await alerts.get(`ch ${key}`, key)).toMatchObject({ channel: `ch ${key}`, dedupeKey: key });
      }
    });

    it('de-duplicates on keys too long for a Table Storage key (hashed, issue 13.4)', async () => {
      const { alerts } = await makeStores();
      for (const key of LONG_KEYS) {
        expect(await alerts.tryAcquire('teams', key, T0, T0 - HOUR)).toBe(true);
        expect(await alerts.tryAcquire('teams', key, T0 + 1, T0 - HOUR)).toBe(false);
        await alerts.recordResult('teams', key, 'sent');
        expect(await alerts.get('teams', key)).toEqual({
          channel: 'teams',
          dedupeKey: key,
          lastSentAt: T0,
          count: 1,
          lastStatus: 'sent',
          windowOpenedAt: T0,
        });
      }
    });
  });
}
