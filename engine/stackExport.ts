/**
 * Reads `pulumi stack export` files (deployment format version 3, apitype.UntypedDeployment around
 * apitype.DeploymentV3 / ResourceV3) into the engine's ResourceRecord model, for `mlvault audit`.
 *
 * Validation is structural and lenient on purpose: the shipped JSON schemas set
 * `additionalProperties: false` but omit fields current CLIs write (created, modified,
 * sourcePosition, retainOnDelete, deletedWith…), so unknown fields are ignored and only what
 * the audit relies on is checked.
 *
 * Secrets: an exported secret is `{sig: secret, ciphertext}` (encrypted; kept as an opaque wire
 * secret with no value, never decrypted or printed) or `{sig: secret, plaintext: "<JSON>"}`
 * (`--show-secrets`; becomes a wire secret with its decoded value). No error message quotes file
 * content, so a malformed file never leaks a value.
 */
import * as fs from "fs";
import { SECRET_SIG, SPECIAL_SIG } from "./wire";
import { tooDeep, tooDeepMessage } from "./depth";
import { jsonErrorPosition } from "./json";
import { explicitDependencies, type ResourceRecord } from "./types";

export const SUPPORTED_DEPLOYMENT_VERSION = 3;

/** The file cannot be audited; the one-line message names the file and the problem (exit 2). */
export class StackExportError extends Error {
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = "StackExportError";
  }
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads and parses an export file. Throws StackExportError for anything unusable. */
export function readStackExport(file: string): ResourceRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StackExportError(file, `cannot read the file (${code ?? "read error"})`);
  }
  if (text.trim() === "") throw new StackExportError(file, "the file is empty");
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new StackExportError(file, `not valid JSON${jsonErrorPosition(text, e)}`);
  }
  return parseStackExport(doc, file);
}

/** Converts an already-parsed export document. `source` names it in error messages. */
export function parseStackExport(doc: unknown, source = "stack export"): ResourceRecord[] {
  const fail = (problem: string): never => {
    throw new StackExportError(source, problem);
  };
  if (!isObject(doc)) return fail("not a stack export (expected a JSON object with `version` and `deployment`)");
  const deep = tooDeep(doc);
  if (deep) return fail(tooDeepMessage(deep));
  if (!("version" in doc)) return fail("not a stack export: `version` is missing");
  if (typeof doc.version !== "number" || !Number.isInteger(doc.version)) return fail("`version` must be an integer");
  if (doc.version !== SUPPORTED_DEPLOYMENT_VERSION) {
    return fail(`deployment format version ${doc.version} is not supported (expected ${SUPPORTED_DEPLOYMENT_VERSION}; re-export with a current Pulumi CLI)`);
  }
  if (!("deployment" in doc) || doc.deployment === null) return fail("not a stack export: `deployment` is missing");
  if (!isObject(doc.deployment)) return fail("`deployment` must be an object");
  const deployment = doc.deployment;
  // The CLI omits `resources` for an empty stack.
  if (deployment.resources === undefined || deployment.resources === null) return [];
  if (!Array.isArray(deployment.resources)) return fail("`deployment.resources` must be an array");

  const records: ResourceRecord[] = [];
  const live = new Map<string, number>();
  deployment.resources.forEach((raw, i) => {
    const record = toRecord(raw, `deployment.resources[${i}]`, fail);
    if (!record) return;
    // One live resource per URN (only a copy pending deletion may share it): two would make every link ambiguous.
    if (!record.pendingDelete) {
      const first = live.get(record.urn);
      if (first !== undefined) fail(`deployment.resources[${i}] repeats the URN of deployment.resources[${first}] (${record.urn}); an export holds one live resource per URN`);
      live.set(record.urn, i);
    }
    records.push(record);
  });
  return records;
}

/** The name part of a URN (everything after the third `::`), as URN.Name() in the Go SDK. */
export function urnName(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : "";
}

/** The type token of a URN (last `$` segment of the qualified type). */
export function urnType(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4) return "";
  const qualified = parts[2];
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** Stack and project named by the URNs of an export (`urn:pulumi:<stack>::<project>::…`). */
export function stackIdentityOf(records: ResourceRecord[]): { stack: string; project: string } | undefined {
  for (const r of records) {
    if (!r.urn.startsWith("urn:pulumi:")) continue;
    const [stack, project] = r.urn.slice("urn:pulumi:".length).split("::");
    if (stack && project) return { stack, project };
  }
  return undefined;
}

function toRecord(raw: unknown, where: string, fail: (p: string) => never): ResourceRecord | undefined {
  if (!isObject(raw)) return fail(`${where} must be an object`);
  if (typeof raw.urn !== "string" || raw.urn === "") return fail(`${where}.urn must be a non-empty string`);
  const urn = raw.urn;
  const type = raw.type === undefined ? urnType(urn) : raw.type;
  if (typeof type !== "string" || type === "") return fail(`${where}.type must be a non-empty string`);

  const optString = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") return fail(`${where}.${key} must be a string`);
    return v;
  };
  const optBool = (key: string): boolean => {
    const v = raw[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== "boolean") return fail(`${where}.${key} must be a boolean`);
    return v;
  };
  const stringList = (v: unknown, path: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) return fail(`${path} must be an array of strings`);
    return v as string[];
  };
  const propertyMap = (key: string): Record<string, unknown> => {
    const v = raw[key];
    if (v === undefined || v === null) return {};
    if (!isObject(v)) return fail(`${where}.${key} must be an object`);
    return fromExportValue(v, `${where}.${key}`, fail) as Record<string, unknown>;
  };

  const propertyDependencies: Record<string, string[]> = {};
  const pd = raw.propertyDependencies;
  if (pd !== undefined && pd !== null) {
    if (!isObject(pd)) return fail(`${where}.propertyDependencies must be an object`);
    for (const [k, v] of Object.entries(pd)) propertyDependencies[k] = stringList(v, `${where}.propertyDependencies.${k}`);
  }

  const record: ResourceRecord = {
    urn,
    type,
    name: urnName(urn),
    parent: optString("parent") ?? null,
    custom: optBool("custom"),
    protect: optBool("protect"),
    dependencies: stringList(raw.dependencies, `${where}.dependencies`),
    propertyDependencies,
    inputs: propertyMap("inputs"),
    outputs: propertyMap("outputs"),
    additionalSecretOutputs: stringList(raw.additionalSecretOutputs, `${where}.additionalSecretOutputs`),
  };
  // Pulumi writes retainOnDelete (and, in newer versions, ignoreChanges / replaceOnChanges) into the export; an
  // option it did not write has its default.
  record.options = {
    protect: record.protect,
    retainOnDelete: optBool("retainOnDelete"),
    ignoreChanges: stringList(raw.ignoreChanges, `${where}.ignoreChanges`),
    deleteBeforeReplace: optBool("deleteBeforeReplace"),
    replaceOnChanges: stringList(raw.replaceOnChanges, `${where}.replaceOnChanges`),
    dependsOn: explicitDependencies(record),
  };
  // A copy pending deletion (a replacement whose delete failed or has not run) still exists in Azure: it is
  // evaluated like any other resource, and marked so reports can tell it from its successor of the same URN.
  if (raw.delete === true) record.pendingDelete = true;
  const provider = optString("provider");
  if (provider) record.provider = provider;
  const id = optString("id");
  if (id) record.id = id;
  return record;
}

/** Export form → wire form: only secrets differ (plaintext is JSON-encoded; ciphertext stays opaque). */
function fromExportValue(value: unknown, where: string, fail: (p: string) => never): unknown {
  if (Array.isArray(value)) return value.map((v, i) => fromExportValue(v, `${where}[${i}]`, fail));
  if (!isObject(value)) return value;
  if (value[SPECIAL_SIG] === SECRET_SIG) {
    if (typeof value.ciphertext === "string") return { [SPECIAL_SIG]: SECRET_SIG, ciphertext: value.ciphertext };
    if (typeof value.plaintext === "string") {
      let decoded: unknown;
      try {
        decoded = JSON.parse(value.plaintext);
      } catch {
        return fail(`${where}: a decrypted secret's plaintext is not valid JSON`);
      }
      return { [SPECIAL_SIG]: SECRET_SIG, value: fromExportValue(decoded, where, fail) };
    }
    if ("value" in value) return { [SPECIAL_SIG]: SECRET_SIG, value: fromExportValue(value.value, where, fail) };
    return fail(`${where}: a secret has neither ciphertext nor plaintext`);
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromExportValue(v, `${where}.${k}`, fail);
  return out;
}
