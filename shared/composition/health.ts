import type { CredentialInfo, HealthDeps, HealthOptions, ScheduleInfo, TokenKind } from '../app/health/check-health.js';
import { nextRuns, type AppConfig } from '../config/index.js';
import type { ActionName } from '../core/model/index.js';
import { FUNCTION_NAMES } from './bindings.js';
import type { Container } from './container.js';

// The health use case's inputs from one container: `autopilot-medic health` and GET /api/health ask the same
// questions of the same parts.

export function healthInputs(
  container: Container,
  now: number,
): { readonly deps: HealthDeps; readonly options: HealthOptions } {
  const { config, stores, graph } = container;
  return {
    deps: {
      watermarks: stores.watermarks,
      ...(stores.probeTables ? { probeTables: stores.probeTables } : {}),
      probe: graph.probe,
      directory: graph.directory,
      autopilot: graph.autopilot,
      clock: container.clock,
    },
    options: {
      tenant: config.tenant,
      tokenKind: tokenKindOf(config),
      enforcedActions: enforcedActions(config),
      credential: credentialOf(config),
      devicePrepGroups: config.devicePrepGroups,
      schedules: schedulesOf(config, now),
    },
  };
}

function tokenKindOf(config: AppConfig): TokenKind {
  const kind = config.graph.auth.kind;
  return kind === 'static-token' ? 'static' : kind === 'azure-cli' ? 'delegated' : 'application';
}

function enforcedActions(config: AppConfig): ActionName[] {
  return Object.entries(config.policy.actionModes)
    .filter(([, mode]) => mode === 'enforce')
    .map(([action]) => action as ActionName);
}

/** Which credential the configuration picks, without a secret: ids only. */
export function credentialOf(config: AppConfig): CredentialInfo {
  const auth = config.graph.auth;
  switch (auth.kind) {
    case 'static-token':
      return { description: 'a static bearer token (GRAPH_TOKEN)', configuredTenantId: null };
    case 'managed-identity':
      return {
        description: auth.clientId
          ? `managed identity, user-assigned (client id ${auth.clientId})`
          : 'managed identity, system-assigned',
        configuredTenantId: null,
      };
    case 'client-secret':
      return {
        description: `client secret of app ${auth.clientId} (AZURE_CLIENT_SECRET)`,
        configuredTenantId: auth.tenantId,
        consentAppId: auth.clientId,
      };
    case 'certificate':
      return {
        description: `certificate of app ${auth.clientId} (AZURE_CLIENT_CERTIFICATE_PATH)`,
        configuredTenantId: auth.tenantId,
        consentAppId: auth.clientId,
      };
    case 'azure-cli':
      return {
        description: 'Azure CLI sign-in (delegated: your own account, for a trial)',
        configuredTenantId: auth.tenantId,
      };
    case 'federated':
      return {
        description: `app ${auth.clientId} in tenant ${auth.tenantId}, federated with the managed identity (${
          auth.managedIdentityClientId ? `user-assigned, client id ${auth.managedIdentityClientId}` : 'system-assigned'
        }; no secret)`,
        configuredTenantId: auth.tenantId,
        consentAppId: auth.clientId,
      };
  }
}

/** The timer schedules and their next runs (the health check and the dashboard's "next runs" show them). */
export function schedulesOf(config: AppConfig, now: number): ScheduleInfo[] {
  return [
    {
      setting: 'POLL_SCHEDULE',
      function: FUNCTION_NAMES.poll,
      expression: config.env.POLL_SCHEDULE,
      next: nextRuns(config.env.POLL_SCHEDULE, now, 3),
    },
    {
      setting: 'COMPLIANCE_SCHEDULE',
      function: FUNCTION_NAMES.complianceSweep,
      expression: config.env.COMPLIANCE_SCHEDULE,
      next: nextRuns(config.env.COMPLIANCE_SCHEDULE, now, 3),
    },
  ];
}
