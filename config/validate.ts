import { z } from "zod";
import { MAX_SECRET_BYTES, parseIsoDate, LOG_RETENTION } from "./rules";
import * as schema from "./schema";
import type { Environment, PlatformConfig, ProjectConfig } from "./schema";

/** The validated stack config the program composes from. */
export interface StackConfig {
  environment: Environment;
  location: string;
  platform: PlatformConfig & { logRetentionDays: number };
  projects: ProjectConfig[];
  /** Plaintext values of `source: config` secrets keyed "<project>/<secret>"; the program wraps each in pulumi.secret. */
  secretValues: Record<string, string>;
}

export interface ConfigIssue {
  /** The key as users write it: `projects[0].secrets[1].name`, `platform.network.privateEndpointSubnetId`. */
  key: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
  }
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.key}: ${i.message}`;
}

/** Secret names reserved by mlvault itself inside each project's vault. */
export const RESERVED_SECRET_NAMES = ["sp-client-secret"];

const MLVAULT_KEYS = ["environment", "platform", "projects", "secretValues"] as const;

/**
 * Validates a stack's config. `raw` maps fully qualified keys (`mlvault:projects`, `azure-native:location`) to
 * parsed values (objects, not JSON strings). Returns the typed config or throws ConfigError with every problem
 * found, each naming its key. Never includes a secret value in a message.
 */
export function validateStackConfig(raw: Record<string, unknown>): StackConfig {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(raw)) {
    const [ns, name] = key.split(":");
    if (ns === "mlvault" && !(MLVAULT_KEYS as readonly string[]).includes(name)) {
      issues.push({ key, message: `unknown key (allowed: ${MLVAULT_KEYS.join(", ")})` });
    }
  }

  const location = raw["azure-native:location"];
  if (typeof location !== "string" || location.trim() === "") {
    issues.push({ key: "azure-native:location", message: "is required (e.g. westeurope)" });
  }
  const environment = parse(schema.environment, raw["mlvault:environment"], "environment", issues, "is required: dev or prod");
  const platform = parse(schema.platform, raw["mlvault:platform"], "platform", issues, "is required (at least owner)");
  const parsedProjects = parseProjects(raw["mlvault:projects"], issues);
  const secretValues = parseSecretValues(raw["mlvault:secretValues"], issues);

  if (environment && platform) checkEnvironmentRules(environment, platform, issues);
  // Cross-field rules run on every project that parsed, so one run reports every problem, not the first layer.
  if (parsedProjects) checkProjects(parsedProjects, issues);
  if (parsedProjects && secretValues) checkSecretValues(parsedProjects, secretValues, issues);
  const projects = parsedProjects?.every((p) => p !== undefined) ? (parsedProjects as ProjectConfig[]) : undefined;

  if (issues.length > 0 || !environment || !platform || !projects || !secretValues) throw new ConfigError(issues);
  return {
    environment,
    location: location as string,
    platform: { ...platform, logRetentionDays: platform.logRetentionDays ?? LOG_RETENTION.default[environment] },
    projects,
    secretValues,
  };
}

function parse<T extends z.ZodType>(
  s: T, value: unknown, key: string, issues: ConfigIssue[], missing = "is required",
): z.infer<T> | undefined {
  if (value === undefined) {
    issues.push({ key, message: missing });
    return undefined;
  }
  const r = s.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) issues.push(fromZod(key, issue));
  return undefined;
}

/** Each project on its own: a broken project does not hide the other projects' problems. */
function parseProjects(value: unknown, issues: ConfigIssue[]): (ProjectConfig | undefined)[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ key: "projects", message: "must be a list of projects" });
    return undefined;
  }
  return value.map((entry, i) => parse(schema.project, entry, `projects[${i}]`, issues, "must be a project"));
}

function fromZod(root: string, issue: z.core.$ZodIssue): ConfigIssue {
  const key = joinPath(root, issue.path);
  if (issue.code === "unrecognized_keys") {
    return { key: issue.keys.length === 1 ? joinPath(key, [issue.keys[0]]) : key, message: `unknown key${issue.keys.length > 1 ? "s " + issue.keys.join(", ") : ""} (check the spelling; see the config reference in README.md)` };
  }
  // Zod's default texts echo the received value for some codes; ours never do, and values may be secret.
  return { key, message: issue.message.replace(/, received .*$/, "") };
}

export function joinPath(root: string, path: PropertyKey[]): string {
  let out = root;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_][\w]*$/.test(String(p))) out += `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

function parseSecretValues(value: unknown, issues: ConfigIssue[]): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({ key: "secretValues", message: 'must be a map of "<project>/<secret>" to secret values' });
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      issues.push({ key: joinPath("secretValues", [k]), message: "must be a string (set it with pulumi config set --secret)" });
      continue;
    }
    out[k] = v;
  }
  return out;
}

function checkEnvironmentRules(env: Environment, platform: PlatformConfig, issues: ConfigIssue[]): void {
  if (platform.alertEmails.length > 0 && !platform.alerts.runbookBaseUrl) {
    issues.push({ key: "platform.alerts.runbookBaseUrl", message: "is required when alertEmails is set: each alert links its runbook (e.g. https://github.com/<org>/<repo>/blob/main/docs/runbooks)" });
  }
  if (env !== "prod") return;
  if (!platform.network.privateEndpointSubnetId) {
    issues.push({ key: "platform.network.privateEndpointSubnetId", message: "is required in prod (vaults and workspaces are reachable only through private endpoints)" });
  }
  if (!platform.network.monitorPrivateLinkScopeId) {
    issues.push({ key: "platform.network.monitorPrivateLinkScopeId", message: "is required in prod (Log Analytics and Application Insights take ingestion only through the network's Azure Monitor Private Link Scope; see docs/deploying.md)" });
  }
  if (platform.alertEmails.length === 0) {
    issues.push({ key: "platform.alertEmails", message: "is required in prod (at least one address receives security alerts)" });
  }
}

/** `projects` keeps the config's indexes: an entry that failed its schema is undefined and skipped. */
function checkProjects(projects: (ProjectConfig | undefined)[], issues: ConfigIssue[]): void {
  duplicates(projects.map((p) => p?.name ?? "")).forEach((i) => {
    if (projects[i]) issues.push({ key: `projects[${i}].name`, message: `duplicates project "${projects[i]!.name}": project names must be unique` });
  });

  projects.forEach((p, pi) => {
    if (!p) return;
    const at = `projects[${pi}]`;
    // Key Vault secret names are case-insensitive: "Token" and "token" are the same secret.
    duplicates(p.secrets.map((s) => s.name.toLowerCase())).forEach((si) =>
      issues.push({ key: `${at}.secrets[${si}].name`, message: `duplicates secret "${p.secrets[si].name}": secret names must be unique within a project (case-insensitive)` }));
    p.secrets.forEach((s, si) => {
      const key = `${at}.secrets[${si}]`;
      if (RESERVED_SECRET_NAMES.includes(s.name.toLowerCase())) {
        issues.push({ key: `${key}.name`, message: `"${s.name}" is reserved for the service principal's credential` });
      }
      if (s.activatesOn !== undefined && parseIsoDate(s.activatesOn)! >= parseIsoDate(s.expiresOn)!) {
        issues.push({ key: `${key}.activatesOn`, message: "must be before expiresOn" });
      }
      if (s.length !== undefined && s.source !== "generate") {
        issues.push({ key: `${key}.length`, message: "applies only to source: generate" });
      }
      if (s.rotationDays !== undefined && s.source !== "generate") {
        issues.push({ key: `${key}.rotationDays`, message: "applies only to source: generate (config secrets rotate when you set a new value; external ones out of band)" });
      }
      if (s.rotation !== undefined && s.source === "external") {
        issues.push({ key: `${key}.rotation`, message: "does not apply to source: external (mlvault never writes its value)" });
      }
    });
    duplicates(p.servicePrincipal.federatedCredentials.map((f) => f.name)).forEach((fi) =>
      issues.push({ key: `${at}.servicePrincipal.federatedCredentials[${fi}].name`, message: "must be unique within the project" }));
    if (p.servicePrincipal.passwordLifetimeDays === 1) {
      issues.push({ key: `${at}.servicePrincipal.passwordLifetimeDays`, message: "must be 0 (no password) or at least 2 days: the two rotating passwords need room to overlap" });
    }
    if (p.servicePrincipal.passwordLifetimeDays === 0 && p.servicePrincipal.federatedCredentials.length === 0) {
      issues.push({ key: `${at}.servicePrincipal.passwordLifetimeDays`, message: "is 0 (no password), so at least one federatedCredential is required or the service principal cannot sign in" });
    }
    for (const persona of ["readers", "operators"] as const) {
      const ids = p[persona].map((r) => (typeof r === "string" ? r : r.objectId).toLowerCase());
      duplicates(ids).forEach((i) => issues.push({ key: `${at}.${persona}[${i}]`, message: "duplicates an object id in the same list" }));
    }
  });
}

function checkSecretValues(projects: (ProjectConfig | undefined)[], values: Record<string, string>, issues: ConfigIssue[]): void {
  const configSecrets = new Map<string, { at: string; retired: boolean }>();
  projects.forEach((p, pi) => p?.secrets.forEach((s, si) => {
    if (s.source === "config") configSecrets.set(`${p.name}/${s.name}`, { at: `projects[${pi}].secrets[${si}]`, retired: s.retired });
  }));
  // A value whose project failed its schema cannot be matched to a secret yet: not reported as orphaned.
  const complete = projects.every((p) => p !== undefined);
  // A retired secret keeps the value Azure already holds: it needs none (one left in config is not an error).
  for (const [secretKey, { at, retired }] of configSecrets) {
    if (!retired && !(secretKey in values)) {
      issues.push({ key: at, message: `source: config needs a value: pulumi config set --secret --path 'mlvault:secretValues["${secretKey}"]'` });
    }
  }
  for (const [k, v] of Object.entries(values)) {
    const key = joinPath("secretValues", [k]);
    if (complete && !configSecrets.has(k)) {
      issues.push({ key, message: "has no matching secret with source: config (expected \"<project>/<secret>\")" });
    }
    const bytes = Buffer.byteLength(v, "utf8");
    if (bytes > MAX_SECRET_BYTES) issues.push({ key, message: `is ${bytes} bytes; Key Vault secret values are limited to ${MAX_SECRET_BYTES} bytes (25 KB)` });
    if (bytes === 0) issues.push({ key, message: "is empty" });
  }
}

/** Indexes of the entries that repeat an earlier one. */
function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => (seen.has(v) ? out.push(i) : seen.add(v)));
  return out;
}
