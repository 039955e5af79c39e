import type { DevicePrepGroupRule } from '../../core/detect/index.js';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../core/model/index.js';
import { groupShapeProblem, policyTargetVerdict } from '../../core/policy/index.js';
import type { AutopilotReader, DirectoryReader, Json } from '../../ports/index.js';
import { readPolicyTarget } from '../poll/read-policy-target.js';
import { errorText, worstStatus, type HealthCheck, type HealthStatus } from './types.js';

// Each configured device-preparation group, as the worker will find it before a write: it exists, it is an
// assigned (static) security group, the device preparation policy names it as its device group, and the Intune
// Provisioning Client owns it ("Windows Autopilot device preparation troubleshooting FAQ",
// https://learn.microsoft.com/autopilot/device-preparation/troubleshooting-faq). Reads only: the policy's target
// comes from retrieveEnrollmentTimeDeviceMembershipTarget, a POST that changes nothing. Group text is shown as the
// group id only: a display name is tenant data, and the id is what DEVICE_PREP_GROUPS holds.

export interface GroupCheckDeps {
  readonly directory: Pick<DirectoryReader, 'getGroup' | 'listGroupOwners' | 'findServicePrincipalByAppId'>;
  readonly autopilot: Pick<AutopilotReader, 'getEnrollmentTimeTarget'>;
}

interface Item {
  check: 'exists' | 'static security group' | 'policy targets it' | 'Provisioning Client owner';
  status: HealthStatus;
  detail: string;
}

export async function groupCheck(deps: GroupCheckDeps, groups: readonly DevicePrepGroupRule[]): Promise<HealthCheck> {
  if (groups.length === 0) {
    return {
      name: 'device-prep-groups',
      status: 'ok',
      detail: 'no DEVICE_PREP_GROUPS configured: device-preparation group checks and writes are off',
      data: { groups: [] },
    };
  }
  const provisioningClient = await deps.directory.findServicePrincipalByAppId(INTUNE_PROVISIONING_CLIENT_APP_ID).then(
    (sp) => ({ ok: true as const, id: sp?.objectId ?? null }),
    (err: unknown) => ({ ok: false as const, reason: errorText(err, 200) }),
  );
  const results: {
    groupId: string;
    policyName: string;
    policyId: string | null;
    status: HealthStatus;
    items: Item[];
  }[] = [];
  for (const rule of groups) {
    const items = await checkOne(deps, rule, provisioningClient);
    results.push({
      groupId: rule.groupId,
      policyName: rule.policyName,
      policyId: rule.policyId ?? null,
      status: worstStatus(items),
      items,
    });
  }
  const bad = results.filter((r) => r.status !== 'ok');
  const status = worstStatus(results);
  const detail =
    bad.length === 0
      ? `${results.length} group(s) ready: static security group, named by its policy, owned by the Intune Provisioning Client`
      : `${bad.length} of ${results.length} group(s) not ready: ${bad
          .map(
            (r) =>
              `${r.groupId} (${r.items
                .filter((i) => i.status !== 'ok')
                .map((i) => i.check)
                .join(', ')})`,
          )
          .join('; ')}`;
  return { name: 'device-prep-groups', status, detail, data: { groups: results as unknown as Json[] } };
}

async function checkOne(
  deps: GroupCheckDeps,
  rule: DevicePrepGroupRule,
  sp: { readonly ok: true; readonly id: string | null } | { readonly ok: false; readonly reason: string },
): Promise<Item[]> {
  let group;
  try {
    group = await deps.directory.getGroup(rule.groupId);
  } catch (err) {
    return [{ check: 'exists', status: 'failing', detail: `the group could not be read: ${errorText(err, 200)}` }];
  }
  if (group === null) return [{ check: 'exists', status: 'degraded', detail: 'no such group in this tenant' }];
  const items: Item[] = [{ check: 'exists', status: 'ok', detail: 'found' }];
  const shape = groupShapeProblem(rule.groupId, group);
  items.push({
    check: 'static security group',
    status: shape === null ? 'ok' : 'degraded',
    detail: shape ?? 'assigned security group, not role-assignable',
  });

  const read = await readPolicyTarget(deps.autopilot, rule.policyId, {});
  const verdict = policyTargetVerdict(rule.groupId, read);
  items.push({
    check: 'policy targets it',
    status: verdict.kind === 'proven' ? 'ok' : 'degraded',
    detail:
      verdict.kind === 'proven'
        ? `policy ${rule.policyId ?? ''} names this group as its device group`
        : `${verdict.problem}; nothing is written to this group until it is proven`,
  });

  if (!sp.ok)
    items.push({
      check: 'Provisioning Client owner',
      status: 'degraded',
      detail: `the Intune Provisioning Client could not be looked up: ${sp.reason}`,
    });
  else if (sp.id === null)
    items.push({
      check: 'Provisioning Client owner',
      status: 'degraded',
      detail: `this tenant has no service principal for the Intune Provisioning Client (appId ${INTUNE_PROVISIONING_CLIENT_APP_ID}); a person must add it`,
    });
  else {
    const owners = await deps.directory.listGroupOwners(rule.groupId).then(
      (list) => ({ ok: true as const, list }),
      (err: unknown) => ({ ok: false as const, reason: errorText(err, 200) }),
    );
    const spId = sp.id.toLowerCase();
    if (!owners.ok)
      items.push({
        check: 'Provisioning Client owner',
        status: 'degraded',
        detail: `owners could not be read: ${owners.reason}`,
      });
    else if (
      owners.list.some(
        (o) => o.id.toLowerCase() === spId || o.appId?.toLowerCase() === INTUNE_PROVISIONING_CLIENT_APP_ID,
      )
    ) {
      items.push({
        check: 'Provisioning Client owner',
        status: 'ok',
        detail: 'the Intune Provisioning Client is an owner',
      });
    } else {
      items.push({
        check: 'Provisioning Client owner',
        status: 'degraded',
        detail: 'the Intune Provisioning Client is not an owner (restore-device-prep-owner adds it in enforce mode)',
      });
    }
  }
  return items;
}
