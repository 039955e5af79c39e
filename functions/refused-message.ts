import type { InvocationContext } from '@azure/functions';

import { recordInvalidMessage, type InvalidMessage } from '../shared/app/remediation/index.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { invocationLogger } from '../shared/composition/host.js';

// A queue message that can never be valid, as the queue triggers record it: which message and delivery it was (from
// the trigger's metadata, as the host passes it), and why it was refused.

export function invalidMessageOf(context: InvocationContext, body: unknown, reason: string): InvalidMessage {
  const meta = context.triggerMetadata ?? {};
  return {
    // Service Bus message ids are at most 128 characters; a forged longer one is cut, not trusted.
    messageId: typeof meta.messageId === 'string' ? meta.messageId.slice(0, 128) : 'unknown',
    deliveryCount: typeof meta.deliveryCount === 'number' ? meta.deliveryCount : 0,
    deliveryId: context.invocationId,
    body,
    reason,
  };
}

/** Refused in the deployment's own history (and alerted there): the message names no tenant it may be run for. */
export async function refuseInDeployment(
  fleet: Fleet,
  context: InvocationContext,
  body: unknown,
  reason: string,
): Promise<void> {
  const deployment = await fleet.deploymentContainer();
  const logger = invocationLogger(context, deployment);
  await recordInvalidMessage(deployment.remediationDeps(logger), invalidMessageOf(context, body, reason), logger);
}
