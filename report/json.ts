import { redact } from "../engine/redact";
import { optionsOf, type ResourceOptions, type ResourceRecord, type Violation } from "../engine/types";

export interface PlanReport {
  stack: string;
  environment: string;
  resources: {
    urn: string; type: string; name: string; parent: string | null; custom: boolean; protect: boolean;
    dependencies: string[]; options: ResourceOptions; inputs: unknown;
    /** Only on a stack export's copy pending deletion: it still exists in Azure. */
    pendingDelete?: true;
  }[];
  violations?: Violation[];
  summary: { resources: number; mandatory?: number; advisory?: number };
}

/** The `--json` document of `plan` and `audit`. Every secret value is "[secret]". */
export function planReport(stack: string, environment: string, records: ResourceRecord[], violations?: Violation[]): PlanReport {
  const report: PlanReport = {
    stack,
    environment,
    resources: records.map((r) => ({
      urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, protect: r.protect,
      dependencies: r.dependencies, options: optionsOf(r), inputs: redact(r.inputs),
      ...(r.pendingDelete ? { pendingDelete: true as const } : {}),
    })),
    summary: { resources: records.length },
  };
  if (violations) {
    report.violations = violations;
    report.summary.mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    report.summary.advisory = violations.filter((v) => v.enforcementLevel === "advisory").length;
  }
  return report;
}
