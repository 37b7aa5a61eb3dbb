import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { deterministicGuid } from "./naming";
import {
  ACCESS_POLICY_KEY_ENCRYPTION_PERMISSIONS, ACCESS_POLICY_SECRET_PERMISSIONS, BUILTIN_ROLES, SECRETS_OPERATOR_ROLE, roleDefinitionId,
} from "./roles";

export type PrincipalType = "User" | "Group" | "ServicePrincipal";

/** Who gets what on the vault. `read` = get/list secrets; `manage` = also set/delete/recover/backup/restore (never purge). */
export interface VaultGrant {
  /** Stable logical key (e.g. `reader-<objectId>`, `sp`, `workload`): names the resource and its deterministic GUID. */
  key: string;
  principalId: pulumi.Input<string>;
  principalType: PrincipalType;
  access: "read" | "manage";
  /** Also wrap/unwrap with the vault's keys (customer-managed encryption): Key Vault Crypto Service Encryption User. */
  keyEncryption?: boolean;
}

export interface VaultAccessArgs {
  accessModel: "rbac" | "accessPolicy";
  subscriptionId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  vaultId: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  /** ARM id of the project's resource group: where the operators' custom role is defined. */
  resourceGroupId: pulumi.Input<string>;
  /** Seed for deterministic GUIDs: `<subscription>/<environment>/<project>` (the operators' custom role). */
  nameSeed: string;
  /** Seed for the vault's role assignment names: changes with the project's generation (a new vault). */
  assignmentSeed: string;
  grants: VaultGrant[];
}


/**
 * Least-privilege access to one vault. RBAC (default): role assignments scoped to the vault, Key Vault Secrets
 * User for readers, the "mlvault Secrets Operator" custom role (secrets/* minus purge) for operators.
 * Access-policy mode: one `keyvault:AccessPolicy` per grant, never mixed with inline policies, never `purge` or `all`.
 */
export class VaultAccess extends pulumi.ComponentResource {
  /** Grant key -> the resources that grant it: dependents wait only for the grants they truly need. */
  readonly grantsByKey = new Map<string, pulumi.CustomResource[]>();
  /** Every resource at the vault's scope (role assignments; access policies are part of the vault): a lock waits for them. */
  readonly vaultScopedResources: pulumi.CustomResource[] = [];

  constructor(name: string, args: VaultAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:VaultAccess", name, {}, opts);
    if (args.accessModel === "accessPolicy") this.accessPolicies(name, args);
    else this.roleAssignments(name, args);
    this.registerOutputs({});
  }

  private record(key: string, resource: pulumi.CustomResource): void {
    this.grantsByKey.set(key, [...(this.grantsByKey.get(key) ?? []), resource]);
    if (resource instanceof authorization.RoleAssignment) this.vaultScopedResources.push(resource);
  }

  private roleAssignments(name: string, args: VaultAccessArgs): void {
    const needsOperatorRole = args.grants.some((g) => g.access === "manage");
    const operatorRoleGuid = deterministicGuid(args.nameSeed, "role", "secrets-operator");
    const operatorRole = needsOperatorRole
      ? new authorization.RoleDefinition(`${name}-operator-role`, {
        roleDefinitionId: operatorRoleGuid,
        scope: args.resourceGroupId,
        // Custom role names are tenant-unique: the seed keeps each project's and environment's apart.
        roleName: `${SECRETS_OPERATOR_ROLE.roleName} (${args.nameSeed})`,
        description: SECRETS_OPERATOR_ROLE.description,
        roleType: "CustomRole",
        assignableScopes: [args.resourceGroupId],
        permissions: [{
          actions: [...SECRETS_OPERATOR_ROLE.actions],
          notActions: [],
          dataActions: [...SECRETS_OPERATOR_ROLE.dataActions],
          notDataActions: [...SECRETS_OPERATOR_ROLE.notDataActions],
        }],
      }, { parent: this })
      : undefined;

    for (const g of args.grants) {
      const roleId = g.access === "read"
        ? pulumi.output(args.subscriptionId).apply((s) => roleDefinitionId(s, BUILTIN_ROLES.keyVaultSecretsUser))
        : operatorRole!.id;
      this.record(g.key, new authorization.RoleAssignment(`${name}-${g.access}-${g.key}`, {
        roleAssignmentName: deterministicGuid(args.assignmentSeed, "vault", g.access, g.key),
        scope: args.vaultId,
        principalId: g.principalId,
        principalType: g.principalType,
        roleDefinitionId: roleId,
        description: `mlvault: ${g.access === "read" ? "read secrets" : "manage secrets (no purge)"} (${g.key})`,
      }, { parent: this }));
      if (g.keyEncryption) {
        this.record(g.key, new authorization.RoleAssignment(`${name}-encrypt-${g.key}`, {
          roleAssignmentName: deterministicGuid(args.assignmentSeed, "vault", "encrypt", g.key),
          scope: args.vaultId,
          principalId: g.principalId,
          principalType: g.principalType,
          roleDefinitionId: pulumi.output(args.subscriptionId).apply((s) => roleDefinitionId(s, BUILTIN_ROLES.keyVaultCryptoServiceEncryptionUser)),
          description: `mlvault: customer-managed key wrap/unwrap (${g.key})`,
        }, { parent: this }));
      }
    }
  }

  private accessPolicies(name: string, args: VaultAccessArgs): void {
    for (const g of args.grants) {
      this.record(g.key, new keyvault.AccessPolicy(`${name}-${g.access}-${g.key}`, {
        resourceGroupName: args.resourceGroupName,
        vaultName: args.vaultName,
        policy: {
          tenantId: args.tenantId,
          objectId: g.principalId,
          permissions: {
            secrets: [...ACCESS_POLICY_SECRET_PERMISSIONS[g.access]],
            keys: g.keyEncryption ? [...ACCESS_POLICY_KEY_ENCRYPTION_PERMISSIONS] : [],
            certificates: [],
            storage: [],
          },
        },
      }, { parent: this }));
    }
  }
}
