/** SARIF from a real evaluation: the fixture pack's metadata and violations make a valid log. */
import { evaluatePolicyPack } from "../../engine/analyzer";
import { toSarif } from "../../report/sarif";
import { secret } from "../../engine/wire";
import { baseResources, record, run } from "../fixtures/packs/testKit";

const OPTS = { toolVersion: "0.1.0", category: "prod", controlsDocUrl: "https://github.com/contoso/mlvault/blob/main/docs/controls.md", informationUri: "https://github.com/contoso/mlvault" };

test("an evaluation of the fixture pack becomes SARIF with its controls and no secret", async () => {
  const vault = record("azure-native:keyvault:Vault", "kv", { inputs: { properties: { enablePurgeProtection: false } } });
  const short = record("azure-native:keyvault:Secret", "s", { inputs: { properties: { value: secret("tiny-pw") } } });
  const evaluation = await evaluatePolicyPack([...baseResources(), vault, short], run);
  const log = toSarif(evaluation, { ...OPTS, artifactUri: "Pulumi.dev.yaml" }) as Record<string, any>;
  const { rules } = log.runs[0].tool.driver;
  const results: Array<Record<string, any>> = log.runs[0].results;

  expect(rules.map((r: { id: string }) => r.id)).toEqual(evaluation.policies.map((p) => p.name));
  const purge = results.find((r) => r.ruleId === "kv-purge-protection")!;
  expect(purge.level).toBe("error");
  expect(rules[purge.ruleIndex].properties.tags).toEqual(["KV-02", "azure-policy:0b60c0b2", "cis-v2:8.5", "security"]);
  expect(results.find((r) => r.ruleId === "secret-min-length")!.level).toBe("warning");
  expect(JSON.stringify(log)).not.toContain("tiny-pw");
});
