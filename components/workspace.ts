import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as storage from "@pulumi/azure-native/storage";
import * as time from "@pulumiverse/time";
import { storageIpRule } from "../config/rules";
import type { Environment } from "../config/schema";
import { STORAGE_SERVICE_METRICS, diagnosticSetting } from "./diagnostics";
import { deterministicGuid, generationSuffix, names } from "./naming";
import { linkToPrivateLinkScope, monitorNetworkAccess, type PrivateLinkScopeRef } from "./monitorPrivateLink";
import { privateEndpoint } from "./privateEndpoint";
import { BUILTIN_ROLES, roleDefinitionId } from "./roles";

export interface MlWorkspaceArgs {
  project: string;
  environment: Environment;
  description?: string;
  location: string;
  subscriptionId: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  storageAccountName: pulumi.Input<string>;
  /** ARM id of the project's vault: the workspace keeps its connection secrets there. */
  keyVaultId: pulumi.Input<string>;
  logAnalyticsWorkspaceId: pulumi.Input<string>;
  /** The project's user-assigned identity for compute clusters and jobs. */
  workloadIdentity: { id: pulumi.Input<string>; principalId: pulumi.Input<string> };
  /**
   * Customer-managed encryption (opt-in): the versionless key URI in the project's vault. The workload identity
   * unwraps it, so it is attached to the workspace; `dependsOn` holds the grant that must exist first.
   */
  customerManagedKey?: { keyUri: pulumi.Input<string>; dependsOn: pulumi.CustomResource[] };
  allowedIpRanges: string[];
  privateEndpointSubnetId?: string;
  privateDnsZoneIds: { amlworkspace?: string; notebooks?: string; blob?: string; file?: string };
  nameSeed: string;
  /** The network's Azure Monitor Private Link Scope: App Insights is linked into it; prod closes public ingestion. */
  monitorPrivateLinkScope?: PrivateLinkScopeRef;
  /** The project's generation: from 2 on, a new workspace name (and new names for its role assignments). */
  generation: number;
  tags: Record<string, string>;
}

/**
 * How long the first create waits after the workspace identity's key grants exist. ARM returns a role assignment
 * before it is enforced ("it can take up to 10 minutes for changes to take effect", Azure RBAC troubleshooting);
 * a workspace created in that gap cannot wrap its key and fails. Three minutes covers the usual propagation; the
 * wait happens once, on create (and when the grants are replaced), never on later updates.
 */
export const KEY_ACCESS_PROPAGATION = "180s";

/** Name of the managed network's outbound rule to the Azure Monitor Private Link Scope. */
export const MONITOR_OUTBOUND_RULE = "azure-monitor-private-link";

/**
 * "Application Insights (Through PrivateLinkScopes)" is a supported private endpoint target of a managed network
 * (Azure ML, how-to-managed-network.md); the scope's sub-resource is `azuremonitor` (Azure Monitor,
 * private-link-configure.md). Without it, prod jobs' telemetry would meet App Insights' closed public ingestion.
 */
function monitorOutboundRule(scope: PrivateLinkScopeRef) {
  return {
    type: "PrivateEndpoint" as const,
    category: "UserDefined",
    destination: { serviceResourceId: scope.id, subresourceTarget: "azuremonitor", sparkEnabled: false },
  };
}

function keyAccessPropagation(name: string, grants: pulumi.CustomResource[], parent: pulumi.Resource): time.Sleep {
  return new time.Sleep(`${name}-key-access-propagation`, {
    createDuration: KEY_ACCESS_PROPAGATION,
    // New grants (e.g. a replaced identity) wait again.
    triggers: pulumi.all(grants.map((g) => g.id)).apply((ids) => ({ grants: ids.join(",") })),
  }, { parent, dependsOn: grants });
}


/**
 * The Azure ML workspace with its hardened storage account and workspace-based Application Insights. Storage:
 * HTTPS only, TLS 1.2, no anonymous blob access, no shared keys (datastores authenticate by identity), no
 * cross-tenant replication, infrastructure encryption, default-deny firewall. Prod: no public access, managed
 * network that allows only approved outbound, private endpoints for workspace and storage.
 */
export class MlWorkspace extends pulumi.ComponentResource {
  readonly workspace: machinelearningservices.Workspace;
  readonly storageAccount: storage.StorageAccount;
  readonly name: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;

  constructor(name: string, args: MlWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:MlWorkspace", name, {}, opts);
    const prod = args.environment === "prod";
    const parent = { parent: this };
    // Prod closes App Insights' public ingestion: managed computes and endpoints then reach it only through a
    // private endpoint from the managed network to the scope.
    const closedMonitoring = prod && !!args.monitorPrivateLinkScope;

    this.storageAccount = new storage.StorageAccount(`${name}-storage`, {
      accountName: args.storageAccountName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      kind: "StorageV2",
      sku: { name: prod ? "Standard_ZRS" : "Standard_LRS" },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      publicNetworkAccess: prod ? "Disabled" : "Enabled",
      networkRuleSet: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: prod ? [] : args.allowedIpRanges.map((range) => ({ iPAddressOrRange: storageIpRule(range), action: "Allow" })),
      },
      encryption: {
        keySource: "Microsoft.Storage",
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: "Account" }, file: { enabled: true, keyType: "Account" } },
      },
      tags: args.tags,
    }, parent);

    const appInsights = new applicationinsights.Component(`${name}-appinsights`, {
      resourceName: names.appInsights(args.project, args.environment),
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      kind: "web",
      applicationType: "web",
      ingestionMode: "LogAnalytics",
      workspaceResourceId: args.logAnalyticsWorkspaceId,
      disableLocalAuth: true,
      ...monitorNetworkAccess(prod && !!args.monitorPrivateLinkScope),
      tags: args.tags,
    }, parent);
    if (args.monitorPrivateLinkScope) {
      linkToPrivateLinkScope(`${name}-appinsights-private-link`, {
        scope: args.monitorPrivateLinkScope,
        linkedResourceId: appInsights.id,
        name: names.privateLinkScoped("appi", args.project, args.environment),
      }, parent);
    }

    this.workspace = new machinelearningservices.Workspace(`${name}-workspace`, {
      workspaceName: names.workspace(args.project, args.environment, args.generation),
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      friendlyName: `${args.project} (${args.environment})`,
      description: args.description,
      kind: "Default",
      sku: { name: "Basic", tier: "Basic" },
      identity: args.customerManagedKey
        ? { type: "SystemAssigned,UserAssigned", userAssignedIdentities: [args.workloadIdentity.id] }
        : { type: "SystemAssigned" },
      ...(args.customerManagedKey ? {
        encryption: {
          status: "Enabled",
          identity: { userAssignedIdentity: args.workloadIdentity.id },
          keyVaultProperties: { keyVaultArmId: args.keyVaultId, keyIdentifier: args.customerManagedKey.keyUri },
        },
      } : {}),
      keyVault: args.keyVaultId,
      storageAccount: this.storageAccount.id,
      applicationInsights: appInsights.id,
      systemDatastoresAuthMode: "Identity",
      publicNetworkAccess: prod ? "Disabled" : "Enabled",
      managedNetwork: {
        isolationMode: prod ? "AllowOnlyApprovedOutbound" : "AllowInternetOutbound",
        ...(closedMonitoring ? { outboundRules: { [MONITOR_OUTBOUND_RULE]: monitorOutboundRule(args.monitorPrivateLinkScope!) } } : {}),
      },
      hbiWorkspace: prod,
      enableDataIsolation: true,
      tags: args.tags,
    }, { parent: this, dependsOn: args.customerManagedKey ? [keyAccessPropagation(name, args.customerManagedKey.dependsOn, this)] : [] });

    diagnosticSetting(`${name}-workspace-diagnostics`, { resourceUri: this.workspace.id, workspaceId: args.logAnalyticsWorkspaceId }, parent);
    diagnosticSetting(`${name}-blob-diagnostics`, {
      resourceUri: pulumi.interpolate`${this.storageAccount.id}/blobServices/default`,
      workspaceId: args.logAnalyticsWorkspaceId,
      metricCategories: [...STORAGE_SERVICE_METRICS],
    }, parent);

    this.grantWorkloadAccess(name, args, appInsights);
    if (closedMonitoring) this.approveMonitorEndpoint(name, args);

    if (args.privateEndpointSubnetId) {
      const endpoint = (target: string, targetId: pulumi.Input<string>, groupId: string, zones: (string | undefined)[]) =>
        privateEndpoint(`${name}-${target}-pe`, {
          // The workspace's endpoint follows its generation: an endpoint's target cannot be moved to a new workspace.
          name: names.privateEndpoint(target, args.project, args.environment) + (target === "mlw" ? generationSuffix(args.generation, "-") : ""),
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          subnetId: args.privateEndpointSubnetId!,
          targetId,
          groupId,
          dnsZoneIds: zones.filter((z): z is string => !!z),
          tags: args.tags,
        }, parent);
      endpoint("mlw", this.workspace.id, "amlworkspace", [args.privateDnsZoneIds.amlworkspace, args.privateDnsZoneIds.notebooks]);
      endpoint("blob", this.storageAccount.id, "blob", [args.privateDnsZoneIds.blob]);
      endpoint("file", this.storageAccount.id, "file", [args.privateDnsZoneIds.file]);
    }

    this.name = this.workspace.name;
    this.principalId = this.workspace.identity.apply((i) => i?.principalId ?? "");
    this.registerOutputs({ name: this.name });
  }

  /**
   * Shared keys are off, so jobs reach storage by identity. The workspace's own system-assigned identity gets its
   * storage and vault permissions from Azure ML at creation ("managed by Microsoft"); mlvault grants only the
   * workload identity, data-plane roles scoped to single resources (sources: docs/identity-roles.md).
   */
  /**
   * The managed network's private endpoint to the scope needs approving on the scope, which the workspace does not
   * own: since April 2025 its managed identity must hold Azure AI Enterprise Network Connection Approver there
   * (Azure ML, "Managed virtual network isolation": required permissions for private endpoint outbound rules).
   */
  private approveMonitorEndpoint(name: string, args: MlWorkspaceArgs): void {
    new authorization.RoleAssignment(`${name}-monitor-endpoint-approver`, {
      roleAssignmentName: deterministicGuid(args.nameSeed + generationSuffix(args.generation), "ampls", "network-connection-approver"),
      scope: args.monitorPrivateLinkScope!.id,
      principalId: this.workspace.identity.apply((i) => i?.principalId ?? ""),
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.output(args.subscriptionId).apply((s) => roleDefinitionId(s, BUILTIN_ROLES.azureAIEnterpriseNetworkConnectionApprover)),
      description: "mlvault: the workspace's managed network approves its private endpoint to the Azure Monitor Private Link Scope",
    }, { parent: this });
  }

  private grantWorkloadAccess(name: string, args: MlWorkspaceArgs, appInsights: applicationinsights.Component): void {
    const roleId = (role: string) => pulumi.output(args.subscriptionId).apply((s) => roleDefinitionId(s, role));
    new authorization.RoleAssignment(`${name}-storage-workload-blob`, {
      roleAssignmentName: deterministicGuid(args.nameSeed, "storage", "workload-blob"),
      scope: this.storageAccount.id,
      principalId: args.workloadIdentity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleId(BUILTIN_ROLES.storageBlobDataContributor),
      description: "mlvault: jobs read inputs and write outputs, MLflow artifacts and models",
    }, { parent: this });
    new authorization.RoleAssignment(`${name}-workload-data-scientist`, {
      roleAssignmentName: deterministicGuid(args.nameSeed + generationSuffix(args.generation), "workspace", "workload-data-scientist"),
      scope: this.workspace.id,
      principalId: args.workloadIdentity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleId(BUILTIN_ROLES.azureMLDataScientist),
      description: "mlvault: jobs log metrics (MLflow), use datastores and register models through the workspace API",
    }, { parent: this });
    // The component takes Entra-authenticated telemetry only (disableLocalAuth): without this role on it, jobs' and
    // endpoints' telemetry is rejected ("Microsoft Entra authentication for Application Insights": "add the
    // Monitoring Metrics Publisher role ... by setting the target Application Insights resource as the role scope").
    new authorization.RoleAssignment(`${name}-workload-telemetry`, {
      roleAssignmentName: deterministicGuid(args.nameSeed, "appinsights", "workload-telemetry"),
      scope: appInsights.id,
      principalId: args.workloadIdentity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleId(BUILTIN_ROLES.monitoringMetricsPublisher),
      description: "mlvault: jobs and endpoints send telemetry to Application Insights (Entra-only ingestion)",
    }, { parent: this });
  }
}
