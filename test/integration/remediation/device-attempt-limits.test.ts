// The per-device limits hold in the worker too, not only when a poll plans the write (core/policy/decide.ts): the
// cooldown since the last attempt (DEVICE_COOLDOWN_MINUTES) and the attempts per 24 h (MAX_ATTEMPTS_PER_DAY). A message
// proves nothing, and a forged or duplicated one under a fresh idempotency key would otherwise write at once, however
// recently or often the device was written. The worker counts the device's attempts from history, as the poll does,
// against the current configuration; a message over a limit is refused, recorded in history and nothing is written.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Simulator } from '../../../sim/index.js';
import { ENFORCE_POLICY } from '../../unit/app/remediation/support.js';
import {
  blockedAfterFailure,
  memoryStores,
  MIN,
  simForFile,
  simHarness,
  UNBLOCK_WRITE,
  unblockCommand,
  writes,
} from './support.js';

let sim: Simulator;
simForFile((s) => (sim = s));

/**
 * Messages for one device, each under its own key and sent `wait` after the one before, each after the device failed
 * with 0x80180014 again: the unblock gate holds for every message, so only the limits can stop one.
 */
async function unblockRepeatedly(
  serial: string,
  sends: readonly [key: string, wait: number][],
  policy = ENFORCE_POLICY,
) {
  const stores = memoryStores();
  const h = simHarness(sim, stores);
  sim.clearRequests();
  const outcomes = [];
  for (const [key, wait] of sends) {
    sim.clock.advance(wait);
    await blockedAfterFailure(sim, stores, serial, sim.clock.nowMs() - MIN);
    outcomes.push(await executeRemediation(unblockCommand(serial, key, sim.clock.nowMs()), h.deps('w', { policy })));
  }
  const rows = (await stores.history.query({ subjectKey: serial, limit: 100 })).items;
  return { outcomes, rows };
}

describe('the per-device limits in the worker', () => {
  it('DEVICE_COOLDOWN_MINUTES = 60: a message 5 min after an unblock is refused; one after the cooldown is written', async () => {
    const { outcomes, rows } = await unblockRepeatedly('SN-COOL', [
      ['poll-a1', 0],
      ['forged-a2', 5 * MIN],
      ['poll-a2', 66 * MIN],
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'refused', 'succeeded']);
    expect(outcomes[1]?.detail).toContain('cooling down after the last attempt; next attempt in 55 min');
    expect(writes(sim, UNBLOCK_WRITE)).toHaveLength(2);
    expect(rows.filter((r) => r.type === 'attempt').map((r) => r.idempotencyKey)).toEqual(['poll-a2', 'poll-a1']);
    expect(rows.find((r) => r.type === 'outcome' && r.idempotencyKey === 'forged-a2')?.status).toBe('refused');
  });

  it('MAX_ATTEMPTS_PER_DAY = 2 (no cooldown): the third message in 24 h is refused and writes nothing', async () => {
    const policy = { ...ENFORCE_POLICY, cooldownMs: 0, maxAttemptsPerDay: 2 };
    const { outcomes, rows } = await unblockRepeatedly(
      'SN-DAILY',
      [
        ['m-1', 0],
        ['m-2', 5 * MIN],
        ['m-3', 5 * MIN],
      ],
      policy,
    );

    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'refused']);
    expect(outcomes[2]?.detail).toContain('2 attempts in the last 24 h reached the limit of 2');
    expect(writes(sim, UNBLOCK_WRITE)).toHaveLength(2);
    expect(rows.filter((r) => r.type === 'attempt').map((r) => r.idempotencyKey)).toEqual(['m-2', 'm-1']);
    expect(rows.find((r) => r.type === 'outcome' && r.idempotencyKey === 'm-3')?.status).toBe('refused');
  });
});
