import { describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../shared/ports/stores.port.js';
import { AWKWARD_KEYS, MINUTE, T0, type MakeStores } from './fixtures.js';

const DAY = 24 * 60 * MINUTE;

function report(id: string, at: number, body = `{"id":"${id}"}`): ReportRecord {
  return { id, at, summary: { devices: 120, findings: { open: 3, resolved: 7 }, id }, body };
}

/** ~2 MB of JSON-ish text with multi-byte characters and surrogate pairs scattered across any split point. */
function bigBody(): string {
  const unit = 'device-0001 "ok" ✓ 🚀 ünïcødé \\ / # ? % ' + 'x'.repeat(61);
  let body = '';
  for (let i = 0; body.length < 2_000_000; i += 1) body += `${i}:${unit}\n`;
  return body;
}

export function describeReportStore(name: string, makeStores: MakeStores): void {
  describe(`ReportStore contract: ${name}`, () => {
    it('has no latest report when empty', async () => {
      const { reports } = await makeStores();
      expect(await reports.latest()).toBeNull();
      expect(await reports.list(5)).toEqual([]);
    });

    it('returns the latest report and lists newest first', async () => {
      const { reports } = await makeStores();
      const older = report('r-1', T0);
      const newer = report('r-2', T0 + DAY);
      const newest = report('r-3', T0 + 2 * DAY);
      for (const r of [newer, older, newest]) await reports.put(r);
      expect(await reports.latest()).toEqual(newest);
      expect(await reports.list(2)).toEqual([newest, newer]);
      expect(await reports.list(10)).toEqual([newest, newer, older]);
    });

    it('stores a 2 MB body (beyond one entity) and reads it back exactly', async () => {
      const { reports } = await makeStores();
      const big = report('big', T0 + DAY, bigBody());
      expect(big.body.length).toBeGreaterThanOrEqual(2_000_000);
      await reports.put(report('small-before', T0));
      await reports.put(big);
      await reports.put(report('small-after', T0 + 2 * DAY));
      expect((await reports.list(3)).map((r) => r.id)).toEqual(['small-after', 'big', 'small-before']);
      const back = (await reports.list(3))[1];
      expect(back?.body.length).toBe(big.body.length);
      expect(back?.body === big.body).toBe(true);
      expect(back?.summary).toEqual(big.summary);
    });

    it('replaces a report put again with the same id and time', async () => {
      const { reports } = await makeStores();
      await reports.put(report('r-1', T0, bigBody()));
      await reports.put(report('r-1', T0, 'short'));
      expect(await reports.list(10)).toEqual([report('r-1', T0, 'short')]);
    });

    it('deleteOlderThan removes only old reports, chunks included', async () => {
      const { reports } = await makeStores();
      await reports.put(report('old-big', T0, bigBody()));
      await reports.put(report('old', T0 + DAY));
      await reports.put(report('new', T0 + 3 * DAY));
      expect(await reports.deleteOlderThan(T0 + 2 * DAY)).toBe(2);
      expect(await reports.list(10)).toEqual([report('new', T0 + 3 * DAY)]);
      expect(await reports.deleteOlderThan(T0 + 2 * DAY)).toBe(0);
    });

    it('round-trips report ids with awkward characters', async () => {
      const { reports } = await makeStores();
      const all = AWKWARD_KEYS.map((id, i) => report(id, T0 + i * MINUTE));
      for (const r of all) await reports.put(r);
      expect(await reports.list(100)).toEqual([...all].reverse());
    });
  });
}
