import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../../shared/app/remediation/index.js';
import { StorageUnavailableError } from '../../../../shared/ports/index.js';
import { apId, command, harness } from './support.js';

// Issue 17.1: the outcome summary reaches people from where the outcomes happen. Whichever worker finishes the
// last command of a run sends it, once; a forged message or a duplicate delivery does not.

const unblock = (serial: string) => ({
  action: 'allow-next-enrollment' as const,
  autopilotId: apId(serial),
  serialNumber: serial,
});

async function twoCommandRun() {
  const h = harness();
  h.tenant.blockedDevice('SN-1');
  h.tenant.blockedDevice('SN-2');
  const first = command(unblock('SN-1'), { idempotencyKey: 'k-1', runId: 'run-1' });
  const second = command(unblock('SN-2'), { idempotencyKey: 'k-2', runId: 'run-1' });
  await h.stores.runOutcomes.expect(
    'run-1',
    [
      { idempotencyKey: 'k-1', action: 'allow-next-enrollment', subjects: ['SN-1 · KIOSK-1'] },
      { idempotencyKey: 'k-2', action: 'allow-next-enrollment', subjects: ['SN-2 · KIOSK-2'] },
    ],
    0,
  );
  return { h, first, second };
}

const summaries = (h: ReturnType<typeof harness>) => h.alerts.alerts.filter((a) => a.kind === 'outcomes');

describe('run outcome summary', () => {
  it('is sent by the worker that finishes the last command, listing every target', async () => {
    const { h, first, second } = await twoCommandRun();
    await executeRemediation(first, h.deps());
    expect(summaries(h)).toEqual([]);
    await executeRemediation(second, h.deps());
    const [summary, ...more] = summaries(h);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      dedupeKey: 'outcomes:run-1',
      severity: 'info',
      title: 'Remediation outcomes: 2 done, 0 failed or refused',
      facts: { Commands: 2, Succeeded: 2 },
    });
    expect(summary!.items.map((i) => i.subject.key).sort()).toEqual(['SN-1 · KIOSK-1', 'SN-2 · KIOSK-2']);
  });

  it('a duplicate delivery of the last command sends no second summary', async () => {
    const { h, first, second } = await twoCommandRun();
    await executeRemediation(first, h.deps());
    await executeRemediation(second, h.deps());
    expect((await executeRemediation(second, h.deps())).status).toBe('duplicate');
    expect(summaries(h)).toHaveLength(1);
  });

  it('a message with a key the run never queued neither completes the run nor adds to it', async () => {
    const { h, first } = await twoCommandRun();
    await executeRemediation(first, h.deps());
    h.tenant.blockedDevice('SN-9');
    await executeRemediation(command(unblock('SN-9'), { idempotencyKey: 'k-forged', runId: 'run-1' }), h.deps());
    expect(summaries(h)).toEqual([]);
    expect((await h.stores.runOutcomes.list('run-1')).map((r) => r.idempotencyKey).sort()).toEqual(['k-1', 'k-2']);
  });

  it('a later run whose copy of the command was never delivered gets its outcome from the message that ran it', async () => {
    const { h, first, second } = await twoCommandRun();
    // run-2 re-sent k-2; its copy was dropped as a duplicate message id (same key), so only run-1's message runs.
    await h.stores.runOutcomes.expect(
      'run-2',
      [{ idempotencyKey: 'k-2', action: 'allow-next-enrollment', subjects: ['SN-2 · KIOSK-2'] }],
      0,
    );
    await executeRemediation(first, h.deps());
    await executeRemediation(second, h.deps());
    expect((await h.stores.runOutcomes.list('run-2')).map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['k-2', 'succeeded'],
    ]);
    expect(summaries(h).map((a) => a.dedupeKey)).toEqual(['outcomes:run-1', 'outcomes:run-2']);
  });

  it('storage lost while copying to another run keeps the real run’s outcome; the redelivery copies it', async () => {
    const { h, first, second } = await twoCommandRun();
    await h.stores.runOutcomes.expect(
      'run-2',
      [{ idempotencyKey: 'k-2', action: 'allow-next-enrollment', subjects: ['SN-2 · KIOSK-2'] }],
      0,
    );
    await executeRemediation(first, h.deps());
    // Fault injection: the Runs table goes away for run-2's record only, once.
    const store = h.stores.runOutcomes;
    let failures = 1;
    const flaky: typeof store = {
      expect: (runId, commands, at) => store.expect(runId, commands, at),
      deleteOlderThan: (cutoff) => store.deleteOlderThan(cutoff),
      list: (runId) => store.list(runId),
      runsExpecting: (key) => store.runsExpecting(key),
      record: (runId, key, outcome, at) =>
        runId === 'run-2' && failures-- > 0
          ? Promise.reject(new StorageUnavailableError('ctRuns', 'ECONNREFUSED'))
          : store.record(runId, key, outcome, at),
    };
    await expect(executeRemediation(second, { ...h.deps(), runOutcomes: flaky })).rejects.toBeInstanceOf(
      StorageUnavailableError,
    );
    expect((await store.list('run-1')).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect((await store.list('run-2')).map((r) => r.status)).toEqual([null]);
    // The transport redelivers: a duplicate (claim completed) that copies the stored outcome into run-2.
    expect((await executeRemediation(second, { ...h.deps(), runOutcomes: flaky })).status).toBe('duplicate');
    expect((await store.list('run-2')).map((r) => r.status)).toEqual(['succeeded']);
    expect(summaries(h).map((a) => a.dedupeKey)).toEqual(['outcomes:run-1', 'outcomes:run-2']);
  });

  it('a summary that cannot be assembled never fails the remediation', async () => {
    const { h, first } = await twoCommandRun();
    const broken = { ...h.stores.runOutcomes, record: () => Promise.reject(new Error('table down')) };
    expect((await executeRemediation(first, { ...h.deps(), runOutcomes: broken })).status).toBe('succeeded');
    expect(h.logger.lines.some((l) => l.event === 'remediation.outcome-summary-failed')).toBe(true);
  });

  it('storage gone while assembling it aborts like any storage loss (the CLI exits 1)', async () => {
    const { h, first } = await twoCommandRun();
    const broken = {
      ...h.stores.runOutcomes,
      record: () => Promise.reject(new StorageUnavailableError('ctRuns', 'ECONNREFUSED')),
    };
    await expect(executeRemediation(first, { ...h.deps(), runOutcomes: broken })).rejects.toBeInstanceOf(
      StorageUnavailableError,
    );
  });
});
