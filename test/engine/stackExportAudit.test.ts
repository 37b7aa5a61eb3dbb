/**
 * `audit` end to end below the CLI: a hand-written stack export through the fixture pack, with
 * resource policies on inputs and stack policies on outputs + propertyDependencies.
 */
import * as path from "path";
import { evaluatePolicyPack } from "../../engine/analyzer";
import { readStackExport, stackIdentityOf } from "../../engine/stackExport";
import { BASIC_PACK, EXPORTS, livePackChildren } from "../fixtures/packs/testKit";

const P = "urn:pulumi:prod::mlvault-demo::";
const LEGACY = `${P}azure-native:keyvault:Vault::legacy-kv`;
const API_KEY = `${P}mlvault:index:Workspace$azure-native:keyvault:Secret::demo-api-key`;

async function audit(file: string) {
  const records = readStackExport(path.join(EXPORTS, file));
  const { stack, project } = stackIdentityOf(records)!;
  return evaluatePolicyPack(records, { packDir: BASIC_PACK, stack, project, dryRun: false });
}

afterEach(() => expect(livePackChildren()).toEqual([]));

test("finds what the export violates and nothing more", async () => {
  const result = await audit("good.json");
  const summary = result.violations.map((v) => [v.policy, v.enforcementLevel, v.urn]);
  expect(summary).toEqual([
    // Resource violations come in export order: the secret precedes legacy-kv in the file.
    // The encrypted secret cannot be read: the policy reports that instead of passing silently.
    ["secret-min-length", "advisory", API_KEY],
    ["kv-purge-protection", "mandatory", LEGACY],
    ["kv-retention", "mandatory", LEGACY],
    // legacy-kv's copy pending deletion (the replaced legacy-kv-old) still exists in Azure: evaluated too.
    ["kv-purge-protection", "mandatory", LEGACY],
    ["kv-retention", "mandatory", LEGACY],
    // demo-kv's diagnostic setting points at it; neither legacy-kv nor its old copy has one.
    ["kv-audit-logs", "mandatory", LEGACY],
    ["kv-audit-logs", "mandatory", LEGACY],
  ]);
  expect(result.violations.find((v) => v.policy === "secret-min-length")!.message).toMatch(/can't run policy 'secret-min-length'/);
  expect(JSON.stringify(result)).not.toContain("v1:7mJ0b2NpcGhlcnRleHQ");
});

test("a --show-secrets export lets the policy read the value, and nothing prints it", async () => {
  const result = await audit("show-secrets.json");
  expect(result.violations.filter((v) => v.urn === API_KEY)).toEqual([]);
  expect(JSON.stringify(result)).not.toContain("sk-fixture-plaintext-0042");
});
