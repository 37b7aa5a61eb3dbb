import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { tooDeep, tooDeepMessage } from "../engine/depth";

/** Stands in for every `secure:` value offline: opaque, secret, and never the ciphertext itself. */
export const OFFLINE_SECRET_PLACEHOLDER = "[offline: encrypted value]";

/**
 * The placeholder for one `secure:` value: the fixed text plus a digest of its ciphertext, so two plans can tell that
 * a secret's value was changed (a new secret value is new ciphertext) without anything being decrypted.
 */
export function offlineSecretPlaceholder(ciphertext: unknown): string {
  const digest = createHash("sha256").update(String(ciphertext)).digest("hex").slice(0, 12);
  return `${OFFLINE_SECRET_PLACEHOLDER.slice(0, -1)} #${digest}]`;
}

export class StackFileError extends Error {}

export interface StackFile {
  project: string;
  stack: string;
  /** Parsed config, fully qualified keys (`mlvault:projects`), `secure:` values replaced by the placeholder. */
  config: Record<string, unknown>;
  /** Top-level keys that held a `secure:` value anywhere inside. */
  secretKeys: string[];
  /**
   * Entries of `mlvault:secretValues` written in plaintext instead of `secure:` (as users write them, e.g.
   * `secretValues["churn/sql-password"]`): a secret committed to the repository. Never their values.
   */
  plaintextSecretValues: string[];
}

/**
 * Reads Pulumi.yaml (project name, project-level config defaults) and Pulumi.<stack>.yaml, as the Pulumi CLI would,
 * without decrypting anything: offline, `secure:` values cannot be decrypted and become opaque placeholders that
 * stay secret all the way through the program.
 */
export function readStackFile(dir: string, stack: string): StackFile {
  const project = parseProject(readText(path.join(dir, "Pulumi.yaml")));
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(stack)) throw new StackFileError(`stack "${stack}": stack names are letters, digits, '-', '_' and '.'`);
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new StackFileError(`Pulumi.${stack}.yaml: no such stack file in ${dir}`);
  return fromProject(project, readText(file), stack);
}

/**
 * The same, from texts: for tools that check an edited stack file before writing it (`mlvault onboard`), so what
 * they validate is exactly what `plan` will read.
 */
export function parseStackFile(projectYaml: string, stackYaml: string, stack: string): StackFile {
  return fromProject(parseProject(projectYaml), stackYaml, stack);
}

interface ProjectFile {
  name: string;
  config?: Record<string, unknown>;
}

function parseProject(text: string): ProjectFile {
  const project = parseYamlText(text, "Pulumi.yaml");
  if (typeof project?.name !== "string") throw new StackFileError(`Pulumi.yaml: must have a project name`);
  return project as ProjectFile;
}

function fromProject(project: ProjectFile, stackYaml: string, stack: string): StackFile {
  const doc = parseYamlText(stackYaml, `Pulumi.${stack}.yaml`) ?? {};
  const raw = (doc.config ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw)) throw new StackFileError(`Pulumi.${stack}.yaml: config must be a map`);

  const config: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries((project.config ?? {}) as Record<string, unknown>)) {
    // Pulumi.yaml declares project config with `value:` (a fixed value) or `default:` (overridable).
    const d = decl as { value?: unknown; default?: unknown } | undefined;
    const value = d && typeof d === "object" ? d.value ?? d.default : undefined;
    if (value !== undefined) config[qualify(project.name, key)] = value;
  }
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const q = qualify(project.name, key);
    const { value: plain, secret } = replaceSecure(value);
    config[q] = plain;
    if (secret) secretKeys.push(q);
  }
  const values = raw["mlvault:secretValues"] ?? raw[`${project.name}:secretValues`];
  const plaintextSecretValues = values && typeof values === "object" && !Array.isArray(values)
    ? Object.entries(values as Record<string, unknown>).filter(([, v]) => !replaceSecure(v).secret).map(([k]) => `secretValues[${JSON.stringify(k)}]`)
    : [];
  return { project: project.name, stack, config, secretKeys, plaintextSecretValues };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StackFileError(`${path.basename(file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped YAML document; config values are validated by zod later
type YamlDocument = Record<string, any>;

function parseYamlText(text: string, name: string): YamlDocument | undefined {
  let doc: YamlDocument | undefined;
  try {
    doc = parse(text);
  } catch (e) {
    const reason = (e as Error).message.split("\n")[0];
    // The parser recurses: absurd nesting exhausts its stack before it can say where.
    if (/Maximum call stack size exceeded/.test(reason)) throw new StackFileError(`${name}: cannot be read as YAML: ${tooDeepMessage("the document")}`);
    throw new StackFileError(`${name}: cannot be read as YAML: ${reason}`);
  }
  const deep = tooDeep(doc);
  if (deep) throw new StackFileError(`${name}: ${tooDeepMessage(deep)}`);
  return doc;
}

/** Keys without a namespace belong to the project, as in the Pulumi CLI. */
function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function replaceSecure(value: unknown): { value: unknown; secret: boolean } {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure") return { value: offlineSecretPlaceholder(entries[0][1]), secret: true };
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const r = replaceSecure(v);
      out[k] = r.value;
      secret ||= r.secret;
    }
    return { value: out, secret };
  }
  if (Array.isArray(value)) {
    const items = value.map(replaceSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  return { value, secret: false };
}
