import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, type Azurite } from '../../support/harness.js';
import { DEMO } from './expected.js';

// Issue 16.4: a finding's evidence is stored once, on its own row (with its subject and remedy in their own
// columns); the history rows about it (opened, decision, resolved) name its fingerprint instead of copying it.
// Against Azurite and the simulator, as deployed.

describe('evidence is stored once, on the finding', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('the finding row holds evidence, subject and remedy; history rows hold its fingerprint', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      await h.runPoll('incremental');
      const rows = await h.container.stores.findings.listBySubject(DEMO.blocked.serial);
      const row = rows.find((r) => r.code === 'AP_USERLESS_BLOCKED');
      expect(row).toBeDefined();
      expect(row!.subject).toMatchObject({ kind: 'device', key: DEMO.blocked.serial });
      expect(row!.remedy).toMatchObject({ action: 'allow-next-enrollment' });
      expect(row!.evidence).toMatchObject({ userlessEnrollmentStatus: 'blocked' });
      // Evidence holds only what the detector observed.
      expect(Object.keys(row!.evidence as object)).not.toContain('subject');
      expect(Object.keys(row!.evidence as object)).not.toContain('remedy');

      const history = await historyRecords(h.container.stores, {});
      const aboutIt = history.filter((r) => r.subjectKey === row!.subjectKey && r.code === row!.code);
      const opened = aboutIt.find((r) => r.type === 'finding-opened');
      const decision = aboutIt.find((r) => r.type === 'decision');
      expect(opened?.after).toEqual({ fingerprint: row!.fingerprint });
      expect(decision?.before).toMatchObject({ fingerprint: row!.fingerprint });
      for (const r of aboutIt) expect(JSON.stringify([r.before, r.after])).not.toContain('userlessEnrollmentStatus');
    } finally {
      await h.stop();
    }
  });
});
