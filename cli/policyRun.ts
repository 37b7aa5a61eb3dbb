import * as fs from "fs";
import * as path from "path";
import { PolicyPackSession, analyzeAndClose, type PolicyEvaluation } from "../engine/analyzer";
import { SecretScrubber } from "../engine/analyzerWire";
import type { ResourceRecord, Violation } from "../engine/types";
import { TOOL } from "../report/json";
import { toSarif } from "../report/sarif";
import { writeOutput } from "./output";
import { UsageError } from "./errors";
import type { StackConfig } from "../config/validate";
import { exemptionProblems } from "./exemptionConfig";
import { withExemptions } from "./exemptionsRun";

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
  /** Another pack folder than the project's policies/ (pulumi's --policy-pack). */
  packDir?: string;
  /** A policy config file used as is (pulumi's --policy-pack-config): then no stack-derived settings are added. */
  configFile?: string;
}

/** A policy-pack process already booting while the program runs: the pack's ~1 s start overlaps the plan. */
export interface PendingEvaluation {
  /** The policy config the pack runs with (exemptions are read from it). */
  config: Promise<Record<string, unknown>>;
  /** Analyzes the recorded resources (inputs, then outputs), closes the pack, and attaches the exemptions. */
  finish(records: ResourceRecord[]): Promise<PolicyEvaluation>;
  /** Closes the pack without analyzing (the program failed). */
  cancel(): Promise<void>;
}

/**
 * Starts mlvault's pack as the engine would, with the environment's policy config and the stack's overrides. The
 * session can analyze several stacks; each analyze() first teaches its scrubber that stack's secret values.
 */
export function startPolicySession(root: string, ctx: PolicyContext): Promise<PolicyPackSession> {
  return startWithConfig(root, ctx).session;
}

function startWithConfig(root: string, ctx: PolicyContext): { session: Promise<PolicyPackSession>; config: Promise<Record<string, unknown>> } {
  // The overrides need the pack's schemas (policies/all.ts loads the policy SDK, ~0.25 s): computed while the pack
  // process boots.
  const config = ctx.configFile
    ? Promise.resolve(readConfigFile(root, path.resolve(ctx.configFile)))
    : ctx.stackConfig
      ? effectivePolicyConfig(root, ctx.stackConfig, process.env.MLVAULT_NOW)
      : import("./policyOverrides").then((m) => m.withStackOverrides(readPolicyConfig(root, ctx.environment), undefined, process.env.MLVAULT_NOW));
  const packDir = ctx.packDir ? path.resolve(ctx.packDir) : policyPackDir(root);
  if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
    throw new UsageError([`error: ${ctx.packDir ?? path.relative(root, packDir)}: not a policy pack (no PulumiPolicy.yaml)`]);
  }
  const session = PolicyPackSession.start({
    packDir,
    config,
    stack: ctx.stack,
    project: ctx.project,
    dryRun: ctx.dryRun,
  }, new SecretScrubber());
  return { session, config };
}

/** Starts the pack now (see startPolicySession) and analyzes once the resources are known. */
export function beginEvaluation(root: string, ctx: PolicyContext): PendingEvaluation {
  const { session: started, config } = startWithConfig(root, ctx);
  config.catch(() => undefined);
  // Observed now so a boot failure while the program still runs is not an unhandled rejection; finish() rethrows it.
  started.catch(() => undefined);
  return {
    config,
    // The session's analyze() teaches its scrubber each stack's secrets before any message comes back. Every
    // command that evaluates (plan, audit, compliance) reports exemptions the same way, so they are attached here.
    async finish(records) {
      return withExemptions(await analyzeAndClose(await started, records), records, await config);
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
export function effectivePolicyConfig(root: string, stackConfig: StackConfig, now: string | undefined): Promise<Record<string, unknown>> {
  // Read now: a missing or broken file is a usage error before anything runs, not a failure half way.
  const base = readPolicyConfig(root, stackConfig.environment);
  return import("./policyOverrides").then((m) => m.withStackOverrides(base, stackConfig, now));
}

export function readPolicyConfig(root: string, environment: string): Record<string, unknown> {
  return readConfigFile(root, policyConfigFile(root, environment));
}

export function readConfigFile(root: string, file: string): Record<string, unknown> {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError([`error: ${path.relative(root, file)}: cannot read the policy config (${(e as Error).message.split("\n")[0]})`]);
  }
  // An exemption is a risk someone accepted: a malformed one is refused before anything runs, never ignored.
  const problems = exemptionProblems(config);
  if (problems.length > 0) throw new UsageError(problems.map((p) => `error: ${path.relative(root, file)}: ${p}`));
  return config;
}

/**
 * Where the SARIF rules link: on GitHub Actions, this repository at the commit being checked (GITHUB_SERVER_URL,
 * GITHUB_REPOSITORY, GITHUB_SHA); elsewhere the project's home page (package.json `homepage`) on its main branch.
 */
export function documentationLinks(env: NodeJS.ProcessEnv = process.env): { informationUri: string; controlsDocUrl: string } {
  const homepage = (require("../package.json") as { homepage: string }).homepage;
  const onGitHub = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA;
  const repo = onGitHub ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : homepage;
  return { informationUri: repo, controlsDocUrl: `${repo}/blob/${onGitHub ? env.GITHUB_SHA : "main"}/docs/controls.md` };
}

export function writePolicyReports(
  evaluation: PolicyEvaluation,
  opts: { sarif?: string; artifactUri: string; category: string; lineOf?: (v: Violation) => number },
): void {
  if (!opts.sarif) return;
  const sarif = toSarif(evaluation, { toolVersion: TOOL.version, artifactUri: opts.artifactUri, category: opts.category, lineOf: opts.lineOf, ...documentationLinks() });
  writeOutput(opts.sarif, JSON.stringify(sarif, null, 2));
}
