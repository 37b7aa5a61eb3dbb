import * as fs from "fs";
import * as path from "path";
import { OFFLINE_CLIENT } from "../../engine/providers/ids";
import { linkedProject, ROOT, runCli, stackFrames, tempDir, type CliResult } from "./runCli";

/**
 * `mlvault handoff` as a user runs it: a real process, sheets on disk, exit codes. From the offline plan every value
 * only a deployment knows is marked, never the engine's stand-in; from `--outputs` the real values are used.
 */
const FIXTURE = path.join(ROOT, "test", "fixtures", "outputs", "dev.json");
const AFTER_UP = "known after `pulumi up`";
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function expectNoTrace(r: CliResult): void {
  expect(stackFrames(r.stdout + r.stderr)).toEqual([]);
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), "utf8");
}

describe("handoff dev from the offline plan", () => {
  let out: string;
  let r: CliResult;
  let sheet: string;

  beforeAll(() => {
    out = tempDir("handoff-plan");
    r = runCli(["handoff", "dev", "--out", out]);
    sheet = read(out, "churn.md");
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test("exits 0 and writes one sheet per project", () => {
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out)).toEqual(["churn.md"]);
    expect(r.stdout.trim()).toBe(`wrote ${path.join(out, "churn.md")}`);
    expectNoTrace(r);
  });

  test("marks every deployment-only value instead of printing the offline stand-in", () => {
    for (const row of ["Key Vault URL", "Key Vault name", "Tenant id", "Workload identity client id", "Service principal client id"]) {
      expect(sheet).toMatch(new RegExp(`\\| ${row}[^|]* \\| _${AFTER_UP}_ \\|`));
    }
    // The offline engine's fake subscription hash, tenant and client ids never reach the sheet.
    expect(sheet).not.toMatch(/kv-churn-d-[0-9a-z]{5}/);
    expect(sheet).not.toContain("vault.azure.net");
    for (const id of Object.values(OFFLINE_CLIENT)) expect(sheet).not.toContain(id);
    // Every GUID left is one the config or Azure defines: the personas' object ids and built-in role ids.
    const allowed = ["7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01", "0f6a9d2e-3b71-4e8c-a5d4-91c2e7b3f802", "4633458b-17de-408a-b874-0445c86b69e6"];
    for (const id of sheet.match(GUID) ?? []) expect(allowed).toContain(id);
  });

  test("keeps what config alone decides: resource group, workspace, secret names, types, expiry, source", () => {
    expect(sheet).toContain("| Resource group | `rg-mlvault-churn-dev` |");
    expect(sheet).toContain("| Azure ML workspace | `mlw-churn-dev` |");
    expect(sheet).toMatch(/\| `sql-password` \| password \| 2027-03-31 \| config[^|]* \| _known after `pulumi up`_ \| _known after `pulumi up`_ \|/);
    expect(sheet).toMatch(/\| `feature-token` \| token \| 2027-01-31 \| generate/);
    expect(sheet).toMatch(/\| `partner-api-key` \| api-key \| 2027-06-30 \| external/);
    expect(sheet).toMatch(/\| `sp-client-secret` \| client-secret \| rotating \|/);
  });

  test("lists each persona's role and how a training run reads a secret", () => {
    expect(sheet).toMatch(/\| Readers \(developers\) \| `7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01` \(Group\) \| Key Vault Secrets User/);
    expect(sheet).toMatch(/\| Operators \| `0f6a9d2e-3b71-4e8c-a5d4-91c2e7b3f802` \(Group\) \| mlvault Secrets Operator .*never purge/);
    expect(sheet).toMatch(/\| Service principal .*\| Key Vault Secrets User/);
    expect(sheet).toMatch(/\| Workload identity .*\| Key Vault Secrets User/);
    for (const text of ["DefaultAzureCredential", "AZURE_CLIENT_ID", "KEYVAULT_URL", "DEFAULT_IDENTITY_CLIENT_ID", "AzureMLOnBehalfOfCredential",
      "from azure.ai.ml.identity import", "@azure/keyvault-secrets", "Run.get_context().get_secret", "2026-06-30", "azure/login", "id-token: write",
      "repo:contoso/churn:ref:refs/heads/main", "sp-client-secret"]) {
      expect(sheet).toContain(text);
    }
  });
});

describe("handoff dev --outputs <file>", () => {
  let out: string;
  let r: CliResult;
  let churn: string;

  beforeAll(() => {
    out = tempDir("handoff-outputs");
    r = runCli(["handoff", "dev", "--outputs", FIXTURE, "--out", out]);
    churn = read(out, "churn.md");
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test("exits 0 with one sheet per project of the outputs", () => {
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(["churn.md", "fraud.md"]);
    // fraud is deployed but no longer in Pulumi.dev.yaml: its roles cannot be listed, and the user is told.
    expect(r.stderr.trim()).toBe("warning: Pulumi.dev.yaml has no project 'fraud': its sheet lists no roles");
    expect(read(out, "fraud.md")).toContain("has no project `fraud`, so the roles cannot be listed");
    expectNoTrace(r);
  });

  test("uses the deployed values and marks nothing as unknown", () => {
    expect(churn).not.toContain(AFTER_UP);
    expect(churn).toContain("| Key Vault URL | `https://kv-churn-d-8q2xk.vault.azure.net/` |");
    expect(churn).toContain("| Key Vault name | `kv-churn-d-8q2xk` |");
    expect(churn).toContain("| Tenant id | `72f988bf-86f1-41af-91ab-2d7cd011db47` |");
    expect(churn).toContain("`c9e8d7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f`");
    expect(churn).toContain("`b1d2c3e4-5f60-4a71-8b92-a3c4d5e6f708`");
    expect(churn).toContain("| `sql-password` | password | 2027-03-31 | config (set with `pulumi config set --stack dev --secret`) | `https://kv-churn-d-8q2xk.vault.azure.net/secrets/sql-password` | `e4d909c290d0fb1ca068ffaddf22cbd0` |");
    // An empty version in the outputs is said to be missing, not shown as an empty cell.
    expect(churn).toMatch(/\| `partner-api-key` .*\| not in the outputs \|/);
    // The examples carry the real ids, ready to paste.
    expect(churn).toContain("| `AZURE_CLIENT_ID` | `c9e8d7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f` |");
    expect(churn).toContain("client-id: b1d2c3e4-5f60-4a71-8b92-a3c4d5e6f708");
  });

  test("copies only the documented fields: whatever else the file holds never reaches a sheet", () => {
    const everything = r.stdout + r.stderr + churn + read(out, "fraud.md");
    expect(everything).not.toContain("Hand-Edited-Value-Must-Not-Appear-7f3a");
    expect(everything).not.toContain("Hand-Edited-Note-Must-Not-Appear-2b9c");
  });
});

describe("handoff selects and rejects", () => {
  let out: string;
  beforeEach(() => (out = tempDir("handoff-select")));
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  test("--project writes that project's sheet only", () => {
    const r = runCli(["handoff", "dev", "--outputs", FIXTURE, "--project", "churn", "--out", out]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out)).toEqual(["churn.md"]);
  });

  test("outputs that disagree with the stack file: the sheet is written from the outputs, each difference is a warning", () => {
    const outputs = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
    const churn = outputs.projects.churn;
    churn.secrets["sql-password"].expiresOn = "2026-12-31"; // the config moved the expiry since the deploy
    delete churn.secrets["feature-token"]; // added to the config, not deployed yet
    churn.secrets["old-token"] = { uri: "https://kv-churn-d-8q2xk.vault.azure.net/secrets/old-token", contentType: "token", expiresOn: "2027-01-01", source: "generate" };
    delete churn.secrets["sp-client-secret"]; // the config gives the service principal a password
    const file = path.join(out, "outputs.json");
    fs.writeFileSync(file, JSON.stringify(outputs));
    const r = runCli(["handoff", "dev", "--outputs", file, "--project", "churn", "--out", out]);
    expect(r.status).toBe(0);
    const tail = " (deploy the stack file, or export the outputs again)";
    expect(r.stderr.trim().split("\n")).toEqual([
      `warning: project 'churn': secret 'sql-password' expiresOn is 2027-03-31 in Pulumi.dev.yaml but 2026-12-31 in outputs.json${tail}`,
      `warning: project 'churn': secret 'feature-token' is in Pulumi.dev.yaml but not in outputs.json${tail}`,
      `warning: project 'churn': secret 'old-token' is in outputs.json but not in Pulumi.dev.yaml${tail}`,
      expect.stringMatching(/^warning: project 'churn': Pulumi\.dev\.yaml gives the service principal a password \(passwordLifetimeDays \d+\) but outputs\.json has none/),
    ]);
    expect(read(out, "churn.md")).toContain("`old-token`");
    expectNoTrace(r);
  });

  test("a configured project the outputs lack is named: it gets no sheet", () => {
    const outputs = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
    delete outputs.projects.churn;
    const file = path.join(out, "outputs.json");
    fs.writeFileSync(file, JSON.stringify(outputs));
    const r = runCli(["handoff", "dev", "--outputs", file, "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("warning: project 'churn' is in Pulumi.dev.yaml but not in outputs.json: no sheet written");
    expect(fs.readdirSync(out).sort()).toEqual(["fraud.md", "outputs.json"]);
  });

  test("an unknown project with --outputs exits 2 and writes nothing", () => {
    const r = runCli(["handoff", "dev", "--outputs", FIXTURE, "--project", "nosuch", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`error: unknown project 'nosuch' (${FIXTURE} has: churn, fraud)`);
    expect(fs.readdirSync(out)).toEqual([]);
    expectNoTrace(r);
  });

  test("an unknown project without --outputs exits 2 before planning", () => {
    const r = runCli(["handoff", "dev", "--project", "nosuch", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: unknown project 'nosuch' (Pulumi.dev.yaml has: churn)");
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("an outputs file that is not JSON exits 2 naming the file", () => {
    const file = path.join(out, "outputs.txt");
    fs.writeFileSync(file, "LEAKPLAINTEXT Current stack outputs (5):\n");
    const r = runCli(["handoff", "dev", "--outputs", file, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON`));
    // JSON.parse's message quotes the input, which may be a secret: only the position is shown.
    expect(r.stderr).not.toContain("LEAKPLAINTEXT");
    expectNoTrace(r);
  });

  test("outputs of another shape exit 2, one line per problem naming the key", () => {
    const file = path.join(out, "outputs.json");
    const broken = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
    delete broken.projects.churn.vaultUri;
    broken.projects.fraud.tenantId = 42;
    fs.writeFileSync(file, JSON.stringify(broken));
    const r = runCli(["handoff", "dev", "--outputs", file, "--out", out]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/: projects\.churn\.vaultUri: /);
    expect(lines[1]).toMatch(/: projects\.fraud\.tenantId: /);
    expect(fs.readdirSync(out)).toEqual(["outputs.json"]);
  });

  test("outputs of another environment exit 2", () => {
    const r = runCli(["handoff", "prod", "--outputs", FIXTURE, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${FIXTURE}: outputs of a 'dev' stack, but Pulumi.prod.yaml is 'prod'`);
  });

  test("an invalid stack file exits 2 as plan does", () => {
    const r = runCli(["handoff", "nosuch", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: Pulumi\.nosuch\.yaml: no such stack file/);
  });
});

describe("a stack with a plaintext secret value", () => {
  const PLAINTEXT = "Plain-Text-Hunter2-handoff-5e1d";
  let dir: string;
  beforeAll(() => {
    dir = linkedProject();
    const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
    const secure = /churn\/sql-password:\n\s+secure: .*\n/;
    expect(dev).toMatch(secure);
    fs.writeFileSync(path.join(dir, "Pulumi.leak.yaml"), dev.replace(secure, `churn/sql-password: ${JSON.stringify(PLAINTEXT)}\n`));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("is refused: exit 2 naming the key, never the value, nothing written", () => {
    const r = runCli(["handoff", "leak", "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `error: Pulumi.leak.yaml: secretValues["churn/sql-password"]: is stored in plaintext in the stack file (and so in git): encrypt it with pulumi config set --stack leak --secret --path 'mlvault:secretValues["churn/sql-password"]', then rotate the value`,
    ]);
    expect(fs.existsSync(path.join(dir, "handoff"))).toBe(false);
    for (const text of [r.stdout, r.stderr]) expect(text).not.toContain(PLAINTEXT);
  });

  test("with the value encrypted, writes the sheet to handoff/<stack>/ by default", () => {
    fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const r = runCli(["handoff", "dev", "-C", dir]);
    expect(r.status).toBe(0);
    expect(read(path.join(dir, "handoff", "dev"), "churn.md")).toContain("`sql-password`");
  });
});
