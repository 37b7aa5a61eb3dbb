import * as path from "path";
import { encodeConfigMap } from "../config/fromPulumi";
import { readStackFile, StackFileError } from "../config/stackFile";
import { ConfigError, formatIssue, validateStackConfig } from "../config/validate";
import { runProgram } from "../engine/runProgram";
import { planReport } from "../report/json";
import { renderTree, renderViolations } from "../report/tree";
import { EXIT, UsageError } from "./errors";
import { humanStream, writeOutput } from "./output";
import { evaluateForEnvironment, writePolicyReports } from "./policyRun";

export interface PlanOptions {
  cwd: string;
  json?: string;
  sarif?: string;
  preview?: boolean;
  policies: boolean;
}

/**
 * `mlvault plan <stack>`: validate the stack's config, run the real program under the offline engine, evaluate the
 * policy pack with the environment's enforcement, and report. Exit 0 clean, 1 on a mandatory violation, 2 on
 * invalid config or usage. Nothing is run from an invalid config.
 */
export async function plan(stack: string, opts: PlanOptions): Promise<number> {
  const dir = path.resolve(opts.cwd);
  let file;
  let config;
  try {
    file = readStackFile(dir, stack);
    config = validateStackConfig(file.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.issues.map((i) => `error: Pulumi.${stack}.yaml: ${formatIssue(i)}`));
    if (e instanceof StackFileError) throw new UsageError([`error: ${e.message}`]);
    throw e;
  }

  const { records } = await runProgram({
    programDir: dir,
    project: file.project,
    stack,
    config: encodeConfigMap(file.config),
    secretKeys: file.secretKeys,
    preview: opts.preview === true,
  });

  const out = humanStream([opts.json, opts.sarif]);
  out.write(renderTree(records, `Offline plan of stack '${stack}' (${config.environment}): no cloud, no Pulumi CLI, nothing deployed`) + "\n");

  const evaluation = opts.policies ? await evaluateForEnvironment(dir, records, { stackConfig: config, stack, project: file.project, environment: config.environment, dryRun: opts.preview === true }) : undefined;
  if (evaluation) out.write("\n" + renderViolations(evaluation.violations) + "\n");

  if (opts.json) writeOutput(opts.json, JSON.stringify(planReport(stack, config.environment, records, evaluation?.violations), null, 2));
  if (evaluation) writePolicyReports(evaluation, { sarif: opts.sarif, artifactUri: `Pulumi.${stack}.yaml` });
  const mandatory = evaluation?.violations.filter((v) => v.enforcementLevel === "mandatory").length ?? 0;
  return mandatory > 0 ? EXIT.violations : EXIT.ok;
}
