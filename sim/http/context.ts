/**
 * What a route handler sees and returns. The same shapes serve top-level requests and $batch items,
 * so a batched call goes through exactly the same checks as a direct one.
 */
import type { ApiVersion } from '../model/resources.js';

export interface GraphRequest {
  method: string;
  version: ApiVersion;
  /** Path after the version, normalised, e.g. `/deviceManagement/windowsAutopilotDeviceIdentities/abc`. */
  path: string;
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body, `undefined` when there was none. */
  body: unknown;
  /** `http://127.0.0.1:PORT`, used to build absolute nextLinks and download URLs. */
  baseUrl: string;
  requestId: string;
  clientRequestId: string;
}

export interface PagingInfo {
  /** Cursor the current page started at. */
  start: string;
  /** Absolute URL of this list for a given cursor (used by the stuck-cursor fault). */
  link: (cursor: string) => string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; omitted for 204. */
  body?: unknown;
  /** A non-JSON (or deliberately broken) body. */
  raw?: { contentType: string; data: Buffer | string };
  paging?: PagingInfo;
}

export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Actions that Graph exposes as POST but that only read: retrieveEnrollmentTimeDeviceMembershipTarget returns the
 * policy's target and its validation and changes nothing ("enrollmentTimeDeviceMembershipTargetResult resource
 * type", https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta).
 * They are logged as reads and take no slot of the write limit.
 */
const READ_ACTIONS = /\/retrieveEnrollmentTimeDeviceMembershipTarget\/?$/i;

export const isWrite = (method: string, path = ''): boolean =>
  WRITE_METHODS.has(method.toUpperCase()) && !READ_ACTIONS.test(path.split('?')[0] ?? '');

export const noContent = (): GraphResponse => ({ status: 204 });

export const json = (body: unknown, status = 200): GraphResponse => ({ status, body });
