import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type { Environment } from "../config/schema";
import { diagnosticSetting } from "./diagnostics";
import { privateEndpoint } from "./privateEndpoint";

export interface KeyVaultArgs {
  environment: Environment;
  vaultName: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  tenantId: pulumi.Input<string>;
  /** `rbac` (default, recommended) or `accessPolicy` for organisations that still run vaults on access policies. */
  accessModel: "rbac" | "accessPolicy";
  /** Public IPv4 addresses/CIDRs allowed through the firewall (dev); prod has no public access at all. */
  allowedIpRanges: string[];
  /** Subnet for the vault's private endpoint; required in prod. */
  privateEndpointSubnetId?: string;
  /** Existing `privatelink.vaultcore.azure.net` zone id, for a DNS zone group. */
  privateDnsZoneId?: string;
  logAnalyticsWorkspaceId: pulumi.Input<string>;
  /** Premium (HSM-backed keys) when the project uses customer-managed keys. */
  sku?: "standard" | "premium";
  /**
   * The vault holds a key that encrypts other services (customer-managed keys): Azure then requires purge
   * protection in every environment, dev included.
   */
  holdsEncryptionKey?: boolean;
  tags: Record<string, string>;
}

/**
 * A Key Vault secure by default: RBAC, soft delete, purge protection and 90-day retention in prod (purge
 * protection is omitted in dev unless the vault holds a customer-managed key, and never sent as `false`, which
 * Azure rejects once it was on), no `enabledFor*`,
 * default-deny firewall with trusted-services bypass, public access off and a private endpoint in prod, audit logs
 * to Log Analytics, and in prod `protect` (a CanNotDelete lock is opt-in: see lock()).
 */
export class KeyVault extends pulumi.ComponentResource {
  private readonly childName: string;
  readonly vault: keyvault.Vault;
  readonly diagnostics: pulumi.CustomResource;
  readonly id: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  readonly uri: pulumi.Output<string>;

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:KeyVault", name, {}, opts);
    const prod = args.environment === "prod";
    if (prod && !args.privateEndpointSubnetId) throw new Error("a prod Key Vault needs privateEndpointSubnetId");

    this.vault = new keyvault.Vault(`${name}-vault`, {
      vaultName: args.vaultName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
      properties: {
        tenantId: args.tenantId,
        sku: { family: "A", name: args.sku ?? "standard" },
        enableRbacAuthorization: args.accessModel === "rbac",
        // No `accessPolicies` input, ever: in accessPolicy mode they are standalone AccessPolicy resources (and
        // Azure ML adds its own). azure-native sends `[]` on create and, on every update, copies the vault's live
        // policies into the PUT while the input is unset; an inline value (even `[]`) would wipe them all
        // (pulumi/pulumi-azure-native#594 and #2951; Azure/azure-sdk-for-net#32872).
        enableSoftDelete: true,
        softDeleteRetentionInDays: prod ? 90 : 7,
        ...(prod || args.holdsEncryptionKey ? { enablePurgeProtection: true } : {}),
        enabledForDeployment: false,
        enabledForTemplateDeployment: false,
        enabledForDiskEncryption: false,
        publicNetworkAccess: prod ? "Disabled" : "Enabled",
        networkAcls: {
          defaultAction: "Deny",
          bypass: "AzureServices",
          ipRules: prod ? [] : args.allowedIpRanges.map((value) => ({ value })),
          virtualNetworkRules: [],
        },
      },
    }, { parent: this, protect: prod });

    // allLogs includes the audit group (AuditEvent): one group, each record once.
    this.diagnostics = diagnosticSetting(`${name}-diagnostics`, { resourceUri: this.vault.id, workspaceId: args.logAnalyticsWorkspaceId }, { parent: this });

    if (args.privateEndpointSubnetId) {
      privateEndpoint(`${name}-pe`, {
        name: pulumi.interpolate`pe-${args.vaultName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnetId: args.privateEndpointSubnetId,
        targetId: this.vault.id,
        groupId: "vault",
        dnsZoneIds: args.privateDnsZoneId ? [args.privateDnsZoneId] : [],
        tags: args.tags,
      }, { parent: this });
    }

    this.childName = name;
    this.id = this.vault.id;
    this.name = this.vault.name;
    this.uri = this.vault.properties.apply((p) => p.vaultUri ?? "");
    this.registerOutputs({ id: this.id, name: this.name, uri: this.uri });
  }

  /**
   * Opt-in (`platform.vaultDeleteLock`): a CanNotDelete lock on the vault. Azure applies it to everything at the
   * vault's scope, so a role assignment or diagnostic setting on the vault cannot be deleted while it stands (409
   * ScopeLocked; MicrosoftDocs/azure-docs#110791, hashicorp/terraform-provider-azurerm#11770): removing a reader then
   * needs the lock lifted first (docs/deploying.md). The lock depends on those resources, so `pulumi destroy`
   * deletes it before them. By scope, on the vault's id: ManagementLockAtResourceLevel with an empty
   * parentResourcePath builds a path ARM has answered with InvalidResourceType / NoRegisteredProviderFound
   * (pulumi/pulumi-azure-native#3524, Azure/azure-sdk-for-go#18835).
   */
  lock(scopedResources: pulumi.Resource[]): void {
    new authorization.ManagementLockByScope(`${this.childName}-lock`, {
      lockName: "mlvault-cannot-delete",
      scope: this.vault.id,
      level: "CanNotDelete",
      notes: "Key Vault guarded against deletion by mlvault: lift this lock deliberately (it also blocks removing role assignments on the vault).",
    }, { parent: this, dependsOn: [this.diagnostics, ...scopedResources] });
  }
}
