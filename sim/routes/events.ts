/**
 * autopilotEvents (beta only): pages of 50, date-range and deploymentState filters (with or without
 * the `microsoft.graph.DeviceManagementAutopilotEvent/` cast prefix), newest first by default.
 */
import { GraphError, intuneNotFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import * as E from '../model/enums.js';
import type { AutopilotEvent } from '../model/schemas.js';
import type { FieldSpec, FilterSpec } from '../odata/compile.js';
import { entityResponse, listResponse } from '../odata/list.js';
import { param } from '../odata/query.js';

const SET = 'deviceManagement/autopilotEvents';
const time: FieldSpec = { type: 'datetime', ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] };
const en = (values: readonly string[]): FieldSpec => ({ type: 'enum', ops: ['eq', 'ne'], values });
const str: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in', 'contains', 'startswith'] };

const SPEC: FilterSpec = {
  typeName: 'DeviceManagementAutopilotEvent',
  errorCode: 'BadRequest',
  fields: {
    id: str,
    deviceId: str,
    deviceSerialNumber: str,
    managedDeviceName: str,
    userPrincipalName: str,
    windowsAutopilotDeploymentProfileDisplayName: str,
    eventDateTime: time,
    deploymentEndDateTime: time,
    deploymentStartDateTime: time,
    enrollmentStartDateTime: time,
    deviceRegisteredDateTime: time,
    deploymentState: en(E.DEPLOYMENT_STATES),
    deviceSetupStatus: en(E.DEPLOYMENT_STATES),
    accountSetupStatus: en(E.DEPLOYMENT_STATES),
    enrollmentType: en(E.ENROLLMENT_TYPES),
    enrollmentState: en(E.ENROLLMENT_STATES_BETA),
  },
};

const ORDERABLE = [
  'eventDateTime',
  'deploymentStartDateTime',
  'deploymentEndDateTime',
  'enrollmentStartDateTime',
] as const;
type Orderable = (typeof ORDERABLE)[number];

/**
 * `$orderby=eventDateTime desc` → a sorted copy; without it, the stored newest-first order (null: page the
 * collection itself, so a page costs what it returns instead of a copy of every event).
 */
function ordered(events: () => AutopilotEvent[], raw: string | null): AutopilotEvent[] | null {
  if (raw === null) return null;
  const m = /^\s*(?:microsoft\.graph\.DeviceManagementAutopilotEvent\/)?(\w+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  const prop = ORDERABLE.find((p) => p.toLowerCase() === (m?.[1] ?? '').toLowerCase());
  if (!m || !prop)
    throw new GraphError(
      400,
      'BadRequest',
      `$orderby '${raw}' is not supported; use one of ${ORDERABLE.join(', ')} asc|desc.`,
    );
  const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  const k: Orderable = prop;
  // Each time parsed once, not once per comparison.
  const keyed = events().map((e) => ({ e, t: Date.parse(e[k]) }));
  keyed.sort((a, b) => dir * (a.t - b.t || a.e.id.localeCompare(b.e.id)));
  return keyed.map((x) => x.e);
}

export const eventRoutes: Route[] = [
  {
    method: 'GET',
    pattern: `/${SET}`,
    versions: ['beta'],
    handler: (req, _p, env) => {
      const sorted = ordered(() => env.tenant.events.values(), param(req, '$orderby'));
      return listResponse({
        req,
        kind: 'event',
        entitySet: SET,
        limits: { defaultTop: 50, maxTop: 50, overMax: 'cap' },
        spec: SPEC,
        source: sorted ?? env.tenant.events,
        withType: true,
        extraOptions: ['$orderby'],
      });
    },
  },
  {
    method: 'GET',
    pattern: `/${SET}/{id}`,
    versions: ['beta'],
    handler: (req, p, env) => {
      const id = p['id'] ?? '';
      const ev = env.tenant.events.get(id);
      if (!ev) throw intuneNotFound('deviceManagementAutopilotEvent', id);
      return entityResponse(req, 'event', SET, ev, true);
    },
  },
];
