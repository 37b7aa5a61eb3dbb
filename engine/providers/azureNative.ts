import { OFFLINE_CLIENT, fakeGuid } from "./ids";
import { type ProviderModel, type ProviderModelInput, str, without } from "./model";

/**
 * azure-native 3.x read-back, per resource type: the ARM id, the ARM type, the path parameters ARM does not echo,
 * and the values the service computes. Types not listed fall back to a generic resource-group-scoped shape.
 */
interface ArmSpec {
  armType: string;
  /** The input naming the resource (becomes `name`). */
  nameParam: string;
  /** The name when no single input holds it. */
  nameOf?: (i: Record<string, unknown>) => string;
  /** Inputs that are URL path parameters: absent from the read-back. */
  pathParams: readonly string[];
  /** The id of what the resource lives under; default: its resource group. */
  parentId?: (i: Record<string, unknown>) => string;
  /** Segment(s) between the parent id and the name; default `providers/<armType>`. */
  segment?: string;
  computed?: (r: ProviderModelInput, id: string, name: string) => Record<string, unknown>;
}

const SUB = `/subscriptions/${OFFLINE_CLIENT.subscriptionId}`;
const rgId = (i: Record<string, unknown>) => `${SUB}/resourceGroups/${str(i, "resourceGroupName")}`;
const vaultId = (i: Record<string, unknown>) => `${rgId(i)}/providers/Microsoft.KeyVault/vaults/${str(i, "vaultName")}`;
const succeeded = { provisioningState: "Succeeded" };

const SPECS: Record<string, ArmSpec> = {
  "azure-native:resources:ResourceGroup": {
    armType: "Microsoft.Resources/resourceGroups", nameParam: "resourceGroupName", pathParams: ["resourceGroupName"],
    parentId: () => SUB, segment: "resourceGroups",
    computed: () => ({ properties: succeeded }),
  },
  "azure-native:keyvault:Vault": {
    armType: "Microsoft.KeyVault/vaults", nameParam: "vaultName", pathParams: ["resourceGroupName", "vaultName"],
    computed: (r, _id, name) => ({
      // azure-native sends `accessPolicies: []` on create when the program leaves it unset (pulumi-azure-native#2951).
      properties: { accessPolicies: [], ...(r.inputs.properties as object), vaultUri: `https://${name}.vault.azure.net/`, ...succeeded },
    }),
  },
  "azure-native:keyvault:Secret": {
    armType: "Microsoft.KeyVault/vaults/secrets", nameParam: "secretName", pathParams: ["resourceGroupName", "vaultName", "secretName"],
    parentId: vaultId, segment: "secrets",
    computed: (r, _id, name) => {
      const p = (r.inputs.properties ?? {}) as Record<string, unknown>;
      const vault = str(r.inputs, "vaultName");
      const version = fakeGuid(r.urn, "version").replace(/-/g, "");
      // ARM never returns a secret's value.
      return { properties: { ...without(p, ["value"]), secretUri: `https://${vault}.vault.azure.net/secrets/${name}`, secretUriWithVersion: `https://${vault}.vault.azure.net/secrets/${name}/${version}` } };
    },
  },
  "azure-native:keyvault:Key": {
    armType: "Microsoft.KeyVault/vaults/keys", nameParam: "keyName", pathParams: ["resourceGroupName", "vaultName", "keyName"],
    parentId: vaultId, segment: "keys",
    computed: (r, _id, name) => {
      const vault = str(r.inputs, "vaultName");
      const version = fakeGuid(r.urn, "version").replace(/-/g, "");
      // A key's read-back is flat: its properties sit at the top level beside keyUri / keyUriWithVersion.
      return { ...(r.inputs.properties as object), properties: undefined, keyUri: `https://${vault}.vault.azure.net/keys/${name}`, keyUriWithVersion: `https://${vault}.vault.azure.net/keys/${name}/${version}` };
    },
  },
  "azure-native:keyvault:AccessPolicy": {
    // azure-native's id for it: "<vault id>/accessPolicy/<objectId>" (custom_keyvault_accesspolicy.go).
    armType: "Microsoft.KeyVault/vaults/accessPolicies", nameParam: "", pathParams: ["resourceGroupName", "vaultName"],
    nameOf: (i) => str((i.policy ?? {}) as Record<string, unknown>, "objectId"),
    parentId: vaultId, segment: "accessPolicy",
  },
  "azure-native:monitor:DiagnosticSetting": {
    armType: "Microsoft.Insights/diagnosticSettings", nameParam: "name", pathParams: ["resourceUri"],
    parentId: (i) => str(i, "resourceUri"), segment: "providers/Microsoft.Insights/diagnosticSettings",
  },
  "azure-native:authorization:ManagementLockAtResourceLevel": {
    armType: "Microsoft.Authorization/locks", nameParam: "lockName",
    pathParams: ["resourceGroupName", "resourceProviderNamespace", "parentResourcePath", "resourceType", "resourceName", "lockName", "apiVersion"],
    parentId: (i) => `${rgId(i)}/providers/${str(i, "resourceProviderNamespace")}/${str(i, "parentResourcePath") ? str(i, "parentResourcePath") + "/" : ""}${str(i, "resourceType")}/${str(i, "resourceName")}`,
    segment: "providers/Microsoft.Authorization/locks",
  },
  "azure-native:authorization:ManagementLockByScope": {
    armType: "Microsoft.Authorization/locks", nameParam: "lockName", pathParams: ["scope", "lockName"],
    parentId: (i) => str(i, "scope"), segment: "providers/Microsoft.Authorization/locks",
  },
  "azure-native:authorization:RoleAssignment": {
    armType: "Microsoft.Authorization/roleAssignments", nameParam: "roleAssignmentName", pathParams: ["roleAssignmentName"],
    parentId: (i) => str(i, "scope"), segment: "providers/Microsoft.Authorization/roleAssignments",
    // ARM echoes `scope` inside the role assignment's properties, so it stays.
    computed: (r) => ({ scope: r.inputs.scope, createdOn: "2026-01-01T00:00:00Z" }),
  },
  "azure-native:authorization:RoleDefinition": {
    armType: "Microsoft.Authorization/roleDefinitions", nameParam: "roleDefinitionId", pathParams: ["scope", "roleDefinitionId"],
    parentId: (i) => str(i, "scope"), segment: "providers/Microsoft.Authorization/roleDefinitions",
  },
  "azure-native:security:Pricing": {
    armType: "Microsoft.Security/pricings", nameParam: "pricingName", pathParams: ["scopeId", "pricingName"],
    parentId: (i) => str(i, "scopeId"), segment: "providers/Microsoft.Security/pricings",
    computed: () => ({ freeTrialRemainingTime: "P30D", enablementTime: "2026-01-01T00:00:00Z" }),
  },
  "azure-native:operationalinsights:Workspace": {
    armType: "Microsoft.OperationalInsights/workspaces", nameParam: "workspaceName", pathParams: ["resourceGroupName", "workspaceName"],
    computed: (r) => ({ customerId: fakeGuid(r.urn, "customerId"), ...succeeded }),
  },
  "azure-native:storage:StorageAccount": {
    armType: "Microsoft.Storage/storageAccounts", nameParam: "accountName", pathParams: ["resourceGroupName", "accountName"],
    computed: (_r, _id, name) => ({
      primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/`, file: `https://${name}.file.core.windows.net/`, dfs: `https://${name}.dfs.core.windows.net/` },
      ...succeeded,
    }),
  },
  "azure-native:applicationinsights:Component": {
    armType: "Microsoft.Insights/components", nameParam: "resourceName", pathParams: ["resourceGroupName", "resourceName"],
    computed: (r) => ({ appId: fakeGuid(r.urn, "appId"), instrumentationKey: fakeGuid(r.urn, "ikey"), ...succeeded }),
  },
  "azure-native:machinelearningservices:Workspace": {
    armType: "Microsoft.MachineLearningServices/workspaces", nameParam: "workspaceName", pathParams: ["resourceGroupName", "workspaceName"],
    computed: (r) => ({
      identity: { ...(r.inputs.identity as object), principalId: fakeGuid(r.urn, "principalId"), tenantId: OFFLINE_CLIENT.tenantId },
      workspaceId: fakeGuid(r.urn, "workspaceId"),
      discoveryUrl: `https://${str(r.inputs, "location")}.api.azureml.ms/discovery`,
      ...succeeded,
    }),
  },
  "azure-native:machinelearningservices:Compute": {
    armType: "Microsoft.MachineLearningServices/workspaces/computes", nameParam: "computeName", pathParams: ["resourceGroupName", "workspaceName", "computeName"],
    parentId: (i) => `${rgId(i)}/providers/Microsoft.MachineLearningServices/workspaces/${str(i, "workspaceName")}`, segment: "computes",
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    armType: "Microsoft.ManagedIdentity/userAssignedIdentities", nameParam: "resourceName", pathParams: ["resourceGroupName", "resourceName"],
    computed: (r) => ({ clientId: fakeGuid(r.urn, "clientId"), principalId: fakeGuid(r.urn, "principalId"), tenantId: OFFLINE_CLIENT.tenantId }),
  },
  "azure-native:network:PrivateEndpoint": {
    armType: "Microsoft.Network/privateEndpoints", nameParam: "privateEndpointName", pathParams: ["resourceGroupName", "privateEndpointName"],
    computed: (r, id) => ({
      networkInterfaces: [{ id: `${id}.nic.${fakeGuid(r.urn, "nic").slice(0, 8)}` }],
      // Azure approves an automatic connection when the requester may; a manual one waits for the target's owner.
      ...withConnectionState(r.inputs, "privateLinkServiceConnections", "Approved"),
      ...withConnectionState(r.inputs, "manualPrivateLinkServiceConnections", "Pending"),
      ...succeeded,
    }),
  },
  "azure-native:network:PrivateDnsZoneGroup": {
    armType: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", nameParam: "privateDnsZoneGroupName",
    pathParams: ["resourceGroupName", "privateEndpointName", "privateDnsZoneGroupName"],
    parentId: (i) => `${rgId(i)}/providers/Microsoft.Network/privateEndpoints/${str(i, "privateEndpointName")}`, segment: "privateDnsZoneGroups",
  },
  "azure-native:monitor:PrivateLinkScopedResource": {
    armType: "Microsoft.Insights/privateLinkScopes/scopedResources", nameParam: "name", pathParams: ["resourceGroupName", "scopeName", "name"],
    parentId: (i) => `${rgId(i)}/providers/microsoft.insights/privateLinkScopes/${str(i, "scopeName")}`, segment: "scopedResources",
    computed: () => ({ provisioningState: "Succeeded" }),
  },
  "azure-native:monitor:ActionGroup": {
    armType: "Microsoft.Insights/actionGroups", nameParam: "actionGroupName", pathParams: ["resourceGroupName", "actionGroupName"],
  },
  "azure-native:monitor:ScheduledQueryRule": {
    armType: "Microsoft.Insights/scheduledQueryRules", nameParam: "ruleName", pathParams: ["resourceGroupName", "ruleName"],
  },
  "azure-native:monitor:ActivityLogAlert": {
    armType: "Microsoft.Insights/activityLogAlerts", nameParam: "activityLogAlertName", pathParams: ["resourceGroupName", "activityLogAlertName"],
  },
};

export const azureNativeModel: ProviderModel = (r) => {
  if (!r.type.startsWith("azure-native:")) return undefined;
  const spec = SPECS[r.type] ?? genericSpec(r);
  const name = spec.nameOf?.(r.inputs) || (spec.nameParam && str(r.inputs, spec.nameParam)) || r.name;
  const parent = (spec.parentId ?? rgId)(r.inputs);
  const id = `${parent}/${spec.segment ?? `providers/${spec.armType}`}/${name}`;
  const outputs = {
    ...without(r.inputs, spec.pathParams),
    id,
    name,
    type: spec.armType,
    azureApiVersion: "2024-01-01",
    ...(spec.computed ? spec.computed(r, id, name) : {}),
  };
  return { id, outputs };
};

/** The connections of `key` as Azure reads them back, with their approval state; nothing when the input is unset. */
function withConnectionState(inputs: Record<string, unknown>, key: string, status: string): Record<string, unknown> {
  const connections = inputs[key];
  if (!Array.isArray(connections)) return {};
  return { [key]: connections.map((c) => (c && typeof c === "object" ? { ...c, privateLinkServiceConnectionState: { status, actionsRequired: "None" } } : c)) };
}

/** Unknown azure-native types: resource-group scoped, name from the first `*Name` input other than the group's. */
function genericSpec(r: ProviderModelInput): ArmSpec {
  const [, mod, kind] = r.type.split(":");
  const nameParam = Object.keys(r.inputs).find((k) => k.endsWith("Name") && k !== "resourceGroupName") ?? "";
  return { armType: `Microsoft.${mod}/${kind}`, nameParam, pathParams: ["resourceGroupName", nameParam] };
}
