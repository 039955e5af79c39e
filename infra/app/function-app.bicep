// The function app on Flex Consumption (FC1) with the user-assigned identity, and EVERY app setting in one
// place (`appSettings` below; test/unit/infra/infra.test.ts parses it against shared/config/env-schema.ts).
// Raw Microsoft.Web resources instead of the AVM site module so the @secure() alert settings go straight
// into the appsettings resource and never appear as a nested deployment's parameters.

param name string
param location string
param tags object
param appServicePlanId string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentStorageContainerName string
param applicationInsightsName string
param serviceBusFullyQualifiedNamespace string
param remediationQueueName string
param tenantRunQueueName string
@secure()
param tenants string
param tenantConcurrency int
param nodeVersion string
param instanceMemoryMB int
param maximumInstanceCount int
param graphWriteBudget string
param tenantName string
param tablePrefix string
param remediationMode string
param remediationActionModes string
param devicePrepGroupsJson string
param pollSchedule string
param complianceSchedule string
param logLevel string
@secure()
param teamsWorkflowUrl string
param teamsMinSeverity string
@secure()
param webhookUrl string
@secure()
param webhookSecret string
param webhookMinSeverity string
@secure()
param approvalSigningKey string
param approvalBaseUrl string

@description('managed-identity (one tenant, the identity\'s own token) or federated (the multi-tenant app, credential = the identity).')
@allowed([
  'managed-identity'
  'federated'
])
param graphAuth string = 'managed-identity'

@description('Client id of the multi-tenant app registration (GRAPH_AUTH=federated); empty otherwise.')
param multiTenantAppId string = ''

@description('Tenant the app reads when no tenant list overrides it (GRAPH_AUTH=federated); empty otherwise.')
param multiTenantHomeTenantId string = ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// https://<account>.table.core.windows.net, without the trailing slash the endpoint property carries.
var tableEndpoint = storage.properties.primaryEndpoints.table
var tableEndpointNoSlash = endsWith(tableEndpoint, '/') ? substring(tableEndpoint, 0, length(tableEndpoint) - 1) : tableEndpoint

// Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION / WEBSITE_RUN_FROM_PACKAGE
// as app settings: runtime and version live in functionAppConfig.runtime.
var appSettings = {
  // Functions host storage, identity-based (the account has shared keys disabled).
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId

  // Application Insights with Entra ID auth (local auth is disabled on the component).
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

  // Service Bus: the trigger binding (connection: BINDINGS.serviceBusConnection) and the app's sender.
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  REMEDIATION_QUEUE: remediationQueueName
  TENANT_RUN_QUEUE: tenantRunQueueName

  // Many tenants (README, "Many tenants"). Empty = one tenant, the deployment's own.
  TENANTS: tenants
  TENANT_CONCURRENCY: string(tenantConcurrency)

  // Timer schedules (%POLL_SCHEDULE%, %COMPLIANCE_SCHEDULE%).
  POLL_SCHEDULE: pollSchedule
  COMPLIANCE_SCHEDULE: complianceSchedule

  // Graph: managed identity token for https://graph.microsoft.com/.default; or (multiTenant) the multi-tenant app,
  // whose credential is that identity's token (federated identity credential). An empty setting counts as unset.
  // AZURE_CLIENT_ID is the app, not the identity: everything that authenticates as the identity names it
  // explicitly (MANAGED_IDENTITY_CLIENT_ID, the __clientId settings), so nothing reads AZURE_CLIENT_ID for it.
  GRAPH_AUTH: graphAuth
  AZURE_CLIENT_ID: multiTenantAppId
  AZURE_TENANT_ID: multiTenantHomeTenantId
  MANAGED_IDENTITY_CLIENT_ID: identityClientId
  TENANT_NAME: tenantName
  // Per-instance share of Intune's 100 writes / 20 s per app, so all instances together stay under it.
  GRAPH_WRITE_BUDGET: graphWriteBudget

  // The app's tables, identity-based.
  STORAGE_TABLE_ENDPOINT: tableEndpointNoSlash
  TABLE_PREFIX: tablePrefix

  // Remediation policy: plan (dry run) until an operator switches actions to enforce one at a time.
  REMEDIATION_MODE: remediationMode
  REMEDIATION_ACTION_MODES: remediationActionModes
  DEVICE_PREP_GROUPS: devicePrepGroupsJson

  // Alerts. Empty = channel off. Values may be Key Vault references, resolved with the identity.
  TEAMS_WORKFLOW_URL: teamsWorkflowUrl
  TEAMS_MIN_SEVERITY: teamsMinSeverity
  WEBHOOK_URL: webhookUrl
  WEBHOOK_SECRET: webhookSecret
  WEBHOOK_MIN_SEVERITY: webhookMinSeverity

  // Approval review links (README, "Approving destructive fixes"). Empty = requests are recorded without a link.
  APPROVAL_SIGNING_KEY: approvalSigningKey
  APPROVAL_BASE_URL: approvalBaseUrl

  LOG_LEVEL: logLevel
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: appServicePlanId
    httpsOnly: true
    // Key Vault references in app settings (alert URLs, webhook secret) resolve with this identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }

  // Deployments go through Entra ID (azd / az functionapp deploy), never publishing passwords.
  resource ftpBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
