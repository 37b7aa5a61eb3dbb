import * as pulumi from "@pulumi/pulumi";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as monitor from "@pulumi/azure-native/monitor";
import type { Environment } from "../config/schema";
import { names } from "./naming";

export const RUNBOOKS = {
  incident: "incident-response.md",
  rotate: "rotate-secret.md",
  recover: "recover-soft-deleted.md",
  leak: "leaked-credential.md",
} as const;

export function runbookLink(base: string, file: string): string {
  return `${base.replace(/\/+$/, "")}/${file}`;
}

export interface PlatformAlertsArgs {
  environment: Environment;
  subscriptionId: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  logAnalyticsWorkspaceId: pulumi.Input<string>;
  alertEmails: string[];
  /** Denied (HTTP 403) requests per vault in 15 minutes that raise an alert. */
  deniedAccessThreshold: number;
  /** https URL of the runbooks folder (platform.alerts.runbookBaseUrl): every alert links its runbook there. */
  runbookBaseUrl: string;
  tags: Record<string, string>;
}

/**
 * The environment's security alerts, to one action group mailing platform.alertEmails (mean time to detect):
 * denied Key Vault requests above a threshold and secret/key deletions (log queries over the vaults' audit logs in
 * Log Analytics), and attempts to delete a vault or its lock (activity log). Each alert links its runbook.
 * Near-expiry and expiry events come per vault from Event Grid (VaultExpiryAlerts).
 */
export class PlatformAlerts extends pulumi.ComponentResource {
  readonly actionGroupId: pulumi.Output<string>;

  constructor(name: string, args: PlatformAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:PlatformAlerts", name, {}, opts);
    const parent = { parent: this };
    const runbook = (file: string) => runbookLink(args.runbookBaseUrl, file);

    const group = new monitor.ActionGroup(`${name}-action-group`, {
      actionGroupName: names.actionGroup(args.environment),
      groupShortName: `mlvault-${args.environment}`.slice(0, 12),
      resourceGroupName: args.resourceGroupName,
      location: "Global",
      enabled: true,
      emailReceivers: args.alertEmails.map((emailAddress, i) => ({ name: `email-${i}`, emailAddress, useCommonAlertSchema: true })),
      tags: args.tags,
    }, parent);
    this.actionGroupId = group.id;

    const logAlert = (key: string, spec: { description: string; query: string; threshold: number; severity: number; runbook: string }) =>
      new monitor.ScheduledQueryRule(`${name}-${key}`, {
        ruleName: `mlvault-${args.environment}-${key}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        description: `${spec.description} Runbook: ${runbook(spec.runbook)}`,
        displayName: `mlvault ${args.environment}: ${key}`,
        enabled: true,
        severity: spec.severity,
        scopes: [args.logAnalyticsWorkspaceId],
        evaluationFrequency: "PT5M",
        windowSize: "PT15M",
        criteria: {
          allOf: [{
            query: spec.query,
            timeAggregation: "Count",
            dimensions: [{ name: "_ResourceId", operator: "Include", values: ["*"] }],
            operator: "GreaterThan",
            threshold: spec.threshold,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          }],
        },
        autoMitigate: false,
        actions: { actionGroups: [group.id], customProperties: { runbook: runbook(spec.runbook) } },
        tags: args.tags,
      }, parent);

    logAlert("kv-denied-access", {
      description: "Key Vault requests denied (HTTP 403) above the threshold: probing, a revoked identity still trying, or a misconfigured job.",
      query: "AZKVAuditLogs | where HttpStatusCode == 403",
      threshold: args.deniedAccessThreshold,
      severity: 2,
      runbook: RUNBOOKS.incident,
    });
    logAlert("kv-deletions", {
      description: "A secret, key or certificate was deleted or purged.",
      query: 'AZKVAuditLogs | where OperationName in ("SecretDelete", "SecretPurge", "KeyDelete", "KeyPurge", "CertificateDelete", "CertificatePurge")',
      threshold: 0,
      severity: 1,
      runbook: RUNBOOKS.recover,
    });

    new monitor.ActivityLogAlert(`${name}-vault-deletion`, {
      activityLogAlertName: `mlvault-${args.environment}-vault-deletion`,
      resourceGroupName: args.resourceGroupName,
      location: "Global",
      description: `Someone tried to delete a Key Vault or a management lock. Runbook: ${runbook(RUNBOOKS.recover)}`,
      enabled: true,
      scopes: [pulumi.interpolate`/subscriptions/${args.subscriptionId}`],
      condition: {
        allOf: [
          { field: "category", equals: "Administrative" },
          { anyOf: [
            { field: "operationName", equals: "Microsoft.KeyVault/vaults/delete" },
            { field: "operationName", equals: "Microsoft.Authorization/locks/delete" },
          ] },
        ],
      },
      actions: { actionGroups: [{ actionGroupId: group.id, webhookProperties: { runbook: runbook(RUNBOOKS.recover) } }] },
      tags: args.tags,
    }, parent);

    this.registerOutputs({ actionGroupId: this.actionGroupId });
  }
}

export interface VaultExpiryAlertsArgs {
  vaultId: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  actionGroupId: pulumi.Input<string>;
  runbookBaseUrl: string;
  tags: Record<string, string>;
}

/** Key Vault's own near-expiry and expired events, through an Event Grid system topic, as Azure Monitor alerts. */
export class VaultExpiryAlerts extends pulumi.ComponentResource {
  constructor(name: string, args: VaultExpiryAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:VaultExpiryAlerts", name, {}, opts);
    const topic = new eventgrid.SystemTopic(`${name}-topic`, {
      systemTopicName: pulumi.interpolate`evgt-${args.vaultName}`,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      source: args.vaultId,
      topicType: "Microsoft.KeyVault.vaults",
      tags: args.tags,
    }, { parent: this });
    new eventgrid.SystemTopicEventSubscription(`${name}-expiry`, {
      eventSubscriptionName: "mlvault-expiry-alerts",
      systemTopicName: topic.name,
      resourceGroupName: args.resourceGroupName,
      // Azure Monitor alert destinations take CloudEvents 1.0 only.
      eventDeliverySchema: "CloudEventSchemaV1_0",
      filter: {
        includedEventTypes: [
          "Microsoft.KeyVault.SecretNearExpiry", "Microsoft.KeyVault.SecretExpired",
          "Microsoft.KeyVault.CertificateNearExpiry", "Microsoft.KeyVault.CertificateExpired",
          "Microsoft.KeyVault.KeyNearExpiry", "Microsoft.KeyVault.KeyExpired",
        ],
      },
      destination: {
        endpointType: "MonitorAlert",
        actionGroups: [args.actionGroupId],
        severity: "Sev2",
        description: `A secret, key or certificate is near expiry or expired. Runbook: ${runbookLink(args.runbookBaseUrl, RUNBOOKS.rotate)}`,
      },
    }, { parent: this });
    this.registerOutputs({});
  }
}
