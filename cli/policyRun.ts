import * as fs from "fs";
import * as path from "path";
import { PolicyPackSession, analyzeAndClose, type PolicyEvaluation } from "../engine/analyzer";
import { SecretScrubber } from "../engine/analyzerWire";
import type { ResourceRecord } from "../engine/types";
import { toSarif } from "../report/sarif";
import { writeOutput } from "./output";
import { UsageError } from "./errors";
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

/** A policy-pack process already booting while the program runs: the pack's ~1 s start overlaps the plan. */
export interface PendingEvaluation {
  /** Analyzes the recorded resources (inputs, then outputs) and closes the pack. */
  finish(records: ResourceRecord[]): Promise<PolicyEvaluation>;
  /** Closes the pack without analyzing (the program failed). */
  cancel(): Promise<void>;
}

/**
 * Starts mlvault's pack as the engine would, with the environment's policy config and the stack's overrides. The
 * session can analyze several stacks; each analyze() first teaches its scrubber that stack's secret values.
 */
export function startPolicySession(root: string, ctx: PolicyContext): Promise<PolicyPackSession> {
  // The overrides need the pack's schemas (policies/all.ts loads the policy SDK, ~0.25 s): computed while the pack
  // process boots.
  const config = ctx.stackConfig
    ? effectivePolicyConfig(root, ctx.stackConfig, process.env.MLVAULT_NOW)
    : import("./policyOverrides").then((m) => m.withStackOverrides(readPolicyConfig(root, ctx.environment), undefined, process.env.MLVAULT_NOW));
  return PolicyPackSession.start({
    packDir: policyPackDir(root),
    config,
    stack: ctx.stack,
    project: ctx.project,
    dryRun: ctx.dryRun,
  }, new SecretScrubber());
}

/** Starts the pack now (see startPolicySession) and analyzes once the resources are known. */
export function beginEvaluation(root: string, ctx: PolicyContext): PendingEvaluation {
  const started = startPolicySession(root, ctx);
  // Observed now so a boot failure while the program still runs is not an unhandled rejection; finish() rethrows it.
  started.catch(() => undefined);
  return {
    // The session's analyze() teaches its scrubber each stack's secrets before any message comes back.
    async finish(records) {
      return analyzeAndClose(await started, records);
    },
    async cancel() {
      await started.then((s) => s.close(), () => undefined);
    },
  };
}

/** Runs mlvault's pack over resources already recorded or exported (audit, tests). */
export function evaluateForEnvironment(root: string, records: ResourceRecord[], ctx: PolicyContext): Promise<PolicyEvaluation> {
  return beginEvaluation(root, ctx).finish(records);
}

/**
 * The one policy config a stack is evaluated with: its environment's file plus the stack-derived settings. `plan`
 * evaluates with it, and `mlvault policy-config` writes it for `pulumi preview` / `up --policy-pack-config`.
 */
export async function effectivePolicyConfig(root: string, stackConfig: StackConfig, now: string | undefined): Promise<Record<string, unknown>> {
  const base = readPolicyConfig(root, stackConfig.environment);
  const { withStackOverrides } = await import("./policyOverrides");
  return withStackOverrides(base, stackConfig, now);
}

function readPolicyConfig(root: string, environment: string): Record<string, unknown> {
  const file = policyConfigFile(root, environment);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError([`error: ${path.relative(root, file)}: cannot read the policy config (${(e as Error).message.split("\n")[0]})`]);
  }
}

export function writePolicyReports(evaluation: PolicyEvaluation, opts: { sarif?: string; artifactUri: string }): void {
  if (!opts.sarif) return;
  const version = (require("../package.json") as { version: string }).version;
  writeOutput(opts.sarif, JSON.stringify(toSarif(evaluation, { toolVersion: version, artifactUri: opts.artifactUri }), null, 2));
}
