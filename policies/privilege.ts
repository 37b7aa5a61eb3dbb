/**
 * ID-03, least privilege on vaults: no privileged role for a service principal, judged by what the role can do
 * (lib/rolePrivilege.ts), granted directly (RoleAssignment) or through Privileged Identity Management (assignment and
 * eligibility schedule requests); Key Vault data roles scoped to a vault or narrower. Built-in roles are judged by
 * their published permissions (a resource policy); custom roles by the permissions the stack defines (a stack policy
 * that links each grant to its RoleDefinition by id).
 */
import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { ofType } from "./lib/links";
import { BUILTIN_ROLES, permissionsOf, privilegeOf } from "./lib/rolePrivilege";
import { T } from "./lib/types";
import { UnknownTracker } from "./lib/unknowns";
import { clean, eqi, lastSegment, oneOfi } from "./lib/values";

/** Built-in role GUIDs (Microsoft's "Azure built-in roles" page). */
export const ROLE = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  keyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  keyVaultDataAccessAdministrator: "8b54135c-b56d-4d72-a534-26097cfdc8d8",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  keyVaultCertificatesOfficer: "a4417e6f-fecd-4de8-b567-7b0420556985",
  keyVaultCertificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
  keyVaultReader: "21090545-7ca7-4776-b22c-e363652d74d2",
} as const;

/** Every way a role reaches a principal: a direct assignment, or a PIM assignment / eligibility request. */
const GRANT_TYPES = [T.roleAssignment, T.roleAssignmentScheduleRequest, T.roleEligibilityScheduleRequest];
/** PIM request types that take a grant away rather than give one. */
const REMOVAL_REQUESTS = ["AdminRemove", "SelfDeactivate"];

const VAULT_SCOPE = /\/providers\/microsoft\.keyvault\/vaults\/[^/]+(\/.*)?$/i;

/** A grant without principalType may well be a service principal (PIM requests never carry one): treat it as one. */
function maybeServicePrincipal(props: Record<string, any>): boolean {
  return props.principalType === undefined || props.principalType === null || eqi(props.principalType, "ServicePrincipal");
}

const removes = (props: Record<string, any>) => oneOfi(props.requestType, REMOVAL_REQUESTS);

interface LeastPrivilegeConfig { forbiddenRoleDefinitionIds: string[]; dataPlaneRoleDefinitionIds: string[]; allowedRoleDefinitionIds: string[] }
export const id03LeastPrivilege = resourcePolicy<LeastPrivilegeConfig>({
  name: "id-03-least-privilege",
  controls: ["ID-03"],
  summary: "Role grants (direct or through PIM): no privileged role (by what it can do) for service principals; Key Vault data-plane roles scoped to a vault or narrower.",
  types: GRANT_TYPES,
  configSchema: {
    properties: {
      forbiddenRoleDefinitionIds: {
        type: "array", items: { type: "string" },
        default: [ROLE.owner, ROLE.contributor, ROLE.userAccessAdministrator, ROLE.roleBasedAccessControlAdministrator, ROLE.keyVaultAdministrator, ROLE.keyVaultDataAccessAdministrator],
        description: "Role definition GUIDs never granted to a service principal (or a grant without principalType), in addition to every built-in role whose permissions are privileged.",
      },
      dataPlaneRoleDefinitionIds: {
        type: "array", items: { type: "string" },
        default: [ROLE.keyVaultAdministrator, ROLE.keyVaultSecretsUser, ROLE.keyVaultSecretsOfficer, ROLE.keyVaultCryptoOfficer,
          ROLE.keyVaultCryptoUser, ROLE.keyVaultCryptoServiceEncryptionUser, ROLE.keyVaultCertificatesOfficer,
          ROLE.keyVaultCertificateUser, ROLE.keyVaultReader],
        description: "Key Vault role GUIDs that must be scoped to a vault (or narrower).",
      },
      allowedRoleDefinitionIds: {
        type: "array", items: { type: "string" }, default: [],
        description: "Privileged role GUIDs an organisation deliberately allows for service principals (a documented exception).",
      },
    },
  },
  check(props, { config, report }) {
    const roleDefinitionId = clean(props.roleDefinitionId);
    if (!roleDefinitionId || removes(props)) return;
    const role = lastSegment(roleDefinitionId);
    const lower = (ids: string[]) => ids.map((g) => (clean(g) ?? "").toLowerCase());
    const builtin = BUILTIN_ROLES[role];
    const why = (builtin && privilegeOf(builtin.permissions)) ?? (lower(config.forbiddenRoleDefinitionIds).includes(role) ? "is listed in forbiddenRoleDefinitionIds" : undefined);
    if (why && !lower(config.allowedRoleDefinitionIds).includes(role) && maybeServicePrincipal(props)) {
      report("ID-03", `role ${builtin ? `${builtin.name} (${role})` : role} ${why} and must not be granted to a service principal; grant a narrower data-plane role (e.g. Key Vault Secrets User) instead${props.principalType === undefined ? ", or set principalType if the principal is not a service principal" : ""}.`);
    }
    if (lower(config.dataPlaneRoleDefinitionIds).includes(role) && !VAULT_SCOPE.test(clean(props.scope) ?? "")) {
      report("ID-03", `Key Vault role ${role} is not scoped to a vault; set scope to the vault's id (or a narrower child), never a subscription or resource group.`);
    }
  },
});

/** Custom roles defined in the stack, by lower-cased id and by GUID, readable ones only. */
function customRoles(resources: PolicyResource[], tracker: UnknownTracker): Map<string, PolicyResource> {
  const byKey = new Map<string, PolicyResource>();
  for (const def of ofType(resources, T.roleDefinition)) {
    const id = tracker.peek(() => clean(def.props.id));
    if (!id.known || !id.value) continue;
    byKey.set(id.value.toLowerCase(), def);
    byKey.set(lastSegment(id.value), def);
  }
  return byKey;
}

interface CustomRoleConfig { allowedRoleDefinitionIds: string[] }
export const id03PrivilegedCustomRoles = stackPolicy<CustomRoleConfig>({
  name: "id-03-privileged-custom-roles",
  evidenceTypes: [T.roleAssignment, T.roleDefinition],
  controls: ["ID-03"],
  summary: "Custom roles the stack grants to service principals (directly or through PIM) cannot do everything, grant access or administer whole vaults.",
  configSchema: {
    properties: {
      allowedRoleDefinitionIds: {
        type: "array", items: { type: "string" }, default: [],
        description: "Privileged custom role GUIDs an organisation deliberately allows for service principals.",
      },
    },
  },
  check(resources, { config, report }) {
    const tracker = new UnknownTracker();
    const roles = customRoles(resources, tracker);
    const allowed = new Set(config.allowedRoleDefinitionIds.map((g) => (clean(g) ?? "").toLowerCase()));
    const failures: [PolicyResource, PolicyResource, string][] = [];
    for (const grant of ofType(resources, ...GRANT_TYPES)) {
      const target = tracker.peek(() => {
        const id = clean(grant.props.roleDefinitionId)?.toLowerCase();
        if (!id || removes(grant.props) || !maybeServicePrincipal(grant.props)) return undefined;
        return roles.get(id) ?? roles.get(lastSegment(id));
      });
      if (!target.known || !target.value || allowed.has(lastSegment(String(target.value.props.id)))) continue;
      const def = target.value;
      const why = tracker.peek(() => privilegeOf(permissionsOf(def.props)));
      if (why.known && why.value) failures.push([grant, def, why.value]);
    }
    if (failures.length > 0) tracker.throwIfUnknown();
    for (const [grant, def, why] of failures) {
      report("ID-03", `custom role "${def.name}" ${why} and is granted to a service principal; narrow its permissions (no "*", no Microsoft.Authorization writes, no whole-vault data administration).`, grant.urn);
    }
  },
});
