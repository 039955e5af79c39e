// An approved deletion of an Intune record writes only while that record still reads the approved device's serial
// number (delete-intune-device-record.ts). Whoever enrolls a device chooses the serial its records carry, so the
// record may read a look-alike between the approval and the worker: a TAB or a zero-width character inside, the
// full-width form of the same letters, or 600 characters. Each is another serial: refused, recorded on the request
// and in history in a row Table Storage takes (Azurite), nothing deleted, and the reason names the approved serial,
// never the record's text. Another ASCII case is the same serial (Graph's collections differ in case).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONTROL_CHARS } from '../../../shared/core/tenant-text.js';
import { DEMO_BLOCKED, demoWithApprovedIntuneDelete } from '../../support/approval-requests.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, type Azurite, type Harness } from '../../support/harness.js';

const { managedDeviceId: MANAGED, serialNumber: SERIAL } = DEMO_BLOCKED;

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

const deletesOf = (h: Harness) => h.sim.requests().filter((r) => r.method === 'DELETE');

async function deleteOutcome(h: Harness) {
  return (await historyRecords(h.container.stores)).find(
    (r) => r.type === 'outcome' && r.action === 'delete-intune-device-record',
  );
}

describe("an approved Intune-record deletion whose record's serial number is hostile tenant text", () => {
  it.each([
    ['a TAB inside', `${SERIAL.slice(0, 3)}\t${SERIAL.slice(3)}`],
    ['a zero-width space', `${SERIAL}\u200b`],
    ['a zero-width joiner inside', `${SERIAL.slice(0, 2)}\u200d${SERIAL.slice(2)}`],
    [
      'full-width letters and digits',
      SERIAL.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    ],
    ['600 characters', SERIAL.padEnd(600, 'X')],
  ])('%s: refused, nothing deleted, the row fits Table Storage', async (_name, recordSerial) => {
    const { h, request } = await demoWithApprovedIntuneDelete(azurite);
    try {
      h.sim.tenant.setManagedDevice(MANAGED, { serialNumber: recordSerial });
      await h.drainQueue();

      expect(deletesOf(h)).toEqual([]);
      expect(h.sim.tenant.state.managedDevices.has(MANAGED)).toBe(true);
      const outcome = await deleteOutcome(h);
      expect(outcome?.status).toBe('refused');
      expect(outcome?.reason).toContain(`the Intune record's serial number is not the approved ${SERIAL}`);
      expect(outcome?.reason).not.toContain(recordSerial);
      // Every text of the row as stored (JSON.stringify would hide a control character behind its escape).
      const before = outcome?.before;
      const texts = [outcome?.reason, ...(before && typeof before === 'object' ? Object.values(before) : [])];
      for (const text of texts.filter((t): t is string => typeof t === 'string')) {
        expect(text).not.toMatch(CONTROL_CHARS);
        expect(text).not.toMatch(/[\u200b-\u200d\uff00-\uffef]|X{100}/);
      }
      expect((await h.container.stores.approvals.get(request.id))?.execution?.status).toBe('refused');
    } finally {
      await h.stop();
    }
  });

  it('another ASCII case of the approved serial is the same device: deleted', async () => {
    const { h } = await demoWithApprovedIntuneDelete(azurite);
    try {
      h.sim.tenant.setManagedDevice(MANAGED, { serialNumber: ` ${SERIAL.toLowerCase()} ` });
      await h.drainQueue();

      expect(deletesOf(h).map((r) => r.status)).toEqual([204]);
      expect((await deleteOutcome(h))?.status).toBe('succeeded');
    } finally {
      await h.stop();
    }
  });
});
