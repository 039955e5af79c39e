import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { readPolicyTarget } from '../../../shared/app/poll/read-policy-target.js';
import { policyTargetVerdict } from '../../../shared/core/policy/index.js';
import { startSimulator, type Simulator } from '../../../sim/index.js';
import { call } from '../../sim/helpers.js';
import { adaptersFor, quickSleep } from './sim-harness.js';

// The policy-target read end to end: the Graph adapter (POST …/configurationPolicies/{id}/
// retrieveEnrollmentTimeDeviceMembershipTarget, beta) against the simulator, which computes the service's validation
// from the live tenant. One case per validation code of enrollmentTimeDeviceMembershipTargetValidationErrorCode that
// the simulator can produce, plus no group, another group, a deleted policy and a refused read.
// Microsoft Graph beta "enrollmentTimeDeviceMembershipTargetResult resource type":
// https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta

const GROUP = '9a000000-0000-4000-8000-000000000001';
const OTHER = '9a000000-0000-4000-8000-000000000002';
const POLICY = '7a000000-0000-4000-8000-000000000001';
const PC_SP = '5b000000-0000-4000-8000-000000000001';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', port: 0 });
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(() => {
  sim.tenant.loadScenario('demo');
  // The demo's group lacks the Intune Provisioning Client as owner (a planted problem); most cases start healthy.
  sim.tenant.addGroupOwner(GROUP, PC_SP);
});

const readIt = () => readPolicyTarget(adaptersFor(sim, {}, { sleep: quickSleep }).autopilot, POLICY, {});

describe('retrieveEnrollmentTimeDeviceMembershipTarget through the adapter', () => {
  it.each<[string, () => void, string, string | null]>([
    ['healthy: the configured group, no error', () => undefined, 'proven', null],
    ['another group', () => sim.tenant.setPolicyTargets(POLICY, [OTHER]), 'mismatch:other-group', null],
    ['no device group selected', () => sim.tenant.setPolicyTargets(POLICY, []), 'mismatch:no-group', null],
    ['policy deleted', () => sim.tenant.removeConfigurationPolicy(POLICY), 'mismatch:policy-missing', null],
    ['group deleted', () => sim.tenant.deleteGroup(GROUP), 'proven', 'securityGroupNotFound'],
    [
      'not a security group',
      () => sim.tenant.setGroup(GROUP, { securityEnabled: false }),
      'proven',
      'notSecurityGroup',
    ],
    [
      'dynamic',
      () => sim.tenant.setGroup(GROUP, { groupTypes: ['DynamicMembership'] }),
      'proven',
      'notStaticSecurityGroup',
    ],
    ['owner missing', () => sim.tenant.removeGroupOwner(GROUP, PC_SP), 'proven', 'firstPartyAppNotAnOwner'],
    [
      'read refused (403)',
      () => sim.tenant.deny({ path: 'retrieveEnrollmentTimeDeviceMembershipTarget' }),
      'unverified:unreadable',
      null,
    ],
  ])('%s', async (_name, arrange, expected, error) => {
    arrange();
    const read = await readIt();
    const v = policyTargetVerdict(GROUP, read);
    expect(v.kind === 'proven' ? 'proven' : `${v.kind}:${v.reason}`).toBe(expected);
    if (v.kind === 'proven') expect(v.errors).toEqual(error === null ? [] : [error]);
  });

  it('is a POST that changes nothing: logged as a read; v1.0 does not have it', async () => {
    sim.clearRequests();
    await readIt();
    const [entry] = sim.requests().filter((r) => r.path.endsWith('/retrieveEnrollmentTimeDeviceMembershipTarget'));
    expect(entry).toMatchObject({ method: 'POST', version: 'beta', kind: 'read', status: 200 });
    const v1 = await call(
      sim,
      'POST',
      `/v1.0/deviceManagement/configurationPolicies/${POLICY}/retrieveEnrollmentTimeDeviceMembershipTarget`,
    );
    expect(v1.status).toBe(400);
  });

  it('answers the enrollmentTimeDeviceMembershipTargetResult shape', async () => {
    sim.tenant.removeGroupOwner(GROUP, PC_SP);
    const r = await call(
      sim,
      'POST',
      `/beta/deviceManagement/configurationPolicies('${POLICY}')/retrieveEnrollmentTimeDeviceMembershipTarget`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      '@odata.context': `${sim.url}/beta/$metadata#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult`,
      validationSucceeded: false,
      enrollmentTimeDeviceMembershipTargetValidationStatuses: [
        { targetId: GROUP, targetValidationErrorCode: 'firstPartyAppNotAnOwner' },
      ],
    });
  });
});
