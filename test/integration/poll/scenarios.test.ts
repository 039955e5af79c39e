import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, wireWrites, type Azurite } from '../../support/harness.js';
import { expectedFindings, findingKeys, keysOf } from './expected.js';

// Issue 4: the incremental poll (the timer's run) against each bundled scenario, over real HTTP, with Azurite
// tables. The expected sets are written out by hand from each scenario's documentation (expected.ts), so a
// finding the product misses and a finding it invents both show up in the diff.

const asKeys = (records: readonly { readonly code: string | null; readonly subjectKey: string }[]): string[] =>
  keysOf(records.map((r) => ({ code: r.code ?? '(none)', subjectKey: r.subjectKey })));

describe('poll against the bundled scenarios (plan mode)', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it.each(['demo', 'healthy', 'deviceprep-broken'])(
    '%s: the first poll opens exactly the documented findings',
    async (scenario) => {
      const h = await startHarness({ scenario, azurite, mode: 'plan' });
      try {
        const expected = keysOf(expectedFindings(scenario, 'incremental'));
        const result = await h.runPoll('incremental');

        expect(findingKeys(result.opened), `${scenario}: opened by the poll`).toEqual(expected);
        // The findings table and the history say the same.
        const open = await h.container.stores.findings.listOpen();
        expect(asKeys(open), `${scenario}: open rows in the findings table`).toEqual(expected);
        expect(open.every((r) => r.status === 'open' && r.resolvedAt === null)).toBe(true);
        const opened = await historyRecords(h.container.stores, { type: 'finding-opened' });
        expect(asKeys(opened), `${scenario}: finding-opened history`).toEqual(expected);
        expect(result.resolved).toEqual([]);
        // Plan mode: the poll itself writes nothing to the tenant.
        expect(wireWrites(h.sim)).toEqual([]);
      } finally {
        await h.stop();
      }
    },
  );

  it.each(['demo', 'deviceprep-broken'])(
    '%s: a full sweep finds every documented finding, poll and sweep cadence, and no others',
    async (scenario) => {
      const h = await startHarness({ scenario, azurite, mode: 'plan' });
      try {
        const result = await h.runPoll('full');
        expect(findingKeys(result.findings)).toEqual(keysOf(expectedFindings(scenario, 'full')));
      } finally {
        await h.stop();
      }
    },
  );

  it('healthy: the full sweep finds nothing either and asks for no sync (no false positives)', async () => {
    const h = await startHarness({ scenario: 'healthy', azurite, mode: 'enforce' });
    try {
      const result = await h.runPoll('full');
      expect(findingKeys(result.findings)).toEqual([]);
      expect(result.plan.commands).toEqual([]);
      await h.drainQueue();
      // The only POSTs a sweep may make create the device-preparation report export jobs: the deployments report
      // and, since issue 14 item 13, its app and script detail reports.
      const writes = wireWrites(h.sim).map((w) => `${w.method} /${w.version}${w.path}`);
      expect(writes).toEqual(Array(3).fill('POST /beta/deviceManagement/reports/exportJobs'));
      // "Every read completes (no 4xx/5xx)."
      expect(h.sim.requests().filter((r) => r.status >= 400)).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
