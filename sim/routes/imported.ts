/**
 * importedWindowsAutopilotDeviceIdentities: list and get on both versions (the outcome of hardware-hash
 * imports). Lists leave out the hardware hash (`hardwareIdentifier` null), as the service does for a
 * collection; a GET by id returns it. `state` is the complex type with its `@odata.type`. There is no
 * import timestamp on this resource in Graph, so none is served. `orderIdentifier` (the group tag's old
 * name) exists only in beta.
 */
import { intuneNotFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { render } from '../model/resources.js';
import type { ImportedDevice } from '../model/schemas.js';
import type { FieldSpec, FilterSpec } from '../odata/compile.js';
import { entityResponse, listResponse } from '../odata/list.js';

const SET = 'deviceManagement/importedWindowsAutopilotDeviceIdentities';
const STATE_TYPE = 'microsoft.graph.importedWindowsAutopilotDeviceIdentityState';
const key: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in'] };

const SPEC: FilterSpec = {
  typeName: 'importedWindowsAutopilotDeviceIdentity',
  fields: { id: key, importId: key, serialNumber: key },
  errorCode: 'BadRequest',
};

/** The wire object: `state` typed, the hash dropped from list items. */
function wire(d: ImportedDevice, inList: boolean): Record<string, unknown> {
  const s = d.state;
  return {
    ...d,
    hardwareIdentifier: inList ? null : d.hardwareIdentifier,
    state: {
      '@odata.type': STATE_TYPE,
      deviceImportStatus: s.deviceImportStatus,
      deviceRegistrationId: s.deviceRegistrationId,
      deviceErrorCode: s.deviceErrorCode,
      deviceErrorName: s.deviceErrorName,
    },
  };
}

export const importedRoutes: Route[] = [
  {
    method: 'GET',
    pattern: `/${SET}`,
    handler: (req, _p, env) => {
      env.tenant.recordImports();
      return listResponse({
        req,
        kind: 'imported',
        entitySet: SET,
        limits: { defaultTop: 1000, maxTop: 1000, overMax: 'cap' },
        spec: SPEC,
        source: env.tenant.importedDevices,
        withType: true,
        renderItem: (item, select) => render('imported', wire(item, true), req.version, select, true),
      });
    },
  },
  {
    method: 'GET',
    pattern: `/${SET}/{id}`,
    handler: (req, p, env) => {
      const id = p['id'] ?? '';
      env.tenant.recordImports();
      const item = env.tenant.importedDevices.get(id);
      if (!item) throw intuneNotFound('importedWindowsAutopilotDeviceIdentity', id);
      return entityResponse(req, 'imported', SET, wire(item, false), true);
    },
  },
];
