import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as security from "@pulumi/azure-native/security";
import type { Environment } from "../config/schema";
import { PlatformAlerts } from "./alerts";
import { linkToPrivateLinkScope, monitorNetworkAccess, type PrivateLinkScopeRef } from "./monitorPrivateLink";
import { names } from "./naming";

export interface PlatformArgs {
  environment: Environment;
  location: string;
  subscriptionId: pulumi.Input<string>;
  /** Days Log Analytics keeps data (30..730); every diagnostic setting and App Insights write here. */
  logRetentionDays: number;
  /**
   * Turn on Microsoft Defender for Key Vault (plan KeyVaults, Standard, sub-plan PerKeyVault) for the whole
   * subscription. It is a subscription-wide singleton: exactly one stack per subscription should own it, or two
   * stacks will fight over (and on destroy, switch off) the same plan.
   */
  manageDefender: boolean;
  /** Security alerts go to these addresses; no alerts when empty (dev may opt out; prod requires them). */
  alertEmails: string[];
  deniedAccessThreshold: number;
  /** Required with alertEmails (config validation enforces it). */
  runbookBaseUrl?: string;
  /** The network's Azure Monitor Private Link Scope: Log Analytics is linked into it; prod closes public ingestion. */
  monitorPrivateLinkScope?: PrivateLinkScopeRef;
  tags: Record<string, string>;
}

/** Per-stack shared resources: the environment's Log Analytics workspace and the Defender for Key Vault plan. */
export class Platform extends pulumi.ComponentResource {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
  readonly logAnalyticsWorkspaceName: pulumi.Output<string>;
  /** The environment's alert action group, when alert emails are configured. */
  readonly actionGroupId?: pulumi.Output<string>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:Platform", name, {}, opts);
    const parent = { parent: this };

    const rg = new resources.ResourceGroup(`${name}-rg`, {
      resourceGroupName: names.platformResourceGroup(args.environment),
      location: args.location,
      tags: args.tags,
    }, parent);

    const law = new operationalinsights.Workspace(`${name}-log-analytics`, {
      workspaceName: names.logAnalytics(args.environment),
      resourceGroupName: rg.name,
      location: args.location,
      sku: { name: "PerGB2018" },
      retentionInDays: args.logRetentionDays,
      features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
      ...monitorNetworkAccess(args.environment === "prod" && !!args.monitorPrivateLinkScope),
      tags: args.tags,
    }, { parent: this, protect: args.environment === "prod" });
    if (args.monitorPrivateLinkScope) {
      linkToPrivateLinkScope(`${name}-log-analytics-private-link`, {
        scope: args.monitorPrivateLinkScope,
        linkedResourceId: law.id,
        name: names.privateLinkScoped("log", "platform", args.environment),
      }, parent);
    }

    if (args.manageDefender) {
      new security.Pricing(`${name}-defender-keyvaults`, {
        scopeId: pulumi.interpolate`/subscriptions/${args.subscriptionId}`,
        pricingName: "KeyVaults",
        pricingTier: "Standard",
        subPlan: "PerKeyVault",
      }, parent);
    }

    if (args.alertEmails.length > 0 && args.runbookBaseUrl) {
      this.actionGroupId = new PlatformAlerts(`${name}-alerts`, {
        environment: args.environment,
        subscriptionId: args.subscriptionId,
        resourceGroupName: rg.name,
        location: args.location,
        logAnalyticsWorkspaceId: law.id,
        alertEmails: args.alertEmails,
        deniedAccessThreshold: args.deniedAccessThreshold,
        runbookBaseUrl: args.runbookBaseUrl,
        tags: args.tags,
      }, parent).actionGroupId;
    }

    this.resourceGroupName = rg.name;
    this.logAnalyticsWorkspaceId = law.id;
    this.logAnalyticsWorkspaceName = law.name;
    this.registerOutputs({ logAnalyticsWorkspaceId: law.id });
  }
}
