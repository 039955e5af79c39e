// A sync command's reasons are finding fingerprints when the poll sends it, but a queue message proves nothing: a
// forged one may carry any text as its reasons (Markdown links, HTML, newlines, strings longer than a Table Storage
// property). Deferred while the sync window is closed, its reasons are parked on the tenant's governor row, one
// entity (Azurite: a property at most 64 KiB, the entity at most 1 MiB). The row must take them, keep no such text,
// still count them as waiting, and the genuine reasons must still get their one sync.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import { pendingReasonCount } from '../../../shared/core/governor/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { CONTROL_CHARS } from '../../../shared/core/tenant-text.js';
import type { Simulator } from '../../../sim/index.js';
import {
  MIN,
  simHarness,
  syncCalls,
  tableStores,
  withAzurite,
  azuriteAndSimForFile,
  syncCommand as sync,
} from './support.js';

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

function syncCommand(key: string, reasons: readonly string[]): RemediationCommand {
  return sync(key, reasons, 'run-hostile', sim.clock.nowMs());
}

/** A fingerprint as the detectors make them (16 hex digits). */
const GENUINE = '0123456789abcdef';

const HOSTILE = [
  '[Approve the deletion](https://evil.example/approve)',
  '<img src=x onerror="alert(1)">',
  '<script>fetch("https://evil.example")</script>',
  'first line\nsecond line\r\n**bold**',
  '\u001b[31mred\u001b[0m',
  // Each longer than one Table Storage property (64 KiB = 32,768 UTF-16 units), together more than an entity.
  ...Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, '0')}${'A'.repeat(40_000)}`),
];

describe('a sync command whose reasons are hostile text (simulator + Azurite governor row)', () => {
  it('deferred, parked as a count without the text; the genuine reason still gets its one sync', async () => {
    const stores = await tableStores(azurite, 'govHostile');
    const h = simHarness(sim, stores);
    sim.tenant.setSettings({
      lastManualSyncTriggerDateTime: new Date(sim.clock.nowMs() - 3 * MIN).toISOString(),
      syncStatus: 'completed',
    });
    sim.clearRequests();

    const forged = await executeRemediation(syncCommand('forged-sync', HOSTILE), h.deps('w1'));
    const genuine = await executeRemediation(syncCommand('genuine-sync', [GENUINE]), h.deps('w2'));

    expect(forged.status).toBe('deferred');
    expect(genuine.status).toBe('deferred');
    const row = await stores.governor.get('contoso');
    expect(row.pendingReasons).toContain(GENUINE);
    expect(pendingReasonCount(row)).toBeGreaterThanOrEqual(HOSTILE.length + 1);
    for (const r of row.pendingReasons) {
      expect(r).not.toMatch(CONTROL_CHARS);
      expect(r).not.toMatch(/[<>[\]()*`]/);
    }
    expect(JSON.stringify(row.pendingReasons).length).toBeLessThan(32_768);

    await h.queue.drain({ waitForScheduled: true });
    expect(syncCalls(sim)).toEqual([{ status: 204 }]);
    const after = await stores.governor.get('contoso');
    expect(pendingReasonCount(after)).toBe(0);
  });
});
