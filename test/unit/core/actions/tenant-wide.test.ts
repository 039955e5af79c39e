// isTenantWide is the one place that says which actions answer the whole tenant: the CLI's --fail-on counts every
// finding such a command acts on as answered, and enqueueing names its subject "the tenant".
import { describe, expect, it } from 'vitest';

import { ACTION_MODULES, isTenantWide } from '../../../../shared/core/actions/index.js';
import { ACTIONS } from '../../../../shared/core/model/index.js';

describe('isTenantWide', () => {
  it('is true for the sync alone, as the registry declares it', () => {
    expect(ACTIONS.filter((a) => isTenantWide(a))).toEqual(['autopilot-sync']);
    for (const a of ACTIONS) expect(isTenantWide(a)).toBe(ACTION_MODULES[a].subjectKind === 'tenant');
  });

  it('is false for text that names no action, including inherited property names', () => {
    for (const name of ['', 'tenant', 'AUTOPILOT-SYNC', 'autopilot-sync ', 'constructor', '__proto__', 'toString'])
      expect(isTenantWide(name)).toBe(false);
  });
});
