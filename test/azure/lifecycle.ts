/**
 * What `pulumi up` and `pulumi destroy` would ask of Azure when a stack moves from one plan to the next, modelled
 * from the engine's and azure-native's documented behaviour, so day-2 changes are tested without a cloud:
 *
 * - The engine deletes a resource whose URN is gone: it refuses when the resource is protected, skips the provider
 *   when it is `retainOnDelete` (pulumi.com/docs/iac/concepts/options/retainondelete), else calls the provider.
 * - azure-native deletes `keyvault:Secret` and `keyvault:Key` through the Key Vault data plane, everything else of
 *   azure-native through ARM (pulumi/pulumi-azure-native, provider/pkg/resources/customresources/custom_keyvault.go).
 * - Azure keeps some names after a delete: Key Vault (soft delete, 7-90 days; "You cannot reuse the name of a key
 *   vault that has been soft-deleted until the retention period has passed", soft-delete-overview) and ML workspaces
 *   ("You can't reuse the name of a workspace that has been soft deleted until the retention period has passed",
 *   14 days; concept-soft-delete). azure-native deletes workspaces without forceToPurge, so they are soft-deleted.
 * - Some inputs cannot change once created; azure-native marks none of these as replacements, so the change is sent
 *   as an update that Azure refuses (sources per entry in CREATE_ONLY).
 */
import type { ResourceRecord } from "../../engine/types";
import { optionsOf } from "../../engine/types";

export type DeletePath = "refused (protected)" | "refused (scope locked)" | "forgotten (retainOnDelete)" | "Key Vault data plane" | "ARM" | "Microsoft Graph" | "local";

const DATA_PLANE_DELETES = new Set(["azure-native:keyvault:Secret", "azure-native:keyvault:Key"]);

export function deletePathOf(r: ResourceRecord): DeletePath {
  const o = optionsOf(r);
  if (o.protect) return "refused (protected)";
  if (o.retainOnDelete) return "forgotten (retainOnDelete)";
  if (DATA_PLANE_DELETES.has(r.type)) return "Key Vault data plane";
  if (r.type.startsWith("azure-native:")) return "ARM";
  if (r.type.startsWith("azuread:")) return "Microsoft Graph";
  return "local";
}

export interface Deletion {
  resource: ResourceRecord;
  path: DeletePath;
  /** Deleted because it was replaced under a new name (a changed path parameter), after its successor exists. */
  replaced: boolean;
}

/** The inputs that name a resource in its ARM path, for the types whose renames matter here. */
const NAME_INPUTS: Record<string, string[]> = {
  "azure-native:keyvault:Vault": ["resourceGroupName", "vaultName"],
  "azure-native:machinelearningservices:Workspace": ["resourceGroupName", "workspaceName"],
  "azure-native:keyvault:Secret": ["resourceGroupName", "vaultName", "secretName"],
  "azure-native:keyvault:Key": ["resourceGroupName", "vaultName", "keyName"],
  "azure-native:authorization:RoleAssignment": ["scope", "roleAssignmentName"],
  "azure-native:authorization:ManagementLockByScope": ["scope", "lockName"],
  "azure-native:monitor:DiagnosticSetting": ["resourceUri", "name"],
  "azure-native:keyvault:AccessPolicy": ["resourceGroupName", "vaultName"],
  "azure-native:network:PrivateEndpoint": ["resourceGroupName", "privateEndpointName"],
};

const nameOf = (r: ResourceRecord) => (NAME_INPUTS[r.type] ?? []).map((k) => String(r.inputs[k] ?? "").toLowerCase()).join("/");

/**
 * Custom resources of `before` that the move to `after` deletes (after = [] is `pulumi destroy`): those whose URN is
 * gone, and those replaced because a path parameter changed (azure-native replaces on a changed path parameter).
 */
export function deletions(before: ResourceRecord[], after: ResourceRecord[]): Deletion[] {
  const next = new Map(after.map((r) => [r.urn, r]));
  const locks = before.filter((r) => r.type === "azure-native:authorization:ManagementLockByScope" && String(r.inputs.level).toLowerCase() === "cannotdelete");
  return before.filter((r) => r.custom).flatMap((resource) => {
    const successor = next.get(resource.urn);
    if (successor && nameOf(successor) === nameOf(resource)) return [];
    const locked = lockedBy(resource, locks, next);
    return [{ resource, path: locked ? "refused (scope locked)" : deletePathOf(resource), replaced: successor !== undefined }];
  });
}

/**
 * A CanNotDelete lock blocks deletes at its scope (role assignments and diagnostic settings on the locked resource:
 * 409 ScopeLocked). The delete goes through only when the lock is deleted too and first, that is when the lock
 * depends on the resource (the engine deletes dependents before what they depend on).
 */
function lockedBy(r: ResourceRecord, locks: ResourceRecord[], next: Map<string, ResourceRecord>): boolean {
  if (r.type === "azure-native:authorization:ManagementLockByScope") return false;
  const scope = String(r.inputs.scope ?? r.inputs.resourceUri ?? "").toLowerCase();
  return locks.some((l) => String(l.inputs.scope).toLowerCase() === scope && (next.has(l.urn) || !l.dependencies.includes(r.urn)));
}

/** Inputs Azure accepts only at creation (an update changing them is refused), with the source that says so. */
const CREATE_ONLY: { type: string; path: string[]; source: string }[] = [
  { type: "azure-native:machinelearningservices:Workspace", path: ["encryption", "status"], source: "ML CMK limitations: after creation the key \"can only be updated to another key in the original Azure Key Vault resource\"; PATCH carries only keyIdentifier (2025-12-01 WorkspacePropertiesUpdateParameters)" },
  { type: "azure-native:machinelearningservices:Workspace", path: ["hbiWorkspace"], source: "\"You can set the hbi_workspace flag only when you create a workspace\" (concept-customer-managed-keys)" },
  { type: "azure-native:machinelearningservices:Workspace", path: ["storageAccount"], source: "2025-12-01 workspaceRP.json storageAccount: \"This cannot be changed once the workspace has been created\"" },
  { type: "azure-native:machinelearningservices:Workspace", path: ["keyVault"], source: "2025-12-01 workspaceRP.json keyVault: \"This cannot be changed once the workspace has been created\"" },
  { type: "azure-native:keyvault:Vault", path: ["properties", "softDeleteRetentionInDays"], source: "soft-delete-overview: \"Once set, the retention policy interval cannot be changed\"" },
];

export interface CreateOnlyChange { resource: ResourceRecord; path: string; source: string }

const at = (value: unknown, path: string[]) => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);

/** Resources kept across the change (same URN) whose create-only inputs differ: `pulumi up` would fail on them. */
export function createOnlyChanges(before: ResourceRecord[], after: ResourceRecord[]): CreateOnlyChange[] {
  const old = new Map(before.map((r) => [r.urn, r]));
  const out: CreateOnlyChange[] = [];
  for (const r of after) {
    const prev = old.get(r.urn);
    // Gone, or renamed: a create (and a delete), not an update.
    if (!prev || nameOf(prev) !== nameOf(r)) continue;
    for (const rule of CREATE_ONLY.filter((c) => c.type === r.type)) {
      if (JSON.stringify(at(prev.inputs, rule.path)) !== JSON.stringify(at(r.inputs, rule.path))) {
        out.push({ resource: r, path: rule.path.join("."), source: rule.source });
      }
    }
  }
  return out;
}

/** Names soft delete keeps reserved after `deleted` are gone: vault names and ML workspace names. */
export function reservedNames(deleted: Deletion[]): Set<string> {
  const names = new Set<string>();
  for (const d of deleted) {
    if (d.path !== "ARM") continue;
    if (d.resource.type === "azure-native:keyvault:Vault") names.add(`vault:${String(d.resource.inputs.vaultName).toLowerCase()}`);
    if (d.resource.type === "azure-native:machinelearningservices:Workspace") names.add(`workspace:${String(d.resource.inputs.resourceGroupName).toLowerCase()}/${String(d.resource.inputs.workspaceName).toLowerCase()}`);
  }
  return names;
}

/** Resources of a new plan whose names soft delete still holds: their create fails. */
export function blockedByReservedNames(plan: ResourceRecord[], reserved: Set<string>): ResourceRecord[] {
  return plan.filter((r) =>
    (r.type === "azure-native:keyvault:Vault" && reserved.has(`vault:${String(r.inputs.vaultName).toLowerCase()}`))
    || (r.type === "azure-native:machinelearningservices:Workspace" && reserved.has(`workspace:${String(r.inputs.resourceGroupName).toLowerCase()}/${String(r.inputs.workspaceName).toLowerCase()}`)));
}

/**
 * The engine's "unprotect" step before a deliberate teardown (`pulumi state unprotect --all`): the same plan with
 * protect cleared, as the runbook does it.
 */
export function unprotected(records: ResourceRecord[]): ResourceRecord[] {
  return records.map((r) => ({ ...r, protect: false, options: { ...optionsOf(r), protect: false } }));
}
