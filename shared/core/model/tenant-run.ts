// One tenant's share of a scheduled run. The timers of a many-tenant deployment send one of these per tenant, so
// tenants run side by side (each on whichever instance takes its message) and one tenant's failure is its own.

export const TENANT_JOBS = ['poll', 'compliance'] as const;
export type TenantJob = (typeof TENANT_JOBS)[number];

export interface TenantRunRequest {
  readonly schemaVersion: 1;
  /** The tenant's key (its Entra id): a request, checked against the configured tenants before anything runs. */
  readonly tenant: string;
  readonly job: TenantJob;
  /** The timer slot the run belongs to: the tenant's own run lock takes it once, whatever the redeliveries. */
  readonly slot: string;
  readonly runId: string;
}
