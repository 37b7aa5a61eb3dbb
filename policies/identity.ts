/**
 * Identity and access controls ID-01…ID-04: password lifetime and rotation (azuread 6.x), least
 * privilege role assignments on vaults, and access-policy permissions (opt-in mode only).
 * Password resources are secret-bearing: messages never quote their values.
 */
import type { Policies } from "@pulumi/policy";
import { EVALUATION_TIME_SCHEMA, evaluationNow } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { isType, T } from "./lib/types";
import { id03LeastPrivilege, id03PrivilegedCustomRoles } from "./privilege";
import { asArray, DAY_MS, daysBetween, eqi, goDurationDays, isRecord, parseIsoDate } from "./lib/values";

const PASSWORD_TYPES = [T.spPassword, T.appPassword];

interface LifetimeConfig { maxPasswordLifetimeDays: number; evaluationTime?: string }
export const id01PasswordLifetime = resourcePolicy<LifetimeConfig>({
  name: "id-01-password-lifetime",
  controls: ["ID-01"],
  summary: "Service principal and application passwords (the password resources and an application's inline password) end within the configured lifetime of their start (default 365 days) and are not expired.",
  types: [...PASSWORD_TYPES, T.application],
  configSchema: {
    properties: {
      maxPasswordLifetimeDays: { type: "integer", minimum: 1, default: 365, description: "Longest allowed password lifetime, in days." },
      evaluationTime: EVALUATION_TIME_SCHEMA,
    },
  },
  check(resourceProps, { config, report, args }) {
    // An application's inline `password` block is a credential like any other (azuread Application.password).
    const inline = isType(args.type, T.application);
    if (inline && !isRecord(resourceProps.password)) return;
    const props: Record<string, any> = inline ? resourceProps.password : resourceProps;
    const where = inline ? "password." : "";
    const now = evaluationNow(config);
    const hasStart = props.startDate !== undefined && props.startDate !== null;
    const start = hasStart ? parseIsoDate(props.startDate) : now;
    if (start === undefined) {
      report("ID-01", `${where}startDate is not an RFC 3339 date; fix it.`);
      return;
    }
    let end: number | undefined;
    if (props.endDate !== undefined && props.endDate !== null) {
      end = parseIsoDate(props.endDate);
      if (end === undefined) {
        report("ID-01", `${where}endDate is not an RFC 3339 date; fix it.`);
        return;
      }
    } else {
      const relative = goDurationDays(props.endDateRelative);
      if (relative === undefined) {
        report("ID-01", `${where}endDate is missing (the password would never expire); set endDate within ${config.maxPasswordLifetimeDays} days of its start.`);
        return;
      }
      end = start + relative * DAY_MS;
    }
    if ((end - start) / DAY_MS > config.maxPasswordLifetimeDays) {
      report("ID-01", `the password's lifetime is ${daysBetween(start, end)} days from ${hasStart ? "its startDate" : "now"} to its endDate, more than the maximum of ${config.maxPasswordLifetimeDays} days; shorten it.`);
    }
    if (end <= now) report("ID-01", `the password expired ${daysBetween(end, now)} day(s) ago; rotate it.`);
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
    const entries = isType(args.type, T.accessPolicy)
      ? [props.policy]
      : asArray(isRecord(props.properties) ? props.properties.accessPolicies : undefined);
    entries.forEach((entry, i) => {
      const kinds = elevatedKinds(entry);
      if (kinds.length === 0) return;
      // Read the object id only now: it is often unknown in preview.
      if (typeof entry.objectId === "string" && admins.includes(entry.objectId.toLowerCase())) return;
      const where = isType(args.type, T.accessPolicy) ? "policy.permissions" : `properties.accessPolicies[${i}].permissions`;
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

export const IDENTITY_POLICIES: Policies = [
  id01PasswordLifetime, id02PasswordRotation, id03LeastPrivilege, id03PrivilegedCustomRoles, id04AccessPolicyPermissions, id05ExactFederatedSubject,
];
