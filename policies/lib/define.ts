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
import type { ReportViolation } from "@pulumi/policy";
import { controlMetadata } from "../catalogue";
import { EVALUATION_TIME_SCHEMA, evaluationNow, readConfig } from "./config";
import {
  applies, EXEMPTION_SETTINGS_SCHEMA, EXEMPTIONS_SCHEMA, exemptionFor, exemptionNote, projectOf, settingsOf,
  type Exemption, type ExemptionSettings, type ResourceRef,
} from "./exemptions";
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
  /**
   * For a check that only judges some resources of its types (an opt-in requirement): whether it judges this one.
   * Compliance evidence counts only the resources judged, so a requirement switched off is "not evaluated", not a pass.
   */
  judges?(props: Record<string, any>, config: C): boolean;
  check(props: Record<string, any>, ctx: { config: C; report: Report; args: ResourceValidationArgs }): void;
}

export interface StackSpec<C> extends CommonSpec<C> {
  /** The resource types the check judges (compliance evidence); every resource when absent. */
  evidenceTypes?: string[];
  check(resources: PolicyResource[], ctx: { config: C; report: StackReport; args: StackValidationArgs }): void;
}

/** The resource types each policy judges, by policy name (compliance evidence: which resources a control covered). */
export const POLICY_TYPES = new Map<string, string[] | "*">();
/** For policies with `judges`: whether they judge a resource, given its props and the policy's raw config. */
export const POLICY_JUDGES = new Map<string, (props: Record<string, any>, config: object | undefined) => boolean>();

const NAME_PATTERN = /^[a-z]+-\d{2}(-[a-z0-9]+)+$/;

function checkSpec(spec: CommonSpec<unknown>): void {
  if (!NAME_PATTERN.test(spec.name) || !spec.name.startsWith(spec.controls[0].toLowerCase() + "-")) {
    throw new Error(`policy name "${spec.name}" must be kebab-case and start with its primary control`);
  }
}

/** Every policy's config takes exemptions, their settings and the evaluation time (policies/lib/exemptions.ts). */
function withExemptionConfig(schema: PolicyConfigSchema): PolicyConfigSchema {
  return {
    ...schema,
    properties: {
      ...schema.properties,
      exemptions: EXEMPTIONS_SCHEMA,
      exemptionSettings: EXEMPTION_SETTINGS_SCHEMA,
      ...(schema.properties.evaluationTime ? {} : { evaluationTime: EVALUATION_TIME_SCHEMA }),
    },
  };
}

interface ExemptionConfig { exemptions?: Exemption[]; exemptionSettings?: Partial<ExemptionSettings>; evaluationTime?: string }

/**
 * The report function a check gets: names the control, and applies the policy's exemptions. An exempted violation
 * is reported at advisory level with the exemption on a line of its own; the policy SDK takes a per-violation level
 * in its object form (@pulumi/policy server.js makeReportViolationFun: `enforcementLevel: policyInfo.enforcementLevel
 * || enforcementLevel`), and the engine fails an update only on mandatory diagnostics.
 */
function reporterFor(
  controls: string[], description: string, config: ExemptionConfig, reportViolation: ReportViolation, refOf: (urn?: string) => ResourceRef,
): StackReport {
  return (control, message, urn) => {
    if (!controls.includes(control)) throw new Error(`policy reported ${control}, which it does not declare`);
    const verdict = exemptionFor(config.exemptions, settingsOf(config), evaluationNow(config), control, refOf(urn));
    const text = verdict ? `${control}: ${message}\n${control}: ${exemptionNote(verdict)}` : `${control}: ${message}`;
    if (applies(verdict)) {
      (reportViolation as unknown as (info: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void)(
        { message: `${description}\n${text}`, urn, enforcementLevel: "advisory" });
    } else {
      reportViolation(text, urn);
    }
  };
}

export function resourcePolicy<C extends object>(spec: ResourceSpec<C>): ResourceValidationPolicy {
  checkSpec(spec);
  const types = spec.types === "*" ? undefined : new Set(spec.types);
  const metadata = controlMetadata(spec.controls, spec.summary);
  const configSchema = withExemptionConfig(spec.configSchema);
  POLICY_TYPES.set(spec.name, spec.types);
  if (spec.judges) POLICY_JUDGES.set(spec.name, (props, raw) => spec.judges!(props, readConfig<C>(configSchema, raw)));
  return {
    name: spec.name,
    ...metadata,
    enforcementLevel: spec.enforcementLevel ?? "mandatory",
    configSchema,
    validateResource: (args, reportViolation) => {
      if (types && !types.has(canonicalType(args.type))) return;
      const config = readConfig<C & ExemptionConfig>(configSchema, args.getConfig<object>());
      const ref: ResourceRef = { urn: args.urn, name: args.name, project: projectOf(args.name, args.props) };
      const report = reporterFor(spec.controls, metadata.description, config, reportViolation, () => ref);
      spec.check(args.props, { config, report, args });
    },
  };
}

export function stackPolicy<C extends object>(spec: StackSpec<C>): StackValidationPolicy {
  checkSpec(spec);
  const metadata = controlMetadata(spec.controls, spec.summary);
  const configSchema = withExemptionConfig(spec.configSchema);
  POLICY_TYPES.set(spec.name, spec.evidenceTypes ?? "*");
  return {
    name: spec.name,
    ...metadata,
    enforcementLevel: spec.enforcementLevel ?? "mandatory",
    configSchema,
    validateStack: (args, reportViolation) => {
      const config = readConfig<C & ExemptionConfig>(configSchema, args.getConfig<object>());
      const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
      const refOf = (urn?: string): ResourceRef => {
        const r = urn ? byUrn.get(urn) : undefined;
        return r ? { urn, name: r.name, project: projectOf(r.name, r.props) } : { urn };
      };
      const report = reporterFor(spec.controls, metadata.description, config, reportViolation, refOf);
      spec.check(args.resources, { config, report, args });
    },
  };
}
