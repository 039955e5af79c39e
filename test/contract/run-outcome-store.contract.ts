import { describe, expect, it } from 'vitest';

import { MAX_RUNS_PER_KEY } from '../../shared/ports/index.js';
import { AWKWARD_KEYS, T0, type MakeStores } from './fixtures.js';

export function describeRunOutcomeStore(name: string, makeStores: MakeStores): void {
  describe(`RunOutcomeStore contract: ${name}`, () => {
    it('lists the commands a run expects, each without an outcome until one is recorded', async () => {
      const { runOutcomes } = await makeStores();
      await runOutcomes.expect(
        'run-1',
        [
          { idempotencyKey: 'k-1', action: 'allow-next-enrollment', subjects: ['SN-1 · KIOSK-1'] },
          { idempotencyKey: 'k-2', action: 'add-to-device-prep-group', subjects: ['DESKTOP-2', 'DESKTOP-3'] },
        ],
        0,
      );
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
      await runOutcomes.expect(
        'run-1',
        [{ idempotencyKey: 'k-1', action: 'autopilot-sync', subjects: ['the tenant'] }],
        0,
      );
      expect(await runOutcomes.record('run-1', 'forged', { status: 'succeeded', detail: 'x' }, T0)).toBe(false);
      expect(await runOutcomes.record('other-run', 'k-1', { status: 'succeeded', detail: 'x' }, T0)).toBe(false);
      expect((await runOutcomes.list('run-1')).map((r) => r.idempotencyKey)).toEqual(['k-1']);
    });

    it('lists the runs that expect a key (a later poll’s copy of a queued command may never be delivered)', async () => {
      const { runOutcomes } = await makeStores();
      await runOutcomes.expect(
        'run-1',
        [
          { idempotencyKey: 'k-1', action: 'autopilot-sync', subjects: ['the tenant'] },
          { idempotencyKey: 'k-2', action: 'autopilot-sync', subjects: ['the tenant'] },
        ],
        0,
      );
      await runOutcomes.expect(
        'run-2',
        [{ idempotencyKey: 'k-1', action: 'autopilot-sync', subjects: ['the tenant'] }],
        0,
      );
      await runOutcomes.expect(
        'run-2',
        [{ idempotencyKey: 'k-1', action: 'autopilot-sync', subjects: ['the tenant'] }],
        0,
      );
      expect((await runOutcomes.runsExpecting('k-1')).sort()).toEqual(['run-1', 'run-2']);
      expect(await runOutcomes.runsExpecting('k-2')).toEqual(['run-1']);
      expect(await runOutcomes.runsExpecting('never-queued')).toEqual([]);
      // Only expect writes them: an outcome recorded for a key adds no run.
      expect(await runOutcomes.record('run-3', 'k-2', { status: 'succeeded', detail: 'x' }, T0)).toBe(false);
      expect(await runOutcomes.runsExpecting('k-2')).toEqual(['run-1']);
    });

    it('deletes what runs expected before a cut-off, finished or not, and keeps later runs and their key index', async () => {
      const { runOutcomes } = await makeStores();
      const k = (key: string) => ({ idempotencyKey: key, action: 'autopilot-sync' as const, subjects: ['the tenant'] });
      await runOutcomes.expect('run-old', [k('k-1'), k('k-2')], T0 - 3_000);
      await runOutcomes.expect('run-new', [k('k-1')], T0);
      expect(await runOutcomes.record('run-old', 'k-2', { status: 'succeeded', detail: 'done' }, T0 - 2_000)).toBe(
        true,
      );
      // run-old: two command rows and two key-index rows; k-1 of run-old stays open for ever without retention.
      expect(await runOutcomes.deleteOlderThan(T0 - 1_000)).toBe(4);
      expect(await runOutcomes.list('run-old')).toEqual([]);
      expect((await runOutcomes.list('run-new')).map((r) => r.idempotencyKey)).toEqual(['k-1']);
      expect(await runOutcomes.runsExpecting('k-1')).toEqual(['run-new']);
      expect(await runOutcomes.runsExpecting('k-2')).toEqual([]);
      expect(await runOutcomes.deleteOlderThan(T0 - 1_000)).toBe(0);
    });

    it('lists at most MAX_RUNS_PER_KEY runs for a key', async () => {
      const { runOutcomes } = await makeStores();
      for (let i = 0; i < MAX_RUNS_PER_KEY + 3; i += 1)
        await runOutcomes.expect(`run-${i}`, [{ idempotencyKey: 'k', action: 'autopilot-sync', subjects: ['t'] }], 0);
      const runs = await runOutcomes.runsExpecting('k');
      expect(runs.length).toBe(MAX_RUNS_PER_KEY);
      expect(new Set(runs).size).toBe(MAX_RUNS_PER_KEY);
    });

    it('accepts awkward run ids and keys', async () => {
      const { runOutcomes } = await makeStores();
      for (const key of AWKWARD_KEYS) {
        await runOutcomes.expect(key, [{ idempotencyKey: key, action: 'autopilot-sync', subjects: [key] }], 0);
        expect(await runOutcomes.record(key, key, { status: 'planned', detail: key }, T0)).toBe(true);
        expect((await runOutcomes.list(key)).map((r) => [r.idempotencyKey, r.status])).toEqual([[key, 'planned']]);
        expect(await runOutcomes.runsExpecting(key)).toEqual([key]);
      }
    });
  });
}
