import { Command, CommanderError, Option } from "commander";
import { EXIT, UsageError } from "./errors";
import * as path from "path";
import { audit } from "./audit";
import { legacyReportFlags, resolveStack } from "./args";
import { plan } from "./plan";

/** `--json` alone is stdout ("-"); `--json-file <f>` is a file; neither: no report. */
function reportTarget(toStdout: boolean | undefined, file: string | undefined): string | undefined {
  if (toStdout && file) throw new UsageError([`error: a report can go to stdout or to a file, not both; drop one of the two flags`]);
  return file ?? (toStdout ? "-" : undefined);
}

/**
 * The mlvault command line. Exit codes: 0 success, 1 mandatory policy violations, 2 invalid config or usage.
 * Errors are one line each on stderr, never a stack trace (set MLVAULT_DEBUG=1 to see one).
 */
/** Input from the environment is input too: refused up front, before anything runs (exit 2). */
function checkEnvironment(env: NodeJS.ProcessEnv): void {
  const now = env.MLVAULT_NOW;
  if (now !== undefined && now !== "" && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(now.trim())) {
    throw new UsageError([`error: MLVAULT_NOW: must be an ISO 8601 date or UTC date-time such as 2026-12-01T00:00:00Z (got "${now}")`]);
  }
  if (now && Number.isNaN(Date.parse(now))) throw new UsageError([`error: MLVAULT_NOW: not a real date (got "${now}")`]);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command("mlvault")
    .description("Secure Azure ML workspaces on Pulumi: offline plan, policy audit, onboarding and hand-off.")
    .version((require("../package.json") as { version: string }).version, "-v, --version", "print the version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  let exitCode: number = EXIT.ok;
  program
    .command("plan")
    .description("validate a stack's config and plan it offline (no Azure, no Pulumi CLI), with the policy pack")
    .argument("[stack]", "stack name (reads Pulumi.<stack>.yaml), <org>/<project>/<stack>, or a stack file's path")
    .option("-s, --stack <stack>", "the stack, as in pulumi (instead of the argument)")
    .option("--json", "write the plan as JSON to stdout (the tree then goes to stderr)")
    .option("--json-file <file>", "write the plan as JSON to a file")
    .option("--sarif", "write policy violations as SARIF 2.1.0 to stdout")
    .option("--sarif-file <file>", "write policy violations as SARIF 2.1.0 to a file")
    .option("--graph", "write a Mermaid picture of the plan (Markdown, one flowchart per project) to stdout")
    .option("--graph-file <file>", "write the Mermaid picture to a file")
    .option("--comment <file>", "write the pull-request comment: summary, violations, a collapsed section per project, always under GitHub's size limit")
    .option("--preview", "plan as `pulumi preview` sees it: provider-computed values unknown")
    .option("--summary", "only the resource counts and one line per policy finding (no tree, no messages)")
    .option("--against <file>", "show what this plan changes against an earlier `mlvault plan --json` report or a `pulumi stack export`: create, update, replace, delete, and the hazards (exit 1 on one that fails pulumi up)")
    .option("--show-same", "with --against: list unchanged resources too")
    .option("--no-policies", "skip the policy pack")
    .option("--policy-pack <dir>", "the policy pack to run, as in pulumi (default: policies/ of this project)")
    .option("--policy-pack-config <file>", "its config, used as is, as in pulumi (default: the stack's own: mlvault policy-config <stack>)")
    .addOption(new Option("-C, --cwd <dir>", "where to look for Pulumi.yaml (this folder or one above it)").default(process.cwd(), "current folder"))
    .addHelpText("after", `
Examples:
  mlvault plan dev                                   the tree and the policy findings
  mlvault plan -s dev --json > plan-dev.json         JSON to stdout, the tree to stderr
  mlvault plan dev --sarif-file dev.sarif --comment comment-dev.md
  mlvault plan acme/mlvault/prod --preview           as pulumi preview sees a new stack
  mlvault plan infra/Pulumi.prod.yaml                a stack file's path
  mlvault plan prod --summary                        counts and one line per finding
  mlvault plan dev --against base-dev.json           what a change creates, updates, replaces, deletes
  mlvault plan prod --against prod-export.json       the same against the deployed stack (pulumi stack export)
  NO_COLOR=1 mlvault plan dev                        no colour on a terminal (FORCE_COLOR=1 forces it in a pipe)`)
    .action(async (stackArg: string | undefined, o) => {
      const { stack, dir } = resolveStack(stackArg, o.stack, o.cwd);
      exitCode = await plan(stack, {
        cwd: dir, json: reportTarget(o.json, o.jsonFile), sarif: reportTarget(o.sarif, o.sarifFile), graph: reportTarget(o.graph, o.graphFile),
        preview: o.preview, policies: o.policies, comment: o.comment, policyPack: o.policyPack, policyPackConfig: o.policyPackConfig,
        summary: o.summary, against: o.against, showSame: o.showSame,
      });
    });

  program
    .command("policy-config")
    .description("print the policy config a stack is evaluated with (its environment's file plus what its config implies): hand it to `pulumi preview --policy-pack-config` for the same verdicts as `mlvault plan`")
    .argument("[stack]", "stack name, <org>/<project>/<stack>, or a stack file's path")
    .option("-s, --stack <stack>", "the stack, as in pulumi (instead of the argument)")
    .option("--json-file <file>", "write it to a file instead of stdout")
    .addOption(new Option("-C, --cwd <dir>", "where to look for Pulumi.yaml (this folder or one above it)").default(process.cwd(), "current folder"))
    .addHelpText("after", `
Examples:
  mlvault policy-config prod --json-file policy-config-prod.json
  pulumi preview --stack prod --policy-pack policies --policy-pack-config policy-config-prod.json`)
    .action(async (stackArg: string | undefined, o) => {
      const { stack, dir } = resolveStack(stackArg, o.stack, o.cwd);
      const { policyConfig } = await import("./policyConfig");
      exitCode = await policyConfig(stack, { cwd: dir, jsonFile: o.jsonFile });
    });

  program
    .command("audit")
    .description("run the policy pack over a `pulumi stack export` file (deployment v3), e.g. a stack mlvault did not create")
    .argument("<export>", "file written by `pulumi stack export --file <export>`")
    .requiredOption("--env <env>", "baseline to apply: dev | prod (policies/config/<env>.json)")
    .option("--json", "write resources and violations as JSON to stdout")
    .option("--json-file <file>", "write resources and violations as JSON to a file")
    .option("--sarif", "write violations as SARIF 2.1.0 to stdout")
    .option("--sarif-file <file>", "write violations as SARIF 2.1.0 to a file")
    .addHelpText("after", `
Examples:
  pulumi stack export --stack prod --file prod-export.json
  mlvault audit prod-export.json --env prod --sarif-file prod-export.sarif`)
    .action(async (file: string, o) => {
      exitCode = await audit(file, { env: o.env, json: reportTarget(o.json, o.jsonFile), sarif: reportTarget(o.sarif, o.sarifFile), root: path.resolve(__dirname, "..") });
    });

  program
    .command("handoff")
    .description("write one Markdown hand-off sheet per project for its ML developers: vault, secrets, roles, how to read a secret")
    .argument("[stack]", "stack name, <org>/<project>/<stack>, or a stack file's path")
    .option("-s, --stack <stack>", "the stack, as in pulumi (instead of the argument)")
    .option("--outputs <file>", "the deployed stack's `pulumi stack output --json`: real values instead of the offline plan")
    .option("--project <name>", "only this project")
    .option("--out <dir>", "folder for the sheets (default: handoff/<stack> in the project folder)")
    .addOption(new Option("-C, --cwd <dir>", "where to look for Pulumi.yaml (this folder or one above it)").default(process.cwd(), "current folder"))
    .addHelpText("after", `
Examples:
  pulumi stack output --stack dev --json > dev-outputs.json
  mlvault handoff dev --outputs dev-outputs.json --project churn`)
    .action(async (stackArg: string | undefined, o) => {
      const { stack, dir } = resolveStack(stackArg, o.stack, o.cwd);
      const { handoff } = await import("./handoff");
      exitCode = await handoff(stack, { cwd: dir, outputs: o.outputs, project: o.project, out: o.out });
    });

  program
    .command("compliance")
    .description("compliance evidence per regulatory framework (Microsoft's initiatives: MCSB, CIS, NIST, HIPAA HITRUST, CMMC, PBMM, ISO 27001, FedRAMP, PCI DSS, SOC 2) from the offline plan or a stack export")
    .argument("[stack]", "stack name, <org>/<project>/<stack>, or a stack file's path (omit with --export)")
    .option("-s, --stack <stack>", "the stack, as in pulumi (instead of the argument)")
    .option("--export <file>", "a `pulumi stack export` (deployment v3) instead of the offline plan")
    .option("--env <env>", "with --export: the baseline, dev | prod")
    .option("--json", "write the evidence as JSON to stdout")
    .option("--json-file <file>", "write the evidence as JSON to a file")
    .option("--md-file <file>", "write it as Markdown (pull requests, auditors)")
    .option("--html-file <file>", "write it as a self-contained HTML page (summary and drill-down, no network)")
    .option("--policy-pack <dir>", "the policy pack to run, as in pulumi (default: policies/)")
    .option("--policy-pack-config <file>", "its config, used as is (e.g. one with your exemptions)")
    .addOption(new Option("-C, --cwd <dir>", "where to look for Pulumi.yaml (this folder or one above it)").default(process.cwd(), "current folder"))
    .addHelpText("after", `
Examples:
  mlvault compliance prod --md-file compliance-prod.md --html-file compliance-prod.html
  mlvault compliance --export prod-export.json --env prod --json-file compliance-prod.json`)
    .action(async (stackArg: string | undefined, o) => {
      const { compliance } = await import("./compliance");
      const resolved = o.export ? { stack: undefined, dir: o.cwd } : resolveStack(stackArg, o.stack, o.cwd);
      exitCode = await compliance(resolved.stack, {
        cwd: resolved.dir, root: path.resolve(__dirname, ".."), export: o.export, env: o.env,
        json: reportTarget(o.json, o.jsonFile), md: o.mdFile, html: o.htmlFile, policyPack: o.policyPack, policyPackConfig: o.policyPackConfig,
      });
    });

  program
    .command("exemptions")
    .description("list the exemptions of the policy configs (policies/config/<env>.json) with their status and days left")
    .option("--env <env>", "only this environment: dev | prod")
    .option("--json", "write them as JSON to stdout")
    .option("--json-file <file>", "write them as JSON to a file")
    .option("--policy-pack-config <file>", "list this policy config file's exemptions instead")
    .addHelpText("after", `
Examples:
  mlvault exemptions                      every exemption, dev and prod
  mlvault exemptions --env prod --json    as JSON (status active | expiring | expired | refused, daysLeft)`)
    .action(async (o) => {
      const { exemptions } = await import("./exemptions");
      exitCode = await exemptions({ root: path.resolve(__dirname, ".."), env: o.env, json: reportTarget(o.json, o.jsonFile), policyPackConfig: o.policyPackConfig });
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
    .addHelpText("after", `
Examples:
  mlvault onboard fraud --stacks dev,prod --reader 7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01 \\
    --secret db-password:password:config:2027-03-31 --dry-run`)
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

  program.addHelpText("after", `
Examples:
  mlvault plan dev                     offline plan and policy findings of Pulumi.dev.yaml
  mlvault policy-config prod           the policy config pulumi preview should get for prod
  mlvault audit export.json --env prod the pack over a pulumi stack export
  mlvault onboard fraud --stacks dev,prod --reader <object id> --dry-run
  mlvault handoff dev --outputs dev-outputs.json
  mlvault compliance prod --html-file compliance-prod.html
  mlvault exemptions --env prod

Exit codes: 0 clean, 1 mandatory policy violations, 2 bad input, 3 internal error.`);

  try {
    checkEnvironment(process.env);
    const legacy = legacyReportFlags(argv);
    for (const w of legacy.warnings) process.stderr.write(`${w}\n`);
    argv = legacy.argv;
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
