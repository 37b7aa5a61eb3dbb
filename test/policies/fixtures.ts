/**
 * Compliant baselines, shaped as the engine sends them: resource INPUTS (azure-native 3.x args after
 * the SDK's client-side defaults) and stack OUTPUTS (ARM read-back, no path parameters).
 */
export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
export const RG = `${SUB}/resourceGroups/rg-churn-prod`;
export const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv-churn-prod`;
export const WS_ID = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-churn-prod`;
export const LAW_ID = `${RG}/providers/Microsoft.OperationalInsights/workspaces/law-prod`;
export const EVAL = "2026-11-24T00:00:00Z";
export const EVAL_S = Date.parse(EVAL) / 1000;
export const DAY = 86_400;

export const TAGS = { environment: "prod", owner: "ml-platform@contoso.com", project: "churn", "managed-by": "mlvault" };

export function vaultProperties(): Record<string, any> {
  return {
    tenantId: "11111111-1111-1111-1111-111111111111",
    sku: { family: "A", name: "standard" },
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enablePurgeProtection: true,
    enableRbacAuthorization: true,
    enabledForDeployment: false,
    enabledForDiskEncryption: false,
    enabledForTemplateDeployment: false,
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: "203.0.113.0/24" }] },
  };
}

export function vaultInputs(): Record<string, any> {
  return { resourceGroupName: "rg-churn-prod", vaultName: "kv-churn-prod", location: "westeurope", tags: TAGS, properties: vaultProperties() };
}

export function vaultOutputs(id = VAULT_ID): Record<string, any> {
  return { id, name: id.split("/").pop(), type: "Microsoft.KeyVault/vaults", location: "westeurope", tags: TAGS,
    properties: { ...vaultProperties(), accessPolicies: [], vaultUri: "https://kv-churn-prod.vault.azure.net/", provisioningState: "Succeeded" } };
}

export const SECRET_VALUE = "Sup3r-S3cret-Value-do-not-print";

export function secretInputs(): Record<string, any> {
  return {
    resourceGroupName: "rg-churn-prod", vaultName: "kv-churn-prod", secretName: "sql-password", tags: TAGS,
    properties: { value: SECRET_VALUE, contentType: "password", attributes: { enabled: true, notBefore: EVAL_S, expires: EVAL_S + 180 * DAY } },
  };
}

export function keyInputs(): Record<string, any> {
  return {
    resourceGroupName: "rg-churn-prod", vaultName: "kv-churn-prod", keyName: "cmk", tags: TAGS,
    properties: {
      kty: "RSA", keySize: 3072,
      attributes: { enabled: true, expires: EVAL_S + 365 * DAY },
      rotationPolicy: { attributes: { expiryTime: "P1Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }] },
    },
  };
}

export function workspaceInputs(): Record<string, any> {
  return {
    resourceGroupName: "rg-churn-prod", workspaceName: "mlw-churn-prod", location: "westeurope", tags: TAGS,
    identity: { type: "SystemAssigned" },
    keyVault: VAULT_ID,
    publicNetworkAccess: "Disabled",
    systemDatastoresAuthMode: "Identity",
    managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" },
  };
}

export function workspaceOutputs(): Record<string, any> {
  const { resourceGroupName, workspaceName, ...rest } = workspaceInputs();
  return { ...rest, id: WS_ID, name: "mlw-churn-prod", type: "Microsoft.MachineLearningServices/workspaces", provisioningState: "Succeeded" };
}

export function storageInputs(): Record<string, any> {
  return {
    resourceGroupName: "rg-churn-prod", accountName: "stchurnprod", kind: "StorageV2", sku: { name: "Standard_ZRS" }, tags: TAGS,
    enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false, allowSharedKeyAccess: false,
    allowCrossTenantReplication: false, publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
    encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true },
  };
}

/** Outputs of a diagnostic setting on `targetId` (no resourceUri: ARM does not return it). */
export function diagnosticOutputs(targetId: string, logs: Record<string, unknown>[]): Record<string, any> {
  return { id: `${targetId}/providers/Microsoft.Insights/diagnosticSettings/to-law`, name: "to-law", type: "Microsoft.Insights/diagnosticSettings",
    workspaceId: LAW_ID, logs, metrics: [{ category: "AllMetrics", enabled: true }] };
}

export function privateEndpointOutputs(targetId: string, groupId: string): Record<string, any> {
  return { id: `${RG}/providers/Microsoft.Network/privateEndpoints/pe-${groupId}`, name: `pe-${groupId}`, type: "Microsoft.Network/privateEndpoints",
    privateLinkServiceConnections: [{ name: "conn", privateLinkServiceId: targetId, groupIds: [groupId] }],
    subnet: { id: `${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` } };
}

export function passwordInputs(): Record<string, any> {
  return { servicePrincipalId: "/servicePrincipals/22222222-2222-2222-2222-222222222222", displayName: "churn-ci",
    startDate: "2026-11-01T00:00:00Z", endDate: "2027-01-30T00:00:00Z", rotateWhenChanged: { window: "41" } };
}
