import { spawnSync } from "child_process";
import { parse } from "yaml";
import * as fs from "fs";
import * as path from "path";
import {
  CliSurface,
  Workflow,
  checkLocalPaths,
  checkMlvaultCommands,
  checkMlvaultLines,
  markdownLines,
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
    it("pins every action to a full commit SHA with its version in a comment", () => expect(checkPinnedActions(w)).toEqual([]));
    it("declares least-privilege permissions", () => expect(checkPermissions(w)).toEqual([]));
    it("runs pulumi with the policy pack and the stack's own policy config", () => expect(checkPulumiCommands(w)).toEqual([]));
    it("stores no Azure credential: OIDC only", () => {
      const text = fs.readFileSync(path.join(WORKFLOWS, w.file), "utf8");
      expect(text).not.toMatch(/secrets\.(AZURE|ARM)_|\bcreds:|ARM_CLIENT_SECRET/);
    });
  });
});

describe("README and docs name only real mlvault commands, run through the repository's bin", () => {
  const docs = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md")).map((f) => path.join("docs", f))];
  const lines = markdownLines(ROOT, docs);

  it("finds the documented calls", () => {
    const calls = lines.filter((l) => /mlvault (?:plan|onboard|handoff|audit|policy-config)\b/.test(l.line) && /npm (?:exec|run)/.test(l.line));
    expect(calls.length).toBeGreaterThan(10);
  });
  it("every command, flag and report form exists", () => expect(checkMlvaultLines(lines, realCli())).toEqual([]));
  it("catches a wrong one in a synopsis", () => {
    const cli: CliSurface = { commands: new Set(["plan"]), flags: () => new Set(["--json", "--json-file", "-s"]) };
    expect(checkMlvaultLines([
      { where: "README.md:1", line: "npm exec -- mlvault plan (<stack> | -s <stack>) [--json | --json-file <file>] [--graf]" },
      { where: "README.md:2", line: "`npm run --silent mlvault -- plan <env> --json out.json` then `pulumi up --yes`" },
      { where: "README.md:3", line: "npm exec -- mlvault plan dev | head -1 --nope" },
    ], cli)).toEqual([
      "README.md:1: `mlvault plan` has no option --graf",
      "README.md:2: `--json out.json` is the old form: write `--json-file out.json`",
    ]);
  });
});

describe("pull-request workflow", () => {
  const w = byFile("pr.yml");

  it("runs on pull requests: npm ci, the tests and the dependency audit, on Node 22", () => {
    expect(Object.keys(w.doc.on)).toContain("pull_request");
    const lines = runLines(w).filter((l) => l.where.startsWith("pr.yml › test ›")).map((l) => l.line.trim());
    expect(lines).toEqual(expect.arrayContaining(["npm ci --no-audit --no-fund", "npm test", "bash scripts/ci-audit.sh"]));
    expect(stepsOf(w, "test").find((s) => s.run === "bash scripts/ci-audit.sh")?.env).toEqual({ MLVAULT_AUDIT_REQUIRED: "1" });
    expect(stepsOf(w, "test").find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({ "node-version": 22, cache: "npm" });
  });

  it("plans every stack with SARIF, graph, JSON and the size-bounded comment; the comment also goes to the job summary", () => {
    expect(w.doc.jobs.plan.strategy.matrix.stack).toEqual(STACKS);
    const plan = stepsOf(w, "plan").find((s) => s.id === "plan")!;
    expect(plan.run).toMatch(/npm exec -- mlvault plan "\$STACK" "\$\{against\[@\]\}" --sarif-file "plan-\$STACK\.sarif" --graph-file "plan-\$STACK\.md" --json-file "plan-\$STACK\.json" --comment "comment-\$STACK\.md"/);
    expect(plan.run).toContain('if [ -f "base-$STACK.json" ]; then against=(--against "base-$STACK.json"); fi');
    expect(plan.run).toMatch(/cat "comment-\$STACK\.md" >> "\$GITHUB_STEP_SUMMARY"/);
    expect(w.doc.jobs.plan.env.STACK).toBe("${{ matrix.stack }}");
  });

  it("writes the compliance evidence and keeps a screenshot of its page as an artifact (issue 13)", () => {
    const steps = stepsOf(w, "plan");
    const step = steps.find((s) => typeof s.run === "string" && s.run.includes("mlvault compliance"))!;
    expect(step.run).toContain('npm exec -- mlvault compliance "$STACK" --md-file "compliance-$STACK.md" --json-file "compliance-$STACK.json" --html-file "compliance-$STACK.html"');
    expect(step.run).toMatch(/chromium --headless .*--screenshot="\$PWD\/compliance-\$STACK\.png"/);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(upload.with.path).toContain("compliance-${{ matrix.stack }}.*");
  });

  it("plans the base branch first, in a worktree, and passes that report as --against (issue 12)", () => {
    const steps = stepsOf(w, "plan");
    const baseAt = steps.findIndex((s) => typeof s.run === "string" && s.run.includes("git worktree add"));
    const planAt = steps.findIndex((s) => s.id === "plan");
    expect(baseAt).toBeGreaterThan(-1);
    expect(baseAt).toBeLessThan(planAt);
    const base = steps[baseAt];
    expect(base.if).toBe("github.event_name == 'pull_request'");
    expect(base.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    expect(base.run).toContain('git fetch --no-tags --depth=1 origin "$BASE_REF"');
    expect(base.run).toContain('npm exec -- mlvault plan "$STACK" --no-policies --json-file "$GITHUB_WORKSPACE/base-$STACK.json"');
  });

  it("code scanning is optional: the upload may fail without failing the job; the verdict step decides on mandatory violations", () => {
    const planSteps = stepsOf(w, "plan");
    const index = (pred: (s: Record<string, any>) => boolean) => planSteps.findIndex(pred);
    const upload = planSteps[index((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))];
    expect(upload.if).toMatch(/^always\(\)/);
    expect(upload["continue-on-error"]).toBe(true);
    expect(upload.with).toEqual({ sarif_file: "plan-${{ matrix.stack }}.sarif", category: "mlvault-plan-${{ matrix.stack }}" });
    expect(w.doc.jobs.plan.permissions).toMatchObject({ actions: "read", "security-events": "write" });
    const comment = planSteps[index((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))];
    expect(comment.if).toMatch(/^always\(\)/);
    expect(comment.with.path).toBe("comment-${{ matrix.stack }}.md");
    const artifact = planSteps[index((s) => s.uses?.startsWith("actions/upload-artifact@"))];
    expect(artifact.with.path).toMatch(/plan-\$\{\{ matrix\.stack \}\}\.\*/);
    // The verdict comes last, runs always, and fails on any exit code but 0 (1 = mandatory violations).
    const last = planSteps[planSteps.length - 1];
    expect(last.if).toBe("always()");
    expect(last.env.PLAN_EXIT).toBe("${{ steps.plan.outputs.exit-code }}");
    expect(last.run).toMatch(/0\) echo[^\n]*;;\n\s*1\)[^\n]*exit 1 ;;\n\s*\*\)[^\n]*exit 1 ;;/);
    expect(index((s) => s === upload)).toBeLessThan(planSteps.length - 1);
  });

  it("previews with Pulumi only when Azure and Pulumi Cloud OIDC are configured, with the policy config plan uses", () => {
    const preview = w.doc.jobs.preview;
    for (const v of ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID", "PULUMI_ORG"]) expect(preview.if).toContain(`vars.${v} != ''`);
    expect(preview.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(preview.env).toMatchObject({ ARM_USE_OIDC: "true" });
    expect(preview.strategy.matrix.stack).toEqual(STACKS);
    expect(stepsOf(w, "preview").some((s) => s.uses?.startsWith("pulumi/auth-actions@"))).toBe(true);
    const previews = runLines(w).filter((l) => /pulumi preview/.test(l.line)).map((l) => l.line);
    expect(previews).toEqual(STACKS.map((s) => expect.stringContaining(`--stack ${s} --policy-pack policies --policy-pack-config policy-config-${s}.json`)));
  });
});

describe("deploy workflow", () => {
  const w = byFile("deploy.yml");

  it("runs on pushes to main that change more than documentation, on demand and weekly", () => {
    expect(w.doc.on.push.branches).toEqual(["main"]);
    expect(w.doc.on.push["paths-ignore"]).toEqual(expect.arrayContaining(["docs/**", "**/*.md"]));
    expect("workflow_dispatch" in w.doc.on).toBe(true);
    expect(w.doc.on.schedule).toHaveLength(1);
  });

  it("dev previews and applies that plan; prod is previewed before the approval gate and applies the approved plan", () => {
    expect(Object.keys(w.doc.jobs)).toEqual(["dev", "prod-preview", "prod"]);
    expect(w.doc.env.PULUMI_EXPERIMENTAL).toBe("true");
    expect(w.doc.jobs["prod-preview"].needs).toBe("dev");
    expect(w.doc.jobs.prod.needs).toBe("prod-preview");
    expect(w.doc.jobs.prod.environment).toBe("prod");
    expect(w.doc.jobs["prod-preview"].environment).toBe("prod-preview");
    for (const job of ["dev", "prod-preview", "prod"]) {
      expect(w.doc.jobs[job].permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(w.doc.jobs[job].env.ARM_USE_OIDC).toBe("true");
      expect(stepsOf(w, job).some((s) => s.uses?.startsWith("pulumi/auth-actions@"))).toBe(true);
    }
    const ups = (job: string) => runLines(w).filter((l) => l.where.startsWith(`deploy.yml › ${job} ›`) && /pulumi up/.test(l.line)).map((l) => l.line.trim());
    expect(ups("dev")).toEqual(["pulumi up --yes --stack dev --policy-pack policies --policy-pack-config policy-config-dev.json --plan update-plan-dev.json"]);
    expect(ups("prod")).toEqual(["pulumi up --yes --stack prod --policy-pack policies --policy-pack-config policy-config-prod.json --plan update-plan-prod.json"]);
    expect(ups("prod-preview")).toEqual([]);
    // The approved job uses the plan the preview saved, not a new one.
    expect(stepsOf(w, "prod").some((s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.name === "update-plan-prod")).toBe(true);
    expect(stepsOf(w, "prod-preview").some((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ""))).toBe(true);
  });
});

describe("supply chain", () => {
  it("every workflow runs Node 22 or 24 (Node 20 reached end of life on 2026-04-30)", () => {
    for (const w of workflows) {
      for (const job of Object.values(w.doc.jobs) as Record<string, any>[]) {
        for (const s of job.steps ?? []) if (s.uses?.startsWith("actions/setup-node@")) expect([w.file, [22, 24].includes(s.with["node-version"])]).toEqual([w.file, true]);
      }
    }
  });

  it("no long-lived Pulumi token: Pulumi Cloud login through OIDC", () => {
    for (const w of workflows) expect([w.file, /PULUMI_ACCESS_TOKEN/.test(w.text ?? "")]).toEqual([w.file, false]);
  });

  it("Dependabot keeps the actions and npm current", () => {
    const doc = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8"));
    expect(doc.updates.map((u: { "package-ecosystem": string }) => u["package-ecosystem"]).sort()).toEqual(["github-actions", "npm"]);
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
      - run: npm exec -- mlvault deploy dev
      - run: npm exec -- mlvault plan dev --graf g.md
      - run: npx mlvault plan dev --json plan.json
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
      "broken.yml › build › npm exec -- mlvault deploy dev: `mlvault deploy` is not a command of the CLI",
      "broken.yml › build › npm exec -- mlvault plan dev --graf g.md: `mlvault plan` has no option --graf",
      "broken.yml › build › npx mlvault plan dev --json plan.json: a bare `npx mlvault` can fetch the public registry's package; write `npm exec -- mlvault`",
      "broken.yml › build › npx mlvault plan dev --json plan.json: `--json plan.json` is the old form: write `--json-file plan.json`",
    ]);
    expect(checkLocalPaths(broken, ROOT)).toEqual(
      expect.arrayContaining(['broken.yml › build › bash scripts/missing.sh: "scripts/missing.sh" does not exist in the repository']),
    );
    expect(checkPinnedActions(broken)).toEqual([
      "broken.yml › build: `actions/checkout@main` is not pinned to a full commit SHA",
      "broken.yml › build: `github/codeql-action/upload-sarif@v3` is not pinned to a full commit SHA",
    ]);
    expect(checkPermissions(broken)).toEqual([
      'broken.yml: top-level `permissions` must be a map (read-only), got "write-all"',
      "broken.yml › build: contents: write has no known use here",
      "broken.yml › build: pull-requests: write but no step needs it",
      "broken.yml › build: a step needs security-events: write, which the job does not grant",
      "broken.yml › build: a step needs id-token: write, which the job does not grant",
      'broken.yml › empty: permissions "write-all" is not least-privilege: list each scope',
    ]);
    expect(checkPulumiCommands(broken)).toEqual([
      expect.stringContaining("pulumi up --stack dev needs --policy-pack-config policy-config-dev.json (from mlvault policy-config), got policies/config/dev.json"),
      expect.stringMatching(/--stack dev .*: pulumi up without --yes$/),
      expect.stringMatching(/--stack dev .*: pulumi up does not apply a previewed plan \(--plan update-plan-dev\.json\)$/),
      expect.stringContaining("pulumi up --stack qa needs --policy-pack-config policy-config-qa.json (from mlvault policy-config), got policies/config/dev.json"),
      expect.stringMatching(/--stack qa .*: pulumi up without --yes$/),
      expect.stringMatching(/--stack qa .*: pulumi up does not apply a previewed plan \(--plan update-plan-qa\.json\)$/),
    ]);
  });

  it("parses the CLI's help", () => {
    expect(commandsFromHelp("Usage: x\n\nCommands:\n  plan [options] <stack>  does\n  help [command]  help\n")).toEqual(new Set(["plan"]));
    expect(flagsFromHelp("Options:\n  --json <file|->  j\n  -C, --cwd <dir>  d\n  --no-policies  n\n")).toEqual(new Set(["--json", "--cwd", "--no-policies"]));
  });
});
