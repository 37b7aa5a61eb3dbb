import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  CliSurface,
  Workflow,
  checkLocalPaths,
  checkMlvaultCommands,
  checkNpmScripts,
  checkPermissions,
  checkPinnedActions,
  checkPulumiCommands,
  checkShape,
  commandsFromHelp,
  flagsFromHelp,
  loadWorkflows,
  parseWorkflow,
  runLines,
} from "./workflowChecks";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
/** The shipped stacks: every Pulumi.<stack>.yaml in the repository. */
const STACKS = fs.readdirSync(ROOT).flatMap((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1] ?? []).sort();

function mlvaultHelp(args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "mlvault.js"), ...args, "--help"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`mlvault ${args.join(" ")} --help exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The real CLI's surface, read from its --help (each command's help asked once, when a workflow uses it). */
function realCli(): CliSurface {
  const commands = commandsFromHelp(mlvaultHelp([]));
  const cache = new Map<string, Set<string>>();
  return {
    commands,
    flags: (command) => {
      if (!cache.has(command)) cache.set(command, flagsFromHelp(mlvaultHelp([command])));
      return cache.get(command)!;
    },
  };
}

const workflows = loadWorkflows(WORKFLOWS);
const byFile = (file: string): Workflow => {
  const w = workflows.find((x) => x.file === file);
  if (!w) throw new Error(`${file} is missing from .github/workflows`);
  return w;
};
const stepsOf = (w: Workflow, job: string): Record<string, any>[] => w.doc.jobs[job].steps;

describe("every workflow is valid and references only what exists", () => {
  const cli = realCli();

  it("finds the pull-request and deploy workflows", () => {
    expect(workflows.map((w) => w.file)).toEqual(expect.arrayContaining(["deploy.yml", "pr.yml"]));
    expect(STACKS).toEqual(["dev", "prod"]);
  });

  describe.each(workflows.map((w) => [w.file, w] as const))("%s", (_file, w) => {
    it("has `on` and `jobs`, and every job runs steps", () => expect(checkShape(w)).toEqual([]));
    it("calls only npm scripts that package.json defines", () => expect(checkNpmScripts(w, scripts)).toEqual([]));
    it("calls only mlvault commands and options the CLI has", () => expect(checkMlvaultCommands(w, cli)).toEqual([]));
    it("uses only repository paths that exist", () => expect(checkLocalPaths(w, ROOT)).toEqual([]));
    it("pins every action to a major version or a commit", () => expect(checkPinnedActions(w)).toEqual([]));
    it("declares least-privilege permissions", () => expect(checkPermissions(w)).toEqual([]));
    it("runs pulumi with the policy pack and the stack's own policy config", () => expect(checkPulumiCommands(w)).toEqual([]));
    it("stores no Azure credential: OIDC only", () => {
      const text = fs.readFileSync(path.join(WORKFLOWS, w.file), "utf8");
      expect(text).not.toMatch(/secrets\.(AZURE|ARM)_|\bcreds:|ARM_CLIENT_SECRET/);
    });
  });
});

describe("pull-request workflow", () => {
  const w = byFile("pr.yml");

  it("runs on pull requests: npm ci, the tests and the dependency audit", () => {
    expect(Object.keys(w.doc.on)).toContain("pull_request");
    const lines = runLines(w).filter((l) => l.where.startsWith("pr.yml › test ›")).map((l) => l.line.trim());
    expect(lines).toEqual(expect.arrayContaining(["npm ci --no-audit --no-fund", "npm test", "bash scripts/ci-audit.sh"]));
    expect(stepsOf(w, "test").find((s) => s.run === "bash scripts/ci-audit.sh")?.env).toEqual({ MLVAULT_AUDIT_REQUIRED: "1" });
    expect(stepsOf(w, "test").find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({ "node-version": 20, cache: "npm" });
  });

  it("plans every stack with SARIF, graph and JSON output", () => {
    expect(w.doc.jobs.plan.strategy.matrix.stack).toEqual(STACKS);
    const plan = stepsOf(w, "plan").find((s) => s.id === "plan")!;
    expect(plan.run).toMatch(/npx mlvault plan "\$STACK" --sarif "plan-\$STACK\.sarif" --graph "plan-\$STACK\.md" --json "plan-\$STACK\.json"/);
    expect(w.doc.jobs.plan.env.STACK).toBe("${{ matrix.stack }}");
  });

  it("uploads SARIF per stack and comments the graph even when the plan found violations, then fails the job", () => {
    const planSteps = stepsOf(w, "plan");
    const index = (pred: (s: Record<string, any>) => boolean) => planSteps.findIndex(pred);
    const upload = planSteps[index((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))];
    expect(upload.if).toMatch(/^always\(\)/);
    expect(upload.with).toEqual({ sarif_file: "plan-${{ matrix.stack }}.sarif", category: "mlvault-plan-${{ matrix.stack }}" });
    const comment = planSteps[index((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))];
    expect(comment.if).toMatch(/^always\(\)/);
    expect(comment.with.path).toBe("plan-${{ matrix.stack }}.md");
    // The verdict comes last, runs always, and fails on any exit code but 0 (1 = mandatory violations).
    const last = planSteps[planSteps.length - 1];
    expect(last.if).toBe("always()");
    expect(last.env.PLAN_EXIT).toBe("${{ steps.plan.outputs.exit-code }}");
    expect(last.run).toMatch(/0\) echo[^\n]*;;\n\s*1\)[^\n]*exit 1 ;;\n\s*\*\)[^\n]*exit 1 ;;/);
    expect(index((s) => s === upload)).toBeLessThan(planSteps.length - 1);
  });

  it("previews with Pulumi only when Azure OIDC is configured, for every stack", () => {
    const preview = w.doc.jobs.preview;
    for (const v of ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID"]) expect(preview.if).toContain(`vars.${v} != ''`);
    expect(preview.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(preview.env).toMatchObject({ ARM_USE_OIDC: "true", PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
    expect(preview.strategy.matrix.stack).toEqual(STACKS);
    const previews = runLines(w).filter((l) => /pulumi preview/.test(l.line)).map((l) => l.line);
    expect(previews).toEqual(STACKS.map((s) => expect.stringContaining(`--stack ${s} --policy-pack policies --policy-pack-config policies/config/${s}.json`)));
  });
});

describe("deploy workflow", () => {
  const w = byFile("deploy.yml");

  it("runs on push to main and on demand", () => {
    expect(w.doc.on.push).toEqual({ branches: ["main"] });
    expect("workflow_dispatch" in w.doc.on).toBe(true);
  });

  it("deploys each environment in its own GitHub environment, prod only after dev", () => {
    expect(Object.keys(w.doc.jobs).sort()).toEqual(STACKS);
    for (const env of STACKS) {
      const job = w.doc.jobs[env];
      expect(job.environment).toBe(env);
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.env.ARM_USE_OIDC).toBe("true");
      const ups = runLines(w).filter((l) => l.where.startsWith(`deploy.yml › ${env} ›`) && /pulumi up/.test(l.line));
      expect(ups.map((l) => l.line.trim())).toEqual([`pulumi up --yes --stack ${env} --policy-pack policies --policy-pack-config policies/config/${env}.json`]);
    }
    expect(w.doc.jobs.prod.needs).toBe("dev");
  });
});

describe("the checks catch broken workflows", () => {
  const broken = parseWorkflow(
    "broken.yml",
    `
on: push
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
    strategy:
      matrix:
        env: [dev, qa]
    steps:
      - uses: actions/checkout@main
      - uses: github/codeql-action/upload-sarif@v3
      - run: npm run no-such-script && npm test
      - run: npx mlvault deploy dev
      - run: npx mlvault plan dev --graf g.md
      - run: bash scripts/missing.sh
      - run: pulumi up --stack \${{ matrix.env }} --policy-pack policies --policy-pack-config policies/config/dev.json
  empty:
    runs-on: ubuntu-latest
`,
  );
  const cli: CliSurface = { commands: new Set(["plan"]), flags: () => new Set(["--graph", "--json"]) };

  it("rejects invalid YAML", () => {
    expect(() => parseWorkflow("bad.yml", "jobs:\n  a: [unclosed\n")).toThrow(/bad\.yml: invalid YAML/);
  });

  it("reports each problem", () => {
    expect(checkShape(parseWorkflow("x.yml", "name: x\n"))).toEqual(["x.yml: no `on` trigger", "x.yml: no `jobs`"]);
    expect(checkShape(broken)).toEqual(["broken.yml › empty: no steps"]);
    expect(checkNpmScripts(broken, { test: "jest" })).toEqual([
      'broken.yml › build › npm run no-such-script && npm test: npm script "no-such-script" is not in package.json',
    ]);
    expect(checkMlvaultCommands(broken, cli)).toEqual([
      "broken.yml › build › npx mlvault deploy dev: `mlvault deploy` is not a command of the CLI",
      "broken.yml › build › npx mlvault plan dev --graf g.md: `mlvault plan` has no option --graf",
    ]);
    expect(checkLocalPaths(broken, ROOT)).toEqual(
      expect.arrayContaining(['broken.yml › build › bash scripts/missing.sh: "scripts/missing.sh" does not exist in the repository']),
    );
    expect(checkPinnedActions(broken)).toEqual(["broken.yml › build: `actions/checkout@main` is not pinned to @v<N> or a commit SHA"]);
    expect(checkPermissions(broken)).toEqual([
      'broken.yml: top-level `permissions` must be a map (read-only), got "write-all"',
      "broken.yml › build: contents: write has no known use here",
      "broken.yml › build: pull-requests: write but no step needs it",
      "broken.yml › build: a step needs security-events: write, which the job does not grant",
      'broken.yml › empty: permissions "write-all" is not least-privilege: list each scope',
    ]);
    expect(checkPulumiCommands(broken)).toEqual([
      expect.stringMatching(/--stack dev .*: pulumi up without --yes$/),
      expect.stringContaining("pulumi up --stack qa needs --policy-pack-config policies/config/qa.json, got policies/config/dev.json"),
      expect.stringMatching(/--stack qa .*: pulumi up without --yes$/),
    ]);
  });

  it("parses the CLI's help", () => {
    expect(commandsFromHelp("Usage: x\n\nCommands:\n  plan [options] <stack>  does\n  help [command]  help\n")).toEqual(new Set(["plan"]));
    expect(flagsFromHelp("Options:\n  --json <file|->  j\n  -C, --cwd <dir>  d\n  --no-policies  n\n")).toEqual(new Set(["--json", "--cwd", "--no-policies"]));
  });
});
