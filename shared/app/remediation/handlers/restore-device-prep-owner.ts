import type { TargetOf } from '../../../core/actions/index.js';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../../core/model/index.js';
import type { RemediationDeps } from '../deps.js';
import { DIRECTORY_OBJECT, groupGate, same } from './common.js';
import { oneItemDone, type TargetHandler } from './types.js';

// restore-device-prep-owner: make the Intune Provisioning Client (looked up by appId in this tenant, never taken
// from the message) an owner of a group that passes the group gate; the re-read must show it among the owners.

export function restoreDevicePrepOwnerHandler(
  t: TargetOf<'restore-device-prep-owner'>,
  deps: RemediationDeps,
): TargetHandler {
  const isOwner = async () => {
    const owners = await deps.directory.listGroupOwners(t.groupId);
    // Matched by object id or by the well-known appId, never by display name (it differs between tenants).
    return owners.some(
      (o) => same(o.id, t.servicePrincipalId) || (o.appId !== null && same(o.appId, INTUNE_PROVISIONING_CLIENT_APP_ID)),
    );
  };
  return {
    proofRequired: false,
    async precheck() {
      const gate = await groupGate(t.groupId, deps);
      if (!gate.ok) return { kind: 'refuse', before: gate.before, detail: gate.problem };
      // The only owner this product ever adds is the Intune Provisioning Client, looked up by its appId in THIS
      // tenant. A message naming any other object is refused, whatever else it says.
      const sp = await deps.directory.findServicePrincipalByAppId(INTUNE_PROVISIONING_CLIENT_APP_ID);
      if (sp === null || !same(sp.appId, INTUNE_PROVISIONING_CLIENT_APP_ID)) {
        return {
          kind: 'refuse',
          before: { ...gate.before, provisioningClientPresent: false },
          detail: `this tenant has no service principal for the Intune Provisioning Client (appId ${INTUNE_PROVISIONING_CLIENT_APP_ID}); not written`,
        };
      }
      if (!same(sp.objectId, t.servicePrincipalId)) {
        return {
          kind: 'refuse',
          before: { ...gate.before, provisioningClientObjectId: sp.objectId },
          detail: `the message names service principal ${t.servicePrincipalId}, but the Intune Provisioning Client is ${sp.objectId}; not written`,
        };
      }
      const before = { ...gate.before, provisioningClientIsOwner: await isOwner() };
      if (before.provisioningClientIsOwner)
        return { kind: 'clear', before, detail: 'the Intune Provisioning Client is already an owner' };
      return { kind: 'act', before, work: [sp.objectId] };
    },
    write: (work) => ({
      method: 'POST',
      path: `/v1.0/groups/${t.groupId}/owners/$ref`,
      body: { '@odata.id': `${DIRECTORY_OBJECT}${work[0] ?? t.servicePrincipalId}` },
    }),
    async act(work) {
      const spId = work[0] ?? t.servicePrincipalId;
      return oneItemDone(spId, await deps.actions.addGroupOwner(t.groupId, spId));
    },
    async verify() {
      const owner = await isOwner();
      return { state: { provisioningClientIsOwner: owner }, proven: owner };
    },
  };
}
