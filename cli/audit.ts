import * as path from "path";
import type { PolicyEvaluation } from "../engine/analyzer";
import { readStackExport, StackExportError, stackIdentityOf } from "../engine/stackExport";
import type { ResourceRecord } from "../engine/types";
import { planReport } from "../report/json";
import { renderViolations } from "../report/tree";
import { EXIT, UsageError } from "./errors";
import { humanStream, writeOutput } from "./output";
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
  const { records, evaluation, identity } = await evaluateExport(file, { root: opts.root, environment: opts.env, unnamedStack: "audit" });
  out.write(`Audit of ${path.basename(file)} (stack '${identity.stack}', ${records.length} resources) against the ${opts.env} baseline\n\n`);
  out.write(renderViolations(evaluation.violations) + "\n");
  if (opts.json) writeOutput(opts.json, JSON.stringify(planReport(identity.stack, opts.env, records, evaluation.violations), null, 2));
  writePolicyReports(evaluation, { sarif: opts.sarif, artifactUri: file, category: `audit-${opts.env}-${path.basename(file).replace(/\.json$/i, "")}` });
  return evaluation.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.violations : EXIT.ok;
}

/**
 * A `pulumi stack export` read (a file that is not one: exit 2) and evaluated by the pack with the environment's
 * policy config or the one given, exemptions attached: what `audit` and `compliance --export` both judge.
 */
export async function evaluateExport(file: string, opts: {
  root: string; environment: string; unnamedStack: string; packDir?: string; configFile?: string;
}): Promise<{ records: ResourceRecord[]; evaluation: PolicyEvaluation; policyConfig: Record<string, unknown>; identity: { stack: string; project: string } }> {
  let records;
  try {
    records = readStackExport(path.resolve(file));
  } catch (e) {
    if (e instanceof StackExportError) throw new UsageError([`error: ${e.message}`]);
    throw e;
  }
  const identity = stackIdentityOf(records) ?? { stack: opts.unnamedStack, project: "unknown" };
  const pending = beginEvaluation(opts.root, {
    stack: identity.stack, project: identity.project, environment: opts.environment, dryRun: false, packDir: opts.packDir, configFile: opts.configFile,
  });
  const evaluation = await pending.finish(records);
  return { records, evaluation, policyConfig: await pending.config, identity };
}
