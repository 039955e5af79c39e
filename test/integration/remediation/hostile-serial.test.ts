import { describe, expect, it } from 'vitest';

import { parseCommand } from '../../../shared/adapters/servicebus/command-schema.js';
import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  apId,
  simHarness,
  T0,
  tableStores,
  unblockCommand,
  withAzurite,
  writes,
  azuriteAndSimForFile,
} from './support.js';

// A forged unblock message whose serial number the poll would never send: a lone UTF-16 surrogate, control
// characters, more than 256 characters once trimmed. A serial becomes a history partition key; before, the worker
// took a lone surrogate, and the Tables SDK threw URIError (encodeURIComponent) while recording the outcome after
// the claim, so nothing was recorded and the message came back for ever. The parser and the worker now apply the
// poll's usable-serial rule, and such a message is refused, recorded and alerted without a Graph call.

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
  sim.tenant.addIdentity({
    id: apId('REAL-1'),
    serialNumber: 'REAL-1',
    enrollmentState: 'blocked',
    userlessEnrollmentStatus: 'blocked',
  });
});

/** A forged unblock of the simulator's one blocked record, carrying `serial`. */
function unblock(serial: string, key: string): RemediationCommand {
  return unblockCommand(serial, key, T0, apId('REAL-1'));
}

describe.each([
  ['a lone high surrogate', 'SN-\uD800-X', 'unpaired surrogate U+D800'],
  ['a lone low surrogate', 'SN-\uDC00', 'unpaired surrogate U+DC00'],
  ['control characters', 'SN-\u001b[31m-\u0000', 'control character U+001B'],
  ['257 characters', 'S'.repeat(257), 'at most 256'],
  ['only blanks', '   ', 'blank'],
])('a forged unblock whose serial has %s', (_name, serial, why) => {
  it('is refused by the queue message parser', () => {
    const parsed = parseCommand(JSON.stringify(unblock(serial, 'forged-parse')));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(why);
  });

  it('reaching the worker unparsed (in-process queue): refused and recorded, not thrown back (Table Storage)', async () => {
    const stores = await tableStores(azurite, 'hs');
    const h = simHarness(sim, stores);
    sim.clearRequests();
    const outcome = await executeRemediation(unblock(serial, `forged-${serial.length}`), h.deps('w'));
    expect(outcome.status).toBe('refused');
    expect(outcome.detail).toContain(why);
    expect(writes(sim)).toEqual([]);
    expect(sim.tenant.identity(apId('REAL-1'))?.userlessEnrollmentStatus).toBe('blocked');
    const rows = (await stores.history.query({ limit: 100 })).items;
    expect(rows.map((r) => [r.type, r.status])).toEqual([['outcome', 'refused']]);
    expect(h.alerts.alerts).toHaveLength(1);
  });
});

describe('a serial the poll accepts', () => {
  it('passes: 256 x U+FFFF is valid Unicode without control characters', () => {
    expect(parseCommand(JSON.stringify(unblock('\uFFFF'.repeat(256), 'k-ffff'))).ok).toBe(true);
    // Surrounding blanks do not count against the length: the poll trims before it measures.
    expect(parseCommand(JSON.stringify(unblock(` ${'S'.repeat(256)} `, 'k-trim'))).ok).toBe(true);
  });
});

describe('a history key holding a lone surrogate (the second guard, in core/keys.ts)', () => {
  it('is written and read back under its own subject, distinct from its neighbours (Table Storage)', async () => {
    const stores = await tableStores(azurite, 'hk');
    const subjects = ['SN-\uD800', 'SN-\uD801', 'SN-\uFFFD', `${'S'.repeat(600)}\uDC00`, `${'S'.repeat(600)}\uDC01`];
    await stores.history.append(
      subjects.map((subjectKey, i) => ({
        subjectKey,
        at: T0,
        id: `row-${i}-\uDBFF`,
        runId: 'r',
        type: 'outcome' as const,
        action: null,
        code: null,
        idempotencyKey: null,
        mode: null,
        status: 'refused',
        reason: String(i),
        attempt: 0,
        graphRequestId: null,
        before: null,
        after: null,
      })),
    );
    for (const [i, subjectKey] of subjects.entries()) {
      const rows = (await stores.history.query({ subjectKey, limit: 10 })).items;
      expect(rows.map((r) => r.reason)).toEqual([String(i)]);
    }
  });
});
