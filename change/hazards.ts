/**
 * What a reviewer must know before `pulumi up` runs a change, in their terms: each hazard has a kind, the resource, a
 * message, and whether it makes `pulumi up` fail or deletes a protected resource (`blocking`: exit 1). The Azure
 * behaviour behind each is documented in docs/deploying.md and the runbooks, with its source.
 */
import type { ChangePreview, ResourceChange } from "./preview";
import { valueAt } from "./preview";
import { rulesOf } from "./rules";

export type HazardKind =
  | "protected"
  | "data-plane-delete"
  | "soft-deleted-name"
  | "immutable-change"
  | "role-gap"
  | "ignored-change"
  | "unjudged-type"
  | "create-collision";

export interface Hazard {
  kind: HazardKind;
  urn: string;
  name: string;
  type: string;
  /** `pulumi up` would fail, or a protected resource would be deleted: the plan exits 1. */
  blocking: boolean;
  message: string;
  /** Where the Azure behaviour is documented. */
  source?: string;
}

const T = {
  vault: "azure-native:keyvault:Vault",
  secret: "azure-native:keyvault:Secret",
  key: "azure-native:keyvault:Key",
  workspace: "azure-native:machinelearningservices:Workspace",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  logAnalytics: "azure-native:operationalinsights:Workspace",
};

/** Soft-delete periods: a vault's own setting (90 when unset, the service default); ML workspaces 14 days. */
const SOFT_DELETE = {
  vault: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
  workspace: "https://learn.microsoft.com/azure/machine-learning/concept-soft-delete",
  logAnalytics: "https://learn.microsoft.com/azure/azure-monitor/logs/delete-workspace",
};
const DATA_PLANE_DELETE = "https://github.com/pulumi/pulumi-azure-native/blob/v3.28.0/provider/pkg/resources/customresources/custom_keyvault.go";
const PROTECT = "https://www.pulumi.com/docs/iac/concepts/options/protect/";
const ROLE_PROPAGATION = "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected";

export function hazardsOf(preview: ChangePreview): Hazard[] {
  return [...preview.changes.flatMap(hazardsOfChange), ...collisions(preview)];
}

/**
 * A resource renamed in the program (a new logical name, no alias) is a create and a delete, and Pulumi creates
 * first; when both are the same Azure resource (the same path parameters), azure-native's create finds it already
 * there and fails ("cannot create already existing resource": its Create checks existence first), and a role
 * assignment of the same principal, role and scope fails with RoleAssignmentExists.
 */
function collisions(preview: ChangePreview): Hazard[] {
  const identity = (type: string, inputs: Record<string, unknown> | undefined): string | undefined => {
    const rules = rulesOf(type);
    if (!type.startsWith("azure-native:") || !rules || !inputs) return undefined;
    const parts = rules.replaceOn.filter((r) => /path parameter/i.test(r.why)).map((r) => valueAt(inputs, r.path));
    return parts.length > 0 && parts.every((p) => typeof p === "string") ? `${type}|${parts.map((p) => (p as string).toLowerCase()).join("|")}` : undefined;
  };
  const deleted = new Map<string, ResourceChange>();
  for (const c of preview.changes) {
    const id = c.op === "delete" ? identity(c.type, c.before?.inputs) : undefined;
    if (id) deleted.set(id, c);
  }
  return preview.changes.flatMap((c) => {
    const id = c.op === "create" ? identity(c.type, c.after?.inputs) : undefined;
    const old = id ? deleted.get(id) : undefined;
    return old ? [{
      kind: "create-collision" as const, urn: c.urn, name: c.name, type: c.type, blocking: true,
      message: `${describe(c)} is the same Azure resource as ${old.name}, which this change deletes: Pulumi creates the new one first and Azure already has it, so pulumi up fails. Keep the old logical name, or add an alias (aliases: [{ name: "${old.name}" }]) so Pulumi sees a rename.`,
      source: "https://github.com/pulumi/pulumi-azure-native/blob/v3.28.0/provider/pkg/provider/provider.go",
    }] : [];
  });
}

function hazardsOfChange(c: ResourceChange): Hazard[] {
  const out: Hazard[] = [];
  const add = (kind: HazardKind, blocking: boolean, message: string, source?: string) =>
    out.push({ kind, urn: c.urn, name: c.name, type: c.type, blocking, message, ...(source ? { source } : {}) });
  const goes = c.op === "delete" || c.op === "replace";
  const verb = c.op === "delete" ? "deleted" : "replaced";
  const because = c.replaceReasons.length > 0 ? ` (because ${c.replaceReasons.join(", ")} changes)` : "";

  if (goes && c.protectedBefore) {
    add("protected", true, `${describe(c)} is protected and would be ${verb}${because}: Pulumi refuses, so pulumi up fails. If this is intended, unprotect it first (pulumi state unprotect) after checking the soft-delete consequences.`, PROTECT);
  }
  if (goes && (c.type === T.secret || c.type === T.key)) {
    const what = c.type === T.secret ? "secret" : "key";
    if (c.retainOnDelete) {
      add("data-plane-delete", false, `the ${what} ${quoted(c, c.type === T.secret ? "secretName" : "keyName")} would be ${verb}${because}; ${c.op === "delete" ? "it" : "the old one"} leaves the stack but not the vault: deleting it needs the vault's data plane, which the deploying identity has no access to, so mlvault retains it (retainOnDelete). It stays readable until someone with data-plane access deletes it; retire it first (secrets[].retired) to disable it through ARM (docs/runbooks/retire-secret.md).`, DATA_PLANE_DELETE);
    } else {
      add("data-plane-delete", true, `the ${what} ${quoted(c, c.type === T.secret ? "secretName" : "keyName")} would be ${verb}${because}: azure-native deletes it through the vault's data plane, which the deploying identity cannot reach (docs/deploying.md), so pulumi up fails.`, DATA_PLANE_DELETE);
    }
  }
  if (goes && (c.type === T.vault || c.type === T.workspace || c.type === T.logAnalytics)) add(...softDeleted(c, verb, because));
  for (const rule of c.immutable) {
    add("immutable-change", true, `${describe(c)}: ${rule.path} cannot change after creation (${rule.why}); Azure rejects the update and pulumi up fails. Give the project a new generation (projects[].generation) to create it anew instead.`, rule.source);
  }
  if (c.op === "replace" && c.type === T.roleAssignment) {
    const principal = valueAt(c.after?.inputs, "principalId");
    add("role-gap", false, `role assignment ${c.name} is replaced${because}: ${typeof principal === "string" ? `principal ${principal}` : "its principal"} loses this access between the delete and the create, and Entra can take minutes to propagate the new one. Plan the change outside training runs.`, ROLE_PROPAGATION);
  }
  for (const ignored of c.ignored) {
    add("ignored-change", false, `${describe(c)}: the change to ${ignored.path} will not reach Azure (${ignored.why}); the live resource keeps its current value.`, ignored.source);
  }
  if (c.unjudged) {
    add("unjudged-type", false, `${describe(c)} changes (${c.diff.join(", ")}) but mlvault has no replacement data for ${c.type}: this may be a replacement; check with pulumi preview.`);
  }
  return out;
}

function softDeleted(c: ResourceChange, verb: string, because: string): [HazardKind, boolean, string, string] {
  const vault = c.type === T.vault;
  const nameKey = vault ? "vaultName" : "workspaceName";
  const oldName = valueAt(c.before?.inputs, nameKey);
  const newName = valueAt(c.after?.inputs, nameKey);
  // Vaults keep their own retention (90 when unset); ML and Log Analytics workspaces 14 days.
  const days = vault ? Number(valueAt(c.before?.inputs, "properties.softDeleteRetentionInDays") ?? 90) : 14;
  const sameName = c.op === "replace" && oldName === newName;
  const what = vault ? "vault" : c.type === T.workspace ? "ML workspace" : "Log Analytics workspace";
  const tail = sameName
    ? c.deleteBeforeReplace
      ? `, and its replacement has the same name: azure-native deletes it first, then the create fails because the soft-deleted ${what} holds that name for ${days} days, so pulumi up stops with the old one gone. Bump projects[].generation for a new name instead.`
      : `, and its replacement has the same name: the soft-deleted ${what} holds that name for ${days} days, and a create-first replacement only updates the old one, which the delete then removes. Bump projects[].generation for a new name instead.`
    : `: the soft-deleted ${what} keeps the name ${JSON.stringify(oldName)} for ${days} days${vault ? " (purge protection forbids purging it sooner), and with it its secrets and keys (a workspace encrypted with one of its keys loses access to it)" : ""}; re-creating that name fails until then (docs/runbooks/recover-soft-deleted.md).`;
  const source = vault ? SOFT_DELETE.vault : c.type === T.workspace ? SOFT_DELETE.workspace : SOFT_DELETE.logAnalytics;
  return ["soft-deleted-name", sameName, `the ${what} ${JSON.stringify(oldName)} would be ${verb}${because}${tail}`, source];
}

function describe(c: ResourceChange): string {
  return `${c.type.split(":").pop()} ${c.name}`;
}

function quoted(c: ResourceChange, key: string): string {
  const v = valueAt((c.before ?? c.after)?.inputs, key) ?? valueAt(c.after?.inputs, key);
  return typeof v === "string" ? `"${v}"` : c.name;
}
