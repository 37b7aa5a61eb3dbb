import { Command, CommanderError, Option } from "commander";
import { EXIT, UsageError } from "./errors";
import * as path from "path";
import { audit } from "./audit";
import { plan } from "./plan";

/**
 * The mlvault command line. Exit codes: 0 success, 1 mandatory policy violations, 2 invalid config or usage.
 * Errors are one line each on stderr, never a stack trace (set MLVAULT_DEBUG=1 to see one).
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command("mlvault")
    .description("Secure Azure ML workspaces on Pulumi: offline plan, policy audit, onboarding and hand-off.")
    .version((require("../package.json") as { version: string }).version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  let exitCode: number = EXIT.ok;
  program
    .command("plan")
    .description("validate a stack's config and plan it offline (no Azure, no Pulumi CLI), with the policy pack")
    .argument("<stack>", "stack name: reads Pulumi.<stack>.yaml")
    .option("--json <file|->", "write the plan as JSON ('-' for stdout)")
    .option("--sarif <file|->", "write policy violations as SARIF 2.1.0")
    .option("--preview", "plan as `pulumi preview` sees it: provider-computed values unknown")
    .option("--no-policies", "skip the policy pack")
    .addOption(new Option("-C, --cwd <dir>", "project folder (holds Pulumi.yaml)").default(process.cwd(), "current folder"))
    .action(async (stack: string, o) => {
      exitCode = await plan(stack, { cwd: o.cwd, json: o.json, sarif: o.sarif, preview: o.preview, policies: o.policies });
    });

  program
    .command("audit")
    .description("run the policy pack over a `pulumi stack export` file (deployment v3), e.g. a stack mlvault did not create")
    .argument("<export>", "file written by `pulumi stack export --file <export>`")
    .requiredOption("--env <env>", "baseline to apply: dev | prod (policies/config/<env>.json)")
    .option("--json <file|->", "write resources and violations as JSON ('-' for stdout)")
    .option("--sarif <file|->", "write violations as SARIF 2.1.0")
    .action(async (file: string, o) => {
      exitCode = await audit(file, { env: o.env, json: o.json, sarif: o.sarif, root: path.resolve(__dirname, "..") });
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      process.stderr.write(e.lines.join("\n") + "\n");
      return EXIT.usage;
    }
    throw e;
  }
}
