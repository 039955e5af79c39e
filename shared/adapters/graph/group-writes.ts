import { NotFoundError, PermanentError, type WriteResult } from '../../ports/index.js';
import { isAlreadyExists, readErrorBody } from './graph-errors.js';
import type { GraphHttp, GraphReply } from './graph-http.js';
import { isGuid, segment } from './odata.js';

// Group membership/ownership writes (https://learn.microsoft.com/graph/api/group-post-members,
// https://learn.microsoft.com/graph/api/group-update#example-2-add-members-to-a-group). Both are
// idempotent by construction: "already a member/owner" is success.

/** Graph's PATCH accepts at most 20 `members@odata.bind` references per request. */
export const MAX_BIND_PER_PATCH = 20;

/**
 * The bind URL always names graph.microsoft.com, even against the simulator or a proxy: it is an
 * OData entity reference the service resolves, not a URL anyone fetches.
 */
export const directoryObjectRef = (id: string): string => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

export async function addMembers(
  http: GraphHttp,
  groupId: string,
  objectIds: readonly string[],
): Promise<Map<string, WriteResult>> {
  const results = new Map<string, WriteResult>();
  const ids: string[] = [];
  for (const id of new Set(objectIds)) {
    if (isGuid(id)) ids.push(id);
    else
      results.set(id, {
        requestId: null,
        alreadyDone: false,
        error: new PermanentError(`not an object id: ${JSON.stringify(id)}`),
      });
  }
  for (let i = 0; i < ids.length; i += MAX_BIND_PER_PATCH) {
    const chunk = ids.slice(i, i + MAX_BIND_PER_PATCH);
    const reply = await http.exchange({
      method: 'PATCH',
      target: `/v1.0/groups/${segment(groupId)}`,
      body: { 'members@odata.bind': chunk.map(directoryObjectRef) },
      what: `PATCH groups/${groupId} members@odata.bind (${chunk.length})`,
    });
    if (reply.ok) {
      for (const id of chunk) results.set(id, { requestId: reply.requestId, alreadyDone: false });
      continue;
    }
    // One already-present member (400) or one missing object (404) fails the whole PATCH, and the
    // response doesn't say which. Redo the chunk one reference at a time so each object gets its answer.
    if (reply.status !== 400 && reply.status !== 404) throw http.failure(reply, `PATCH groups/${groupId}`);
    for (const id of chunk) results.set(id, await addOne(http, groupId, 'members', id));
  }
  return results;
}

/** Per-object POST …/{members|owners}/$ref. 401/403/429/5xx throw; object-level answers come back. */
export async function addOne(
  http: GraphHttp,
  groupId: string,
  relation: 'members' | 'owners',
  objectId: string,
): Promise<WriteResult> {
  const what = `POST groups/${groupId}/${relation}/$ref ${objectId}`;
  const reply = await http.exchange({
    method: 'POST',
    target: `/v1.0/groups/${segment(groupId)}/${relation}/$ref`,
    body: { '@odata.id': directoryObjectRef(segment(objectId)) },
    what,
  });
  return objectResult(http, reply, what);
}

function objectResult(http: GraphHttp, reply: GraphReply, what: string): WriteResult {
  if (reply.ok) return { requestId: reply.requestId, alreadyDone: false };
  const body = readErrorBody(reply.text);
  const requestId = reply.requestId ?? body.requestId;
  if (isAlreadyExists(reply.status, body)) return { requestId, alreadyDone: true };
  const error = http.failure(reply, what);
  if (error instanceof NotFoundError || (error instanceof PermanentError && reply.status === 400)) {
    return { requestId, alreadyDone: false, error };
  }
  throw error;
}
