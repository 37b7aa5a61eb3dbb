/**
 * The `--json` document of `plan` and `audit`: a contract pipelines read. Its shape is the zod schema below, the one
 * source of docs/plan-report.schema.json (`npm run docs:schema`; a test fails while the shipped file differs, and every
 * report the CLI writes is checked against it). Every secret value is "[secret]".
 */
import { z } from "zod";
import { redact } from "../engine/redact";
import { optionsOf, type ResourceRecord, type Violation } from "../engine/types";
import { CONTROL_PREFIX, projectOwner } from "./projects";

/** Bumped when a field changes meaning or disappears; new fields do not bump it. */
export const SCHEMA_VERSION = 1;

const resourceOptions = z.object({
  protect: z.boolean(),
  retainOnDelete: z.boolean(),
  ignoreChanges: z.array(z.string()),
  deleteBeforeReplace: z.boolean(),
  replaceOnChanges: z.array(z.string()),
  dependsOn: z.array(z.string()).describe("Explicit dependencies: those no input carries."),
}).strict();

const resource = z.object({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  custom: z.boolean(),
  protect: z.boolean(),
  dependencies: z.array(z.string()),
  options: resourceOptions,
  inputs: z.record(z.string(), z.unknown()).describe("The inputs as sent, every secret value \"[secret]\"."),
  pendingDelete: z.literal(true).optional().describe("Only on a stack export's copy pending deletion: it still exists in Azure."),
}).strict();

const level = z.enum(["mandatory", "advisory"]);

const violation = z.object({
  policy: z.string(),
  controls: z.array(z.string()),
  level: level.describe("The enforcement level in force for this run."),
  enforcementLevel: level.describe("Same as level (the field's earlier name, kept)."),
  urn: z.string().nullable().describe("The resource the violation is about; null for a stack-wide finding."),
  name: z.string().nullable().describe("The resource's logical name."),
  type: z.string().nullable().describe("The resource's type token."),
  project: z.string().nullable().describe("The mlvault project the resource belongs to; null for the platform or the stack."),
  message: z.string().describe("What is wrong and how to fix it, without the control prefix or the policy's summary."),
  summary: z.string().describe("What the policy checks."),
  text: z.string().describe("The message as the policy pack reported it (every line)."),
}).strict();

export const planReportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal("mlvault"), version: z.string() }).strict(),
  stack: z.string(),
  environment: z.string(),
  resources: z.array(resource),
  violations: z.array(violation).describe("Empty when the policies were skipped (policiesRun false) or found nothing."),
  policiesRun: z.boolean(),
  summary: z.object({ resources: z.number().int(), mandatory: z.number().int(), advisory: z.number().int() }).strict(),
}).strict();

export type PlanReport = z.infer<typeof planReportSchema>;
export type ReportViolation = z.infer<typeof violation>;


/** A violation's fields, split: the resource's name, type and project, and its message without repeats. */
export function splitViolation(v: Violation, byUrn: Map<string, ResourceRecord>): ReportViolation {
  const r = v.urn ? byUrn.get(v.urn) : undefined;
  const project = r ? (projectOwner(byUrn)(r) ?? null) : null;
  const text = String(redact(v.message));
  const lines = text.split("\n").map((l) => l.replace(CONTROL_PREFIX, ""));
  return {
    policy: v.policy,
    controls: v.controls,
    level: v.enforcementLevel,
    enforcementLevel: v.enforcementLevel,
    urn: v.urn,
    name: r?.name ?? (v.urn ? v.urn.split("::").pop()! : null),
    type: r?.type ?? (v.urn ? v.urn.split("::")[2]?.split("$").pop() ?? null : null),
    project,
    message: lines.length > 1 ? lines.slice(1).join(" ") : lines[0],
    summary: lines.length > 1 ? lines[0] : "",
    text,
  };
}

export function planReport(stack: string, environment: string, records: ResourceRecord[], violations?: Violation[]): PlanReport {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const split = (violations ?? []).map((v) => splitViolation(v, byUrn));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "mlvault", version: (require("../package.json") as { version: string }).version },
    stack,
    environment,
    resources: records.map((r) => ({
      urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, protect: r.protect,
      dependencies: r.dependencies, options: optionsOf(r), inputs: redact(r.inputs) as Record<string, unknown>,
      ...(r.pendingDelete ? { pendingDelete: true as const } : {}),
    })),
    violations: split,
    policiesRun: violations !== undefined,
    summary: {
      resources: records.length,
      mandatory: split.filter((v) => v.level === "mandatory").length,
      advisory: split.filter((v) => v.level === "advisory").length,
    },
  };
}

/** The JSON Schema of the report (draft 2020-12), generated from the zod schema. */
export function planReportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planReportSchema),
    $id: "https://github.com/contoso/mlvault/blob/main/docs/plan-report.schema.json",
    title: "mlvault plan / audit report (--json)",
  };
}
