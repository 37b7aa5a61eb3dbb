import * as fs from "fs";
import * as path from "path";
import { stackFilePositions } from "../config/positions";
import { planReport } from "../report/json";
import { violationLines, violationPlaces } from "../report/locations";
import { renderMermaid } from "../report/mermaid";
import { renderPrComment } from "../report/prComment";
import { renderTree, renderViolations } from "../report/tree";
import { EXIT } from "./errors";
import { humanStream, writeOutput } from "./output";
import { loadStack, planStack } from "./planRun";
import { startProgress } from "./progress";
import { displayOf } from "../report/terminal";
import { beginEvaluation, writePolicyReports } from "./policyRun";

export interface PlanOptions {
  cwd: string;
  json?: string;
  sarif?: string;
  preview?: boolean;
  policies: boolean;
  /** Write a Mermaid picture of the plan (one flowchart per project) to this Markdown file. */
  graph?: string;
  /** Write the pull-request comment (summary, violations, a section per project; under GitHub's size limit). */
  comment?: string;
  /** Another policy pack folder (as pulumi's --policy-pack). */
  policyPack?: string;
  /** A policy config file used as is (as pulumi's --policy-pack-config). */
  policyPackConfig?: string;
  /** Only the resource counts and one line per finding (no tree rows, no messages). */
  summary?: boolean;
}

/**
 * `mlvault plan <stack>`: validate the stack's config, run the real program under the offline engine, evaluate the
 * policy pack with the environment's enforcement, and report. Exit 0 clean, 1 on a mandatory violation, 2 on
 * invalid config or usage. Nothing is run from an invalid config.
 */
export async function plan(stack: string, opts: PlanOptions): Promise<number> {
  const out = humanStream({ "--json": opts.json, "--sarif": opts.sarif, "--graph": opts.graph, "--comment": opts.comment });
  const loaded = loadStack(opts.cwd, stack);
  const { dir, file, config } = loaded;
  const dryRun = opts.preview === true;
  const pending = opts.policies
    ? beginEvaluation(dir, { stackConfig: config, stack, project: file.project, environment: config.environment, dryRun, packDir: opts.policyPack, configFile: opts.policyPackConfig })
    : undefined;
  const progress = startProgress(process.stderr, `mlvault plan ${stack}`);
  let records;
  let evaluation;
  try {
    ({ records } = await planStack(loaded, { preview: dryRun, onRegister: (n) => progress.registered(n) }));
    progress.stage("running the policy pack");
    evaluation = pending ? await pending.finish(records) : undefined;
  } catch (e) {
    await pending?.cancel();
    throw e;
  } finally {
    progress.done();
  }

  const display = displayOf(out);
  out.write(renderTree(records, `Offline plan of stack '${stack}' (${config.environment}): no cloud, no Pulumi CLI, nothing deployed`, { display, summaryOnly: opts.summary }) + "\n");

  const stackFile = `Pulumi.${stack}.yaml`;
  const positions = stackFilePositions(fs.readFileSync(path.join(loaded.dir, stackFile), "utf8"));
  if (evaluation) {
    const placeOf = violationPlaces(records, positions);
    out.write("\n" + renderViolations(evaluation.violations, (v) => {
      const p = placeOf(v);
      return p.key ? `${stackFile}:${p.line} ${p.key}` : undefined;
    }, { display, summaryOnly: opts.summary }) + "\n");
  }

  const violatingUrns = (evaluation?.violations ?? []).map((v) => v.urn).filter((u): u is string => !!u);
  if (opts.graph) writeOutput(opts.graph, renderMermaid(records, stack, violatingUrns));
  if (opts.comment) {
    writeOutput(opts.comment, renderPrComment({ stack, environment: config.environment, records, violations: evaluation?.violations, artifact: `plan-${stack}` }));
  }
  if (opts.json) writeOutput(opts.json, JSON.stringify(planReport(stack, config.environment, records, evaluation?.violations), null, 2));
  if (evaluation && opts.sarif) {
    writePolicyReports(evaluation, { sarif: opts.sarif, artifactUri: stackFile, category: stack, lineOf: violationLines(records, positions) });
  }
  const mandatory = evaluation?.violations.filter((v) => v.enforcementLevel === "mandatory").length ?? 0;
  return mandatory > 0 ? EXIT.violations : EXIT.ok;
}
