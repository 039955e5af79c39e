import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runComplianceSweep } from '../../../shared/app/compliance/run-compliance-sweep.js';
import type { TenantSnapshot } from '../../../shared/core/model/index.js';
import type { HistoryStore } from '../../../shared/ports/index.js';
import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite } from '../../support/harness.js';

// Issue 18: at 100,000 devices and more the snapshot is most of a sweep's memory, and the sweep held it to the end,
// through the lifecycle rows, decisions, queueing and approvals that follow detection, then built the report from
// it. Now the report's fleet figures are taken when detection is done and the run lets the snapshot go: by the
// sweep's first history write (its lifecycle rows) nothing may hold it any more. Garbage collection is asked for
// through V8's own gc (exposed here for this test); a WeakRef says whether the snapshot survived it.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('a sweep lets its snapshot go once detection is done', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('nothing holds the snapshot by the first lifecycle write, and the report still has its fleet figures', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      const deps = h.container.complianceDeps();
      const options = h.container.complianceOptions('test-release');
      let snapshot: WeakRef<TenantSnapshot> | null = null;
      let aliveAtFirstWrite: boolean | null = null;
      const history: HistoryStore = new Proxy(deps.poll.stores.history, {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (snapshot !== null && aliveAtFirstWrite === null && prop === 'append') {
              gc();
              aliveAtFirstWrite = snapshot.deref() !== undefined;
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const result = await runComplianceSweep(
        { ...deps, poll: { ...deps.poll, stores: { ...deps.poll.stores, history } } },
        {
          ...options,
          poll: { ...options.poll, afterDetection: (s) => (snapshot = new WeakRef(s)) },
        },
      );
      expect(snapshot).not.toBeNull();
      expect(result.poll.opened.length).toBeGreaterThan(0); // so there were lifecycle rows to write
      expect(aliveAtFirstWrite).toBe(false);
      expect(result.report.summary.totalDevices).toBe(result.poll.observed.identities);
      expect(result.report.summary.totalDevices).toBeGreaterThan(0);
      expect(result.report.coverage.snapshotKind).toBe('full');
    } finally {
      await h.stop();
    }
  });
});
