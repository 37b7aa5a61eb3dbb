import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";

export interface DiagnosticsArgs {
  /** ARM id of the resource whose logs are collected. */
  resourceUri: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Log category groups; `allLogs` includes `audit`. */
  categoryGroups?: string[];
  metrics?: boolean;
}

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
    metrics: args.metrics === false ? [] : [{ category: "AllMetrics", enabled: true }],
  }, opts);
}
