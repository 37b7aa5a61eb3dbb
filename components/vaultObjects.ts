import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for every Key Vault object the program manages (`keyvault:Secret`, `keyvault:Key`).
 *
 * azure-native creates and updates them through ARM, but deletes them through the Key Vault *data plane*
 * (pulumi/pulumi-azure-native, provider/pkg/resources/customresources/custom_keyvault.go). The deploying identity
 * holds no data-plane role, and a prod vault has no public network path, so a Pulumi delete (`pulumi destroy`,
 * a secret removed or renamed, `passwordLifetimeDays: 0`, a project leaving customer-managed keys) would fail with
 * 403. `retainOnDelete` keeps them out of that path: Pulumi forgets the object and the vault keeps it. A secret is
 * retired before it is removed (`retired: true`: disabled through ARM); deleting the vault takes its objects
 * along (soft delete). docs/runbooks/retire-secret.md has the whole lifecycle.
 */
export function vaultObjectOptions(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, retainOnDelete: true };
}
