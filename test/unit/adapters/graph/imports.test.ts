import { describe, expect, it } from 'vitest';
import { GraphAutopilotReader } from '../../../../shared/adapters/graph/autopilot-reader.js';
import { collectAll } from '../../../../shared/adapters/graph/paging.js';
import { json } from './fake-fetch.js';
import { BASE, harness } from './harness.js';

// The tenant simulator has no importedWindowsAutopilotDeviceIdentities route (it models imports as
// pending devices that appear after a sync), so this reader is covered here against a scripted server.
describe('listImportedDevices', () => {
  it('pages the beta import collection and maps the nested state', async () => {
    const h = harness([
      json({
        value: [
          {
            id: 'i1',
            serialNumber: 'SN1',
            importId: 'b1',
            state: { deviceImportStatus: 'pending', deviceErrorCode: 0, deviceErrorName: '' },
          },
        ],
        '@odata.nextLink': `${BASE}/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities?$skiptoken=2`,
      }),
      json({
        value: [
          {
            id: 'i2',
            serialNumber: 'SN2',
            state: { deviceImportStatus: 'error', deviceErrorCode: 806, deviceErrorName: 'ZtdDeviceAlreadyAssigned' },
          },
        ],
      }),
    ]);
    const reader = new GraphAutopilotReader(h.http, () => Promise.resolve([]));
    const devices = await collectAll(reader.listImportedDevices());
    expect(h.seen[0]?.url).toBe(`${BASE}/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities`);
    expect(devices).toEqual([
      { id: 'i1', serialNumber: 'SN1', status: 'pending', errorName: null, errorCode: null },
      { id: 'i2', serialNumber: 'SN2', status: 'error', errorName: 'ZtdDeviceAlreadyAssigned', errorCode: 806 },
    ]);
  });
});
