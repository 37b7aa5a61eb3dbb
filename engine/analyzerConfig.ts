/**
 * Policy-pack configuration exactly as the Pulumi CLI prepares it for `Analyzer.Configure`
 * (pkg/resource/analyzer/config.go):
 * 1. parse the `--policy-pack-config` JSON: each key maps to an enforcement-level string or to an
 *    object whose `enforcementLevel` is split off and whose other keys are properties;
 * 2. reconcile: start from every policy's own enforcement level and its schema `default`s, apply
 *    the pack's initial config, then the given config — `all` first sets every policy's level,
 *    then each named entry overrides level and merges properties (the `all` entry itself is kept,
 *    as the CLI keeps it);
 * 3. validate each policy's properties against its config schema; any error stops the run.
 */
import { z } from "zod";

export type ConfiguredLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyConfigEntry {
  enforcementLevel?: ConfiguredLevel;
  properties?: Record<string, unknown>;
}

export interface PolicySchemaInfo {
  name: string;
  enforcementLevel: ConfiguredLevel;
  /** JSON-schema `properties` of the policy's configSchema, when it has one. */
  schemaProperties?: Record<string, Record<string, unknown>>;
  schemaRequired?: string[];
}

/** A configuration the engine would refuse (bad level, wrong shape, schema violation). */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

function isLevel(v: unknown): v is ConfiguredLevel {
  return typeof v === "string" && LEVELS.includes(v);
}

/** Step 1: the `--policy-pack-config` document, already JSON-parsed. */
export function parsePolicyPackConfig(config: Record<string, unknown> | undefined): Record<string, PolicyConfigEntry> {
  const result: Record<string, PolicyConfigEntry> = {};
  if (config === undefined || config === null) return result;
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new PolicyConfigError("policy pack config must be a JSON object");
  }
  for (const [key, value] of Object.entries(config)) {
    let entry: PolicyConfigEntry;
    if (typeof value === "string") {
      if (!isLevel(value)) throw new PolicyConfigError(`parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`);
      entry = { enforcementLevel: value };
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        throw new PolicyConfigError(`parsing enforcement level for "${key}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
      }
      entry = {};
      if (enforcementLevel !== undefined) entry.enforcementLevel = enforcementLevel;
      if (Object.keys(properties).length > 0) entry.properties = properties;
    } else {
      throw new PolicyConfigError(`parsing "${key}": value must be an enforcement level string or an object`);
    }
    if (entry.enforcementLevel === undefined && entry.properties === undefined) continue;
    result[key] = entry;
  }
  return result;
}

function applyConfig(result: Record<string, PolicyConfigEntry>, toApply: Record<string, PolicyConfigEntry>): void {
  const all = toApply.all;
  if (all?.enforcementLevel) {
    for (const key of Object.keys(result)) result[key] = { ...result[key], enforcementLevel: all.enforcementLevel };
  }
  for (const [policy, given] of Object.entries(toApply)) {
    const current = result[policy] ?? {};
    const properties = given.properties && Object.keys(given.properties).length > 0
      ? { ...(current.properties ?? {}), ...given.properties }
      : current.properties;
    result[policy] = { enforcementLevel: given.enforcementLevel ?? current.enforcementLevel, properties };
  }
}

function validateProperties(policy: PolicySchemaInfo, props: Record<string, unknown>): string[] {
  if (!policy.schemaProperties) return [];
  const schema: Record<string, unknown> = { type: "object", properties: policy.schemaProperties };
  if (policy.schemaRequired && policy.schemaRequired.length > 0) schema.required = policy.schemaRequired;
  const parsed = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(props);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `${policy.name}: ${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`);
}

/** Steps 2 and 3: the map sent to `Configure`, one entry per policy (plus `all` when given). */
export function reconcilePolicyPackConfig(
  policies: PolicySchemaInfo[],
  initialConfig: Record<string, PolicyConfigEntry>,
  config: Record<string, PolicyConfigEntry>,
): Record<string, PolicyConfigEntry> {
  const result: Record<string, PolicyConfigEntry> = {};
  for (const p of policies) {
    let properties: Record<string, unknown> | undefined;
    for (const [k, s] of Object.entries(p.schemaProperties ?? {})) {
      if (s && typeof s === "object" && "default" in s) (properties ??= {})[k] = s.default;
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
  }
  applyConfig(result, initialConfig);
  applyConfig(result, config);

  const errors = policies.flatMap((p) => validateProperties(p, result[p.name]?.properties ?? {}));
  if (errors.length > 0) throw new PolicyConfigError(`policy pack configuration is invalid: ${errors.join("; ")}`);
  for (const [name, entry] of Object.entries(result)) {
    if (!isLevel(entry.enforcementLevel)) {
      throw new PolicyConfigError(`policy "${name}" has no valid enforcement level`);
    }
  }
  return result;
}
