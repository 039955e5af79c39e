// Service Bus namespace + the remediation queue. Raw resources rather than the AVM module so every queue
// property that matters for correctness is visible (and checked by test/unit/infra/infra.test.ts).

param name string
param location string
param tags object

@description('Queue name; the app reads it from REMEDIATION_QUEUE and the trigger binds to %REMEDIATION_QUEUE%.')
param queueName string

@description('The many-tenant fan-out queue; the app reads it from TENANT_RUN_QUEUE and the tenantRun trigger binds to %TENANT_RUN_QUEUE%. Created for every deployment, so the trigger always has its queue.')
param tenantRunQueueName string

@description('Deliveries before dead-lettering. Each delivery already retries Graph 429/5xx inside the call (GRAPH_MAX_RETRIES), and claims make a redelivery safe; 5 rides out a short outage, then a person looks (dead-letter alert) instead of the queue burning the Intune write budget on a poison command. Redelivery after a failure is immediate (no backoff), so do not read 5 as "5 minutes".')
param maxDeliveryCount int = 5

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    // Standard: duplicate detection and scheduled messages are needed; Premium is not.
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true // no SAS keys: Entra ID (managed identity) only
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }

  resource queue 'queues' = {
    name: queueName
    properties: {
      // messageId = the command's idempotency key. Duplicate detection is a create-time setting.
      requiresDuplicateDetection: true
      // Longer than the 10-minute Autopilot sync window and several 5-minute polls, so a command that a
      // later poll derives again (same key) is dropped by the broker, not only by the claim table.
      duplicateDetectionHistoryTimeWindow: 'PT1H'
      // The Standard maximum. The host renews the lock up to maxAutoLockRenewalDuration (host.json, 10 min).
      lockDuration: 'PT5M'
      maxDeliveryCount: maxDeliveryCount
      // A command not processed within a day is stale (the next poll re-derives what still applies);
      // expired commands go to the dead-letter queue so the alert shows that the app stopped draining.
      defaultMessageTimeToLive: 'P1D'
      deadLetteringOnMessageExpiration: true
      requiresSession: false
      enablePartitioning: false
      enableBatchedOperations: true
      maxSizeInMegabytes: 1024
    }
  }

  // One message per tenant and scheduled run (functions/tenant-run.ts).
  resource tenantRunQueue 'queues' = {
    name: tenantRunQueueName
    properties: {
      // messageId = job|tenant|slot: a timer that fires twice for one slot sends nothing new.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT1H'
      // A full sweep of a large tenant runs for many minutes: the host renews the lock (host.json, 10 min).
      lockDuration: 'PT5M'
      // A failed run takes its slot in the tenant's run lock, so a redelivery finds it taken and completes.
      maxDeliveryCount: maxDeliveryCount
      // A tenant run not started within the hour is stale: the next scheduled run replaces it. Expired runs are
      // dropped, not dead-lettered (nothing to resubmit), and the tenant's run rows show the gap.
      defaultMessageTimeToLive: 'PT1H'
      deadLetteringOnMessageExpiration: false
      requiresSession: false
      enablePartitioning: false
      enableBatchedOperations: true
      maxSizeInMegabytes: 1024
    }
  }
}

output name string = namespace.name
output queueName string = namespace::queue.name
output tenantRunQueueName string = namespace::tenantRunQueue.name
// serviceBusEndpoint is https://<ns>.servicebus.windows.net:443/ (cloud-specific suffix): keep the host only.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
