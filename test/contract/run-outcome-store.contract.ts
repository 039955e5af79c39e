import { describe, expect, it } from 'vitest';

import { AWKWARD_KEYS, T0, type MakeStores } from './fixtures.js';

export function describeRunOutcomeStore(name: string, makeStores: MakeStores): void {
  describe(`RunOutcomeStore contract: ${name}`, () => {
    it('lists the commands a run expects, each without an outcome until one is recorded', async () => {
      const { runOutcomes } = await makeStores();
      await runOutcomes.expect('run-1', [
        { idempotencyKey: 'k-1', action: 'allow-next-enrollment', subjects: ['SN-1 · KIOSK-1'] },
        { idempotencyKey: 'k-2', action: 'add-to-device-prep-group', subjects: ['DESKTOP-2', 'DESKTOP-3'] },
      ]);
      const before = await runOutcomes.list('run-1');
      expect(before.map((r) => [r.idempotencyKey, r.status]).sort()).toEqual([
        ['k-1', null],
        ['k-2', null],
      ]);
      expect(before.find((r) => r.idempotencyKey === 'k-2')?.subjects).toEqual(['DESKTOP-2', 'DESKTOP-3']);

      expect(await runOutcomes.record('run-1', 'k-1', { status: 'deferred', detail: 'sync window closed' }, T0)).toBe(
        true,
      );
      expect(await runOutcomes.record('run-1', 'k-1', { status: 'succeeded', detail: 'unblocked' }, T0 + 1)).toBe(true);
      const after = await runOutcomes.list('run-1');
      expect(after.find((r) => r.idempotencyKey === 'k-1')).toEqual({
        idempotencyKey: 'k-1',
        action: 'allow-next-enrollment',
        subjects: ['SN-1 · KIOSK-1'],
        status: 'succeeded',
        detail: 'unblocked',
        finishedAt: T0 + 1,
      });
      expect(await runOutcomes.list('run-2')).toEqual([]);
    });

    it('refuses an outcome for a key the run never queued (a forged message cannot add a row)', async () => {
      const { runOutcomes } = await makeStores();
      await runOutcomes.expect('run-1', [
        { idempotencyKey: 'k-1', action: 'autopilot-sync', subjects: ['the tenant'] },
      ]);
      expect(await runOutcomes.record('run-1', 'forged', { status: 'succeeded', detail: 'x' }, T0)).toBe(false);
      expect(await runOutcomes.record('other-run', 'k-1', { status: 'succeeded', detail: 'x' }, T0)).toBe(false);
      expect((await runOutcomes.list('run-1')).map((r) => r.idempotencyKey)).toEqual(['k-1']);
    });

    it('accepts awkward run ids and keys', async () => {
      const { runOutcomes } = await makeStores();
      for (const key of AWKWARD_KEYS) {
        await runOutcomes.expect(key, [{ idempotencyKey: key, action: 'autopilot-sync', subjects: [key] }]);
        expect(await runOutcomes.record(key, key, { status: 'planned', detail: key }, T0)).toBe(true);
        expect((await runOutcomes.list(key)).map((r) => [r.idempotencyKey, r.status])).toEqual([[key, 'planned']]);
      }
    });
  });
}
