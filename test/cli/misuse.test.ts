/**
 * Issue 9, tools under misuse: each case ends with exit 2 and one clear line, writes nothing it should not and loses
 * nothing. The CLI runs as a real process, as a user (or a careless script) would run it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { configOnlyProject, linkedProject, ROOT, runCli, stackFrames, tempDir, type CliResult } from "./runCli";

const CIPHERTEXT = "placeholder-set-with-pulumi-config-set-secret";
const READER = "7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01";

function expectOneLine(r: CliResult, pattern: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(pattern)]);
  expect(stackFrames(r.stderr)).toEqual([]);
}

/** A project folder with copies of the shipped stack files (onboard edits them). */
function projectWithStacks(): string {
  const dir = configOnlyProject();
  for (const f of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  return dir;
}

function runCliAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "mlvault.js"), ...args], { cwd: ROOT, env: { ...process.env, MLVAULT_NOW: "2026-12-15T12:00:00Z" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const onboardArgs = (dir: string, project: string) => ["onboard", project, "--stacks", "dev,prod", "--reader", READER, "-C", dir];

describe("concurrent onboard runs never lose a project", () => {
  test("four runs at once on the same stack files: every run either lands or says so and writes nothing", async () => {
    const dir = projectWithStacks();
    const projects = ["alpha", "bravo", "charlie", "delta"];
    const results = await Promise.all(projects.map((p) => runCliAsync(onboardArgs(dir, p))));
    for (const file of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      expect(text).toContain("- name: churn");
      results.forEach((r, i) => {
        const present = text.includes(`- name: ${projects[i]}`);
        if (r.status === 0) expect([projects[i], present]).toEqual([projects[i], true]);
        else {
          expect(r.status).toBe(2);
          expect(r.stderr).toMatch(/another mlvault onboard \(pid \d+\) is editing|changed while onboard was running/);
          expect([projects[i], present]).toEqual([projects[i], false]);
        }
      });
    }
    expect(results.some((r) => r.status === 0)).toBe(true);
    expect(fs.existsSync(path.join(dir, ".mlvault-onboard.lock"))).toBe(false);
  }, 60_000);

  test("a lock held by a running process: exit 2, one line, nothing written", () => {
    const dir = projectWithStacks();
    fs.writeFileSync(path.join(dir, ".mlvault-onboard.lock"), String(process.pid));
    const before = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
    expectOneLine(runCli(onboardArgs(dir, "fraud")), /^error: another mlvault onboard \(pid \d+\) is editing the stack files/);
    expect(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toBe(before);
  });

  test("a lock left by a process that ended is taken over", () => {
    const dir = projectWithStacks();
    fs.writeFileSync(path.join(dir, ".mlvault-onboard.lock"), "999999");
    const r = runCli(onboardArgs(dir, "fraud"));
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toContain("- name: fraud");
  });
});

describe("onboard writes only inside the project folder", () => {
  test("a stack file that is a link to a file outside: refused, the target untouched", () => {
    const dir = projectWithStacks();
    const outside = path.join(tempDir("outside"), "Pulumi.dev.yaml");
    fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), outside);
    fs.rmSync(path.join(dir, "Pulumi.dev.yaml"));
    fs.symlinkSync(outside, path.join(dir, "Pulumi.dev.yaml"));
    const before = fs.readFileSync(outside, "utf8");
    const r = runCli(["onboard", "fraud", "--stacks", "dev", "--reader", READER, "-C", dir]);
    expectOneLine(r, /^error: Pulumi\.dev\.yaml: is a link to .*, outside the project folder/);
    expect(fs.readFileSync(outside, "utf8")).toBe(before);
  });

  test("--dry-run never prints a stack file's secret values (ciphertext or plaintext) in the diff context", () => {
    // The new project goes at the end of the projects list, so the secretValues block is the diff's context.
    const shipped = projectWithStacks();
    const a = runCli(["onboard", "fraud", "--stacks", "dev", "--reader", READER, "--dry-run", "-C", shipped]);
    expect(a.status).toBe(0);
    expect(a.stdout).toContain("secure: [secret]");
    expect(a.stdout + a.stderr).not.toContain(CIPHERTEXT);

    const plain = projectWithStacks();
    const text = fs.readFileSync(path.join(plain, "Pulumi.dev.yaml"), "utf8").replace(/churn\/sql-password:\n {6}secure: v1:\S+/, "churn/sql-password: PLAINTEXT-SHOULD-NEVER-PRINT");
    expect(text).toContain("PLAINTEXT-SHOULD-NEVER-PRINT");
    fs.writeFileSync(path.join(plain, "Pulumi.dev.yaml"), text);
    const b = runCli(["onboard", "fraud", "--stacks", "dev", "--reader", READER, "--dry-run", "-C", plain]);
    expect(b.stdout).toContain("churn/sql-password: [secret]");
    expect(b.stdout + b.stderr).not.toContain("PLAINTEXT-SHOULD-NEVER-PRINT");
  });
});

describe("handoff writes only inside its output folder", () => {
  test.each(["../../escaped", "/tmp/absolute", "a/b", ".."])("an outputs file naming project %j: refused, nothing written outside", (name) => {
    const dir = configOnlyProject();
    fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const outputs = path.join(dir, "outputs.json");
    const project = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/outputs/dev.json"), "utf8")).projects.churn;
    fs.writeFileSync(outputs, JSON.stringify({ environment: "dev", projects: { [name]: project } }));
    const out = path.join(dir, "sheets");
    const r = runCli(["handoff", "dev", "--outputs", outputs, "--out", out, "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/project names must be 2-12 characters/);
    expect(stackFrames(r.stderr)).toEqual([]);
    expect(fs.existsSync(path.resolve(out, `${name}.md`))).toBe(false);
    expect(fs.existsSync(path.join(dir, "escaped.md"))).toBe(false);
  });
});

describe("absurd or broken input: one line, exit 2", () => {
  const deepJson = "[".repeat(50_000) + "]".repeat(50_000);

  test("a stack file nested 50,000 levels deep", () => {
    const dir = configOnlyProject();
    fs.writeFileSync(path.join(dir, "Pulumi.deep.yaml"), `config:\n  mlvault:projects: ${deepJson}\n`);
    expectOneLine(runCli(["plan", "deep", "-C", dir]), /^error: Pulumi\.deep\.yaml: .*nested more than 100 levels deep/);
  });

  test("a stack export nested 50,000 levels deep", () => {
    const file = path.join(tempDir("deep"), "export.json");
    fs.writeFileSync(file, `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n","type":"t","inputs":{"a":${deepJson}}}]}}`);
    expectOneLine(runCli(["audit", file, "--env", "dev"]), /nested more than 100 levels deep \(at deployment\.resources\[0\]\.inputs\.a/);
  });

  test("an outputs file nested 50,000 levels deep", () => {
    const dir = configOnlyProject();
    fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, `{"projects":{"churn":${deepJson}}}`);
    expectOneLine(runCli(["handoff", "dev", "--outputs", file, "-C", dir]), /nested more than 100 levels deep/);
  });

  test("an output path that is a directory", () => {
    const dir = linkedProject();
    fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const target = tempDir("is-a-dir");
    const r = runCli(["plan", "dev", "-C", dir, "--json", target]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`error: ${target.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: is a directory; name a file to write`));
    expect(stackFrames(r.stderr)).toEqual([]);
  }, 60_000);

  test("an export with two live resources of one URN", () => {
    const file = path.join(tempDir("dup"), "export.json");
    const r = { urn: "urn:pulumi:s::p::azure-native:keyvault:Vault::kv", type: "azure-native:keyvault:Vault", custom: true, inputs: {}, outputs: {} };
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [r, r] } }));
    expectOneLine(runCli(["audit", file, "--env", "dev"]), /deployment\.resources\[1\] repeats the URN of deployment\.resources\[0\]/);
  });
});
