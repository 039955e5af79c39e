import { describe, expect, it } from 'vitest';

import { buildTeamsMessage, buildWebhookEvent } from '../../../../shared/core/alerts/index.js';
import { sampleAlerts } from './fixtures.js';

// Many tenants: an alert carries the tenant's display name, so a channel several tenants share says whose it is.
// One tenant's alerts are unchanged (no name, the header shows TENANT_NAME).

describe('the tenant display name on alerts', () => {
  const alert = sampleAlerts().finding;

  it('the Teams card header names the tenant by its display name, escaped like all card text', () => {
    const named = JSON.stringify(buildTeamsMessage({ ...alert, tenantName: 'Contoso **EMEA**' }));
    expect(named).toContain('Contoso \\\\*\\\\*EMEA\\\\*\\\\*');
    expect(JSON.stringify(buildTeamsMessage(alert))).toContain(` · ${alert.tenant} · `);
  });

  it('the webhook event carries it beside the tenant id, and only when there is one', () => {
    expect(buildWebhookEvent({ ...alert, tenantName: 'Contoso' })).toMatchObject({
      tenant: alert.tenant,
      tenantName: 'Contoso',
    });
    expect(buildWebhookEvent(alert)).not.toHaveProperty('tenantName');
  });
});
