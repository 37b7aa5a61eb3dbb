import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import {
  addProjectToStackYaml, buildProjectEntry, checkOnboardedConfig, configSetCommand, OnboardError, parseFederated,
  parsePrincipal, parseSecretSpec, type OnboardInput,
} from "../../config/onboard";
import { readStackFile } from "../../config/stackFile";
import { validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const DEV = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
const PROD = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
const READER = "7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01";

function input(over: Partial<OnboardInput> = {}): OnboardInput {
  return { project: "fraud", readers: [READER], operators: [], secrets: ["db-password:password:config:2027-03-31"], federated: [], ...over };
}

/** The lines of `after` minus one contiguous inserted block must be exactly the lines of `before`. */
function insertedBlock(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (a[start] === b[start]) start++;
  const added = b.length - a.length;
  expect(added).toBeGreaterThan(0);
  expect([...b.slice(0, start), ...b.slice(start + added)]).toEqual(a);
  return b.slice(start, start + added);
}

/** The stack's config as `plan` reads it: through readStackFile (secure values become placeholders). */
function rawConfig(text: string): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlvault-onboard-config-"));
  try {
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
    return readStackFile(dir, "dev").config;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("flag parsing", () => {
  test("--secret is name:contentType:source:expiresOn; a date-time keeps its colons", () => {
    expect(parseSecretSpec("tok:token:generate:2027-01-31T10:00:00Z"))
      .toEqual({ name: "tok", contentType: "token", source: "generate", expiresOn: "2027-01-31T10:00:00Z" });
    expect(parseSecretSpec("tok:token:generate")).toBeUndefined();
  });

  test("a principal may carry its type", () => {
    expect(parsePrincipal(READER)).toBe(READER);
    expect(parsePrincipal(`${READER}:User`)).toEqual({ objectId: READER, type: "User" });
    expect(parsePrincipal(`${READER}:servicepRincipal`)).toEqual({ objectId: READER, type: "ServicePrincipal" });
    expect(parsePrincipal(`${READER}:Robot`)).toBeUndefined();
    expect(parsePrincipal(":User")).toBeUndefined();
  });

  test("--federated is k=v pairs; subjects keep ':' and '='", () => {
    expect(parseFederated("name=gh-main,issuer=https://x.example,subject=repo:a/b:ref=1"))
      .toEqual({ name: "gh-main", issuer: "https://x.example", subject: "repo:a/b:ref=1" });
    expect(parseFederated("name")).toBeUndefined();
  });

  test("malformed flags are reported one per flag, and the entry omits empty lists", () => {
    const { entry, problems } = buildProjectEntry(input({ readers: [], secrets: ["a:b"], federated: ["oops"] }));
    expect(problems).toEqual([
      '--secret "a:b": expected name:contentType:source:expiresOn (source: config, generate or external)',
      '--federated "oops": expected name=<name>,issuer=<https URL>,subject=<subject>',
    ]);
    expect(entry).toEqual({ name: "fraud" });
  });
});

describe("addProjectToStackYaml", () => {
  test.each([["dev", DEV], ["prod", PROD]])("appends to the %s list, every other byte untouched", (_, text) => {
    const { entry } = buildProjectEntry(input({ description: "Fraud: scoring" }));
    const { text: out, index } = addProjectToStackYaml(text, entry);
    expect(index).toBe(1);
    // Byte-for-byte: the original is the result minus one inserted block (inline comments keep their spacing).
    const block = insertedBlock(text, out);
    expect(block[0]).toBe("    - name: fraud");
    expect(block).toContain('          expiresOn: "2027-03-31"');
    expect(parse(out).config["mlvault:projects"][1]).toEqual({
      name: "fraud", description: "Fraud: scoring", readers: [READER],
      secrets: [{ name: "db-password", contentType: "password", source: "config", expiresOn: "2027-03-31" }],
    });
  });

  test("creates mlvault:projects when absent, after the last config key, comments kept", () => {
    const text = "# head\nconfig:\n  azure-native:location: westeurope   # region\n  mlvault:environment: dev\n# tail comment\n";
    const { text: out, index } = addProjectToStackYaml(text, buildProjectEntry(input()).entry);
    expect(index).toBe(0);
    expect(insertedBlock(text, out)).toEqual([
      "  mlvault:projects:",
      "    - name: fraud",
      "      readers:",
      `        - ${READER}`,
      "      secrets:",
      "        - name: db-password",
      "          contentType: password",
      "          source: config",
      '          expiresOn: "2027-03-31"',
    ]);
  });

  test("an indentless list (dash at the key's column) gets the new item at that column", () => {
    const text = "config:\n  mlvault:projects:\n  - name: churn\n  mlvault:environment: dev\n";
    const out = addProjectToStackYaml(text, { name: "fraud" }).text;
    expect(insertedBlock(text, out)).toEqual(["  - name: fraud"]);
    expect(parse(out).config["mlvault:projects"]).toEqual([{ name: "churn" }, { name: "fraud" }]);
  });

  test.each([
    ["an empty flow list", "config:\n  mlvault:environment: dev\n  mlvault:projects: []\n"],
    ["a key without a value", "config:\n  mlvault:environment: dev\n  mlvault:projects:\n"],
    ["an empty config", "config:\n"],
    ["an empty file", ""],
  ])("%s becomes a block list holding the project", (_, text) => {
    const { text: out, index } = addProjectToStackYaml(text, { name: "fraud" });
    expect(index).toBe(0);
    expect(parse(out).config["mlvault:projects"]).toEqual([{ name: "fraud" }]);
    expect(out).toContain("- name: fraud");
  });

  test("a projects value that is not a list is refused", () => {
    expect(() => addProjectToStackYaml("config:\n  mlvault:projects: {a: 1}\n", { name: "fraud" })).toThrow(OnboardError);
  });
});

describe("checkOnboardedConfig", () => {
  test("tolerates only the new project's missing config values, and lists them", () => {
    const { entry } = buildProjectEntry(input({ secrets: ["db-password:password:config:2027-03-31", "tok:token:generate:2027-01-31"] }));
    const { text } = addProjectToStackYaml(DEV, entry);
    const raw = rawConfig(text);
    // Plain validation refuses the edited stack for exactly that reason…
    expect(() => validateStackConfig(raw)).toThrow(/projects\[1\]\.secrets\[0\]: source: config needs a value/);
    // …onboarding does not, and names the secret still needing a value.
    expect(checkOnboardedConfig(raw, 1, entry)).toEqual({ issues: [], pendingValues: ["db-password"] });
  });

  test("an existing project's missing value is still an issue", () => {
    const { entry } = buildProjectEntry(input());
    const raw = rawConfig(addProjectToStackYaml(DEV, entry).text);
    delete raw["mlvault:secretValues"];
    const { issues, pendingValues } = checkOnboardedConfig(raw, 1, entry);
    expect(issues.map((i) => i.key)).toEqual(["projects[0].secrets[0]"]);
    expect(pendingValues).toEqual(["db-password"]);
  });

  test("every other rule keeps validateStackConfig's key and message", () => {
    const { entry } = buildProjectEntry(input({ readers: ["not-a-guid"], secrets: ["bad_name:password:config:2027-13-01"] }));
    const { issues } = checkOnboardedConfig(rawConfig(addProjectToStackYaml(DEV, entry).text), 1, entry);
    expect(issues).toEqual([
      { key: "projects[1].readers[0]", message: "must be an Entra object id (a GUID such as 00000000-0000-0000-0000-000000000000)" },
      { key: "projects[1].secrets[0].name", message: "must match ^[0-9a-zA-Z-]{1,127}$ (Key Vault secret names: letters, digits and hyphens)" },
      { key: "projects[1].secrets[0].expiresOn", message: "must be an ISO 8601 date (YYYY-MM-DD) or UTC date-time (YYYY-MM-DDThh:mm:ssZ)" },
    ]);
  });
});

test("configSetCommand is the exact pulumi command", () => {
  expect(configSetCommand("prod", "fraud", "db-password"))
    .toBe(`pulumi config set --stack prod --secret --path 'mlvault:secretValues["fraud/db-password"]' '<value>'`);
});
