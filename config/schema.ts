import { z } from "zod";
import {
  FEDERATED_NAME, GENERATED_LENGTH, ROTATION_DAYS, GUID, LOG_RETENTION, PASSWORD_LIFETIME, PRIVATE_DNS_ZONE_ID, PRIVATE_LINK_SCOPE_ID, PROJECT_NAME,
  SECRET_NAME, SUBNET_ID, ipRuleProblem, isEmail, messages, parseIsoDate,
} from "./rules";

/**
 * The stack config schema (`mlvault:*` keys). Every object is strict: an unknown key is an error, so a typo such
 * as `operater` never passes silently. Cross-field rules (uniqueness, prod requirements, secret values) are in
 * validate.ts, where they can name the exact key.
 */
/** A whole number in [min, max], with one message that states the rule (zod's defaults only say "too small"). */
function intIn(min: number, max: number, unit: string) {
  const rule = max === Number.MAX_SAFE_INTEGER ? `must be a whole number >= ${min} ${unit}` : `must be a whole number from ${min} to ${max} ${unit}`;
  return z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
}

const isoDate = z.string().refine((s) => parseIsoDate(s) !== undefined, messages.isoDate);
const guid = z.string().regex(GUID, messages.guid);

export const principal = z.union([
  guid,
  z.object({ objectId: guid, type: z.enum(["User", "Group", "ServicePrincipal"]) }).strict(),
], { error: "must be an Entra object id (GUID) or {objectId: <GUID>, type: User|Group|ServicePrincipal}" });

export const federatedCredential = z
  .object({
    name: z.string().regex(FEDERATED_NAME, "must be 3-120 characters: letters, digits, hyphens and underscores"),
    issuer: z.url({ protocol: /^https$/, error: "must be an https URL (the OIDC issuer)" }),
    subject: z.string().min(1).max(600),
    audiences: z.array(z.string().min(1)).min(1).default(["api://AzureADTokenExchange"]),
    description: z.string().max(600).optional(),
  })
  .strict();

export const servicePrincipal = z
  .object({
    passwordLifetimeDays: intIn(PASSWORD_LIFETIME.min, PASSWORD_LIFETIME.max, "days (0 = no password); must be at most 365 days")
      .default(PASSWORD_LIFETIME.default),
    federatedCredentials: z.array(federatedCredential).default([]),
  })
  .strict();

export const secretSpec = z
  .object({
    name: z.string().regex(SECRET_NAME, messages.secretName),
    contentType: z.string().min(1, "must name the content type (e.g. password, token, api-key)").max(255),
    source: z.enum(["config", "generate", "external"]),
    expiresOn: isoDate,
    activatesOn: isoDate.optional(),
    enabled: z.boolean().default(true),
    /**
     * Retire the secret: mlvault disables it through ARM and stops writing its value (no value needed any more).
     * Removing a secret from the config only makes Pulumi forget it (it is never deleted: Key Vault deletes go
     * through the data plane); retire it first so nothing can still read it. See docs/runbooks/retire-secret.md.
     */
    retired: z.boolean().default(false),
    length: intIn(GENERATED_LENGTH.min, GENERATED_LENGTH.max, "characters").optional(),
    /** Bump to rotate now (generate: a new value; config: set a new value too). */
    rotation: intIn(0, Number.MAX_SAFE_INTEGER, "(a counter)").optional(),
    /** generate only: a new value every N days (rotation windows; inputs stay identical inside a window). */
    rotationDays: intIn(ROTATION_DAYS.min, ROTATION_DAYS.max, "days").optional(),
  })
  .strict();

export const project = z
  .object({
    name: z.string().regex(PROJECT_NAME, messages.projectName),
    description: z.string().max(256).optional(),
    readers: z.array(principal).default([]),
    operators: z.array(principal).default([]),
    servicePrincipal: servicePrincipal.default({ passwordLifetimeDays: PASSWORD_LIFETIME.default, federatedCredentials: [] }),
    secrets: z.array(secretSpec).default([]),
    /**
     * platformManaged (default, as Microsoft advises when CMK is not required) or customerManaged: an HSM key in the
     * project's (premium) vault, rotated automatically, encrypts the ML workspace through the workload identity.
     */
    encryption: z.enum(["platformManaged", "customerManaged"]).default("platformManaged"),
    /**
     * Bump to build the project's vault and workspace under new names. Both names stay reserved after a delete
     * (Key Vault soft delete: 7-90 days; ML workspace soft delete: 14 days), so re-creating a destroyed project, or
     * replacing its workspace (switching `encryption`), needs new names (docs/runbooks/recover-soft-deleted.md).
     */
    generation: intIn(1, 99, "(1 = the original names)").default(1),
  })
  .strict();

export const network = z
  .object({
    allowedIpRanges: z.array(z.string().superRefine((s, ctx) => {
      const problem = ipRuleProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })).default([]),
    privateEndpointSubnetId: z.string().regex(SUBNET_ID, messages.subnetId).optional(),
    /**
     * The environment's existing Azure Monitor Private Link Scope: Log Analytics and every App Insights component
     * are linked into it, and in prod their public ingestion closes. Required in prod.
     */
    monitorPrivateLinkScopeId: z.string().regex(PRIVATE_LINK_SCOPE_ID, messages.privateLinkScopeId).optional(),
    privateDnsZoneIds: z
      .object({
        vault: z.string().regex(PRIVATE_DNS_ZONE_ID, messages.dnsZoneId).optional(),
        amlworkspace: z.string().regex(PRIVATE_DNS_ZONE_ID, messages.dnsZoneId).optional(),
        notebooks: z.string().regex(PRIVATE_DNS_ZONE_ID, messages.dnsZoneId).optional(),
        blob: z.string().regex(PRIVATE_DNS_ZONE_ID, messages.dnsZoneId).optional(),
        file: z.string().regex(PRIVATE_DNS_ZONE_ID, messages.dnsZoneId).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export const platform = z
  .object({
    owner: z.string({ error: (iss) => (iss.input === undefined ? "is required (the owner tag value)" : undefined) })
      .trim().min(1, "is required (the owner tag value)").max(256),
    logRetentionDays: intIn(LOG_RETENTION.min, LOG_RETENTION.max, "days").optional(),
    manageDefender: z.boolean().default(true),
    vaultAccessModel: z.enum(["rbac", "accessPolicy"]).default("rbac"),
    /**
     * A CanNotDelete lock on every vault (opt-in). Prod vaults are already `protect`ed, soft-deleted for 90 days and
     * purge-protected; a lock also stops deletes from outside Pulumi, but it blocks removing role assignments on the
     * vault too, so changing a project's readers or operators then needs the lock lifted first.
     */
    vaultDeleteLock: z.boolean().default(false),
    alertEmails: z.array(z.string().refine(isEmail, messages.email)).default([]),
    network: network.default({ allowedIpRanges: [], privateDnsZoneIds: {} }),
    alerts: z
      .object({
        /** Denied (HTTP 403) Key Vault requests per vault in 15 minutes that raise an alert. */
        deniedAccessThreshold: intIn(1, 10_000, "denied requests").default(5),
        /** Where the runbooks live; each alert links its runbook below this URL. */
        runbookBaseUrl: z.url({ protocol: /^https$/, error: "must be an https URL" }).optional(),
      })
      .strict()
      .default({ deniedAccessThreshold: 5 }),
  })
  .strict();

export const environment = z.enum(["dev", "prod"]);

/** Values of `source: config` secrets, keyed "<project>/<secret>". Plaintext only inside the program. */
export const secretValues = z.record(z.string(), z.string());

export type Principal = z.infer<typeof principal>;
export type FederatedCredential = z.infer<typeof federatedCredential>;
export type SecretSpec = z.infer<typeof secretSpec>;
export type ProjectConfig = z.infer<typeof project>;
export type PlatformConfig = z.infer<typeof platform>;
export type Environment = z.infer<typeof environment>;
