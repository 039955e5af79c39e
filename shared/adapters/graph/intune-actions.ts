import { NotFoundError, type IntuneActions, type SyncResult, type WriteResult } from '../../ports/index.js';
import type { GraphHttp } from './graph-http.js';
import { addMembers, addOne } from './group-writes.js';
import { segment } from './odata.js';
import { parseRetryAfter } from './retry-policy.js';

// Tenant writes. Every call goes through the shared write budget (GraphHttp) and, except the sync,
// through the retry policy — they are idempotent (unblock, add member/owner), so a retried 429/5xx that
// had in fact applied is harmless.

const DM = '/beta/deviceManagement';

export class GraphIntuneActions implements IntuneActions {
  constructor(
    private readonly http: GraphHttp,
    private readonly now: () => number,
  ) {}

  /**
   * Exactly one attempt: the service refuses a sync within 10 minutes of the previous
   * one (429) or while one runs (409) — tenant-wide, portal clicks included — so retrying only burns the
   * window. Those answers go back to the governor, which defers.
   * https://learn.microsoft.com/graph/api/intune-enrollment-windowsautopilotsettings-sync?view=graph-rest-beta
   */
  async triggerAutopilotSync(): Promise<SyncResult> {
    const what = 'POST windowsAutopilotSettings/sync';
    const reply = await this.http.exchange({
      method: 'POST',
      target: `${DM}/windowsAutopilotSettings/sync`,
      retry: false,
      what,
    });
    if (reply.ok) return { kind: 'started', requestId: reply.requestId };
    if (reply.status === 409) return { kind: 'in-progress', requestId: reply.requestId };
    if (reply.status === 429) {
      return {
        kind: 'too-soon',
        retryAfterMs: parseRetryAfter(reply.headers.get('retry-after'), this.now()),
        requestId: reply.requestId,
      };
    }
    throw this.http.failure(reply, what);
  }

  /** https://learn.microsoft.com/graph/api/intune-enrollment-windowsautopilotdeviceidentity-allownextenrollment?view=graph-rest-beta */
  async allowNextEnrollment(autopilotId: string): Promise<WriteResult> {
    const reply = await this.http.send({
      method: 'POST',
      target: `${DM}/windowsAutopilotDeviceIdentities/${segment(autopilotId)}/allowNextEnrollment`,
      what: `POST windowsAutopilotDeviceIdentities/${autopilotId}/allowNextEnrollment`,
    });
    return { requestId: reply.requestId, alreadyDone: false };
  }

  /** ≤ 20 references per PATCH; falls back to per-object POST $ref when a chunk is refused. */
  addGroupMembers(groupId: string, objectIds: readonly string[]): Promise<Map<string, WriteResult>> {
    return addMembers(this.http, groupId, objectIds);
  }

  /** Already an owner (400) is success; any other failure throws its typed error. */
  async addGroupOwner(groupId: string, objectId: string): Promise<WriteResult> {
    const result = await addOne(this.http, groupId, 'owners', objectId);
    if (result.error) throw result.error;
    return result;
  }

  /** https://learn.microsoft.com/graph/api/intune-devices-manageddevice-delete?view=graph-rest-1.0 (204 No Content) */
  deleteManagedDevice(managedDeviceId: string): Promise<WriteResult> {
    return this.delete(
      `/v1.0/deviceManagement/managedDevices/${segment(managedDeviceId)}`,
      'managedDevices',
      managedDeviceId,
    );
  }

  /** https://learn.microsoft.com/graph/api/intune-enrollment-windowsautopilotdeviceidentity-delete?view=graph-rest-1.0 (204 No Content) */
  deleteAutopilotDevice(autopilotId: string): Promise<WriteResult> {
    return this.delete(
      `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities/${segment(autopilotId)}`,
      'windowsAutopilotDeviceIdentities',
      autopilotId,
    );
  }

  /**
   * A DELETE is retried like the other writes; a retry after an attempt that did apply meets 404, which is the
   * state we wanted — the worker's re-read then confirms the object is gone.
   */
  private async delete(target: string, set: string, id: string): Promise<WriteResult> {
    try {
      const reply = await this.http.send({ method: 'DELETE', target, what: `DELETE ${set}/${id}` });
      return { requestId: reply.requestId, alreadyDone: false };
    } catch (err) {
      if (err instanceof NotFoundError) return { requestId: err.requestId, alreadyDone: true };
      throw err;
    }
  }
}
