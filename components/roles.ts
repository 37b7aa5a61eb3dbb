/**
 * Azure built-in role definition ids mlvault assigns (from Microsoft's "Azure built-in roles" page; see
 * docs/identity-roles.md for why each identity gets each role).
 */
export const BUILTIN_ROLES = {
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  azureMLDataScientist: "f6c7c914-8db3-469d-8ca1-694a8f32e121",
  /** Publishes all telemetry (not only metrics) to an Entra-only Application Insights component. */
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  /** Approves private endpoint connections that a workspace's managed network requests on a target it does not own. */
  azureAIEnterpriseNetworkConnectionApprover: "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",
} as const;

export function roleDefinitionId(subscriptionId: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/**
 * The operators' custom role: manage secrets (set, delete, recover, backup, restore) and read the vault, but never
 * purge a secret or delete the vault. Key Vault Secrets Officer grants `secrets/*`, which includes purge, so it is
 * not used for people.
 */
export const SECRETS_OPERATOR_ROLE = {
  roleName: "mlvault Secrets Operator",
  description: "Manage Key Vault secrets (no purge, no vault deletion). Created by mlvault.",
  actions: [
    "Microsoft.KeyVault/vaults/read",
    "Microsoft.KeyVault/vaults/secrets/read",
    "Microsoft.KeyVault/deletedVaults/read",
    "Microsoft.Authorization/*/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
  dataActions: ["Microsoft.KeyVault/vaults/secrets/*"],
  notDataActions: ["Microsoft.KeyVault/vaults/secrets/purge/action"],
} as const;

/** Access-policy mode (opt-in): the same personas as permission lists. Never `purge`, never `all`. */
export const ACCESS_POLICY_SECRET_PERMISSIONS = {
  read: ["get", "list"],
  manage: ["get", "list", "set", "delete", "recover", "backup", "restore"],
} as const;
export const ACCESS_POLICY_KEY_ENCRYPTION_PERMISSIONS = ["get", "wrapKey", "unwrapKey"] as const;
