import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CODES } from '../../../shared/core/catalog/codes.js';
import { withAzurite } from '../../support/azurite.js';
import { startHarness, wireWrites, type Azurite } from '../../support/harness.js';
import { DEMO } from './expected.js';

// Issue 14 item 4 against the simulator: the unblock needs a deployment of THIS device refused with 0x80180014
// that is NEWER than its last unblock. A device blocked again with no new deployment (the old refusal still on
// record) is not unblocked a second time; a new refused deployment is. Before the fix, any open 0x80180014
// finding of the device counted, so the second unblock went out once the cooldown was over.
// "Why is error code 0x80180014 occurring when trying to re-enroll a previously enrolled device?", Windows
// Autopilot troubleshooting FAQ, https://learn.microsoft.com/autopilot/troubleshooting-faq.

const HOUR = 3_600_000;

describe('unblock only for a refusal newer than the last unblock', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('demo: unblocks once, not again for the same refusal, again for a new one', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    const id = DEMO.blocked.identityId;
    const unblocks = () =>
      wireWrites(h.sim).filter((w) => w.method === 'POST' && w.path.endsWith(`/${id}/allowNextEnrollment`));
    try {
      await h.runPoll('incremental');
      await h.drainQueue();
      expect(unblocks()).toHaveLength(1);

      // Blocked again, with no new deployment: the 0x80180014 refusal on record predates the unblock.
      h.sim.tenant.setIdentity(id, { userlessEnrollmentStatus: 'blocked' });
      h.sim.clock.advance(2 * HOUR); // past the per-device cooldown
      const again = await h.runPoll('incremental');
      await h.drainQueue();
      expect(again.findings.map((f) => f.code)).toContain(CODES.AP_USERLESS_BLOCKED);
      expect(unblocks(), 'no second unblock for the refusal the first one answered').toHaveLength(1);

      // A new pre-provisioning attempt refused with 0x80180014: that is new evidence.
      h.sim.tenant.addEvent({
        id: 'e7000000-0000-4000-8000-0000000009a1',
        accountSetupDuration: 'PT0S',
        accountSetupStatus: 'notAttempted',
        deploymentDuration: 'PT5M0S',
        deploymentEndDateTime: 'now-5m',
        deploymentStartDateTime: 'now-10m',
        deploymentState: 'failure',
        deploymentTotalDuration: 'PT6M0S',
        deviceId: null,
        deviceRegisteredDateTime: 'now-64d',
        deviceSerialNumber: DEMO.blocked.serial,
        deviceSetupDuration: 'PT4M0S',
        deviceSetupStatus: 'failure',
        enrollmentFailureDetails:
          '0x80180014: DeviceNotSupported - Enrollment blocked for AP device by SDM One Time Limit Check.',
        enrollmentStartDateTime: 'now-10m',
        enrollmentState: 'failed',
        enrollmentType: 'azureADJoinedWithWhiteGlove',
        eventDateTime: 'now-5m',
        managedDeviceName: `CTS-${DEMO.blocked.serial}`,
        osVersion: '10.0.22631.4460',
        userId: null,
        userPrincipalName: null,
        windows10EnrollmentCompletionPageConfigurationDisplayName: 'Contoso ESP - Block until required apps',
        windows10EnrollmentCompletionPageConfigurationId: '8c6a1b2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d',
        windowsAutopilotDeploymentProfileDisplayName: 'Contoso Autopilot - Pre-provisioned',
      });
      await h.runPoll('incremental');
      await h.drainQueue();
      expect(unblocks()).toHaveLength(2);
    } finally {
      await h.stop();
    }
  }, 120_000);
});
