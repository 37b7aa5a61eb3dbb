/**
 * A 3,000-resource stack through one pack process: one boot, bounded concurrent Analyze calls,
 * one AnalyzeStack. Measured ~3 s for the analysis on the 2-core machine; the bound leaves room
 * for a loaded CI box but catches a per-resource process or quadratic work.
 */
import { evaluatePolicyPack } from "../../engine/analyzer";
import { secret } from "../../engine/wire";
import type { ResourceRecord } from "../../engine/types";
import { baseResources, livePackChildren, record, run } from "../fixtures/packs/testKit";

const VAULT = "azure-native:keyvault:Vault";

function largeStack(vaults: number): ResourceRecord[] {
  const resources = baseResources();
  for (let i = 0; i < vaults; i++) {
    const vault = record(VAULT, `kv${i}`, {
      inputs: { properties: { enablePurgeProtection: i % 4 !== 0, softDeleteRetentionInDays: 90, networkAcls: { defaultAction: "Deny" } } },
      outputs: { id: `/vaults/kv${i}`, name: `kv${i}` },
    });
    const setting = record("azure-native:monitor:DiagnosticSetting", `kv${i}-audit`, {
      dependencies: [vault.urn],
      propertyDependencies: { resourceUri: [vault.urn] },
      inputs: { resourceUri: `/vaults/kv${i}`, workspaceId: "/workspaces/law" },
      outputs: { workspaceId: "/workspaces/law" },
    });
    const value = record("azure-native:keyvault:Secret", `kv${i}-secret`, {
      inputs: { properties: { value: secret(`a-long-enough-secret-${i}`) } },
    });
    resources.push(vault, setting, value);
  }
  return resources;
}

test("3,000 resources are analyzed by one process in bounded time", async () => {
  const resources = largeStack(1000);
  expect(resources.length).toBe(3002);
  const started = Date.now();
  const result = await evaluatePolicyPack(resources, run);
  const elapsed = Date.now() - started;

  // One vault in four lacks purge protection; every vault has its diagnostic setting.
  expect(result.violations.filter((v) => v.policy === "kv-purge-protection")).toHaveLength(250);
  expect(result.violations).toHaveLength(250);
  expect(elapsed).toBeLessThan(40_000);
  expect(livePackChildren()).toEqual([]);
});
