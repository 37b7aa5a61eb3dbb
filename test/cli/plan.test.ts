import * as fs from "fs";
import { planReportSchema } from "../../report/json";
import { simplifyType } from "../../report/tree";
import * as path from "path";
import { configOnlyProject, linkedProject, ROOT, runCli, stackFrames, tempDir, type CliResult } from "./runCli";

/**
 * `mlvault plan` as a user runs it: a real node process, exit codes, what lands on stdout and stderr, and the
 * `--json` document's shape. The program itself is tested elsewhere; here the contract of the command is.
 */
const HEADER = (stack: string, env: string) => `Offline plan of stack '${stack}' (${env}): no cloud, no Pulumi CLI, nothing deployed`;

/** Every resource type issue 2 asks for, in both environments. */
const COMMON_TYPES = [
  "azure-native:resources:ResourceGroup",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Secret",
  "azure-native:monitor:DiagnosticSetting",
  "azure-native:machinelearningservices:Workspace",
  "azure-native:storage:StorageAccount",
  "azure-native:applicationinsights:Component",
  "azure-native:operationalinsights:Workspace",
  "azure-native:security:Pricing",
  "azure-native:authorization:RoleAssignment",
  "azuread:index/application:Application",
  "azuread:index/servicePrincipal:ServicePrincipal",
  "azure-native:managedidentity:UserAssignedIdentity",
  "random:index/randomPassword:RandomPassword",
];
const PROD_ONLY_TYPES = ["azure-native:network:PrivateEndpoint", "azure-native:monitor:PrivateLinkScopedResource"];
/** The `secure:` text of the shipped stack files: ciphertext stand-in that must never be printed. */
const SHIPPED_CIPHERTEXT = "placeholder-set-with-pulumi-config-set-secret";

interface PlanJson {
  stack: string;
  environment: string;
  resources: {
    urn: string; type: string; name: string; parent: string | null; custom: boolean; protect: boolean; dependencies: string[];
    options: { protect: boolean; retainOnDelete: boolean; ignoreChanges: string[]; deleteBeforeReplace: boolean; replaceOnChanges: string[]; dependsOn: string[] };
    inputs: Record<string, any>;
  }[];
  violations: unknown[];
  summary: { resources: number; mandatory: number; advisory: number };
}

/** The tree's rows: the Type cell (tree branches stripped) and the Name cell, located by the header's columns. */
function treeRows(stdout: string): { type: string; name: string }[] {
  const lines = stdout.split("\n");
  const header = lines.findIndex((l) => /^ +Type +Name +Plan$/.test(l));
  const nameAt = lines[header].indexOf("Name");
  const planAt = lines[header].indexOf("Plan");
  const rows: { type: string; name: string }[] = [];
  for (const l of lines.slice(header + 1)) {
    if (l.trim() === "") break;
    rows.push({ type: l.slice(5, nameAt).replace(/^[│├└─ ]+/, "").trim(), name: l.slice(nameAt, planAt).trim() });
  }
  return rows;
}

/** A cell shows the text whole, or its beginning cut with "…". */
function cellMatches(cell: string, text: string): boolean {
  return cell === text || (cell.endsWith("…") && text.startsWith(cell.slice(0, -1)));
}

function expectNoTrace(r: CliResult): void {
  expect(stackFrames(r.stdout)).toEqual([]);
  expect(stackFrames(r.stderr)).toEqual([]);
}

describe.each([
  ["dev", COMMON_TYPES, PROD_ONLY_TYPES],
  ["prod", [...COMMON_TYPES, ...PROD_ONLY_TYPES], []],
])("plan %s", (stack, expectedTypes, absentTypes) => {
  let out: string;
  let r: CliResult;
  let json: PlanJson;

  beforeAll(() => {
    out = tempDir(`plan-${stack}`);
    r = runCli(["plan", stack, "--json-file", path.join(out, "nested", "plan.json")]);
    json = JSON.parse(fs.readFileSync(path.join(out, "nested", "plan.json"), "utf8"));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test("exits 0 with the offline-plan header and no stack trace; stderr says only which file it wrote", () => {
    expect(r.stderr).toBe(`wrote ${path.join(out, "nested", "plan.json")}\n`);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(HEADER(stack, stack));
    expectNoTrace(r);
  });

  test("piped, the tree fits 80 columns: one row per resource, types simplified as Pulumi does, long cells cut with …", () => {
    const rows = treeRows(r.stdout);
    expect(rows).toHaveLength(json.resources.length);
    for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    const unmatched = [...json.resources];
    for (const row of rows) {
      const at = unmatched.findIndex((res) => cellMatches(row.type, simplifyType(res.type)) && cellMatches(row.name, res.name));
      expect({ row, matched: at >= 0 }).toEqual({ row, matched: true });
      unmatched.splice(at, 1);
    }
    expect(rows.some((row) => row.type.endsWith("…"))).toBe(true);
  });

  test("--json-file writes the plan of the same resources, every type and name whole", () => {
    expect(json.stack).toBe(stack);
    expect(json.environment).toBe(stack);
    const types = new Set(json.resources.map((x) => x.type));
    for (const type of expectedTypes) expect(types).toContain(type);
    for (const type of absentTypes) expect(types).not.toContain(type);
  });

  test("the vaults are protected in prod only", () => {
    const vaults = json.resources.filter((x) => x.type === "azure-native:keyvault:Vault");
    expect(vaults.length).toBeGreaterThan(0);
    for (const v of vaults) expect(v.protect).toBe(stack === "prod");
  });

  test("no ciphertext and no offline placeholder is printed or written", () => {
    const everything = r.stdout + r.stderr + JSON.stringify(json);
    expect(everything).not.toContain(SHIPPED_CIPHERTEXT);
    expect(everything).not.toContain("[offline: encrypted value");
  });
});

describe("plan dev --json -", () => {
  let r: CliResult;
  let json: PlanJson;

  beforeAll(() => {
    r = runCli(["plan", "dev", "--json", "-"]);
    json = JSON.parse(r.stdout); // stdout carries the JSON alone: the human tree moves to stderr
  });

  test("exits 0 and prints the human plan on stderr", () => {
    expect(r.status).toBe(0);
    expect(r.stderr.split("\n")[0]).toBe(HEADER("dev", "dev"));
    expectNoTrace(r);
  });

  test("has exactly the documented shape (docs/plan-report.schema.json, generated from report/json.ts)", () => {
    expect(Object.keys(json).sort()).toEqual(["environment", "policiesRun", "resources", "schemaVersion", "stack", "summary", "tool", "violations"]);
    expect(planReportSchema.safeParse(json).success).toBe(true);
    expect((json as any).schemaVersion).toBe(1);
    expect((json as any).tool).toEqual({ name: "mlvault", version: (require("../../package.json") as { version: string }).version });
    expect(Object.keys(json.summary).sort()).toEqual(["advisory", "mandatory", "resources"]);
    expect(json.resources.length).toBeGreaterThan(0);
    for (const res of json.resources) {
      const withSecrets = JSON.stringify(res.inputs).includes('"[secret]"');
      expect(Object.keys(res)).toEqual(["urn", "type", "name", "parent", "custom", "protect", "dependencies", "options", "inputs", ...(withSecrets ? ["secretFingerprints"] : [])]);
      // A digest per secret input path, nothing else: it tells a changed secret from an unchanged one (plan --against).
      if (withSecrets) for (const digest of Object.values((res as unknown as { secretFingerprints: Record<string, string> }).secretFingerprints)) expect(digest).toMatch(/^[0-9a-f]{16}$/);
      expect(Object.keys(res.options)).toEqual(["protect", "retainOnDelete", "ignoreChanges", "deleteBeforeReplace", "replaceOnChanges", "dependsOn"]);
      expect(res.options.protect).toBe(res.protect);
      for (const dep of res.options.dependsOn) expect(res.dependencies).toContain(dep);
      expect(typeof res.urn).toBe("string");
      expect(typeof res.type).toBe("string");
      expect(typeof res.name).toBe("string");
      expect(typeof res.custom).toBe("boolean");
      expect(typeof res.protect).toBe("boolean");
      expect(Array.isArray(res.dependencies)).toBe(true);
      expect(typeof res.inputs).toBe("object");
    }
  });

  test("summary counts match the lists", () => {
    expect(json.summary.resources).toBe(json.resources.length);
    const levels = (json.violations as { enforcementLevel: string }[]).map((v) => v.enforcementLevel);
    expect(json.summary.mandatory).toBe(levels.filter((l) => l === "mandatory").length);
    expect(json.summary.advisory).toBe(levels.filter((l) => l === "advisory").length);
  });

  test("urns are unique; every parent and dependency is null or a urn in the list", () => {
    const urns = json.resources.map((x) => x.urn);
    expect(new Set(urns).size).toBe(urns.length);
    const known = new Set(urns);
    const roots = json.resources.filter((x) => x.parent === null);
    expect(roots.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
    for (const res of json.resources) {
      if (res.parent !== null) expect(known).toContain(res.parent);
      for (const dep of res.dependencies) expect(known).toContain(dep);
    }
  });

  test("every Key Vault secret's value is shown as [secret]", () => {
    const secrets = json.resources.filter((x) => x.type === "azure-native:keyvault:Secret");
    expect(secrets.map((s) => s.inputs.secretName).sort()).toEqual(["feature-token", "partner-api-key", "sp-client-secret", "sql-password"]);
    for (const s of secrets) expect(s.inputs.properties.value).toBe("[secret]");
  });
});

describe("invalid input exits 2 with one line per problem", () => {
  let dir: string;
  beforeEach(() => (dir = configOnlyProject()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("an invalid config: each problem on its own `error:` line naming the key, nothing run", () => {
    const broken = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")
      .replace("- name: churn", "- name: Churn")
      .replace("operators:", "operaters:")
      .replace("203.0.113.0/24", "203.0.113.0/33")
      .replace("name: sql-password", "name: sql_password");
    fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), broken);
    const r = runCli(["plan", "bad", "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.every((l) => l.startsWith("error: Pulumi.bad.yaml: "))).toBe(true);
    const keys = lines.map((l) => l.slice("error: Pulumi.bad.yaml: ".length).split(": ")[0]).sort();
    expect(keys).toEqual(["platform.network.allowedIpRanges[0]", "projects[0].name", "projects[0].operaters", "projects[0].secrets[0].name"]);
    expect(r.stderr).toMatch(/projects\[0\]\.operaters: unknown key/);
    expect(r.stderr).toMatch(/projects\[0\]\.secrets\[0\]\.name: must match/);
    expectNoTrace(r);
  });

  test("an allow-list entry Azure Storage refuses: exit 2, naming the key and the rule, nothing planned", () => {
    const refused = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("- 203.0.113.0/24", "- 10.20.0.0/16\n        - 198.51.100.6/31");
    fs.writeFileSync(path.join(dir, "Pulumi.private.yaml"), refused);
    const r = runCli(["plan", "private", "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^error: Pulumi\.private\.yaml: platform\.network\.allowedIpRanges\[0\]: 10\.20\.0\.0\/16: in a private \(RFC 1918\) range, which Azure Storage refuses/),
      expect.stringMatching(/^error: Pulumi\.private\.yaml: platform\.network\.allowedIpRanges\[1\]: 198\.51\.100\.6\/31: \/31 ranges are not accepted by Azure Storage/),
    ]);
    expect(r.stdout).toBe("");
    expectNoTrace(r);
  });

  test("broken YAML: one line naming the file", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  mlvault:projects: [\n");
    const r = runCli(["plan", "broken", "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^error: Pulumi\.broken\.yaml: cannot be read as YAML/)]);
    expectNoTrace(r);
  });

  test("a missing stack", () => {
    const r = runCli(["plan", "nosuch", "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^error: Pulumi\.nosuch\.yaml: no such stack file/)]);
    expectNoTrace(r);
  });

  test("a missing stack argument", () => {
    const r = runCli(["plan"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: no stack: name it as an argument or with -s\/--stack/);
    expectNoTrace(r);
  });

  test("an unknown command", () => {
    const r = runCli(["plna", "dev"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'plna'/);
    expectNoTrace(r);
  });
});

describe("help", () => {
  test("--help exits 0 and lists plan", () => {
    const r = runCli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: mlvault/);
    expect(r.stdout).toMatch(/\bplan\b/);
  });

  test("plan --help exits 0 and documents the flags, with examples", () => {
    const r = runCli(["plan", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: mlvault plan \[options\] \[stack\]/);
    for (const flag of ["-s, --stack <stack>", "--json ", "--json-file <file>", "--sarif-file <file>", "--graph-file <file>", "--policy-pack <dir>", "--policy-pack-config <file>", "-C, --cwd <dir>"]) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/Examples:\n {2}mlvault plan dev/);
  });

  test.each(["plan", "audit", "handoff", "onboard", "policy-config"])("%s --help has examples", (command) => {
    const r = runCli([command, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\nExamples:\n/);
  });

  test("-v and --version print the version", () => {
    for (const flag of ["-v", "--version"]) {
      const r = runCli([flag]);
      expect([r.status, r.stdout.trim()]).toEqual([0, (require("../../package.json") as { version: string }).version]);
    }
  });
});

describe("a plaintext secret value in the stack file", () => {
  const PLAINTEXT = "Plain-Text-Hunter2-0b7e4c";
  const PLAINTEXT_ERROR = (stack: string) =>
    `error: Pulumi.${stack}.yaml: secretValues["churn/sql-password"]: is stored in plaintext in the stack file (and so in git): encrypt it with pulumi config set --stack ${stack} --secret --path 'mlvault:secretValues["churn/sql-password"]', then rotate the value`;
  let dir: string;

  /** The shipped dev stack with its `secure:` value replaced by a plaintext one. */
  function devStackWithValue(value: string): string {
    const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
    const secure = /churn\/sql-password:\n\s+secure: .*\n/;
    expect(dev).toMatch(secure);
    return dev.replace(secure, `churn/sql-password: ${JSON.stringify(value)}\n`);
  }

  beforeEach(() => (dir = linkedProject()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("is refused (exit 2, key named, value never shown) and nothing is planned or written", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.leak.yaml"), devStackWithValue(PLAINTEXT));
    const file = path.join(dir, "plan.json");
    const r = runCli(["plan", "leak", "-C", dir, "--json-file", file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([PLAINTEXT_ERROR("leak")]);
    expect(fs.existsSync(file)).toBe(false);
    expect(r.stderr).not.toContain(PLAINTEXT);
  });

  test("a value too large is rejected with its size, not its content", () => {
    const big = PLAINTEXT + "x".repeat(25_600);
    fs.writeFileSync(path.join(dir, "Pulumi.big.yaml"), devStackWithValue(big));
    const r = runCli(["plan", "big", "-C", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      PLAINTEXT_ERROR("big"),
      `error: Pulumi.big.yaml: secretValues["churn/sql-password"]: is ${big.length} bytes; Key Vault secret values are limited to 25600 bytes (25 KB)`,
    ]);
    expect(r.stdout + r.stderr).not.toContain(PLAINTEXT);
  });
});

test("an internal failure is one line and exit 3, without a stack trace", () => {
  // A valid config in a folder without the program: validation passes, loading index.ts fails.
  const dir = configOnlyProject();
  try {
    fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const r = runCli(["plan", "dev", "--no-policies", "-C", dir]);
    expect(r.status).toBe(3);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^error: /)]);
    expectNoTrace(r);
    // With policies, the missing policy config is found first (before anything runs): a file problem, exit 2.
    const withPolicies = runCli(["plan", "dev", "-C", dir]);
    expect(withPolicies.status).toBe(2);
    expect(withPolicies.stderr).toMatch(/^error: policies\/config\/dev\.json: cannot read the policy config/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("two reports on stdout are refused before anything runs: exit 2, one line", () => {
  const r = runCli(["plan", "dev", "--json", "-", "--sarif", "-"]);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim()).toBe("error: --json and --sarif both write to stdout ('-'); send all but one to a file");
});

describe("a policy violation points at the stack-file key and line that produce it", () => {
  let dir: string;
  beforeAll(() => (dir = linkedProject()));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("SEC-02 on a secret: its expiresOn line, the control named once, exit 1", () => {
    const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
    const edited = dev.replace('expiresOn: "2027-03-31"', 'expiresOn: "2029-03-31"');
    expect(edited).not.toBe(dev);
    fs.writeFileSync(path.join(dir, "Pulumi.far.yaml"), edited);
    const line = edited.split("\n").findIndex((l) => l.includes('expiresOn: "2029-03-31"')) + 1;
    const r = runCli(["plan", "far", "-C", dir]);
    expect(r.status).toBe(1);
    const out = r.stdout.split("\n");
    const heading = out.findIndex((l) => l.startsWith("      [mandatory] sec-02-secret-max-validity [SEC-02] churn-secrets-sql-password"));
    expect(heading).toBeGreaterThan(0);
    // The heading may wrap onto a second line at 80 columns; the stack-file place follows it.
    const from = out.findIndex((l, i) => i > heading && l.startsWith("          from "));
    expect(from - heading).toBeLessThanOrEqual(2);
    expect(out[from]).toBe(`          from Pulumi.far.yaml:${line} projects[0].secrets[0].expiresOn`);
    // The heading names SEC-02; the message lines below do not repeat it, and they give the values.
    const message = out.slice(from + 1, from + 6).map((l) => l.trim()).join(" ");
    expect(message).not.toMatch(/SEC-02:/);
    expect(message).toMatch(/valid for \d+ days from its activation date to its expiry, more than the maximum of 365 days/);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(80);
  });
});
