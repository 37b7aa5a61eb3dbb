import * as path from "path";
import { StackExportError, parseStackExport, readStackExport, stackIdentityOf, urnName, urnType } from "../../engine/stackExport";
import { redact } from "../../engine/redact";
import { SECRET_SIG, SPECIAL_SIG, isSecret } from "../../engine/wire";
import { EXPORTS } from "../fixtures/packs/testKit";

const file = (name: string) => path.join(EXPORTS, name);
const P = "urn:pulumi:prod::mlvault-demo::";
const VAULT_A = `${P}mlvault:index:Workspace$azure-native:keyvault:Vault::demo-kv`;
const SECRET = `${P}mlvault:index:Workspace$azure-native:keyvault:Secret::demo-api-key`;
const CIPHERTEXT = "v1:7mJ0b2NpcGhlcnRleHQtZml4dHVyZQ==:QUJDREVGR0hJSktMTU5PUA==";

describe("readStackExport on a good version-3 export", () => {
  const records = readStackExport(file("good.json"));

  test("keeps resources in order; a delete=true copy is kept and marked (it still exists in Azure)", () => {
    expect(records.map((r) => r.name)).toEqual([
      "mlvault-demo-prod",
      "default_3_28_0",
      "demo",
      "demo-rg",
      "demo-law",
      "demo-kv",
      "demo-kv-audit",
      "demo-api-key",
      "legacy-kv",
      "legacy-kv",
    ]);
    const legacy = records.filter((r) => r.name === "legacy-kv");
    expect(legacy.map((r) => r.pendingDelete === true)).toEqual([false, true]);
    expect(legacy[1].id).toMatch(/legacy-kv-old$/);
    expect(records.some((r) => r.name === "half-made")).toBe(false);
  });

  test("maps every ResourceV3 field the policies need", () => {
    const vault = records.find((r) => r.urn === VAULT_A)!;
    expect(vault).toMatchObject({
      type: "azure-native:keyvault:Vault",
      parent: `${P}mlvault:index:Workspace::demo`,
      custom: true,
      protect: true,
      provider: `${P}pulumi:providers:azure-native::default_3_28_0::0b7b8d4c-8f0e-4d1c-9a57-2a1d6d1c2f11`,
      dependencies: [`${P}mlvault:index:Workspace$azure-native:resources:ResourceGroup::demo-rg`],
      propertyDependencies: { resourceGroupName: [`${P}mlvault:index:Workspace$azure-native:resources:ResourceGroup::demo-rg`] },
      additionalSecretOutputs: [],
      id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo-rg/providers/Microsoft.KeyVault/vaults/demo-kv",
    });
    expect(vault.inputs).toMatchObject({ vaultName: "demo-kv", properties: { enablePurgeProtection: true } });
    expect(vault.outputs).toMatchObject({ type: "Microsoft.KeyVault/vaults", properties: { provisioningState: "Succeeded" } });
    const stack = records[0];
    expect(stack).toMatchObject({ custom: false, protect: false, parent: null, inputs: {}, outputs: {}, dependencies: [] });
    expect(stack.provider).toBeUndefined();
    expect(records.find((r) => r.urn === SECRET)!.additionalSecretOutputs).toEqual(["properties"]);
  });

  test("encrypted secrets stay opaque wire secrets and never print", () => {
    const value = (records.find((r) => r.urn === SECRET)!.inputs.properties as Record<string, unknown>).value;
    expect(isSecret(value)).toBe(true);
    expect(value).toEqual({ [SPECIAL_SIG]: SECRET_SIG, ciphertext: CIPHERTEXT });
    expect(value).not.toHaveProperty("value");
    expect(JSON.stringify(redact(records))).not.toContain(CIPHERTEXT);
  });

  test("stack and project come from the URNs", () => {
    expect(stackIdentityOf(records)).toEqual({ stack: "prod", project: "mlvault-demo" });
  });
});

test("a --show-secrets export decodes plaintext into wire secrets, still redacted", () => {
  const records = readStackExport(file("show-secrets.json"));
  const secretRecord = records.find((r) => r.urn === SECRET)!;
  const value = (secretRecord.inputs.properties as Record<string, unknown>).value;
  expect(value).toEqual({ [SPECIAL_SIG]: SECRET_SIG, value: "sk-fixture-plaintext-0042" });
  expect(secretRecord.outputs.connection).toEqual({
    [SPECIAL_SIG]: SECRET_SIG,
    value: { user: "svc-demo", password: "correct-horse-battery-fixture" },
  });
  const printed = JSON.stringify(redact(records));
  expect(printed).not.toContain("sk-fixture-plaintext-0042");
  expect(printed).not.toContain("correct-horse-battery-fixture");
});

test("an export of an empty stack has no resources", () => {
  expect(readStackExport(file("empty-stack.json"))).toEqual([]);
});

describe("unusable files throw StackExportError with one line naming the file", () => {
  const cases: Array<[string, RegExp]> = [
    ["malformed.json", /malformed\.json: not valid JSON/],
    ["malformed-secret.json", /malformed-secret\.json: not valid JSON at line 1, column \d+$/],
    ["version2.json", /version2\.json: deployment format version 2 is not supported \(expected 3/],
    ["no-deployment.json", /no-deployment\.json: not a stack export: `deployment` is missing/],
    ["bad-dependencies.json", /bad-dependencies\.json: deployment\.resources\[3\]\.dependencies must be an array of strings/],
    ["does-not-exist.json", /does-not-exist\.json: cannot read the file \(ENOENT\)/],
  ];
  test.each(cases)("%s", (name, expected) => {
    let error: unknown;
    try {
      readStackExport(file(name));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackExportError);
    const message = (error as Error).message;
    expect(message).toMatch(expected);
    expect(message.startsWith(file(name))).toBe(true);
    expect(message).not.toContain("\n");
    expect(message).not.toContain("do-not-print-me");
  });
});

describe("parseStackExport on objects", () => {
  test("checks the envelope", () => {
    expect(() => parseStackExport([], "x")).toThrow("x: not a stack export");
    expect(() => parseStackExport({ deployment: {} }, "x")).toThrow("x: not a stack export: `version` is missing");
    expect(() => parseStackExport({ version: "3", deployment: {} }, "x")).toThrow("x: `version` must be an integer");
    expect(() => parseStackExport({ version: 3, deployment: [] }, "x")).toThrow("x: `deployment` must be an object");
    expect(() => parseStackExport({ version: 3, deployment: { resources: {} } }, "x")).toThrow("must be an array");
  });

  test("checks each resource but ignores fields it does not know", () => {
    const urn = "urn:pulumi:s::p::azure-native:keyvault:Vault::kv";
    expect(() => parseStackExport({ version: 3, deployment: { resources: [{ type: "t" }] } }, "x")).toThrow(
      "x: deployment.resources[0].urn must be a non-empty string",
    );
    expect(() => parseStackExport({ version: 3, deployment: { resources: [{ urn, protect: "yes" }] } }, "x")).toThrow(
      "deployment.resources[0].protect must be a boolean",
    );
    expect(() => parseStackExport({ version: 3, deployment: { resources: [{ urn, outputs: [] }] } }, "x")).toThrow(
      "deployment.resources[0].outputs must be an object",
    );
    const [r] = parseStackExport({ version: 3, deployment: { resources: [{ urn, created: "t", stackTrace: [], futureField: 1 }] } });
    expect(r).toMatchObject({ urn, type: "azure-native:keyvault:Vault", name: "kv" });
  });

  test("a secret with neither ciphertext nor plaintext is malformed", () => {
    const doc = {
      version: 3,
      deployment: { resources: [{ urn: "urn:pulumi:s::p::t::n", outputs: { pw: { [SPECIAL_SIG]: SECRET_SIG } } }] },
    };
    expect(() => parseStackExport(doc, "x")).toThrow("x: deployment.resources[0].outputs.pw: a secret has neither ciphertext nor plaintext");
  });
});

test("URN helpers follow the Go SDK (name after the third ::, type after the last $)", () => {
  expect(urnName("urn:pulumi:s::p::a:b:C$x:y:Z::name::with::colons")).toBe("name::with::colons");
  expect(urnType("urn:pulumi:s::p::a:b:C$x:y:Z::n")).toBe("x:y:Z");
});

describe("resource options from an export", () => {
  const SECRET_URN = "urn:pulumi:prod::mlvault::mlvault:index:ProjectSecrets$azure-native:keyvault:Secret::churn-secrets-sql-password";
  const GROUP_URN = "urn:pulumi:prod::mlvault::azure-native:resources:ResourceGroup::churn-rg";
  const exported = (extra: Record<string, unknown>) => parseStackExport({
    version: 3,
    deployment: {
      resources: [{
        urn: SECRET_URN, custom: true, type: "azure-native:keyvault:Secret", id: "/x",
        dependencies: [GROUP_URN, "urn:pulumi:prod::mlvault::time:index/sleep:Sleep::wait"],
        propertyDependencies: { resourceGroupName: [GROUP_URN] },
        inputs: {}, outputs: {}, ...extra,
      }],
    },
  });

  test("retainOnDelete, ignoreChanges and replaceOnChanges are read where Pulumi wrote them; dependsOn is what no input carries", () => {
    const [r] = exported({ protect: true, retainOnDelete: true, ignoreChanges: ["properties.value"], replaceOnChanges: ["tags"], deleteBeforeReplace: true });
    expect(r.options).toEqual({
      protect: true, retainOnDelete: true, ignoreChanges: ["properties.value"], deleteBeforeReplace: true, replaceOnChanges: ["tags"],
      dependsOn: ["urn:pulumi:prod::mlvault::time:index/sleep:Sleep::wait"],
    });
  });

  test("an older export without them gets the defaults", () => {
    const [r] = exported({});
    expect(r.options).toMatchObject({ protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, replaceOnChanges: [] });
  });

  test("a malformed option is refused with its path", () => {
    expect(() => exported({ retainOnDelete: "yes" })).toThrow(/deployment\.resources\[0\]\.retainOnDelete must be a boolean/);
    expect(() => exported({ ignoreChanges: "properties" })).toThrow(/deployment\.resources\[0\]\.ignoreChanges must be an array of strings/);
  });
});
