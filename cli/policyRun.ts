import * as fs from "fs";
import * as path from "path";
import { evaluatePolicyPack, type PolicyEvaluation } from "../engine/analyzer";
import type { ResourceRecord } from "../engine/types";
import { toSarif } from "../report/sarif";
import { writeOutput } from "./output";
import { UsageError } from "./errors";
import { withStackOverrides } from "./policyOverrides";
import type { StackConfig } from "../config/validate";

/** The pack shipped with mlvault and its per-environment enforcement (`--policy-pack-config` files). */
export function policyPackDir(root: string): string {
  return path.join(root, "policies");
}

export function policyConfigFile(root: string, environment: string): string {
  return path.join(policyPackDir(root), "config", `${environment}.json`);
}

export interface PolicyContext {
  /** The validated stack config (plan), when there is one (audit has none). */
  stackConfig?: StackConfig;
  stack: string;
  project: string;
  environment: string;
  dryRun: boolean;
}

/** Runs mlvault's pack over the resources exactly as the engine would, with the environment's policy config. */
export async function evaluateForEnvironment(root: string, records: ResourceRecord[], ctx: PolicyContext): Promise<PolicyEvaluation> {
  const file = policyConfigFile(root, ctx.environment);
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError([`error: ${path.relative(root, file)}: cannot read the policy config (${(e as Error).message.split("\n")[0]})`]);
  }
  return evaluatePolicyPack(records, {
    packDir: policyPackDir(root),
    config: withStackOverrides(config, ctx.stackConfig, process.env.MLVAULT_NOW),
    stack: ctx.stack,
    project: ctx.project,
    dryRun: ctx.dryRun,
  });
}

export function writePolicyReports(evaluation: PolicyEvaluation, opts: { sarif?: string; artifactUri: string }): void {
  if (!opts.sarif) return;
  const version = (require("../package.json") as { version: string }).version;
  writeOutput(opts.sarif, JSON.stringify(toSarif(evaluation, { toolVersion: version, artifactUri: opts.artifactUri }), null, 2));
}
