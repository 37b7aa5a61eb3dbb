import * as path from "path";
import { readStackExport, StackExportError, stackIdentityOf } from "../engine/stackExport";
import { planReport } from "../report/json";
import { renderViolations } from "../report/tree";
import { EXIT, UsageError } from "./errors";
import { humanStream, writeOutput } from "./output";
import { withExemptions } from "./exemptionsRun";
import { beginEvaluation, writePolicyReports } from "./policyRun";

export interface AuditOptions {
  env: string;
  json?: string;
  sarif?: string;
  /** mlvault's own project folder (holds policies/). */
  root: string;
}

/**
 * `mlvault audit <export.json> --env dev|prod`: the policy pack over a `pulumi stack export` (deployment v3),
 * resource policies on inputs and stack policies on outputs, as `pulumi policy analyze` would. Works on stacks
 * mlvault did not create. Encrypted secrets stay opaque. Exit codes as `plan`.
 */
export async function audit(file: string, opts: AuditOptions): Promise<number> {
  if (opts.env !== "dev" && opts.env !== "prod") throw new UsageError([`error: --env: must be dev or prod (got "${opts.env}")`]);
  const out = humanStream({ "--json": opts.json, "--sarif": opts.sarif });
  let records;
  try {
    records = readStackExport(path.resolve(file));
  } catch (e) {
    if (e instanceof StackExportError) throw new UsageError([`error: ${e.message}`]);
    throw e;
  }
  const identity = stackIdentityOf(records) ?? { stack: "audit", project: "unknown" };
  const pending = beginEvaluation(opts.root, { stack: identity.stack, project: identity.project, environment: opts.env, dryRun: false });
  const evaluation = withExemptions(await pending.finish(records), records, await pending.config);
  out.write(`Audit of ${path.basename(file)} (stack '${identity.stack}', ${records.length} resources) against the ${opts.env} baseline\n\n`);
  out.write(renderViolations(evaluation.violations) + "\n");
  if (opts.json) writeOutput(opts.json, JSON.stringify(planReport(identity.stack, opts.env, records, evaluation.violations), null, 2));
  writePolicyReports(evaluation, { sarif: opts.sarif, artifactUri: file, category: `audit-${opts.env}-${path.basename(file).replace(/\.json$/i, "")}` });
  return evaluation.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.violations : EXIT.ok;
}
