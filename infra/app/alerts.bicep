// Dead-letter alert for the remediation queue. A dead-lettered command is a remediation that failed
// maxDeliveryCount times or expired unprocessed: a person has to look (docs/operations.md, Troubleshooting).

param namePrefix string
param actionGroupName string
param tags object
param serviceBusNamespaceName string
param queueName string

@description('Optional e-mail receiver; empty = no action group (the alert still shows in Azure Monitor).')
param alertEmailAddress string = ''

var actionGroupResourceId = resourceId('Microsoft.Insights/actionGroups', actionGroupName)

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmailAddress)) {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'apmedic' // at most 12 characters
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmailAddress
        useCommonAlertSchema: true
      }
    ]
  }
}

resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Remediation commands are in the dead-letter queue of ${queueName}. Read the dead-letter reason, fix the cause, then resubmit or purge.'
    severity: 2
    enabled: true
    scopes: [
      namespace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredRemediationCommands'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                queueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Average'
        }
      ]
    }
    actions: empty(alertEmailAddress) ? [] : [
      {
        actionGroupId: actionGroupResourceId
      }
    ]
  }
  dependsOn: [
    actionGroup
  ]
}
