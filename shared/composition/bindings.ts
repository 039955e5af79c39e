// Function names use no hyphens: on Linux/Flex the AzureWebJobs.<name>.Disabled app setting cannot contain "-".
// Names shared by the function registrations (functions/*.ts), the infrastructure (infra/*.bicep) and the
// config schema. A test cross-checks infra against these, so change them here and nowhere else.

export const BINDINGS = {
  /** Service Bus connection prefix: `ServiceBusConnection` (string) or `ServiceBusConnection__fullyQualifiedNamespace`. */
  serviceBusConnection: 'ServiceBusConnection',
  /** App setting holding the queue name; bindings reference it as %REMEDIATION_QUEUE%. */
  queueNameSetting: 'REMEDIATION_QUEUE',
  /** App setting holding the many-tenant fan-out queue's name (%TENANT_RUN_QUEUE%). */
  tenantRunQueueSetting: 'TENANT_RUN_QUEUE',
  pollScheduleSetting: 'POLL_SCHEDULE',
  complianceScheduleSetting: 'COMPLIANCE_SCHEDULE',
} as const;

export const FUNCTION_NAMES = {
  poll: 'poll',
  complianceSweep: 'complianceSweep',
  remediate: 'remediate',
  tenantRun: 'tenantRun',
  health: 'health',
  sweepNow: 'sweep',
  history: 'history',
  reportLatest: 'reportLatest',
  dashboard: 'dashboard',
  device: 'device',
  approval: 'approval',
} as const;
