import * as path from "path";
import { EXIT } from "./errors";
import { writeOutput } from "./output";
import { loadStack } from "./planRun";
import { effectivePolicyConfig } from "./policyRun";

/**
 * `mlvault policy-config <stack>`: the policy config a stack is evaluated with, as one JSON document — the
 * environment's policies/config/<env>.json plus what the stack's own config tells the pack (access-policy mode,
 * Defender owned by another stack). `mlvault plan` evaluates with exactly this document, and the workflows hand the
 * same file to `pulumi preview` / `pulumi up --policy-pack-config`, so a stack gets the same verdicts everywhere.
 */
export async function policyConfig(stack: string, opts: { cwd: string; jsonFile?: string }): Promise<number> {
  const loaded = loadStack(opts.cwd, stack);
  const root = path.resolve(__dirname, "..");
  const config = await effectivePolicyConfig(root, loaded.config, process.env.MLVAULT_NOW);
  writeOutput(opts.jsonFile ?? "-", JSON.stringify(config, null, 2));
  if (opts.jsonFile) process.stderr.write(`wrote ${opts.jsonFile}\n`);
  return EXIT.ok;
}
