/**
 * Policy configuration: each policy declares its thresholds once, in its `configSchema` with
 * defaults, and reads them through `readConfig`, which applies those defaults itself (the Pulumi
 * CLI fills schema defaults, but a caller that passes raw config, like a test, must get the same
 * behaviour).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

export function readConfig<T extends object>(schema: PolicyConfigSchema, given: object | undefined): T {
  const defaults: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (typeof prop === "object" && prop !== null && "default" in prop) defaults[key] = prop.default;
  }
  return { ...defaults, ...(given ?? {}) } as T;
}

/** Shared config property: pins "now" for time-dependent checks (deterministic tests and audits). */
export const EVALUATION_TIME_SCHEMA: PolicyConfigJSONSchema = {
  type: "string",
  description: "ISO 8601 date-time to evaluate expiry against instead of the current time (tests, reproducible audits).",
};

/** The evaluation time in ms: `evaluationTime` from config, else the wall clock. */
export function evaluationNow(config: { evaluationTime?: string }): number {
  if (config.evaluationTime === undefined || config.evaluationTime === "") return Date.now();
  const t = Date.parse(config.evaluationTime);
  if (Number.isNaN(t)) throw new Error(`evaluationTime must be an ISO 8601 date-time`);
  return t;
}
