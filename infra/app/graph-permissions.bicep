// Microsoft Graph application permissions for the managed identity: Entra app-role assignments
// (Microsoft.Graph/appRoleAssignedTo), NOT Azure RBAC role assignments.
//
// The list is shared/core/permissions/graph-permissions.json, the same file the app's health check reads
// (shared/core/permissions/index.ts) and infra/scripts/grant-graph-permissions.sh grants from.
//
// The identity that runs the deployment needs AppRoleAssignment.ReadWrite.All + Application.Read.All, i.e.
// a Privileged Role Administrator (or Global Administrator) for a user. Without them, set
// grantGraphPermissions=false and let such an admin run the script.

extension microsoftGraphV1

@description('Object id (principalId) of the managed identity\'s service principal.')
param principalId string

@description('Tiers of the list to grant (requiredFor): read, report, remediate.')
param tiers array = [
  'read'
  'report'
  'remediate'
]

var permissionList = loadJsonContent('../../shared/core/permissions/graph-permissions.json')
var selected = filter(permissionList, p => contains(tiers, p.requiredFor))

// Microsoft Graph's service principal in this tenant (well-known appId).
resource microsoftGraph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: '00000003-0000-0000-c000-000000000000'
}

// appRoleId from the list when known, otherwise resolved by value from Graph's own appRoles.
// An assignment is identified by (principal, resource, app role), so redeploying is idempotent.
resource appRoleAssignments 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [
  for p in selected: {
    principalId: principalId
    resourceId: microsoftGraph.id
    appRoleId: p.appRoleId ?? filter(microsoftGraph.appRoles, r => r.value == p.permission)[0].id
  }
]

output grantedPermissions array = [for p in selected: p.permission]
