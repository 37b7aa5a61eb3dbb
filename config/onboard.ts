import { Document, isMap, isScalar, isSeq, parseDocument, visit, type YAMLMap, type YAMLSeq } from "yaml";
import { ConfigError, validateStackConfig, type ConfigIssue } from "./validate";

/**
 * The pure half of `mlvault onboard`: turn the command's flags into a project entry, splice it into a stack file's
 * text, and decide which validation issues onboarding tolerates. No file system here (see cli/onboard.ts).
 */

export const PROJECTS_KEY = "mlvault:projects";
/** Pulumi qualifies bare keys with the project name, and the Pulumi project is `mlvault`: `projects` is the same key. */
const PROJECTS_KEYS = [PROJECTS_KEY, "projects"];
const PERSONA_TYPES = ["User", "Group", "ServicePrincipal"];
/** The message prefix validate.ts uses for a `source: config` secret without a value (see checkSecretValues). */
const NEEDS_VALUE = "source: config needs a value";

export interface OnboardInput {
  project: string;
  description?: string;
  /** `<objectId>` or `<objectId>:User|Group|ServicePrincipal`. */
  readers: string[];
  operators: string[];
  /** `name:contentType:source:expiresOn`. */
  secrets: string[];
  passwordLifetimeDays?: number;
  /** `name=…,issuer=…,subject=…[,description=…]`. */
  federated: string[];
}

export type ProjectEntry = Record<string, unknown> & { name: string };

export class OnboardError extends Error {}

/**
 * Builds the project entry as it will appear in the stack file. Only the shape of each flag is checked here;
 * every value rule (name patterns, GUIDs, dates, sources) is left to validateStackConfig so messages are the ones
 * config validation prints. Returns the entry, or the list of malformed flags.
 */
export function buildProjectEntry(input: OnboardInput): { entry: ProjectEntry; problems: string[] } {
  const problems: string[] = [];
  const secrets = input.secrets.flatMap((spec) => {
    const s = parseSecretSpec(spec);
    if (!s) problems.push(`--secret "${spec}": expected name:contentType:source:expiresOn (source: config, generate or external)`);
    return s ? [s] : [];
  });
  const federatedCredentials = input.federated.flatMap((spec) => {
    const f = parseFederated(spec);
    if (!f) problems.push(`--federated "${spec}": expected name=<name>,issuer=<https URL>,subject=<subject>`);
    return f ? [f] : [];
  });

  const entry: ProjectEntry = { name: input.project };
  if (input.description !== undefined) entry.description = input.description;
  const principals = (flag: string, specs: string[]) => specs.map((spec) => {
    const p = parsePrincipal(spec);
    if (p === undefined) problems.push(`${flag} "${spec}": the type after ':' must be one of ${PERSONA_TYPES.join(", ")} (any case)`);
    return p ?? spec;
  });
  if (input.readers.length > 0) entry.readers = principals("--reader", input.readers);
  if (input.operators.length > 0) entry.operators = principals("--operator", input.operators);
  if (input.passwordLifetimeDays !== undefined || federatedCredentials.length > 0) {
    entry.servicePrincipal = {
      ...(input.passwordLifetimeDays !== undefined ? { passwordLifetimeDays: input.passwordLifetimeDays } : {}),
      ...(federatedCredentials.length > 0 ? { federatedCredentials } : {}),
    };
  }
  if (secrets.length > 0) entry.secrets = secrets;
  return { entry, problems };
}

/** `name:contentType:source:expiresOn`; expiresOn may be a date-time and so hold colons itself. */
export function parseSecretSpec(spec: string): { name: string; contentType: string; source: string; expiresOn: string } | undefined {
  const parts = spec.split(":");
  if (parts.length < 4) return undefined;
  const [name, contentType, source] = parts;
  return { name, contentType, source, expiresOn: parts.slice(3).join(":") };
}

/**
 * `<id>` stays a bare id (a group, the schema's default); `<id>:<type>` becomes {objectId, type}, the type matched in
 * any case and written with Entra's spelling (`user` → `User`). An unknown type is undefined: an object id never
 * holds a ':', so whatever follows one was meant as a type.
 */
export function parsePrincipal(text: string): string | { objectId: string; type: string } | undefined {
  const at = text.lastIndexOf(":");
  if (at < 0) return text;
  const type = PERSONA_TYPES.find((t) => t.toLowerCase() === text.slice(at + 1).trim().toLowerCase());
  return type && at > 0 ? { objectId: text.slice(0, at), type } : undefined;
}

/** `k=v,k=v`: values may contain '=' and ':' (subjects do), not ','. Unknown keys are kept for the schema to name. */
export function parseFederated(spec: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return undefined;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Adds `entry` to the stack file's `mlvault:projects` (creating the key when absent) and returns the new text and
 * the entry's index. The yaml Document API finds where the list ends and renders the entry; the rendered text is
 * then spliced into the original, so every other byte (comments, their spacing, key order, quoting) is untouched.
 * `String(doc)` alone would re-space inline comments (`x   # c` becomes `x # c`). Only when the list is in flow
 * style or empty (`[]`, no value) does the whole document go through String(doc).
 */
export function addProjectToStackYaml(text: string, entry: ProjectEntry): { text: string; index: number } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new OnboardError(`cannot be read as YAML: ${doc.errors[0].message.split("\n")[0]}`);
  const config = doc.get("config", true);
  if (config !== undefined && config !== null && !isMap(config) && !(isScalar(config) && config.value === null)) {
    throw new OnboardError("config must be a map");
  }
  const key = isMap(config) ? PROJECTS_KEYS.find((k) => config.has(k)) : undefined;
  const projects = key !== undefined && isMap(config) ? config.get(key, true) : undefined;

  if (isMap(config) && !config.flow && config.items.length > 0 && key === undefined) {
    const rendered = render({ [PROJECTS_KEY]: [entry] });
    return { text: spliceBlock(text, config.range![1], column(text, config.range![0]), rendered), index: 0 };
  }
  if (isSeq(projects) && !projects.flow && projects.items.length > 0) {
    return { text: spliceBlock(text, projects.range![1], column(text, projects.range![0]), render([entry])), index: projects.items.length };
  }
  if (projects !== undefined && projects !== null && !isSeq(projects) && !(isScalar(projects) && projects.value === null)) {
    throw new OnboardError(`${PROJECTS_KEY} must be a list of projects`);
  }
  // Flow or empty list, missing or empty config: rebuild through the Document API.
  const index = isSeq(projects) ? projects.items.length : 0;
  const node = doc.createNode(entry);
  quoteDates(node);
  if (isSeq(projects)) {
    (projects as YAMLSeq).flow = false;
    projects.items.push(node);
  } else {
    const seq = doc.createNode([]) as YAMLSeq;
    seq.items.push(node);
    if (isMap(config)) {
      (config as YAMLMap).flow = false;
      config.set(key ?? PROJECTS_KEY, seq);
    } else doc.set("config", doc.createNode({ [PROJECTS_KEY]: seq }));
  }
  return { text: doc.toString({ lineWidth: 0 }), index };
}

/** Renders a value as a block-style YAML fragment the way the shipped stack files are written (dates quoted). */
function render(value: unknown): string {
  const doc = new Document(value);
  quoteDates(doc.contents);
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/** Dates stay strings for every YAML reader (YAML 1.1 readers would otherwise see a timestamp). */
function quoteDates(node: unknown): void {
  visit(node as never, {
    Pair(_, pair) {
      if (isScalar(pair.key) && ["expiresOn", "activatesOn"].includes(String(pair.key.value)) && isScalar(pair.value)) {
        pair.value.type = "QUOTE_DOUBLE";
      }
    },
  });
}

/** Inserts `fragment`, indented to `indent`, at `offset` (the end of a block node), on its own lines. */
function spliceBlock(text: string, offset: number, indent: number, fragment: string): string {
  const pad = " ".repeat(indent);
  const lines = fragment.replace(/\n$/, "").split("\n").map((l) => (l === "" ? l : pad + l)).join("\n") + "\n";
  const before = text.slice(0, offset);
  return before + (before === "" || before.endsWith("\n") ? "" : "\n") + lines + text.slice(offset);
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

export interface OnboardingCheck {
  /** Every validation issue of the edited stack, except the tolerated ones. */
  issues: ConfigIssue[];
  /** Names of the new project's `source: config` secrets that still need a value in this stack. */
  pendingValues: string[];
}

/**
 * Validates an edited stack's config (as readStackFile returns it) with validateStackConfig, tolerating exactly
 * one rule for the new project: its `source: config` secrets have no value yet (they cannot: onboarding never takes
 * values). Those become pendingValues, for the `pulumi config set` commands still needed.
 */
export function checkOnboardedConfig(raw: Record<string, unknown>, index: number, entry: ProjectEntry): OnboardingCheck {
  try {
    validateStackConfig(raw);
    return { issues: [], pendingValues: [] };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const secrets = (entry.secrets ?? []) as { name: string; source: string }[];
    const pendingValues: string[] = [];
    const issues = e.issues.filter((i) => {
      const m = /^projects\[(\d+)\]\.secrets\[(\d+)\]$/.exec(i.key);
      const secret = m && Number(m[1]) === index ? secrets[Number(m[2])] : undefined;
      if (secret?.source === "config" && i.message.startsWith(NEEDS_VALUE)) {
        pendingValues.push(secret.name);
        return false;
      }
      return true;
    });
    return { issues, pendingValues };
  }
}

/** The command that stores a `source: config` secret's value in the stack's encrypted config. */
export function configSetCommand(stack: string, project: string, secret: string): string {
  return `pulumi config set --stack ${stack} --secret --path 'mlvault:secretValues["${project}/${secret}"]' '<value>'`;
}
