/**
 * What `plan --against <file>` compares with: an earlier `mlvault plan --json` report (made on the base branch, say)
 * or a `pulumi stack export` (deployment v3) of the deployed stack, told apart by their shape. Both become the same
 * list of resources with comparable inputs (change/values.ts) and the options that decide a delete.
 */
import * as fs from "fs";
import { jsonErrorPosition } from "../engine/json";
import { parseStackExport, StackExportError } from "../engine/stackExport";
import { optionsOf, type ResourceOptions, type ResourceRecord } from "../engine/types";
import { planReportSchema } from "../report/json";
import { fromExport, fromReport } from "./values";

export type BaselineKind = "plan-report" | "stack-export";

export interface BaselineResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  options: ResourceOptions;
  /** Comparable inputs: secrets are markers, never values. */
  inputs: Record<string, unknown>;
  /** A stack export's outputs (comparable form): the real values this plan's simulated ones stand for. */
  outputs?: Record<string, unknown>;
  /** The state marks it for replacement on the next up (`pulumi state taint`, or a failed create). */
  taint?: boolean;
  /** A delete-before-replace stopped after the delete: the next up creates it again. */
  pendingReplacement?: boolean;
}

export interface Baseline {
  kind: BaselineKind;
  file: string;
  /** The stack the file was made from, when it says (a report names it; an export's URNs do). */
  stack?: string;
  resources: BaselineResource[];
  /**
   * Copies an export holds pending deletion (`delete: true`: the old half of a replacement whose delete has not run
   * or failed): the next `pulumi up` deletes them, so the preview lists them as deletes.
   */
  pendingDeletes: BaselineResource[];
}

/** The file cannot be compared with; the message names the file and the problem, never its content (exit 2). */
export class BaselineError extends Error {}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new BaselineError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? "read error"})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new BaselineError(`${file}: not valid JSON${jsonErrorPosition(text, e)}`);
  }
  return parseBaseline(doc, file);
}

export function parseBaseline(doc: unknown, file: string): Baseline {
  const o = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  if ("schemaVersion" in o && "resources" in o) return fromPlanReport(o, file);
  if ("deployment" in o || "version" in o) return fromStackExport(o, file);
  throw new BaselineError(`${file}: neither an mlvault plan report (mlvault plan --json) nor a pulumi stack export (deployment v3)`);
}

function fromPlanReport(doc: Record<string, unknown>, file: string): Baseline {
  const parsed = planReportSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BaselineError(`${file}: not a valid mlvault plan report (schemaVersion 1): ${issue.path.join(".") || "the document"}: ${issue.message}`);
  }
  const report = parsed.data;
  return {
    kind: "plan-report",
    file,
    stack: report.stack,
    resources: report.resources.filter((r) => !r.pendingDelete).map((r) => ({
      urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, options: r.options,
      inputs: fromReport(r.inputs, r.secretFingerprints) as Record<string, unknown>,
    })),
    pendingDeletes: [],
  };
}

function fromStackExport(doc: Record<string, unknown>, file: string): Baseline {
  let records;
  try {
    records = parseStackExport(doc, file);
  } catch (e) {
    if (e instanceof StackExportError) throw new BaselineError(e.message);
    throw e;
  }
  const stack = records.find((r) => r.urn.startsWith("urn:pulumi:"))?.urn.slice("urn:pulumi:".length).split("::")[0];
  // Flags the engine acts on at the next up, read from the export's own entries (apitype.ResourceV3).
  const raw = ((doc.deployment as { resources?: unknown[] } | undefined)?.resources ?? []) as Record<string, unknown>[];
  const flagged = (flag: string) => new Set(raw.filter((r) => r && r[flag] === true && r.delete !== true).map((r) => r.urn as string));
  const tainted = flagged("taint");
  const pendingReplacement = flagged("pendingReplacement");
  return {
    kind: "stack-export",
    file,
    stack,
    // A copy pending deletion is the old half of a replacement that has not finished: the live one is what changes,
    // and the copy is deleted by the next up.
    resources: records.filter((r) => !r.pendingDelete).map((r) => ({
      ...toBaseline(r), ...(tainted.has(r.urn) ? { taint: true } : {}), ...(pendingReplacement.has(r.urn) ? { pendingReplacement: true } : {}),
    })),
    pendingDeletes: records.filter((r) => r.pendingDelete).map(toBaseline),
  };
}

function toBaseline(r: ResourceRecord): BaselineResource {
  return {
    urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, options: optionsOf(r),
    inputs: withoutBridgeDefaults(r.type, fromExport(r.inputs) as Record<string, unknown>),
    outputs: fromExport(r.outputs) as Record<string, unknown>,
  };
}

/**
 * Bridged providers (azuread, random, time: pulumi-terraform-bridge) store the schema defaults they filled in, and
 * their names under `__defaults`, in the inputs of the state; the program never sends them and the bridge fills them
 * again on the next run (pkg/tfbridge/schema.go), so they are not changes.
 */
function withoutBridgeDefaults(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type.startsWith("azure-native:") || !("__defaults" in inputs)) return inputs;
  const defaulted = Array.isArray(inputs.__defaults) ? (inputs.__defaults as unknown[]).map(String) : [];
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "__defaults" && !defaulted.includes(k)));
}
