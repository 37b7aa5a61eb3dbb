/**
 * Issue 11: Pulumi's habits and the exit-code contract, as a user meets them on the command line.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { planReportSchema } from "../../report/json";
import { ROOT, runCli, stackFrames, tempDir } from "./runCli";

const MLVAULT = path.join(ROOT, "bin", "mlvault.js");

describe("the stack, as Pulumi takes it", () => {
  test("-s/--stack, org/project/stack and a stack file path name the same stack", () => {
    for (const args of [["-s", "dev"], ["--stack", "dev"], ["acme/mlvault/dev"], ["Pulumi.dev.yaml"], [path.join(ROOT, "Pulumi.dev.yaml")]]) {
      const r = runCli(["policy-config", ...args]);
      expect([args.join(" "), r.status, JSON.parse(r.stdout)["mon-01-private-ingestion"]]).toEqual([args.join(" "), 0, { enforcementLevel: "disabled", evaluationTime: "2026-12-15T12:00:00Z" }]);
    }
  });

  test("a stack of another project, two different stacks, an unknown stack: exit 2, one line saying what exists", () => {
    const other = runCli(["policy-config", "acme/other/dev"]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/^error: stack "acme\/other\/dev" belongs to project "other", but .*Pulumi\.yaml is project "mlvault"\n$/);
    expect(runCli(["policy-config", "dev", "-s", "prod"]).stderr).toMatch(/^error: two stacks given: "dev" and -s "prod"/);
    const unknown = runCli(["plan", "staging"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Pulumi\.staging\.yaml: no such stack file .*\(stacks in .*: dev, prod\)\n$/);
  });

  test("Pulumi.yaml is found in a parent folder, or the error says where it looked", () => {
    const r = runCli(["policy-config", "dev", "-C", path.join(ROOT, "docs", "runbooks")]);
    expect(r.status).toBe(0);
    const nowhere = tempDir("no-project");
    const miss = runCli(["plan", "dev", "-C", nowhere]);
    expect(miss.status).toBe(2);
    expect(miss.stderr).toMatch(/^error: no Pulumi\.yaml in .*no-project.* or any folder above it \(looked in \d+ folders, up to \/\)/);
  });
});

describe("reports: stdout with the flag alone, files with -file", () => {
  test("--json alone writes the JSON to stdout and the tree to stderr", () => {
    const r = runCli(["plan", "dev", "--json", "--no-policies"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).stack).toBe("dev");
    expect(r.stderr).toMatch(/^Offline plan of stack 'dev'/);
  }, 60_000);

  test("the old --json <file> form still writes the file, with a warning naming the new flag", () => {
    const file = path.join(tempDir("legacy"), "plan.json");
    const r = runCli(["plan", "dev", "--no-policies", "--json", file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`warning: --json <file> is the old form: use --json-file ${file}`);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).stack).toBe("dev");
  }, 60_000);

  test("`plan --json dev prod` never writes a file named after a stack", () => {
    const dir = tempDir("no-file");
    const r = spawnSync(process.execPath, [MLVAULT, "plan", "--json", "dev", "prod", "-C", ROOT], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, "dev"))).toBe(false);
  });

  test("a report to stdout and to a file at once is refused", () => {
    const r = runCli(["plan", "dev", "--json", "--json-file", "x.json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: a report can go to stdout or to a file, not both/);
  });
});

describe("--policy-pack and --policy-pack-config, as in pulumi", () => {
  test("a folder that is not a pack, a config that does not exist: exit 2, one line", () => {
    const notAPack = runCli(["plan", "dev", "--policy-pack", tempDir("not-a-pack")]);
    expect(notAPack.status).toBe(2);
    expect(notAPack.stderr).toMatch(/not a policy pack \(no PulumiPolicy\.yaml\)/);
    const noConfig = runCli(["plan", "dev", "--policy-pack-config", "nope.json"]);
    expect(noConfig.status).toBe(2);
    expect(noConfig.stderr).toMatch(/^error: nope\.json: cannot read the policy config/);
  });

  test("a config file is used as is: an organisation's stricter file turns dev's advisories mandatory", () => {
    const strict = path.join(tempDir("org-config"), "strict.json");
    fs.writeFileSync(strict, JSON.stringify({ all: "mandatory" }));
    const r = runCli(["plan", "dev", "--policy-pack-config", strict, "--json"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).summary.advisory).toBe(0);
  }, 60_000);
});

describe("the exit-code contract", () => {
  test("bad input from the environment is exit 2 with one line", () => {
    const r = spawnSync(process.execPath, [MLVAULT, "plan", "dev"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, MLVAULT_NOW: "yesterday" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: MLVAULT_NOW: must be an ISO 8601 date or UTC date-time such as 2026-12-01T00:00:00Z (got "yesterday")\n');
    expect(stackFrames(r.stderr)).toEqual([]);
  });

  test("a reader that goes away ends the run quietly with exit 0", () => {
    const r = spawnSync("bash", ["-c", `node ${MLVAULT} plan dev | head -1; echo "exit=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout).toMatch(/^Offline plan of stack 'dev'.*\nexit=0\n$/);
    expect(r.stderr).toBe("");
  }, 60_000);
});

describe("the JSON report is a contract", () => {
  test("the shipped JSON Schema is generated from the code and current", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "report-schema.js"), "--check"], { encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "plan-report.schema.json"), "utf8"));
    expect(schema.required).toEqual(expect.arrayContaining(["schemaVersion", "tool", "violations", "summary"]));
  });

  test("violations: [] even with --no-policies; split fields on every violation", () => {
    const skipped = JSON.parse(runCli(["plan", "dev", "--no-policies", "--json"]).stdout);
    expect([skipped.violations, skipped.policiesRun, skipped.summary.mandatory]).toEqual([[], false, 0]);
    const report = JSON.parse(runCli(["plan", "dev", "--json"]).stdout);
    expect(planReportSchema.safeParse(report).success).toBe(true);
    const kv02 = report.violations.find((v: Record<string, unknown>) => v.policy === "kv-02-purge-protection");
    expect(kv02).toMatchObject({ controls: ["KV-02"], level: "advisory", name: "churn-keyvault-vault", type: "azure-native:keyvault:Vault", project: "churn" });
    // The control is named once (in `controls`), the message says what is wrong and how to fix it.
    expect(kv02.message).toMatch(/^enablePurgeProtection is missing; set properties\.enablePurgeProtection to true/);
    expect(kv02.summary).toBe("Key Vaults have purge protection enabled.");
  }, 90_000);
});

describe("output a person can read", () => {
  test("FORCE_COLOR colours a piped plan (advisories yellow, created rows green); NO_COLOR wins over it; a plain pipe has no escape code", () => {
    const forced = runCli(["plan", "dev"], { FORCE_COLOR: "1" });
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("\u001b[33m[advisory]\u001b[0m");
    expect(forced.stdout).toContain("\u001b[32m +   pulumi:pulumi:Stack");
    expect(runCli(["plan", "dev"], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).not.toContain("\u001b[");
    expect(runCli(["plan", "dev"]).stdout).not.toContain("\u001b[");
  }, 90_000);

  test("--json on stdout stays clean JSON under FORCE_COLOR; the coloured tree goes to stderr", () => {
    const r = runCli(["plan", "dev", "--json"], { FORCE_COLOR: "1" });
    expect(r.stdout).not.toContain("\u001b[");
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain("\u001b[33m[advisory]");
  }, 90_000);

  test("--summary: the counts and one heading per finding with its stack-file place, no rows, no messages", () => {
    const r = runCli(["plan", "dev", "--summary"]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/^ \+ {3}/m);
    expect(r.stdout).toMatch(/^ {4}\+ \d+ to create \(\d+ cloud resources, \d+ components\)$/m);
    expect(r.stdout).toContain("[advisory] kv-02-purge-protection [KV-02]");
    expect(r.stdout).toContain("from Pulumi.dev.yaml:");
    expect(r.stdout).not.toContain("enablePurgeProtection is missing");
  }, 90_000);
});
