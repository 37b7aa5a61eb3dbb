/**
 * What an Azure role can do, judged from its permissions rather than its name (ID-03). A role is privileged when it
 * can do everything (`*`), can change who may do what (role assignment or role definition writes, elevated access:
 * `Microsoft.Authorization/*` and narrower forms that still reach them), or administers every object of a Key Vault
 * (data actions over secrets, keys and certificates including purge). Built-in roles are judged by their published
 * permissions (Microsoft, "Azure built-in roles"); custom roles by the permissions the stack gives them.
 */
import { asArray, clean, isRecord } from "./values";

export interface RolePermissions {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

const perms = (actions: string[], notActions: string[] = [], dataActions: string[] = [], notDataActions: string[] = []): RolePermissions =>
  ({ actions, notActions, dataActions, notDataActions });

/** Built-in roles whose permissions matter here (learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const BUILTIN_ROLES: Record<string, { name: string; permissions: RolePermissions }> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": { name: "Owner", permissions: perms(["*"]) },
  "b24988ac-6180-42a0-ab88-20f7382dd24c": {
    name: "Contributor",
    permissions: perms(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
      "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete", "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
      "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"]),
  },
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": { name: "User Access Administrator", permissions: perms(["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"]) },
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": {
    name: "Role Based Access Control Administrator",
    permissions: perms(["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"]),
  },
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": {
    name: "Key Vault Administrator",
    permissions: perms(["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/checkNameAvailability/read",
      "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/operations/read"],
    [], ["Microsoft.KeyVault/vaults/*"]),
  },
  "8b54135c-b56d-4d72-a534-26097cfdc8d8": {
    name: "Key Vault Data Access Administrator",
    permissions: perms(["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "Microsoft.Authorization/*/read",
      "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Resources/subscriptions/read",
      "Microsoft.Management/managementGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/vaults/*/read"]),
  },
  "4633458b-17de-408a-b874-0445c86b69e6": {
    name: "Key Vault Secrets User",
    permissions: perms([], [], ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
  },
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": {
    name: "Key Vault Secrets Officer",
    permissions: perms(["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/checkNameAvailability/read",
      "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/operations/read"],
    [], ["Microsoft.KeyVault/vaults/secrets/*"]),
  },
  "e147488a-f6f5-4113-8e2d-b22465e65bf6": {
    name: "Key Vault Crypto Service Encryption User",
    permissions: perms(["Microsoft.EventGrid/eventSubscriptions/write", "Microsoft.EventGrid/eventSubscriptions/read", "Microsoft.EventGrid/eventSubscriptions/delete"],
      [], ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action"]),
  },
};

/** Operations whose reach makes a role privileged, and why. */
const AUTHORIZATION_WRITES = [
  "Microsoft.Authorization/roleAssignments/write",
  "Microsoft.Authorization/roleDefinitions/write",
  "Microsoft.Authorization/elevateAccess/action",
];
/** Administering every object of a vault: these all reachable means nothing in the vault is out of reach. */
const VAULT_DATA_ADMINISTRATION = [
  "Microsoft.KeyVault/vaults/secrets/purge/action",
  "Microsoft.KeyVault/vaults/keys/purge/action",
  "Microsoft.KeyVault/vaults/certificates/purge/action",
];

function globMatches(pattern: string, operation: string): boolean {
  const p = (clean(pattern) ?? "").toLowerCase();
  if (p === "") return false;
  const re = new RegExp(`^${p.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
  return re.test(operation.toLowerCase());
}

function reaches(allowed: string[], denied: string[], operation: string): boolean {
  return allowed.some((a) => globMatches(a, operation)) && !denied.some((d) => globMatches(d, operation));
}

/** Why a role with these permissions is privileged, or undefined when it is not. */
export function privilegeOf(p: RolePermissions): string | undefined {
  if (p.actions.some((a) => clean(a) === "*")) return "can perform every action (\"*\")";
  const auth = AUTHORIZATION_WRITES.filter((op) => reaches(p.actions, p.notActions, op));
  if (auth.length > 0) return `can grant access (${auth.join(", ")})`;
  if (VAULT_DATA_ADMINISTRATION.every((op) => reaches(p.dataActions, p.notDataActions, op))) return "administers every secret, key and certificate of a vault, purge included";
  return undefined;
}

/** The union of a role definition's permission blocks (inputs or ARM read-back: `permissions[]`). */
export function permissionsOf(definition: Record<string, any>): RolePermissions {
  const blocks = asArray(definition.permissions).filter(isRecord);
  const strings = (key: string) => blocks.flatMap((b) => asArray(b[key]).filter((x): x is string => typeof x === "string"));
  return perms(strings("actions"), strings("notActions"), strings("dataActions"), strings("notDataActions"));
}
