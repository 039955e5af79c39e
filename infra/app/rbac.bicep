// Azure RBAC for the function app's user-assigned identity. Least privilege, deterministic names:
// guid(scope, principalId, roleDefinitionId) so a redeploy updates in place instead of failing on a duplicate.
//
// Not granted, on purpose:
// - Storage Queue Data Contributor: no queue triggers/bindings and no Durable Functions; the Functions host on
//   Flex Consumption needs blobs (leases, deployment package) and nothing from storage queues.
// - Azure Service Bus Data Owner: a consumer needs Receive and a producer Send, both on one queue. Without
//   Manage rights the scale controller cannot read the exact queue length and scales on message presence
//   instead; with maxConcurrentCalls 2 and the poll spreading a run's writes over time (scheduled messages, see
//   shared/core/governor/write-pacing.ts), that is what we want anyway.

param principalId string
param storageAccountName string
param serviceBusNamespaceName string
param queueName string
param tenantRunQueueName string
param applicationInsightsName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource queue 'queues' existing = {
    name: queueName
  }

  resource tenantRunQueue 'queues' existing = {
    name: tenantRunQueueName
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Host storage: timer leases and host locks (AzureWebJobsStorage) and the Flex deployment container.
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The app's tables (history, findings, claims, governor, ...), created on first use.
resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The timers send one tenant-run message per tenant; the tenantRun trigger receives them. Scoped to that queue.
resource tenantRunSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::tenantRunQueue.id, principalId, roles.serviceBusDataSender)
  scope: namespace::tenantRunQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource tenantRunReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::tenantRunQueue.id, principalId, roles.serviceBusDataReceiver)
  scope: namespace::tenantRunQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Poll enqueues (and schedules deferred syncs); scoped to the one queue, not the namespace.
resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::queue.id, principalId, roles.serviceBusDataSender)
  scope: namespace::queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The remediate trigger receives; scoped to the one queue (its dead-letter sub-queue is included).
resource queueReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::queue.id, principalId, roles.serviceBusDataReceiver)
  scope: namespace::queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// App Insights has local auth disabled: ingestion needs this role for the identity.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
