targetScope = 'subscription'

// autopilot-medic on Azure Functions Flex Consumption, azd-compatible (layout of
// Azure-Samples/functions-quickstart-typescript-azd). Written by hand against the documented resource
// schemas and AVM module parameters; see docs/operations.md ("What was not verified").

// ---------------------------------------------------------------------------------------------
// azd environment
// ---------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; with the subscription and location it derives a unique token for resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty = rg-<environmentName>.')
param resourceGroupName string = ''

// ---------------------------------------------------------------------------------------------
// Application settings (names and defaults match shared/config/env-schema.ts; a test checks them)
// ---------------------------------------------------------------------------------------------

@description('Logical tenant name. It is part of every storage key and idempotency key: choose it once.')
@minLength(1)
param tenantName string = 'default'

@description('Service Bus queue that carries remediation commands (REMEDIATION_QUEUE).')
@minLength(1)
@maxLength(260)
param remediationQueueName string = 'remediation'

@description('Service Bus queue the timers fan out on with many tenants: one message per tenant and run (TENANT_RUN_QUEUE).')
@minLength(1)
@maxLength(260)
param tenantRunQueueName string = 'tenant-runs'

@description('Default mode for every action. Start in plan: record what would be done, write nothing to the tenant.')
@allowed([
  'off'
  'plan'
  'enforce'
])
param remediationMode string = 'plan'

@description('Per-action overrides, e.g. "autopilot-sync=enforce". Empty = every action uses remediationMode.')
param remediationActionModes string = ''

@description('The device-preparation groups the app may write to (the allowlist): [{"groupId":"<Entra group object id>","policyName":"<policy name>","policyId":"<policy id>"}]. With azd: azd env set DEVICE_PREP_GROUPS \'[...]\'. Checked fully by the app at start.')
param devicePrepGroups array = []

@description('NCRONTAB (six fields) for the incremental poll (POLL_SCHEDULE).')
param pollSchedule string = '0 */5 * * * *'

@description('NCRONTAB (six fields) for the daily compliance sweep (COMPLIANCE_SCHEDULE).')
param complianceSchedule string = '0 30 5 * * *'

@description('Prefix of the app\'s table names (TABLE_PREFIX).')
param tablePrefix string = 'apm'

@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

@secure()
@description('Teams Workflows webhook URL ("Post to a channel when a webhook request is received"). Prefer a Key Vault reference: @Microsoft.KeyVault(SecretUri=...).')
param teamsWorkflowUrl string = ''

@allowed([
  'info'
  'warning'
  'error'
  'critical'
])
param teamsMinSeverity string = 'warning'

@secure()
@description('Generic webhook URL for alerts; requires webhookSecret. Prefer a Key Vault reference.')
param webhookUrl string = ''

@secure()
@description('HMAC secret (16+ characters) that signs webhook payloads. Prefer a Key Vault reference.')
param webhookSecret string = ''

@secure()
@description('HMAC key (32+ characters) of the approval review links. Empty: approval requests carry no link (decide them with the CLI). Prefer a Key Vault reference.')
param approvalSigningKey string = ''

@description('The app\'s public address the review links start with, e.g. https://<app>.azurewebsites.net. Empty: no link.')
param approvalBaseUrl string = ''

@allowed([
  'info'
  'warning'
  'error'
  'critical'
])
param webhookMinSeverity string = 'info'

// ---------------------------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------------------------

@description('Node.js major version on Flex Consumption. Node 20 reached end of life on 2026-04-30 and is not offered.')
@allowed([
  '22'
  '24'
])
param nodeVersion string = '22'

@description('Flex Consumption instance memory; it also sets the instance CPU and the V8 heap. 2048 for tenants up to 300,000 devices, 512 up to about 100,000 (docs/operations.md, Instance memory and fleet size).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on instances for the whole app: the Flex Consumption default. The Graph write budget does not depend on it (see intuneWritesPer20Seconds).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Intune write limit per app per tenant (requests per 20 s), as GRAPH_WRITE_BUDGET. Writes run only in the queue function, 2 commands at a time per instance (host.json maxConcurrentCalls); the poll spreads each run\'s writing commands over this budget with scheduled messages, so the app stays within it however many instances Flex Consumption starts. Each instance also limits itself to it.')
@minValue(1)
param intuneWritesPer20Seconds int = 100

@description('Delivery attempts before a remediation command is dead-lettered.')
@minValue(1)
@maxValue(20)
param maxDeliveryCount int = 5

@description('Grant the Graph application permissions with the Microsoft Graph Bicep extension. Only for a deployer with AppRoleAssignment.ReadWrite.All + Application.Read.All (Privileged Role Administrator); otherwise the deployment fails. Off by default: the postprovision hook prints the list and the command, and runs it when the deployer holds the role.')
param grantGraphPermissions bool = false

@description('Which tiers of shared/core/permissions/graph-permissions.json to grant: read, report, remediate.')
param graphPermissionTiers array = [
  'read'
  'report'
  'remediate'
]

@description('Many tenants from one deployment: create a multi-tenant app registration whose only credential is the managed identity (federated identity credential, no secret), and run the app with GRAPH_AUTH=federated. Each customer tenant\'s admin then consents once (docs/tenant-consent.md). Needs a deployer with Application.ReadWrite.All. Off by default: the single-tenant deployment uses the managed identity directly.')
param multiTenant bool = false

@description('Display name of the multi-tenant app registration (shown on the consent prompt in customer tenants).')
@minLength(1)
@maxLength(120)
param multiTenantAppDisplayName string = 'autopilot-medic'

@secure()
@description('The customer tenants (TENANTS, README "Many tenants"): a JSON array of {"id","name","settings"}. Empty: one tenant, the deployment\'s own. Secure: per-tenant settings may carry webhook URLs and secrets.')
param tenants string = ''

@description('Tenants one instance runs at once when it runs them itself (TENANT_CONCURRENCY); with Service Bus, each tenant-run message is taken by whichever instance is free.')
@minValue(1)
@maxValue(64)
param tenantConcurrency int = 64

@description('Optional e-mail for the dead-letter alert; empty = the alert fires without an action group.')
param alertEmailAddress string = ''

// ---------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}medic-${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// One user-assigned identity for everything: host storage, tables, Service Bus, App Insights, Graph.
module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}medic-${resourceToken}'
    location: location
    tags: tags
  }
}

// Host storage (timer leases, deployment package) and the app's tables. Shared keys are off, so every
// client (host, app, deployment) authenticates with the identity.
module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    skuName: 'Standard_LRS'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [
        {
          name: deploymentStorageContainerName
        }
      ]
    }
    minimumTlsVersion: 'TLS1_2'
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'logAnalytics'
  scope: rg
  params: {
    name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'appInsights'
  scope: rg
  params: {
    name: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true // telemetry only with the identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'serviceBus'
  scope: rg
  params: {
    name: '${abbrs.serviceBusNamespaces}medic-${resourceToken}'
    location: location
    tags: tags
    queueName: remediationQueueName
    tenantRunQueueName: tenantRunQueueName
    maxDeliveryCount: maxDeliveryCount
  }
}

module appServicePlan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'appServicePlan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    tenantRunQueueName: serviceBus.outputs.tenantRunQueueName
    applicationInsightsName: monitoring.outputs.name
  }
}

// Optional (multiTenant): the multi-tenant app registration, its service principal in this tenant, and the federated
// identity credential that makes the function app's managed identity its credential.
module multiTenantApp 'app/multi-tenant-app.bicep' = if (multiTenant) {
  name: 'multiTenantApp'
  scope: rg
  params: {
    uniqueName: 'autopilot-medic-${resourceToken}'
    displayName: multiTenantAppDisplayName
    identityPrincipalId: identity.outputs.principalId
    tiers: graphPermissionTiers
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    appServicePlanId: appServicePlan.outputs.resourceId
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentStorageContainerName: deploymentStorageContainerName
    applicationInsightsName: monitoring.outputs.name
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    remediationQueueName: serviceBus.outputs.queueName
    tenantRunQueueName: serviceBus.outputs.tenantRunQueueName
    tenants: tenants
    tenantConcurrency: tenantConcurrency
    nodeVersion: nodeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    graphWriteBudget: '${intuneWritesPer20Seconds}/20'
    tenantName: tenantName
    tablePrefix: tablePrefix
    remediationMode: remediationMode
    remediationActionModes: remediationActionModes
    devicePrepGroupsJson: string(devicePrepGroups)
    pollSchedule: pollSchedule
    complianceSchedule: complianceSchedule
    logLevel: logLevel
    teamsWorkflowUrl: teamsWorkflowUrl
    teamsMinSeverity: teamsMinSeverity
    webhookUrl: webhookUrl
    webhookSecret: webhookSecret
    webhookMinSeverity: webhookMinSeverity
    approvalSigningKey: approvalSigningKey
    approvalBaseUrl: approvalBaseUrl
    graphAuth: multiTenant ? 'federated' : 'managed-identity'
    multiTenantAppId: multiTenant ? multiTenantApp.outputs.appId : ''
    // The home tenant; with many tenants, the app's tenant list names each customer tenant's id.
    multiTenantHomeTenantId: multiTenant ? tenant().tenantId : ''
  }
  // The host reads storage and Service Bus at its first start: grant the roles first.
  dependsOn: [
    rbac
  ]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: '${abbrs.insightsMetricAlerts}medic-${resourceToken}'
    actionGroupName: '${abbrs.insightsActionGroups}medic-${resourceToken}'
    tags: tags
    serviceBusNamespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    alertEmailAddress: alertEmailAddress
  }
}

// Entra app-role assignments (not Azure RBAC) from shared/core/permissions/graph-permissions.json.
module graphPermissions 'app/graph-permissions.bicep' = if (grantGraphPermissions) {
  name: 'graphPermissions'
  scope: rg
  params: {
    // Multi-tenant: Graph is called as the app, so the app's service principal holds the roles in this tenant.
    principalId: multiTenant ? multiTenantApp.outputs.servicePrincipalId : identity.outputs.principalId
    tiers: graphPermissionTiers
  }
}

// azd reads these into the environment (.azure/<env>/.env).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_URI string = functionApp.outputs.uri
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output REMEDIATION_QUEUE string = serviceBus.outputs.queueName
output TENANT_RUN_QUEUE string = serviceBus.outputs.tenantRunQueueName
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output GRAPH_PERMISSIONS_GRANTED_BY_BICEP bool = grantGraphPermissions
output GRAPH_PERMISSION_TIERS string = join(graphPermissionTiers, ',')
output MULTI_TENANT bool = multiTenant
output MULTI_TENANT_APP_ID string = multiTenant ? multiTenantApp.outputs.appId : ''
output MULTI_TENANT_APP_SP_ID string = multiTenant ? multiTenantApp.outputs.servicePrincipalId : ''
// Replace {tenantId} with a customer tenant's id; an admin of that tenant opens the link (docs/tenant-consent.md).
output ADMIN_CONSENT_URL_TEMPLATE string = multiTenant ? multiTenantApp.outputs.consentUrlTemplate : ''
