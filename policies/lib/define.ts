/**
 * Builders that turn "the controls I enforce + a check" into a @pulumi/policy policy, so every
 * policy gets its catalogue metadata, applies its config defaults, and names the control in every
 * message the same way ("KV-02: …").
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { controlMetadata } from "../catalogue";
import { readConfig } from "./config";
import { canonicalType } from "./types";

/** Reports one violation of `control` (must be one of the policy's controls). */
export type Report = (control: string, message: string) => void;
export type StackReport = (control: string, message: string, urn?: string) => void;

interface CommonSpec<C> {
  /** Lowercase kebab, prefixed by the primary control, e.g. "kv-02-purge-protection". */
  name: string;
  controls: string[];
  /** One sentence after the control IDs in the description. */
  summary: string;
  configSchema: PolicyConfigSchema;
  enforcementLevel?: EnforcementLevel;
  /** Only for typing `config`. */
  _config?: C;
}

export interface ResourceSpec<C> extends CommonSpec<C> {
  /** Pulumi type tokens the check applies to; `"*"` for every resource. */
  types: string[] | "*";
  check(props: Record<string, any>, ctx: { config: C; report: Report; args: ResourceValidationArgs }): void;
}

export interface StackSpec<C> extends CommonSpec<C> {
  check(resources: PolicyResource[], ctx: { config: C; report: StackReport; args: StackValidationArgs }): void;
}

const NAME_PATTERN = /^[a-z]+-\d{2}(-[a-z0-9]+)+$/;

function checkSpec(spec: CommonSpec<unknown>): void {
  if (!NAME_PATTERN.test(spec.name) || !spec.name.startsWith(spec.controls[0].toLowerCase() + "-")) {
    throw new Error(`policy name "${spec.name}" must be kebab-case and start with its primary control`);
  }
}

function reporterFor(controls: string[], emit: (message: string, urn?: string) => void): StackReport {
  return (control, message, urn) => {
    if (!controls.includes(control)) throw new Error(`policy reported ${control}, which it does not declare`);
    emit(`${control}: ${message}`, urn);
  };
}

export function resourcePolicy<C extends object>(spec: ResourceSpec<C>): ResourceValidationPolicy {
  checkSpec(spec);
  const types = spec.types === "*" ? undefined : new Set(spec.types);
  return {
    name: spec.name,
    ...controlMetadata(spec.controls, spec.summary),
    enforcementLevel: spec.enforcementLevel ?? "mandatory",
    configSchema: spec.configSchema,
    validateResource: (args, reportViolation) => {
      if (types && !types.has(canonicalType(args.type))) return;
      const config = readConfig<C>(spec.configSchema, args.getConfig<object>());
      const report = reporterFor(spec.controls, (m) => reportViolation(m));
      spec.check(args.props, { config, report, args });
    },
  };
}

export function stackPolicy<C extends object>(spec: StackSpec<C>): StackValidationPolicy {
  checkSpec(spec);
  return {
    name: spec.name,
    ...controlMetadata(spec.controls, spec.summary),
    enforcementLevel: spec.enforcementLevel ?? "mandatory",
    configSchema: spec.configSchema,
    validateStack: (args, reportViolation) => {
      const config = readConfig<C>(spec.configSchema, args.getConfig<object>());
      const report = reporterFor(spec.controls, (m, urn) => reportViolation(m, urn));
      spec.check(args.resources, { config, report, args });
    },
  };
}
