import * as fs from "fs";
import * as path from "path";
import { parse, parseDocument } from "yaml";
import { readStackFile } from "../../config/stackFile";
import { validateStackConfig } from "../../config/validate";
import { linkedProject, ROOT, runCli, stackFrames, tempDir, type CliResult } from "./runCli";

/**
 * `mlvault onboard` as a platform engineer runs it: a real process against copies of the shipped stack files,
 * checking exit codes, what is printed, and the bytes on disk (written, or left alone on any failure).
 */
const READER = "7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01";
const OPERATOR = "0f6a9d2e-3b71-4e8c-a5d4-91c2e7b3f802";
const STACKS = ["dev", "prod"];

/**
 * A project folder holding copies of Pulumi.yaml and the shipped stack files (`dir` defaults to a fresh one), and
 * the policy pack (onboard runs its date rules with the environment's policy config, as plan does).
 */
function copyProject(dir = tempDir("onboard")): string {
  for (const f of ["Pulumi.yaml", ...STACKS.map((s) => `Pulumi.${s}.yaml`)]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  if (!fs.existsSync(path.join(dir, "policies"))) fs.symlinkSync(path.join(ROOT, "policies"), path.join(dir, "policies"));
  return dir;
}

function stackText(dir: string, stack: string): string {
  return fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");
}

function shipped(stack: string): string {
  return fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
}

function onboard(dir: string, ...args: string[]): CliResult {
  return runCli(["onboard", ...args, "-C", dir]);
}

/** Every stack file in `dir` is byte-for-byte the shipped one. */
function expectUnchanged(dir: string): void {
  for (const s of STACKS) expect(stackText(dir, s)).toBe(shipped(s));
}

function expectRefused(r: CliResult, lines: string[]): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n")).toEqual(lines);
  expect(stackFrames(r.stderr)).toEqual([]);
}

describe("onboard a project into dev and prod", () => {
  let dir: string;
  let r: CliResult;
  beforeAll(() => {
    dir = copyProject();
    r = onboard(dir, "fraud", "--stacks", "dev,prod", "--description", "Fraud scoring", "--reader", READER, "--operator", OPERATOR,
      "--secret", "db-password:password:config:2027-03-31", "--secret", "model-token:token:generate:2027-01-31",
      "--secret", "vendor-key:api-key:external:2027-06-30");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("exits 0 and says what it wrote", () => {
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Onboarded project "fraud": 3 secrets (1 config, 1 generate, 1 external), 1 reader, 1 operator.');
    expect(r.stdout).toContain("  wrote Pulumi.dev.yaml (projects[1])\n  wrote Pulumi.prod.yaml (projects[1])\n");
  });

  test("prints the exact pulumi config set command for each stack's config secret, and nothing else to set", () => {
    const commands = r.stdout.split("\n").filter((l) => l.includes("pulumi config set"));
    expect(commands).toEqual([
      `  pulumi config set --stack dev --secret --path 'mlvault:secretValues["fraud/db-password"]' '<value>'`,
      `  pulumi config set --stack prod --secret --path 'mlvault:secretValues["fraud/db-password"]' '<value>'`,
    ]);
  });

  test.each(STACKS)("%s: the entry is appended and every other line is byte-for-byte the original", (stack) => {
    const before = shipped(stack).split("\n");
    const after = stackText(dir, stack).split("\n");
    let start = 0;
    while (start < before.length && before[start] === after[start]) start++;
    const added = after.length - before.length;
    expect([...after.slice(0, start), ...after.slice(start + added)]).toEqual(before);
    expect(after[start]).toBe("    - name: fraud");
    // The shipped inline comments (with their own spacing) survive.
    for (const comment of before.filter((l) => l.includes("#"))) expect(after).toContain(comment);

    const entry = parse(stackText(dir, stack)).config["mlvault:projects"][1];
    expect(entry).toEqual({
      name: "fraud", description: "Fraud scoring", readers: [READER], operators: [OPERATOR],
      secrets: [
        { name: "db-password", contentType: "password", source: "config", expiresOn: "2027-03-31" },
        { name: "model-token", contentType: "token", source: "generate", expiresOn: "2027-01-31" },
        { name: "vendor-key", contentType: "api-key", source: "external", expiresOn: "2027-06-30" },
      ],
    });
  });

  test.each(STACKS)("%s: once the printed command has set the value, the file passes plan's validation", (stack) => {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    expect(() => validateStackConfig(readStackFile(dir, stack).config)).toThrow(/projects\[1\]\.secrets\[0\]: source: config needs a value/);
    // What `pulumi config set --secret --path 'mlvault:secretValues["fraud/db-password"]'` writes: a secure entry.
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn(["config", "mlvault:secretValues", "fraud/db-password"], { secure: "v1:ciphertext" });
    fs.writeFileSync(file, String(doc));
    const config = validateStackConfig(readStackFile(dir, stack).config);
    expect(config.projects.map((p) => p.name)).toEqual(["churn", "fraud"]);
  });

  test("onboarding the same project again is refused, files unchanged", () => {
    const before = STACKS.map((s) => stackText(dir, s));
    const again = onboard(dir, "fraud", "--stacks", "dev,prod");
    expectRefused(again, ['error: project "fraud" already exists in Pulumi.dev.yaml, Pulumi.prod.yaml: project names must be unique']);
    expect(STACKS.map((s) => stackText(dir, s))).toEqual(before);
  });
});

test("the written stack runs through `mlvault plan`", () => {
  const dir = copyProject(linkedProject());
  try {
    const r = onboard(dir, "fraud", "--stacks", "dev", "--reader", READER, "--secret", "model-token:token:generate:2027-01-31");
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("pulumi config set");
    const plan = runCli(["plan", "dev", "--no-policies", "-C", dir]);
    expect(plan.stderr).toBe("");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/fraud/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("refusals write nothing", () => {
  let dir: string;
  beforeEach(() => { dir = copyProject(); });
  afterEach(() => {
    expectUnchanged(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("an existing project", () => {
    expectRefused(onboard(dir, "churn", "--stacks", "dev,prod"),
      ['error: project "churn" already exists in Pulumi.dev.yaml, Pulumi.prod.yaml: project names must be unique']);
  });

  test("a project present in only one stack: the other stack is not written either", () => {
    const prod = path.join(dir, "Pulumi.prod.yaml");
    const doc = parseDocument(fs.readFileSync(prod, "utf8"));
    doc.setIn(["config", "mlvault:projects", 0, "name"], "fraud");
    fs.writeFileSync(prod, String(doc));
    expectRefused(onboard(dir, "fraud", "--stacks", "dev,prod"),
      ['error: project "fraud" already exists in Pulumi.prod.yaml: project names must be unique']);
    fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), prod); // for afterEach's byte check of dev
  });

  test("an unknown stack", () => {
    const r = onboard(dir, "fraud", "--stacks", "dev,staging", "--reader", READER);
    expectRefused(r, [`error: Pulumi.staging.yaml: no such stack file in ${dir}`]);
  });

  test("a malformed --secret", () => {
    expectRefused(onboard(dir, "fraud", "--stacks", "dev,prod", "--secret", "db-password:password:config"),
      ['error: --secret "db-password:password:config": expected name:contentType:source:expiresOn (source: config, generate or external)']);
  });

  test("invalid secret name, source and expiresOn, with config validation's keys and messages", () => {
    const r = onboard(dir, "fraud", "--stacks", "dev,prod",
      "--secret", "ok-name:password:config:2027-03-31", "--secret", "db_password:password:config:2027-03-31",
      "--secret", "tok:token:vault:2027-01-31", "--secret", "key:api-key:external:2027-02-30");
    expectRefused(r, [
      'error: Pulumi.dev.yaml, Pulumi.prod.yaml: --secret "db_password:password:config:2027-03-31": name must match ^[0-9a-zA-Z-]{1,127}$ (Key Vault secret names: letters, digits and hyphens)',
      'error: Pulumi.dev.yaml, Pulumi.prod.yaml: --secret "tok:token:vault:2027-01-31": source must be one of: config, generate, external',
      'error: Pulumi.dev.yaml, Pulumi.prod.yaml: --secret "key:api-key:external:2027-02-30": expiresOn must be an ISO 8601 date (YYYY-MM-DD) or UTC date-time (YYYY-MM-DDThh:mm:ssZ)',
    ]);
  });

  test("object ids that are not GUIDs, and an invalid project name: named by the argument and flag the user typed", () => {
    expectRefused(onboard(dir, "Fraud", "--stacks", "dev", "--reader", "ml-devs", "--operator", "ops-team:Group"), [
      'error: Pulumi.dev.yaml: project name "Fraud": must be 2-12 characters: lowercase letters and digits, starting with a letter',
      'error: Pulumi.dev.yaml: --reader "ml-devs": must be an Entra object id (a GUID such as 00000000-0000-0000-0000-000000000000)',
      'error: Pulumi.dev.yaml: --operator "ops-team:Group": objectId must be an Entra object id (a GUID such as 00000000-0000-0000-0000-000000000000)',
    ]);
  });

  test("principal types in any case are written with Entra's spelling; an unknown type names the exact ones", () => {
    expectRefused(onboard(dir, "fraud", "--stacks", "dev", "--operator", `${OPERATOR}:Robot`), [
      `error: --operator "${OPERATOR}:Robot": the type after ':' must be one of User, Group, ServicePrincipal (any case)`,
    ]);
    const other = copyProject(); // this half writes: outside the folder whose files must stay unchanged
    const r = onboard(other, "fraud", "--stacks", "dev", "--reader", `${READER}:user`, "--operator", `${OPERATOR}:servicePRINCIPAL`);
    const entry = parse(stackText(other, "dev")).config["mlvault:projects"][1];
    fs.rmSync(other, { recursive: true, force: true });
    expect(r.status).toBe(0);
    expect([entry.readers, entry.operators]).toEqual([[{ objectId: READER, type: "User" }], [{ objectId: OPERATOR, type: "ServicePrincipal" }]]);
  });

  test("the policies' date rules run before anything is written: expired and too far away are refused", () => {
    // NOW is 2026-12-15 (runCli pins MLVAULT_NOW); dev and prod allow 365 days (SEC-02 maxValidityDays).
    const r = onboard(dir, "fraud", "--stacks", "dev,prod", "--secret", "old:token:generate:2026-12-01", "--secret", "far:token:generate:2028-12-31");
    expectRefused(r, [
      'error: Pulumi.dev.yaml, Pulumi.prod.yaml: --secret "old:token:generate:2026-12-01": expiresOn 2026-12-01 has already passed (SEC-04, mandatory); choose a future date',
      'error: Pulumi.dev.yaml, Pulumi.prod.yaml: --secret "far:token:generate:2028-12-31": expiresOn 2028-12-31 is 747 days away; at most 365 are allowed (SEC-02 maxValidityDays, mandatory)',
    ]);
    expectUnchanged(dir);
  });

  test("a duplicate secret name (case-insensitive, as in Key Vault)", () => {
    expectRefused(onboard(dir, "fraud", "--stacks", "dev", "--secret", "tok:token:generate:2027-01-31", "--secret", "TOK:token:external:2027-01-31"),
      ['error: Pulumi.dev.yaml: --secret "TOK:token:external:2027-01-31": name duplicates secret "TOK": secret names must be unique within a project (case-insensitive)']);
  });

  test("--dry-run prints the diff and the commands, exit 0", () => {
    const r = onboard(dir, "fraud", "--stacks", "dev,prod", "--secret", "db-password:password:config:2027-03-31", "--dry-run");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--- a/Pulumi.dev.yaml\n+++ b/Pulumi.dev.yaml\n");
    expect(r.stdout).toContain("+    - name: fraud\n+      secrets:\n+        - name: db-password\n");
    expect(r.stdout).toContain("  would write Pulumi.prod.yaml (projects[1])");
    expect(r.stdout).toContain(`pulumi config set --stack prod --secret --path 'mlvault:secretValues["fraud/db-password"]' '<value>'`);
  });
});
