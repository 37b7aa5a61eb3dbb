/**
 * The `--json` document of `plan` and `audit`: a contract pipelines read. Its shape is the zod schema below, the one
 * source of docs/plan-report.schema.json (`npm run docs:schema`; a test fails while the shipped file differs, and every
 * report the CLI writes is checked against it). Every secret value is "[secret]".
 */
import { z } from "zod";
import { containsSecret, redact } from "../engine/redact";
import { secretFingerprints } from "../change/values";
import type { ChangePreview, ResourceChange } from "../change/preview";
import type { Hazard } from "../change/hazards";
import { optionsOf, type ResourceRecord, type Violation } from "../engine/types";
import { CONTROL_PREFIX, projectOwner } from "./projects";

/** The tool every report names (package.json). */
export const TOOL = { name: "mlvault" as const, version: (require("../package.json") as { version: string }).version };

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
  secretFingerprints: z.record(z.string(), z.string()).optional().describe(
    "Plan only: per secret input path, a digest of what stands for the secret offline (the stack file's ciphertext, never a value), so `plan --against` can tell a changed secret from an unchanged one.",
  ),
  pendingDelete: z.literal(true).optional().describe("Only on a stack export's copy pending deletion: it still exists in Azure."),
  op: z.enum(["create", "update", "replace", "same"]).optional().describe("With --against: what pulumi up would do to it (deleted resources are under `deleted`)."),
  diff: z.array(z.string()).optional().describe("With --against: the input paths that change and will be sent (a changed secret is its path, never a value)."),
  replaceReasons: z.array(z.string()).optional().describe("With --against, on a replace: the changed inputs that force it."),
}).strict();

const op = z.enum(["create", "update", "replace", "delete", "same"]);

const hazard = z.object({
  kind: z.enum(["protected", "data-plane-delete", "soft-deleted-name", "immutable-change", "role-gap", "ignored-change", "unjudged-type", "create-collision"]),
  urn: z.string(),
  name: z.string(),
  type: z.string(),
  blocking: z.boolean().describe("pulumi up would fail or delete a protected resource: the plan exits 1."),
  message: z.string(),
  source: z.string().optional().describe("Where the Azure or Pulumi behaviour is documented."),
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
  exempted: z.object({
    policy: z.string(),
    index: z.number().int().describe("Its place in the policy's exemptions list."),
    resources: z.array(z.string()),
    controls: z.array(z.string()).optional(),
    category: z.enum(["waiver", "mitigated"]),
    reason: z.string(),
    approvedBy: z.string(),
    ticket: z.string().optional(),
    expiresOn: z.string(),
    status: z.enum(["active", "expiring"]).describe("expiring: within the reminder window."),
    daysLeft: z.number().int(),
  }).strict().optional().describe("The exemption that covers this violation (reported at advisory level, not counted)."),
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
  against: z.object({
    kind: z.enum(["plan-report", "stack-export"]),
    file: z.string(),
    stack: z.string().optional(),
    secretsCompared: z.boolean().describe("False against a stack export: its ciphertext cannot be compared with the stack file's without decrypting, so a new secret value does not show."),
  }).strict().optional().describe("With --against: what this plan is compared with."),
  changes: z.record(op, z.number().int()).optional().describe("With --against: resources per operation."),
  deleted: z.array(z.object({
    urn: z.string(), type: z.string(), name: z.string(), parent: z.string().nullable(), custom: z.boolean(), protect: z.boolean(), op: z.literal("delete"),
    pendingDelete: z.literal(true).optional().describe("A stack export's copy pending deletion (same URN as a live resource)."),
  }).strict())
    .optional().describe("With --against: resources of the earlier state this plan no longer has."),
  hazards: z.array(hazard).optional().describe("With --against: what a reviewer must know before pulumi up."),
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
    ...(v.exemption ? { exempted: v.exemption } : {}),
  };
}

/**
 * `fingerprints`: only for an offline plan, whose secrets are placeholders and simulated values; never for an export,
 * which may hold plaintext (`--show-secrets`).
 */
export function planReport(
  stack: string, environment: string, records: ResourceRecord[], violations?: Violation[], fingerprints = false,
  change?: { preview: ChangePreview; hazards: Hazard[] },
): PlanReport {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const changeOf = new Map(change?.preview.changes.map((c) => [c.urn, c]) ?? []);
  const split = (violations ?? []).map((v) => splitViolation(v, byUrn));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    stack,
    environment,
    resources: records.map((r) => ({
      urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, protect: r.protect,
      dependencies: r.dependencies, options: optionsOf(r), inputs: redact(r.inputs) as Record<string, unknown>,
      ...(fingerprints && containsSecret(r.inputs) ? { secretFingerprints: secretFingerprints(r.inputs) } : {}),
      ...(r.pendingDelete ? { pendingDelete: true as const } : {}),
      ...changeFields(changeOf.get(r.urn)),
    })),
    violations: split,
    policiesRun: violations !== undefined,
    summary: {
      resources: records.length,
      mandatory: split.filter((v) => v.level === "mandatory").length,
      advisory: split.filter((v) => v.level === "advisory").length,
    },
    ...(change ? {
      against: { ...change.preview.against, secretsCompared: change.preview.secretsCompared },
      changes: change.preview.counts,
      deleted: change.preview.changes.filter((c) => c.op === "delete").map((c) => ({
        urn: c.urn, type: c.type, name: c.name, parent: c.parent, custom: c.custom, protect: c.protectedBefore, op: "delete" as const,
        ...(c.pendingDelete ? { pendingDelete: true as const } : {}),
      })),
      hazards: change.hazards,
    } : {}),
  };
}

function changeFields(c: ResourceChange | undefined): { op?: "create" | "update" | "replace" | "same"; diff?: string[]; replaceReasons?: string[] } {
  if (!c || c.op === "delete") return {};
  return { op: c.op, diff: c.diff, ...(c.op === "replace" ? { replaceReasons: c.replaceReasons } : {}) };
}

/** The JSON Schema of the report (draft 2020-12), generated from the zod schema. */
export function planReportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planReportSchema),
    $id: "https://github.com/contoso/mlvault/blob/main/docs/plan-report.schema.json",
    title: "mlvault plan / audit report (--json)",
  };
}
