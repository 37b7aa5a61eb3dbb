import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";

export interface DiagnosticsArgs {
  /** ARM id of the resource whose logs are collected. */
  resourceUri: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /**
   * Log category groups. Default `allLogs`, which already includes `audit` (sending both is redundant: the same
   * records twice, billed twice).
   */
  categoryGroups?: string[];
  /**
   * Metric categories the resource type supports. Default `AllMetrics` (Key Vault, ML workspaces). Storage has
   * no `AllMetrics`: Azure answers "Metric category 'AllMetrics' is not supported" (Azure/azure-powershell#6520,
   * Azure/terraform-azurerm-avm-res-storage-storageaccount#325). `[]` sends no metrics.
   */
  metricCategories?: string[];
}

/**
 * Metric categories sent for a storage service (blobServices/default): `Transaction` (requests, latency,
 * availability, errors). Its `Capacity` metrics are hourly and, but for ContainerCount, not exportable through
 * diagnostic settings (Azure Monitor supported-metrics reference for blobServices): not worth a second category.
 */
export const STORAGE_SERVICE_METRICS = ["Transaction"] as const;

/**
 * One diagnostic setting sending a resource's logs and metrics to Log Analytics, in resource-specific tables
 * (`Dedicated`: AZKVAuditLogs, AmlComputeJobEvent, StorageBlobLogs…), which the alert queries read.
 */
export function diagnosticSetting(name: string, args: DiagnosticsArgs, opts: pulumi.CustomResourceOptions): monitor.DiagnosticSetting {
  return new monitor.DiagnosticSetting(name, {
    name: "to-log-analytics",
    resourceUri: args.resourceUri,
    workspaceId: args.workspaceId,
    logAnalyticsDestinationType: "Dedicated",
    logs: (args.categoryGroups ?? ["allLogs"]).map((categoryGroup) => ({ categoryGroup, enabled: true })),
    metrics: (args.metricCategories ?? ["AllMetrics"]).map((category) => ({ category, enabled: true })),
  }, opts);
}
