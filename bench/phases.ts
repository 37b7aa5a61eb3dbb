/**
 * One in-process plan of a stack, timed phase by phase, plus the deployment analysis of what it recorded. Runs as
 * its own process (bench/run.js phases <dir> <stack> <parallel>) so a large stack never inflates the bench's own
 * memory; prints one JSON line.
 *
 * Phases follow `mlvault plan` (cli/plan.ts): config → program under the offline engine → policy pack boot →
 * per-resource Analyze → AnalyzeStack.
 */
import * as fs from "fs";
import * as path from "path";
import { encodeConfigMap } from "../config/fromPulumi";
import { readStackFile } from "../config/stackFile";
import { validateStackConfig } from "../config/validate";
import { PolicyPackSession } from "../engine/analyzer";
import { runProgram } from "../engine/runProgram";
import { withStackOverrides } from "../cli/policyOverrides";
import { crossProjectWaits, longestChains, projectOf, simulateUp, type GraphResource } from "./criticalPath";
import { latencyOf } from "./latencies";

export interface PhaseReport {
  resources: number;
  customResources: number;
  configMs: number;
  programMs: number;
  packBootMs: number;
  analyzeCalls: number;
  analyzePhaseMs: number;
  analyzeStackMs: number;
  /** (Analyze phase + AnalyzeStack) / resources. */
  policyMsPerResource: number;
  deploy: DeployReport;
}

export interface DeployReport {
  parallel: number;
  /** Longest chain, seconds, recorded dependencies (what `pulumi up` waits for). */
  stackChain: number;
  stackChainTypes: string[];
  idealStackChain: number;
  /** Longest chain inside one project (incl. the platform resources it needs): worst and median over projects. */
  projectChainMax: number;
  projectChainMedian: number;
  idealProjectChainMax: number;
  crossProjectWaits: number;
  /** Simulated `pulumi up`, seconds. */
  upDefault: number;
  upIdeal: number;
  upUnbounded: number;
  upIdealUnbounded: number;
}

export function deployReport(resources: GraphResource[], parallel: number): DeployReport {
  const recorded = longestChains(resources, "recorded", latencyOf);
  const ideal = longestChains(resources, "ideal", latencyOf);
  const project = projectOf(resources);
  const perProject = (finish: Map<string, number>) => {
    const worst = new Map<string, number>();
    for (const r of resources) {
      const p = project.get(r.urn)!;
      if (p !== "(platform)") worst.set(p, Math.max(worst.get(p) ?? 0, finish.get(r.urn)!));
    }
    return [...worst.values()].sort((a, b) => a - b);
  };
  const rec = perProject(recorded.finish);
  const idl = perProject(ideal.finish);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return {
    parallel,
    stackChain: recorded.overall.seconds,
    stackChainTypes: recorded.overall.chain.map((u) => byUrn.get(u)!.type.split(":").pop()!),
    idealStackChain: ideal.overall.seconds,
    projectChainMax: rec.at(-1) ?? 0,
    projectChainMedian: rec[Math.floor(rec.length / 2)] ?? 0,
    idealProjectChainMax: idl.at(-1) ?? 0,
    crossProjectWaits: crossProjectWaits(resources, "recorded").length,
    upDefault: simulateUp(resources, "recorded", latencyOf, parallel).seconds,
    upIdeal: simulateUp(resources, "ideal", latencyOf, parallel).seconds,
    upUnbounded: simulateUp(resources, "recorded", latencyOf, Infinity).seconds,
    upIdealUnbounded: simulateUp(resources, "ideal", latencyOf, Infinity).seconds,
  };
}

export async function measurePhases(dir: string, stack: string, parallel: number): Promise<PhaseReport> {
  let t = Date.now();
  const file = readStackFile(dir, stack);
  const config = validateStackConfig(file.config);
  const configMs = Date.now() - t;

  t = Date.now();
  const { records } = await runProgram({
    programDir: dir, project: file.project, stack, config: encodeConfigMap(file.config), secretKeys: file.secretKeys, preview: false,
  });
  const programMs = Date.now() - t;

  const policyConfig = JSON.parse(fs.readFileSync(path.join(dir, "policies", "config", `${config.environment}.json`), "utf8"));
  t = Date.now();
  const session = await PolicyPackSession.start({
    packDir: path.join(dir, "policies"),
    config: withStackOverrides(policyConfig, config, process.env.MLVAULT_NOW),
    stack,
    project: file.project,
    dryRun: false,
  });
  const packBootMs = Date.now() - t;
  try {
    await session.analyze(records);
  } finally {
    await session.close();
  }
  const stats = session.lastStats!;
  return {
    resources: records.length,
    customResources: records.filter((r) => r.custom).length,
    configMs,
    programMs,
    packBootMs,
    analyzeCalls: stats.analyzeCalls,
    analyzePhaseMs: stats.resourcePhaseMs,
    analyzeStackMs: stats.stackPhaseMs,
    policyMsPerResource: (stats.resourcePhaseMs + stats.stackPhaseMs) / Math.max(1, records.length),
    deploy: deployReport(records, parallel),
  };
}
