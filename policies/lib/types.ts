/**
 * Pulumi type tokens the pack checks (azure-native 3.x, azuread 6.x). Every token of a resource type counts: the
 * default-version token (`azure-native:keyvault:Vault`) and explicit API-version tokens from local SDKs
 * (`azure-native:keyvault/v20230701:Vault`, `azure-native:keyvault/v20240401preview:Vault`) are the same resource
 * to a control: compare through canonicalType. Out of scope: the classic `azure` provider (`azure:keyvault/…`),
 * `azapi`, and ARM templates deployed through `resources:Deployment`; the pack does not read them.
 */
const API_VERSION_TOKEN = /^azure-native:([A-Za-z0-9]+)\/v\d{8}(?:preview|privatepreview)?:(.+)$/;

/** The default-version token of any azure-native token; other tokens unchanged. */
export function canonicalType(token: string): string {
  const m = API_VERSION_TOKEN.exec(token);
  return m ? `azure-native:${m[1]}:${m[2]}` : token;
}

export function isType(token: string, expected: string): boolean {
  return canonicalType(token) === expected;
}

export const T = {
  vault: "azure-native:keyvault:Vault",
  accessPolicy: "azure-native:keyvault:AccessPolicy",
  secret: "azure-native:keyvault:Secret",
  key: "azure-native:keyvault:Key",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  pricing: "azure-native:security:Pricing",
  lockAtResource: "azure-native:authorization:ManagementLockAtResourceLevel",
  lockByScope: "azure-native:authorization:ManagementLockByScope",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  roleAssignmentScheduleRequest: "azure-native:authorization:RoleAssignmentScheduleRequest",
  roleEligibilityScheduleRequest: "azure-native:authorization:RoleEligibilityScheduleRequest",
  mlWorkspace: "azure-native:machinelearningservices:Workspace",
  mlCompute: "azure-native:machinelearningservices:Compute",
  storageAccount: "azure-native:storage:StorageAccount",
  appInsights: "azure-native:applicationinsights:Component",
  logAnalytics: "azure-native:operationalinsights:Workspace",
  spPassword: "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  appPassword: "azuread:index/applicationPassword:ApplicationPassword",
  application: "azuread:index/application:Application",
  logAnalyticsTable: "azure-native:operationalinsights:Table",
  appFederatedCredential: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  identityFederatedCredential: "azure-native:managedidentity:FederatedIdentityCredential",
} as const;
