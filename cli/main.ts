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
    .option("--graph <file>", "write a Mermaid picture of the plan (Markdown, one flowchart per project)")
    .option("--comment <file>", "write the pull-request comment: summary, violations, a collapsed section per project, always under GitHub's size limit")
    .addOption(new Option("-C, --cwd <dir>", "project folder (holds Pulumi.yaml)").default(process.cwd(), "current folder"))
    .action(async (stack: string, o) => {
      exitCode = await plan(stack, { cwd: o.cwd, json: o.json, sarif: o.sarif, preview: o.preview, policies: o.policies, graph: o.graph, comment: o.comment });
    });

  program
    .command("policy-config")
    .description("print the policy config a stack is evaluated with (its environment's file plus what its config implies): hand it to `pulumi preview --policy-pack-config` for the same verdicts as `mlvault plan`")
    .argument("<stack>", "stack name: reads Pulumi.<stack>.yaml")
    .option("--json-file <file>", "write it to a file instead of stdout")
    .addOption(new Option("-C, --cwd <dir>", "project folder (holds Pulumi.yaml)").default(process.cwd(), "current folder"))
    .action(async (stack: string, o) => {
      const { policyConfig } = await import("./policyConfig");
      exitCode = await policyConfig(stack, { cwd: o.cwd, jsonFile: o.jsonFile });
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

  program
    .command("handoff")
    .description("write one Markdown hand-off sheet per project for its ML developers: vault, secrets, roles, how to read a secret")
    .argument("<stack>", "stack name: reads Pulumi.<stack>.yaml")
    .option("--outputs <file>", "the deployed stack's `pulumi stack output --json`: real values instead of the offline plan")
    .option("--project <name>", "only this project")
    .option("--out <dir>", "folder for the sheets (default: handoff/<stack> in the project folder)")
    .addOption(new Option("-C, --cwd <dir>", "project folder (holds Pulumi.yaml)").default(process.cwd(), "current folder"))
    .action(async (stack: string, o) => {
      const { handoff } = await import("./handoff");
      exitCode = await handoff(stack, { cwd: o.cwd, outputs: o.outputs, project: o.project, out: o.out });
    });

  const repeat = (value: string, previous: string[]) => [...previous, value];
  program
    .command("onboard")
    .description("add a validated project entry to stack files, keeping their comments; prints the `pulumi config set` commands still needed")
    .argument("<project>", "project name (2-12 lowercase letters and digits, starting with a letter)")
    .requiredOption("--stacks <list>", "comma-separated stacks to add it to, e.g. dev,prod (Pulumi.<stack>.yaml)")
    .option("--reader <id>", "Entra object id of a reader (repeatable); <id>:User|Group|ServicePrincipal sets the type", repeat, [])
    .option("--operator <id>", "Entra object id of an operator (repeatable), same form as --reader", repeat, [])
    .option("--secret <spec>", "name:contentType:source:expiresOn, source config|generate|external (repeatable)", repeat, [])
    .option("--description <text>", "what the project is")
    .option("--password-lifetime-days <n>", "service principal password lifetime, 0 = federated credentials only")
    .option("--federated <spec>", "name=…,issuer=…,subject=… OIDC trust for the service principal (repeatable)", repeat, [])
    .option("--dry-run", "print the diff of each stack file, write nothing")
    .addOption(new Option("-C, --cwd <dir>", "project folder (holds Pulumi.yaml)").default(process.cwd(), "current folder"))
    .action(async (project: string, o) => {
      const { onboard } = await import("./onboard");
      if (o.passwordLifetimeDays !== undefined && !/^\d+$/.test(o.passwordLifetimeDays)) {
        throw new UsageError([`error: --password-lifetime-days: must be a whole number of days, got "${o.passwordLifetimeDays}"`]);
      }
      exitCode = await onboard(project, {
        cwd: o.cwd, stacks: o.stacks, readers: o.reader, operators: o.operator, secrets: o.secret, description: o.description,
        passwordLifetimeDays: o.passwordLifetimeDays === undefined ? undefined : Number(o.passwordLifetimeDays),
        federated: o.federated, dryRun: o.dryRun,
      });
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
