/**
 * The `plan --against` pieces the plan command needs: reading the earlier state as bad input (exit 2) when it cannot
 * be compared with, the line that says what was compared, which rows the tree shows (unchanged ones collapse into a
 * count unless --show-same, but an unchanged parent of a changed row stays), and the hazards beside the violations
 * for SARIF.
 */
import type { PolicyEvaluation } from "../engine/analyzer";
import type { ResourceRecord } from "../engine/types";
import { BaselineError, readBaseline, type Baseline } from "../change/baseline";
import type { Hazard } from "../change/hazards";
import type { ChangePreview } from "../change/preview";
import { hazardFindings, rowChange } from "../report/changes";
import { TOOL } from "../report/json";
import type { TreeOptions } from "../report/tree";
import { UsageError } from "./errors";
import { documentationLinks } from "./policyRun";

export function loadBaseline(file: string): Baseline {
  try {
    return readBaseline(file);
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError([`error: --against ${e.message}`]);
    throw e;
  }
}

export function againstLine(preview: ChangePreview): string {
  const what = preview.against.kind === "plan-report" ? "an mlvault plan report" : "a pulumi stack export";
  const secrets = preview.secretsCompared ? "" : "; secret values are not compared (an export's ciphertext cannot be, without decrypting)";
  return `Compared with ${preview.against.file} (${what}${preview.against.stack ? ` of stack '${preview.against.stack}'` : ""}${secrets})`;
}

export function treeChangeOptions(preview: ChangePreview, showSame: boolean): Pick<TreeOptions, "changeOf" | "hideRow"> {
  const byUrn = new Map(preview.changes.filter((c) => !c.pendingDelete).map((c) => [c.urn, c]));
  const pending = preview.changes.find((c) => c.pendingDelete);
  const shown = new Set<string>();
  for (const c of preview.changes) {
    if (!showSame && c.op === "same") continue;
    // A changed row keeps its ancestors, so the tree still says where it sits.
    for (let urn: string | null = c.urn; urn && !shown.has(urn); urn = byUrn.get(urn)?.parent ?? null) shown.add(urn);
  }
  return {
    changeOf: (r: ResourceRecord) => (r.pendingDelete && pending ? { op: "delete", detail: "[pending delete]" } : rowChange(byUrn.get(r.urn)!)),
    hideRow: (r: ResourceRecord) => !r.pendingDelete && !shown.has(r.urn),
  };
}

/** The evaluation SARIF is written from, with the hazards as findings (or the hazards alone, policies skipped). */
export function withHazards(evaluation: PolicyEvaluation | undefined, hazards: Hazard[] | undefined): PolicyEvaluation | undefined {
  if (!hazards) return evaluation;
  const findings = hazardFindings(hazards, documentationLinks().controlsDocUrl);
  const base = evaluation ?? { packName: "mlvault-change-preview", packVersion: TOOL.version, policies: [], violations: [] };
  return { ...base, policies: [...base.policies, ...findings.policies], violations: [...base.violations, ...findings.violations] };
}
