/**
 * `mlvault plan <stack> --against <file>` as a reviewer meets it: a real CLI process over an edited stack file,
 * compared once with an earlier `plan --json` report of the same stack and once with a `pulumi stack export` made
 * from it (test/helpers/stackExport.ts: encrypted secrets, real-looking ids). Each scenario of issue 12 checks the
 * operations, the changed paths, the replacement reasons, the hazards and the exit code, the same way against both.
 */
import "@microsoft/jest-sarif";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { readStackFile } from "../../config/stackFile";
import { planReportSchema } from "../../report/json";
import { runConfig } from "../helpers/program";
import { stackExportOf } from "../helpers/stackExport";
import { linkedProject, ROOT, runCli, type CliResult } from "../cli/runCli";

type Doc = { config: Record<string, any> };
type Edit = (doc: Doc) => void;
interface Report {
  resources: { urn: string; type: string; name: string; op: string; diff: string[]; replaceReasons?: string[] }[];
  deleted: { urn: string; type: string; name: string; protect: boolean }[];
  changes: Record<string, number>;
  hazards: { kind: string; name: string; type: string; blocking: boolean; message: string }[];
  against: { kind: string; secretsCompared: boolean };
}

const projects = (d: Doc) => d.config["mlvault:projects"] as Record<string, any>[];
const churn = (d: Doc) => projects(d).find((p) => p.name === "churn")!;
const FRAUD = { name: "fraud", readers: ["7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01"], secrets: [{ name: "db-password", contentType: "password", source: "external", expiresOn: "2027-06-30" }] };
const withoutFraud: Edit = (d) => { d.config["mlvault:projects"] = projects(d).filter((p) => p.name !== "fraud"); };

let dir: string;
const baselines: Record<string, Record<"plan-report" | "stack-export", string>> = {};

beforeAll(async () => {
  dir = linkedProject();
  for (const stack of ["dev", "prod"]) {
    // The shipped stack plus a second project, so one can be removed (a stack keeps at least one).
    const shipped = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as Doc;
    projects(shipped).push(FRAUD);
    fs.rmSync(path.join(dir, `Pulumi.${stack}.yaml`), { force: true });
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(shipped));
    const report = path.join(dir, `base-${stack}.json`);
    expect(runCli(["plan", stack, "-C", dir, "--no-policies", "--json-file", report]).status).toBe(0);
    const file = readStackFile(dir, stack);
    const { records } = await runConfig(file.config, { stack, secretKeys: file.secretKeys });
    const exported = path.join(dir, `export-${stack}.json`);
    fs.writeFileSync(exported, JSON.stringify(stackExportOf(records), null, 2));
    baselines[stack] = { "plan-report": report, "stack-export": exported };
  }
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Plans `stack` after `edit` against each baseline; the stack file is restored afterwards. */
function planEdited(stack: string, kind: "plan-report" | "stack-export", edit: Edit): { r: CliResult; report: Report } {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const original = fs.readFileSync(file, "utf8");
  const doc = parse(original) as Doc;
  edit(doc);
  fs.writeFileSync(file, stringify(doc));
  try {
    const r = runCli(["plan", stack, "-C", dir, "--no-policies", "--against", baselines[stack][kind], "--json"]);
    const report = JSON.parse(r.stdout) as Report;
    expect(planReportSchema.safeParse(report).success).toBe(true);
    return { r, report };
  } finally {
    fs.writeFileSync(file, original);
  }
}

const ops = (report: Report, op: string) => report.resources.filter((x) => x.op === op);
const named = (report: Report, name: string) => report.resources.find((x) => x.name === name)!;

describe.each(["plan-report", "stack-export"] as const)("against a %s", (kind) => {
  test("no change at all: every resource same, nothing deleted, no hazard, exit 0", () => {
    for (const stack of ["dev", "prod"]) {
      const { r, report } = planEdited(stack, kind, () => undefined);
      expect(report.resources.filter((x) => x.op !== "same").map((x) => `${x.op} ${x.name} ${x.diff}`)).toEqual([]);
      expect([report.deleted, report.hazards, r.status]).toEqual([[], [], 0]);
      expect(report.against).toEqual(expect.objectContaining({ kind, secretsCompared: kind === "plan-report" }));
      expect(r.stderr).toMatch(/^\s+\d+ unchanged$/m);
    }
  }, 120_000);

  test("rename a secret: the old one is deleted (retained in the vault: a warning), the new one created", () => {
    const { r, report } = planEdited("dev", kind, (d) => { churn(d).secrets.find((s: any) => s.name === "partner-api-key").name = "partner-key"; });
    expect(ops(report, "create").map((x) => x.name)).toEqual(["churn-secrets-partner-key"]);
    expect(report.deleted.map((x) => x.name)).toEqual(["churn-secrets-partner-api-key"]);
    expect(report.hazards).toEqual([expect.objectContaining({ kind: "data-plane-delete", name: "churn-secrets-partner-api-key", blocking: false })]);
    expect(report.hazards[0].message).toMatch(/"partner-api-key" would be deleted; it leaves the stack but not the vault/);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ -\s+.*azure-native:keyvault:Secret\s+churn-secrets-partner-api-k\S*\s+delete$/m);
    expect(r.stderr).toMatch(/^Changes:\n {4}- churn-secrets-partner-api-key$/m);
  }, 60_000);

  test("remove a project in dev: everything of it deleted; the vault's name stays soft-deleted (warning)", () => {
    const { r, report } = planEdited("dev", kind, withoutFraud);
    const deletedTypes = new Set(report.deleted.map((x) => x.type));
    for (const t of ["azure-native:keyvault:Vault", "azure-native:machinelearningservices:Workspace", "azure-native:storage:StorageAccount", "mlvault:index:MlProject"]) expect(deletedTypes).toContain(t);
    const soft = report.hazards.filter((h) => h.kind === "soft-deleted-name");
    expect(soft.map((h) => [h.type, h.blocking])).toEqual(expect.arrayContaining([["azure-native:keyvault:Vault", false], ["azure-native:machinelearningservices:Workspace", false]]));
    expect(soft.find((h) => h.type === "azure-native:keyvault:Vault")!.message).toMatch(/keeps the name "kv-fraud-d-\w+" for \d+ days/);
    expect(report.deleted.every((x) => x.urn.includes("fraud"))).toBe(true);
    expect(report.hazards.some((h) => h.blocking)).toBe(false);
    expect(r.status).toBe(0);
  }, 60_000);

  test("remove a project in prod: its vault and workspaces are protected, so pulumi up would fail: blocking, exit 1", () => {
    const { r, report } = planEdited("prod", kind, withoutFraud);
    const vault = report.deleted.find((x) => x.type === "azure-native:keyvault:Vault")!;
    expect(vault.protect).toBe(true);
    expect(report.hazards).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "protected", name: vault.name, blocking: true })]));
    expect(report.hazards.find((h) => h.kind === "soft-deleted-name" && h.name === vault.name)!.message).toMatch(/for 90 days \(purge protection/);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[blocking\] protected/);
  }, 60_000);

  test("add a project: only creates, no hazard, exit 0", () => {
    const { r, report } = planEdited("dev", kind, (d) => {
      projects(d).push({ ...FRAUD, name: "scoring" });
    });
    expect(ops(report, "create").length).toBeGreaterThan(10);
    expect(ops(report, "create").every((x) => x.urn.includes("scoring"))).toBe(true);
    expect([ops(report, "update"), ops(report, "replace"), report.deleted, report.hazards, r.status]).toEqual([[], [], [], [], 0]);
  }, 60_000);

  test("switch an existing project to customer-managed keys: the workspace's encryption cannot change after creation: blocking, exit 1", () => {
    const { r, report } = planEdited("prod", kind, (d) => { churn(d).encryption = "customerManaged"; });
    const workspace = named(report, "churn-ml-workspace");
    expect(workspace.op).toBe("update");
    expect(workspace.diff).toEqual(expect.arrayContaining(["encryption"]));
    const immutable = report.hazards.filter((h) => h.kind === "immutable-change");
    expect(immutable.map((h) => h.name)).toContain("churn-ml-workspace");
    expect(immutable.every((h) => h.blocking)).toBe(true);
    expect(immutable[0].message).toMatch(/encryption\.status cannot change after creation.*projects\[\]\.generation/);
    expect(r.status).toBe(1);
  }, 60_000);

  test("change a reader: the old assignment deleted, the new one created; nothing else moves", () => {
    const { r, report } = planEdited("dev", kind, (d) => { churn(d).readers = ["3b2a1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]; });
    expect(ops(report, "create").map((x) => x.type)).toEqual(["azure-native:authorization:RoleAssignment"]);
    expect(report.deleted.map((x) => x.type)).toEqual(["azure-native:authorization:RoleAssignment"]);
    expect([ops(report, "update"), ops(report, "replace"), r.status]).toEqual([[], [], 0]);
  }, 60_000);

  test("bump a rotation counter: the generated value is replaced (keepers) and the secret updated, its value a path only", () => {
    const { r, report } = planEdited("dev", kind, (d) => { churn(d).secrets.find((s: any) => s.name === "feature-token").rotation = 1; });
    const password = report.resources.find((x) => x.type === "random:index/randomPassword:RandomPassword" && x.name.includes("feature-token"))!;
    expect(password.op).toBe("replace");
    expect(password.replaceReasons).toEqual(["keepers"]);
    const secret = named(report, "churn-secrets-feature-token");
    // Only the value flows from the replaced password: the rest of `properties` is compared as usual.
    expect([secret.op, secret.diff]).toEqual(["update", ["properties.value"]]);
    expect(report.hazards).toEqual([]);
    expect(r.status).toBe(0);
  }, 60_000);
});

test("a new value for a config secret shows as a changed [secret] against a plan report, never the value", () => {
  const { r, report } = planEdited("dev", "plan-report", (d) => {
    d.config["mlvault:secretValues"]["churn/sql-password"] = { secure: "v1:another-ciphertext-after-pulumi-config-set" };
  });
  const secret = named(report, "churn-secrets-sql-password");
  expect([secret.op, secret.diff]).toEqual(["update", ["properties.value"]]);
  expect(r.stdout + r.stderr).not.toContain("another-ciphertext");
  expect(r.stderr).toMatch(/~ churn-secrets-sql-password: properties\.value/);
}, 60_000);

test("a file that is neither a plan report nor a stack export is refused before anything runs (exit 2, one line)", () => {
  const bogus = path.join(dir, "bogus.json");
  fs.writeFileSync(bogus, JSON.stringify({ hello: "world" }));
  const r = runCli(["plan", "dev", "-C", dir, "--against", bogus]);
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split("\n")).toEqual([`error: --against ${bogus}: neither an mlvault plan report (mlvault plan --json) nor a pulumi stack export (deployment v3)`]);
  expect(r.stdout).toBe("");
});

test("the hazards reach SARIF (a rule per kind, blocking = error), the pull-request comment and the graph (deleted nodes marked)", () => {
  const file = path.join(dir, "Pulumi.prod.yaml");
  const original = fs.readFileSync(file, "utf8");
  const doc = parse(original) as Doc;
  withoutFraud(doc);
  fs.writeFileSync(file, stringify(doc));
  const out = (name: string) => path.join(dir, name);
  try {
    const r = runCli(["plan", "prod", "-C", dir, "--against", baselines.prod["plan-report"], "--sarif-file", out("p.sarif"), "--comment", out("c.md"), "--graph-file", out("g.md")]);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(out("p.sarif"), "utf8"));
    expect(sarif).toBeValidSarifLog();
    const results = sarif.runs[0].results as { ruleId: string; level: string; message: { text: string } }[];
    expect(results.filter((x) => x.ruleId === "change-protected").every((x) => x.level === "error")).toBe(true);
    expect(results.some((x) => x.ruleId === "change-protected")).toBe(true);
    expect(results.some((x) => x.ruleId === "change-soft-deleted-name" && x.level === "warning")).toBe(true);
    const rules = sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    expect(rules).toEqual(expect.arrayContaining(["change-protected", "change-data-plane-delete", "change-soft-deleted-name"]));
    const comment = fs.readFileSync(out("c.md"), "utf8");
    expect(comment).toMatch(/### Change against `.*base-prod\.json`/);
    expect(comment).toMatch(/\d+ to create, \d+ to update, \d+ to replace, [1-9]\d* to delete, \d+ unchanged\./);
    expect(comment).toMatch(/\| ⛔ blocking \| protected \| `fraud-keyvault-vault` \|/);
    const graph = fs.readFileSync(out("g.md"), "utf8");
    expect(graph).toMatch(/\["- Vault: fraud-keyvault-vault"\]/);
    expect(graph).toContain("classDef deleted");
  } finally {
    fs.writeFileSync(file, original);
  }
}, 90_000);
