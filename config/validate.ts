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
export interface ValidateOptions {
  /** The stack, so every `pulumi config set` a message prints carries `--stack <stack>` and works from any folder. */
  stack?: string;
  /**
   * `mlvault:secretValues` entries written in plaintext in the stack file (Pulumi cannot tell them apart once
   * loaded; the CLI reads the file and can). Each is refused: a value in plaintext is a value in git.
   */
  plaintextSecretValues?: string[];
}

/** `pulumi config set --stack <stack> --secret --path '<key>'`, the command that stores a value encrypted. */
export function configSetSecret(key: string, stack?: string): string {
  return `pulumi config set${stack ? ` --stack ${stack}` : ""} --secret --path '${key}'`;
}

export function validateStackConfig(raw: Record<string, unknown>, opts: ValidateOptions = {}): StackConfig {
  const issues: ConfigIssue[] = [];
  for (const key of opts.plaintextSecretValues ?? []) {
    issues.push({ key, message: `is stored in plaintext in the stack file (and so in git): encrypt it with ${configSetSecret(`mlvault:${key}`, opts.stack)}, then rotate the value` });
  }
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
  const secretValues = parseSecretValues(raw["mlvault:secretValues"], issues, opts.stack);

  if (environment && platform) checkEnvironmentRules(environment, platform, issues);
  // Cross-field rules run on every project that parsed, so one run reports every problem, not the first layer.
  if (parsedProjects) checkProjects(parsedProjects, issues);
  if (parsedProjects && secretValues) checkSecretValues(parsedProjects, secretValues, issues, opts.stack);
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
  issues.push(...withSuggestions(r.error.issues.map((issue) => fromZod(key, issue, s))));
  return undefined;
}

/**
 * A misspelt key next to the missing one it should have been is one problem, said once: "expires: unknown key; did
 * you mean expiresOn? (expiresOn is missing)".
 */
function withSuggestions(found: (ConfigIssue & { suggestion?: string })[]): ConfigIssue[] {
  const missing = new Set(found.filter((i) => i.message === "is required").map((i) => i.key));
  const merged = new Set<string>();
  const out = found.map(({ suggestion, ...i }) => {
    if (!suggestion) return i;
    const sibling = i.key.replace(/[^.[\]]+$/, suggestion);
    if (missing.has(sibling)) {
      merged.add(sibling);
      return { ...i, message: `${i.message.replace(/ \(check the spelling.*$/, "")}; did you mean "${suggestion}"? (${suggestion} is missing)` };
    }
    return { ...i, message: `${i.message.replace(/ \(check the spelling.*$/, "")}; did you mean "${suggestion}"?` };
  });
  return out.filter((i) => !(merged.has(i.key) && i.message === "is required"));
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

function fromZod(root: string, issue: z.core.$ZodIssue, schema: z.ZodType): ConfigIssue & { suggestion?: string } {
  const key = joinPath(root, issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(schema, issue.path);
    const suggestion = issue.keys.length === 1 ? closest(issue.keys[0], known) : undefined;
    return {
      key: issue.keys.length === 1 ? joinPath(key, [issue.keys[0]]) : key,
      message: `unknown key${issue.keys.length > 1 ? "s " + issue.keys.join(", ") : ""} (check the spelling; see the config reference in README.md)`,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  return { key, message: userMessage(issue) };
}

/**
 * The validation library's own wording never reaches the user: its default texts ("Invalid input: expected
 * boolean") become the rule in plain words; the rules' own messages (schema.ts, rules.ts) pass through. Nothing
 * quotes the value found (it may be secret).
 */
function userMessage(issue: z.core.$ZodIssue): string {
  const own = !/^(Invalid|Too (small|big)|Expected|Unrecognized)/.test(issue.message);
  if (own) return issue.message.replace(/, received .*$/, "");
  switch (issue.code) {
    case "invalid_type": {
      // Zod says "received undefined" for a missing key; only that fact is read, never the value.
      if (/received undefined$/.test(issue.message)) return "is required";
      const words: Record<string, string> = { boolean: "true or false", number: "a number", string: "text", array: "a list", object: "a mapping", int: "a whole number" };
      return `must be ${words[issue.expected] ?? issue.expected}`;
    }
    case "invalid_value":
      return `must be one of: ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      return `must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters long" : issue.origin === "array" ? " items" : ""}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters long" : issue.origin === "array" ? " items" : ""}`;
    case "invalid_union":
      return "is not in any accepted form (see the config reference in README.md)";
    default:
      return "is not valid here (see the config reference in README.md)";
  }
}

/** The keys an object schema allows at `path` (through defaults, optionals, arrays and unions). */
function knownKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    let cur = x as { _zod?: { def?: Record<string, unknown> } };
    for (let n = 0; n < 10 && cur?._zod?.def; n++) {
      const def = cur._zod.def;
      if (def.innerType) cur = def.innerType as typeof cur;
      else if (def.type === "union" && Array.isArray(def.options)) cur = (def.options as typeof cur[]).find((o) => (unwrap(o) as { shape?: unknown }).shape) ?? cur;
      else break;
      if ((cur as { shape?: unknown }).shape) break;
    }
    return cur;
  };
  for (const p of path) {
    s = unwrap(s);
    if (typeof p === "number") s = (s as { element?: unknown }).element ?? (s as { _zod?: { def?: { element?: unknown } } })._zod?.def?.element;
    else s = ((s as { shape?: Record<string, unknown> }).shape ?? {})[String(p)];
  }
  const shape = (unwrap(s) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** The known key a misspelling most likely meant: same letters in another case, a prefix, or at most two edits. */
export function closest(word: string, known: string[]): string | undefined {
  const lower = word.toLowerCase();
  const direct = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()));
  if (direct) return direct;
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { key: k, d };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
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

function parseSecretValues(value: unknown, issues: ConfigIssue[], stack: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({ key: "secretValues", message: 'must be a map of "<project>/<secret>" to secret values' });
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      const key = joinPath("secretValues", [k]);
      issues.push({ key, message: `must be a string (set it with ${configSetSecret(`mlvault:${key}`, stack)})` });
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

function checkSecretValues(projects: (ProjectConfig | undefined)[], values: Record<string, string>, issues: ConfigIssue[], stack: string | undefined): void {
  const configSecrets = new Map<string, { at: string; retired: boolean }>();
  projects.forEach((p, pi) => p?.secrets.forEach((s, si) => {
    if (s.source === "config") configSecrets.set(`${p.name}/${s.name}`, { at: `projects[${pi}].secrets[${si}]`, retired: s.retired });
  }));
  // A value whose project failed its schema cannot be matched to a secret yet: not reported as orphaned.
  const complete = projects.every((p) => p !== undefined);
  // A retired secret keeps the value Azure already holds: it needs none (one left in config is not an error).
  for (const [secretKey, { at, retired }] of configSecrets) {
    if (!retired && !(secretKey in values)) {
      issues.push({ key: at, message: `source: config needs a value: ${configSetSecret(`mlvault:secretValues["${secretKey}"]`, stack)}` });
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
