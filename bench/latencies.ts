/**
 * Provisioning latency per resource type, in seconds, for the simulated `pulumi up` (bench/criticalPath.ts).
 * Typical create times observed for azure-native / azuread in westeurope, rounded; they vary by region and load,
 * so the figures matter as ratios (what the critical path is made of), not as a promise of wall time.
 * Components, the stack and provider resources take no provisioning time (no cloud call).
 */
export interface Latency {
  seconds: number;
  why: string;
}

export const LATENCIES: Record<string, Latency> = {
  "azure-native:resources:ResourceGroup": { seconds: 3, why: "ARM PUT of a group is synchronous (~2-5 s)" },
  "azure-native:keyvault:Vault": { seconds: 20, why: "Key Vault create is a long-running operation, ~15-30 s" },
  "azure-native:keyvault:Secret": { seconds: 3, why: "data-plane-backed ARM PUT, ~2-4 s" },
  "azure-native:keyvault:Key": { seconds: 4, why: "HSM key create, ~3-5 s" },
  "azure-native:keyvault:AccessPolicy": { seconds: 8, why: "vault PATCH (access policies), ~5-10 s" },
  "azure-native:storage:StorageAccount": { seconds: 25, why: "storage account LRO, ~20-30 s" },
  "azure-native:machinelearningservices:Workspace": { seconds: 75, why: "ML workspace LRO, ~60-90 s (creates its own sub-resources)" },
  "azure-native:machinelearningservices:Compute": { seconds: 180, why: "compute cluster/instance, ~2-4 min" },
  "azure-native:applicationinsights:Component": { seconds: 8, why: "workspace-based App Insights, ~5-10 s" },
  "azure-native:operationalinsights:Workspace": { seconds: 15, why: "Log Analytics workspace LRO, ~10-20 s" },
  "azure-native:managedidentity:UserAssignedIdentity": { seconds: 4, why: "synchronous PUT, ~3-5 s" },
  "azure-native:authorization:RoleAssignment": { seconds: 5, why: "ARM PUT, ~3-6 s (the provider retries while a new principal replicates)" },
  "azure-native:authorization:RoleDefinition": { seconds: 5, why: "custom role PUT, ~3-6 s" },
  "azure-native:authorization:ManagementLockAtResourceLevel": { seconds: 3, why: "synchronous PUT, ~2-4 s" },
  "azure-native:authorization:ManagementLockByScope": { seconds: 3, why: "synchronous PUT, ~2-4 s" },
  "azure-native:network:PrivateEndpoint": { seconds: 40, why: "private endpoint + NIC LRO, ~30-60 s" },
  "azure-native:network:PrivateDnsZoneGroup": { seconds: 15, why: "DNS zone group LRO, ~10-20 s" },
  "azure-native:monitor:DiagnosticSetting": { seconds: 4, why: "synchronous PUT, ~3-5 s" },
  "azure-native:monitor:ActionGroup": { seconds: 5, why: "synchronous PUT, ~3-6 s" },
  "azure-native:monitor:ScheduledQueryRule": { seconds: 5, why: "synchronous PUT (validates the query), ~3-8 s" },
  "azure-native:monitor:ActivityLogAlert": { seconds: 4, why: "synchronous PUT, ~3-5 s" },
  "azure-native:monitor:PrivateLinkScopedResource": { seconds: 10, why: "AMPLS scoped resource PUT, ~5-15 s" },
  "time:index/sleep:Sleep": { seconds: 180, why: "the key-access propagation wait before a customer-managed-key workspace (KEY_ACCESS_PROPAGATION)" },
  "azure-native:security:Pricing": { seconds: 5, why: "subscription pricing PUT, ~3-8 s" },
  "azure-native:eventgrid:SystemTopic": { seconds: 15, why: "system topic LRO, ~10-20 s" },
  "azure-native:eventgrid:SystemTopicEventSubscription": { seconds: 12, why: "subscription LRO incl. endpoint validation, ~8-20 s" },
  "azuread:index/application:Application": { seconds: 3, why: "Microsoft Graph POST, ~2-4 s (plus replication wait)" },
  "azuread:index/servicePrincipal:ServicePrincipal": { seconds: 3, why: "Microsoft Graph POST, ~2-4 s" },
  "azuread:index/applicationPassword:ApplicationPassword": { seconds: 3, why: "Graph addPassword, ~2-4 s" },
  "azuread:index/servicePrincipalPassword:ServicePrincipalPassword": { seconds: 3, why: "Graph addPassword, ~2-4 s" },
  "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": { seconds: 3, why: "Graph POST, ~2-4 s" },
  "random:index/randomPassword:RandomPassword": { seconds: 0, why: "computed locally by the provider" },
  "random:index/randomString:RandomString": { seconds: 0, why: "computed locally by the provider" },
};

/** Custom resources of a type not listed above: an ordinary synchronous ARM PUT. */
export const DEFAULT_LATENCY: Latency = { seconds: 10, why: "unlisted type: assume an ordinary ARM PUT with a short LRO" };

/** Seconds to provision one resource: 0 for components, the stack and providers (nothing is created in the cloud). */
export function latencyOf(type: string, custom: boolean): number {
  if (!custom || type.startsWith("pulumi:providers:") || type === "pulumi:pulumi:Stack") return 0;
  return (LATENCIES[type] ?? DEFAULT_LATENCY).seconds;
}
