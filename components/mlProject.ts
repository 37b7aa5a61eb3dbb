import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as resources from "@pulumi/azure-native/resources";
import type { Environment, PlatformConfig, Principal, ProjectConfig } from "../config/schema";
import { VaultExpiryAlerts } from "./alerts";
import { ProjectIdentity, CLIENT_SECRET_NAME } from "./identity";
import { KeyVault } from "./keyVault";
import type { PrivateLinkScopeRef } from "./monitorPrivateLink";
import { generationSuffix, names, storageAccountName, vaultName } from "./naming";
import { ProjectSecrets } from "./secrets";
import { tagsFor } from "./tags";
import { VaultAccess, type PrincipalType, type VaultGrant } from "./vaultAccess";
import { MlWorkspace } from "./workspace";
import { WorkspaceKey } from "./workspaceKey";

export interface MlProjectArgs {
  project: ProjectConfig;
  environment: Environment;
  location: string;
  platform: PlatformConfig;
  subscriptionId: string;
  tenantId: pulumi.Input<string>;
  logAnalyticsWorkspaceId: pulumi.Input<string>;
  /** The environment's alert action group: the vault's expiry events go there. */
  actionGroupId?: pulumi.Input<string>;
  /** Plaintext values of this project's `source: config` secrets, by secret name. */
  secretValues: Record<string, string>;
  now: Date;
  /** The network's Azure Monitor Private Link Scope, parsed from platform.network.monitorPrivateLinkScopeId. */
  monitorPrivateLinkScope?: PrivateLinkScopeRef;
}

/** What the platform team and the project's developers get back (never a secret value). */
export interface MlProjectOutputs {
  resourceGroup: pulumi.Output<string>;
  vaultName: pulumi.Output<string>;
  vaultUri: pulumi.Output<string>;
  secrets: Record<string, { uri: pulumi.Output<string>; version: pulumi.Output<string>; contentType: string; expiresOn: string; source: string }>;
  workspaceName: pulumi.Output<string>;
  servicePrincipalClientId: pulumi.Output<string>;
  workloadIdentityClientId: pulumi.Output<string>;
  tenantId: pulumi.Output<string>;
}

/** One ML project: resource group, vault, access, secrets, identities and workspace, under one parent. */
export class MlProject extends pulumi.ComponentResource {
  readonly outputs: MlProjectOutputs;

  constructor(name: string, args: MlProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:MlProject", name, {}, opts);
    const { project: p, environment: env, location, platform } = args;
    const tags = tagsFor(env, p.name, platform.owner);
    const nameContext = { subscriptionId: args.subscriptionId, project: p.name, environment: env, generation: p.generation };
    const nameSeed = `${args.subscriptionId}/${env}/${p.name}`;
    // Role assignment names are tenant-unique GUIDs: grants on a renewed vault or workspace need new ones (the old
    // ones still exist while the new ones are created); grants on unchanged scopes keep theirs.
    const generationSeed = nameSeed + generationSuffix(p.generation);
    const child = { parent: this };
    const cmk = p.encryption === "customerManaged";

    const rg = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: names.resourceGroup(p.name, env), location, tags }, child);

    const kv = new KeyVault(`${name}-keyvault`, {
      environment: env,
      vaultName: vaultName(nameContext),
      resourceGroupName: rg.name,
      location,
      tenantId: args.tenantId,
      accessModel: platform.vaultAccessModel,
      allowedIpRanges: platform.network.allowedIpRanges,
      privateEndpointSubnetId: platform.network.privateEndpointSubnetId,
      privateDnsZoneId: platform.network.privateDnsZoneIds.vault,
      logAnalyticsWorkspaceId: args.logAnalyticsWorkspaceId,
      sku: cmk ? "premium" : "standard",
      holdsEncryptionKey: cmk,
      tags,
    }, child);

    if (args.actionGroupId && platform.alerts.runbookBaseUrl) {
      new VaultExpiryAlerts(`${name}-expiry-alerts`, {
        vaultId: kv.id,
        vaultName: kv.name,
        resourceGroupName: rg.name,
        location,
        actionGroupId: args.actionGroupId,
        runbookBaseUrl: platform.alerts.runbookBaseUrl,
        tags,
      }, child);
    }

    const identity = new ProjectIdentity(`${name}-identity`, {
      project: p.name,
      environment: env,
      description: p.description,
      location,
      resourceGroupName: rg.name,
      vaultName: kv.name,
      passwordLifetimeDays: p.servicePrincipal.passwordLifetimeDays,
      federatedCredentials: p.servicePrincipal.federatedCredentials,
      now: args.now,
      tags,
    }, child);

    const key = cmk
      ? new WorkspaceKey(`${name}-cmk`, { resourceGroupName: rg.name, vaultName: kv.name, now: args.now, tags }, child)
      : undefined;

    const access = new VaultAccess(`${name}-access`, {
      accessModel: platform.vaultAccessModel,
      subscriptionId: args.subscriptionId,
      tenantId: args.tenantId,
      vaultId: kv.id,
      vaultName: kv.name,
      resourceGroupName: rg.name,
      resourceGroupId: rg.id,
      nameSeed,
      assignmentSeed: generationSeed,
      grants: [
        ...p.readers.map((r) => personaGrant(r, "read")),
        ...p.operators.map((o) => personaGrant(o, "manage")),
        { key: "service-principal", principalId: identity.servicePrincipal.objectId, principalType: "ServicePrincipal", access: "read" },
        { key: WORKLOAD_GRANT, principalId: identity.workloadIdentity.principalId, principalType: "ServicePrincipal", access: "read", keyEncryption: cmk },
      ],
    }, child);

    if (platform.vaultDeleteLock) kv.lock(access.vaultScopedResources);

    const workspace = new MlWorkspace(`${name}-ml`, {
      project: p.name,
      environment: env,
      description: p.description,
      location,
      subscriptionId: args.subscriptionId,
      resourceGroupName: rg.name,
      storageAccountName: storageAccountName(nameContext),
      keyVaultId: kv.id,
      logAnalyticsWorkspaceId: args.logAnalyticsWorkspaceId,
      workloadIdentity: { id: identity.workloadIdentity.id, principalId: identity.workloadIdentity.principalId },
      allowedIpRanges: platform.network.allowedIpRanges,
      privateEndpointSubnetId: platform.network.privateEndpointSubnetId,
      privateDnsZoneIds: platform.network.privateDnsZoneIds,
      nameSeed,
      generation: p.generation,
      monitorPrivateLinkScope: args.monitorPrivateLinkScope,
      customerManagedKey: key ? { keyUri: key.keyUri, dependsOn: access.grantsByKey.get(WORKLOAD_GRANT) ?? [] } : undefined,
      tags,
    }, child);

    const secrets = new ProjectSecrets(`${name}-secrets`, {
      resourceGroupName: rg.name,
      vaultName: kv.name,
      secrets: p.secrets,
      configValues: args.secretValues,
      now: args.now,
      tags,
    }, child);

    const secretOutputs: MlProjectOutputs["secrets"] = {};
    const describe = (name: string, secret: keyvault.Secret, meta: { contentType: string; expiresOn: string; source: string }) => {
      secretOutputs[name] = {
        uri: pulumi.interpolate`${kv.uri}secrets/${name}`,
        // The version changes with every new value; developers pin it only when they must.
        version: secret.properties.apply((props) => props.secretUriWithVersion?.split("/").pop() ?? ""),
        ...meta,
      };
    };
    // A retired secret is not handed off: nothing should start reading it.
    for (const s of p.secrets.filter((x) => !x.retired)) {
      describe(s.name, secrets.secrets.get(s.name)!, { contentType: s.contentType, expiresOn: s.expiresOn, source: s.source });
    }
    if (identity.clientSecret) {
      describe(CLIENT_SECRET_NAME, identity.clientSecret, { contentType: "client-secret", expiresOn: "rotating", source: "service-principal" });
    }

    this.outputs = {
      resourceGroup: rg.name,
      vaultName: kv.name,
      vaultUri: kv.uri,
      secrets: secretOutputs,
      workspaceName: workspace.name,
      servicePrincipalClientId: identity.application.clientId,
      workloadIdentityClientId: identity.workloadIdentity.clientId,
      tenantId: pulumi.output(args.tenantId),
    };
    this.registerOutputs({ vaultUri: kv.uri, workspaceName: workspace.name });
  }
}

const WORKLOAD_GRANT = "workload-identity";

function personaGrant(p: Principal, access: "read" | "manage"): VaultGrant {
  const objectId = (typeof p === "string" ? p : p.objectId).toLowerCase();
  const principalType: PrincipalType = typeof p === "string" ? "Group" : p.type;
  return { key: `${access === "read" ? "reader" : "operator"}-${objectId}`, principalId: objectId, principalType, access };
}
