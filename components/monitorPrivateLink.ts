import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { PRIVATE_LINK_SCOPE_ID } from "../config/rules";

/**
 * Azure Monitor Private Link Scope (AMPLS): how prod closes public ingestion to Log Analytics and Application
 * Insights. mlvault never creates the scope itself: "A virtual network can connect to only one AMPLS object", and a
 * second scope's DNS records override the first's and "break existing environments" (Azure Monitor private link
 * design, private-link-security.md). The network team owns the one scope; mlvault links its resources into it.
 */
export interface PrivateLinkScopeRef {
  /** The scope's ARM id as configured. */
  id: string;
  subscriptionId: string;
  resourceGroupName: string;
  scopeName: string;
  /**
   * A provider in the scope's subscription. The scoped resource is addressed by resource group and scope name only,
   * in its provider's subscription (PrivateLinkScopedResourceArgs has no subscription), and the network team's scope
   * often lives in a hub subscription.
   */
  provider?: pulumi.ProviderResource;
}

/** The parts of an AMPLS resource id, or undefined when it is not one (config validation uses the same pattern). */
export function parsePrivateLinkScopeId(id: string): PrivateLinkScopeRef | undefined {
  const m = PRIVATE_LINK_SCOPE_ID.exec(id);
  return m ? { id, subscriptionId: m[1].toLowerCase(), resourceGroupName: m[2], scopeName: m[3] } : undefined;
}

/**
 * Public network access of a Log Analytics workspace or Application Insights component. Ingestion closes in prod
 * once the resource is linked to the environment's AMPLS (resource logs from diagnostic settings travel "over a
 * secure private Microsoft channel and aren't controlled by these settings", so they keep arriving). Query stays
 * open on purpose, Entra-authenticated only: "Queries sent through the Resource Manager API can't use Azure Monitor
 * private links" (portal Logs, tools using ARM), and control MON-01 checks ingestion only. docs/deploying.md.
 */
export function monitorNetworkAccess(closeIngestion: boolean): { publicNetworkAccessForIngestion: string; publicNetworkAccessForQuery: string } {
  return { publicNetworkAccessForIngestion: closeIngestion ? "Disabled" : "Enabled", publicNetworkAccessForQuery: "Enabled" };
}

/** Links one Log Analytics workspace or App Insights component into the scope (a scoped resource in its group). */
export function linkToPrivateLinkScope(
  logicalName: string,
  args: { scope: PrivateLinkScopeRef; linkedResourceId: pulumi.Input<string>; name: string },
  opts: pulumi.CustomResourceOptions,
): monitor.PrivateLinkScopedResource {
  return new monitor.PrivateLinkScopedResource(logicalName, {
    resourceGroupName: args.scope.resourceGroupName,
    scopeName: args.scope.scopeName,
    name: args.name,
    linkedResourceId: args.linkedResourceId,
  }, { ...opts, provider: args.scope.provider });
}
