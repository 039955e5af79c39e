import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../../../shared/config/index.js';

// Issue 14 items 1–2: the sync caps and the profile-out-of-sync trigger are settings, with safe defaults,
// validated with the rest of the environment (every bad key in one error).

describe('sync settings', () => {
  it('default to 2 syncs per finding and 6 per tenant a day, profile trigger on', () => {
    expect(loadConfig({}).policy).toMatchObject({
      syncMaxPerFindingPerDay: 2,
      syncMaxPerDay: 6,
      syncOnProfileOutOfSync: true,
    });
  });

  it('are read from the environment', () => {
    const c = loadConfig({
      SYNC_MAX_PER_FINDING_PER_DAY: '3',
      SYNC_MAX_PER_DAY: '12',
      SYNC_ON_PROFILE_OUT_OF_SYNC: 'false',
    });
    expect(c.policy).toMatchObject({ syncMaxPerFindingPerDay: 3, syncMaxPerDay: 12, syncOnProfileOutOfSync: false });
  });

  it.each<[Record<string, string>, string[]]>([
    [
      { SYNC_MAX_PER_FINDING_PER_DAY: '0', SYNC_MAX_PER_DAY: '145', SYNC_ON_PROFILE_OUT_OF_SYNC: 'maybe' },
      ['SYNC_MAX_PER_DAY', 'SYNC_MAX_PER_FINDING_PER_DAY', 'SYNC_ON_PROFILE_OUT_OF_SYNC'],
    ],
    [
      { SYNC_MAX_PER_FINDING_PER_DAY: 'two', SYNC_MAX_PER_DAY: '1.5' },
      ['SYNC_MAX_PER_DAY', 'SYNC_MAX_PER_FINDING_PER_DAY'],
    ],
  ])('refuses bad values and names every key: %j', (env, keys) => {
    let problems: readonly { key: string }[] = [];
    try {
      loadConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.problems;
    }
    expect([...new Set(problems.map((p) => p.key))].sort()).toEqual(keys);
  });
});
