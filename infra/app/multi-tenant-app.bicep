// Many tenants from one deployment (multiTenant=true in main.bicep): ONE multi-tenant app registration whose only
// credential is a federated identity credential trusting the function app's managed identity. No client secret or
// certificate exists anywhere: the app exchanges the identity's token (audience api://AzureADTokenExchange) for a
// Graph token in each customer tenant that consented (GRAPH_AUTH=federated, shared/adapters/graph/credentials.ts).
//
// Microsoft Learn: "Configure an application to trust a managed identity",
// https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
// (issuer = the home tenant's authority /v2.0, subject = the identity's principal (object) id, audience
// api://AzureADTokenExchange; the app and the identity are in the same tenant, the app's service principal may be
// in others). Resource shapes: "Microsoft Graph Bicep resource reference" (applications, servicePrincipals,
// applications/federatedIdentityCredentials), https://learn.microsoft.com/graph/templates/reference/overview
//
// What Bicep cannot do: consent in a customer tenant. An admin of each customer tenant opens the admin-consent link
// (output consentUrlTemplate; docs/tenant-consent.md), which creates the app's service principal there and grants
// the application permissions listed in requiredResourceAccess.
//
// The deployer needs Application.ReadWrite.All (e.g. Application Administrator or Cloud Application Administrator).

extension microsoftGraphV1

@description('Immutable unique name of the app registration: redeploying updates the same app.')
param uniqueName string

@description('Display name shown on the consent prompt and under Enterprise applications in customer tenants.')
param displayName string

@description('Object (principal) id of the managed identity the app trusts.')
param identityPrincipalId string

@description('Tiers of shared/core/permissions/graph-permissions.json the app requests: read, report, remediate.')
param tiers array = [
  'read'
  'report'
  'remediate'
]

var permissionList = loadJsonContent('../../shared/core/permissions/graph-permissions.json')
var selected = filter(permissionList, p => contains(tiers, p.requiredFor))
var microsoftGraphAppId = '00000003-0000-0000-c000-000000000000'
// environment().authentication.loginEndpoint is https://login.microsoftonline.com/ in the public cloud.
var issuer = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

// Microsoft Graph's service principal in the home tenant (well-known appId): resolves a role id by value when the
// list has none, as graph-permissions.bicep does.
resource microsoftGraph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: microsoftGraphAppId
}

resource app 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMultipleOrgs'
  // Application permissions (type Role) from the ONE list: what the admin-consent prompt shows and grants.
  requiredResourceAccess: [
    {
      resourceAppId: microsoftGraphAppId
      resourceAccess: [
        for p in selected: {
          id: p.appRoleId ?? filter(microsoftGraph.appRoles, r => r.value == p.permission)[0].id
          type: 'Role'
        }
      ]
    }
  ]

  resource managedIdentityTrust 'federatedIdentityCredentials@v1.0' = {
    name: '${app.uniqueName}/function-app-managed-identity'
    description: 'The autopilot-medic function app\'s managed identity is this app\'s only credential (no secret).'
    issuer: issuer
    subject: identityPrincipalId
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

// The app's service principal in the home tenant (customer tenants get theirs from admin consent).
resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: app.appId
}

output appId string = app.appId
output servicePrincipalId string = servicePrincipal.id
output federatedIssuer string = issuer
@description('Replace {tenantId} with a customer tenant\'s id; an admin of that tenant opens the link.')
output consentUrlTemplate string = 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id=${app.appId}'
output requestedPermissions array = [for p in selected: p.permission]
