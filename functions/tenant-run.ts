import { app, type InvocationContext } from '@azure/functions';

import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import { parseTenantRun } from '../shared/composition/index.js';
import { withFields, type Fleet } from '../shared/composition/fleet.js';
import { getHostFleet, invocationLogger } from '../shared/composition/host.js';
import { refuseInDeployment } from './refused-message.js';
import { runTenantJob } from './tenant-jobs.js';

// Service Bus trigger of the many-tenant fan-out: one message = one tenant's scheduled run. The message is a
// request: it must parse into exactly what the timers send and name a tenant the deployment is configured with
// now; anything else is recorded in the deployment's history and alerted, and completes (a retry cannot make it
// valid). A failing run throws; its slot is already taken in the tenant's runs table, so a redelivery does not
// run it twice and the next scheduled run tries again, as for a single tenant's timer.

export function makeTenantRunHandler(getFleet: () => Promise<Fleet>) {
  return async function tenantRun(message: unknown, context: InvocationContext): Promise<void> {
    const fleet = await getFleet();
    const parsed = parseTenantRun(message);
    const tenant = parsed.ok ? fleet.find(parsed.request.tenant) : null;
    if (!parsed.ok || tenant === null)
      return refuseInDeployment(
        fleet,
        context,
        message,
        parsed.ok ? 'the tenant run names a tenant this deployment is not configured with' : parsed.reason,
      );
    const container = await fleet.container(tenant);
    const logger = withFields(invocationLogger(context, container), { tenant: tenant.key });
    await runTenantJob(container, parsed.request, logger);
  };
}

app.serviceBusQueue(FUNCTION_NAMES.tenantRun, {
  connection: BINDINGS.serviceBusConnection,
  queueName: `%${BINDINGS.tenantRunQueueSetting}%`,
  handler: makeTenantRunHandler(getHostFleet),
});
