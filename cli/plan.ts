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
import { againstLine, loadBaseline, treeChangeOptions, withHazards } from "./planChanges";
import { previewChanges } from "../change/preview";
import { hazardsOf } from "../change/hazards";
import { deletedRecords, opsOf, renderChangeList, renderHazards } from "../report/changes";
import { UsageError } from "./errors";

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
  /** An earlier plan report or a stack export: show what this plan changes, with the hazards (issue 12). */
  against?: string;
  /** With `against`: list unchanged resources too (collapsed into a count otherwise). */
  showSame?: boolean;
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
  if (opts.against && dryRun) throw new UsageError(["error: --against compares a full offline plan with the earlier state; drop --preview"]);
  // Read before anything runs: a file that cannot be compared with is bad input (exit 2), not a failure half way.
  const baseline = opts.against ? loadBaseline(opts.against) : undefined;
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
  const preview = baseline ? previewChanges(records, baseline) : undefined;
  const change = preview ? { preview, hazards: hazardsOf(preview) } : undefined;
  const title = `Offline plan of stack '${stack}' (${config.environment}): no cloud, no Pulumi CLI, nothing deployed`;
  out.write(renderTree(change ? [...records, ...deletedRecords(change.preview)] : records, change ? `${title}\n${againstLine(change.preview)}` : title, {
    display, summaryOnly: opts.summary, ...(change ? treeChangeOptions(change.preview, opts.showSame === true) : {}),
  }) + "\n");
  if (change && !opts.summary) {
    const list = renderChangeList(change.preview, display);
    if (list) out.write("\n" + list + "\n");
  }
  if (change) out.write("\n" + renderHazards(change.hazards, display) + "\n");

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
  // The graph and the comment key nodes by URN: a copy pending deletion (same URN as its live successor) stays out.
  const drawn = change ? [...records, ...deletedRecords(change.preview, { pending: false })] : records;
  const ops = change ? opsOf(change.preview) : undefined;
  if (opts.graph) writeOutput(opts.graph, renderMermaid(drawn, stack, violatingUrns, ops));
  if (opts.comment) {
    writeOutput(opts.comment, renderPrComment({ stack, environment: config.environment, records: drawn, violations: evaluation?.violations, artifact: `plan-${stack}`, change }));
  }
  if (opts.json) writeOutput(opts.json, JSON.stringify(planReport(stack, config.environment, records, evaluation?.violations, true, change), null, 2));
  const findings = withHazards(evaluation, change?.hazards);
  if (findings && opts.sarif) {
    writePolicyReports(findings, { sarif: opts.sarif, artifactUri: stackFile, category: stack, lineOf: violationLines(records, positions) });
  }
  const mandatory = evaluation?.violations.filter((v) => v.enforcementLevel === "mandatory").length ?? 0;
  const blocking = change?.hazards.filter((h) => h.blocking).length ?? 0;
  return mandatory > 0 || blocking > 0 ? EXIT.violations : EXIT.ok;
}
