/**
 * Identity and access controls ID-01…ID-04: password lifetime and rotation (azuread 6.x), least
 * privilege role assignments on vaults, and access-policy permissions (opt-in mode only).
 * Password resources are secret-bearing: messages never quote their values.
 */
import type { Policies } from "@pulumi/policy";
import { EVALUATION_TIME_SCHEMA, evaluationNow } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { T } from "./lib/types";
import { asArray, DAY_MS, eqi, goDurationDays, isRecord, lastSegment, parseIsoDate } from "./lib/values";

const PASSWORD_TYPES = [T.spPassword, T.appPassword];

interface LifetimeConfig { maxPasswordLifetimeDays: number; evaluationTime?: string }
export const id01PasswordLifetime = resourcePolicy<LifetimeConfig>({
  name: "id-01-password-lifetime",
  controls: ["ID-01"],
  summary: "Service principal and application passwords end within maxPasswordLifetimeDays of their start and are not expired.",
  types: PASSWORD_TYPES,
  configSchema: {
    properties: {
      maxPasswordLifetimeDays: { type: "integer", minimum: 1, default: 365, description: "Longest allowed password lifetime, in days." },
      evaluationTime: EVALUATION_TIME_SCHEMA,
    },
  },
  check(props, { config, report }) {
    const now = evaluationNow(config);
    const hasStart = props.startDate !== undefined && props.startDate !== null;
    const start = hasStart ? parseIsoDate(props.startDate) : now;
    if (start === undefined) {
      report("ID-01", "startDate is not an RFC 3339 date; fix it.");
      return;
    }
    let end: number | undefined;
    if (props.endDate !== undefined && props.endDate !== null) {
      end = parseIsoDate(props.endDate);
      if (end === undefined) {
        report("ID-01", "endDate is not an RFC 3339 date; fix it.");
        return;
      }
    } else {
      const relative = goDurationDays(props.endDateRelative);
      if (relative === undefined) {
        report("ID-01", `endDate is missing (the password would never expire); set endDate within ${config.maxPasswordLifetimeDays} days of its start.`);
        return;
      }
      end = start + relative * DAY_MS;
    }
    if ((end - start) / DAY_MS > config.maxPasswordLifetimeDays) {
      report("ID-01", `the password's lifetime (endDate minus ${hasStart ? "startDate" : "now"}) exceeds ${config.maxPasswordLifetimeDays} days; shorten it.`);
    }
    if (end <= now) report("ID-01", "the password has already expired; rotate it.");
  },
});

export const id02PasswordRotation = resourcePolicy({
  name: "id-02-password-rotation",
  controls: ["ID-02"],
  summary: "Service principal and application passwords rotate automatically (rotateWhenChanged).",
  types: PASSWORD_TYPES,
  configSchema: { properties: {} },
  check(props, { report }) {
    const r = props.rotateWhenChanged;
    if (!isRecord(r) || Object.keys(r).length === 0) {
      report("ID-02", "rotateWhenChanged is missing or empty; key it on a rotation trigger (e.g. a time window) so the password is replaced automatically.");
    }
  },
});

/** Built-in role GUIDs (Microsoft's "Azure built-in roles" page). */
export const ROLE = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  keyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  keyVaultCertificatesOfficer: "a4417e6f-fecd-4de8-b567-7b0420556985",
  keyVaultCertificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
  keyVaultReader: "21090545-7ca7-4776-b22c-e363652d74d2",
} as const;

const VAULT_SCOPE = /\/providers\/microsoft\.keyvault\/vaults\/[^/]+(\/.*)?$/i;

interface LeastPrivilegeConfig { forbiddenRoleDefinitionIds: string[]; dataPlaneRoleDefinitionIds: string[] }
export const id03LeastPrivilege = resourcePolicy<LeastPrivilegeConfig>({
  name: "id-03-least-privilege",
  controls: ["ID-03"],
  summary: "Role assignments: no Owner / Contributor / User Access Administrator / Key Vault Administrator for service principals; Key Vault data-plane roles scoped to a vault or narrower.",
  types: [T.roleAssignment],
  configSchema: {
    properties: {
      forbiddenRoleDefinitionIds: {
        type: "array", items: { type: "string" },
        default: [ROLE.owner, ROLE.contributor, ROLE.userAccessAdministrator, ROLE.keyVaultAdministrator],
        description: "Role definition GUIDs never granted to a service principal (or an assignment without principalType).",
      },
      dataPlaneRoleDefinitionIds: {
        type: "array", items: { type: "string" },
        default: [ROLE.keyVaultAdministrator, ROLE.keyVaultSecretsUser, ROLE.keyVaultSecretsOfficer, ROLE.keyVaultCryptoOfficer,
          ROLE.keyVaultCryptoUser, ROLE.keyVaultCryptoServiceEncryptionUser, ROLE.keyVaultCertificatesOfficer,
          ROLE.keyVaultCertificateUser, ROLE.keyVaultReader],
        description: "Key Vault role GUIDs that must be scoped to a vault (or narrower).",
      },
    },
  },
  check(props, { config, report }) {
    if (typeof props.roleDefinitionId !== "string") return;
    const role = lastSegment(props.roleDefinitionId);
    const forbidden = config.forbiddenRoleDefinitionIds.map((g) => g.toLowerCase());
    const dataPlane = config.dataPlaneRoleDefinitionIds.map((g) => g.toLowerCase());
    // A missing principalType may well be a service principal: treat it as one.
    const maybeServicePrincipal = props.principalType === undefined || props.principalType === null || eqi(props.principalType, "ServicePrincipal");
    if (forbidden.includes(role) && maybeServicePrincipal) {
      report("ID-03", `role ${role} is privileged and must not be granted to a service principal; grant a narrower data-plane role (e.g. Key Vault Secrets User) instead${props.principalType === undefined ? ", or set principalType if the principal is not a service principal" : ""}.`);
    }
    if (dataPlane.includes(role) && !(typeof props.scope === "string" && VAULT_SCOPE.test(props.scope))) {
      report("ID-03", `Key Vault role ${role} is not scoped to a vault; set scope to the vault's id (or a narrower child), never a subscription or resource group.`);
    }
  },
});

const ELEVATED_PERMISSIONS = ["all", "purge"];
const PERMISSION_KINDS = ["keys", "secrets", "certificates", "storage"];

/** The permission kinds of one access-policy entry that grant "all" or "purge". */
function elevatedKinds(entry: unknown): string[] {
  if (!isRecord(entry) || !isRecord(entry.permissions)) return [];
  const perms = entry.permissions;
  return PERMISSION_KINDS.filter((k) => asArray(perms[k]).some((p) => ELEVATED_PERMISSIONS.some((e) => eqi(p, e))));
}

interface AccessPolicyConfig { administratorObjectIds: string[] }
export const id04AccessPolicyPermissions = resourcePolicy<AccessPolicyConfig>({
  name: "id-04-access-policy-permissions",
  controls: ["ID-04"],
  summary: "Access-policy mode only: no \"all\" or \"purge\" permissions for principals that are not vault administrators.",
  types: [T.vault, T.accessPolicy],
  configSchema: {
    properties: {
      administratorObjectIds: { type: "array", items: { type: "string" }, default: [], description: "Entra object ids allowed all / purge permissions." },
    },
  },
  check(props, { config, report, args }) {
    const admins = config.administratorObjectIds.map((id) => id.toLowerCase());
    const entries = args.type === T.accessPolicy
      ? [props.policy]
      : asArray(isRecord(props.properties) ? props.properties.accessPolicies : undefined);
    entries.forEach((entry, i) => {
      const kinds = elevatedKinds(entry);
      if (kinds.length === 0) return;
      // Read the object id only now: it is often unknown in preview.
      if (typeof entry.objectId === "string" && admins.includes(entry.objectId.toLowerCase())) return;
      const where = args.type === T.accessPolicy ? "policy.permissions" : `properties.accessPolicies[${i}].permissions`;
      report("ID-04", `${where} grants "all" or "purge" on ${kinds.join(", ")} to a principal that is not a vault administrator; remove them.`);
    });
  },
});

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
/** GitHub subjects that name what may sign in: a branch or tag, an environment, or pull requests of one repository. */
const GITHUB_EXACT_SUBJECT = /^repo:[^/:\s]+\/[^:\s]+:(ref:refs\/(heads|tags)\/\S+|environment:\S+|pull_request)$/;

export const id05ExactFederatedSubject = resourcePolicy({
  name: "id-05-exact-federated-subject",
  controls: ["ID-05"],
  summary: "Federated credentials trust an exact subject: no wildcard, and for GitHub a branch, tag, environment or pull request.",
  types: [T.appFederatedCredential, T.identityFederatedCredential],
  configSchema: { properties: {} },
  check(props, { report }) {
    const subject = typeof props.subject === "string" ? props.subject.trim() : "";
    if (subject === "") {
      report("ID-05", "subject is missing; set the exact subject the issuer puts in its tokens.");
    } else if (subject.includes("*")) {
      report("ID-05", `subject "${subject}" contains a wildcard; Entra matches subjects exactly, so name one branch, tag, environment or pull request.`);
    } else if (typeof props.issuer === "string" && props.issuer.trim().replace(/\/+$/, "").toLowerCase() === GITHUB_ISSUER && !GITHUB_EXACT_SUBJECT.test(subject)) {
      report("ID-05", `subject "${subject}" does not name a branch, tag, environment or pull request of one repository (repo:<owner>/<repo>:ref:refs/heads/<branch>, :environment:<name> or :pull_request).`);
    }
  },
});

export const IDENTITY_POLICIES: Policies = [id01PasswordLifetime, id02PasswordRotation, id03LeastPrivilege, id04AccessPolicyPermissions, id05ExactFederatedSubject];
