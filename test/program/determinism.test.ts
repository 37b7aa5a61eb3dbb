import { runConfig, runStack, ofType } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";
import { shortHash, storageAccountName, vaultName } from "../../components/naming";

const inputsOf = (r: Awaited<ReturnType<typeof runConfig>>) => JSON.stringify(r.records.map((x) => [x.urn, x.inputs]));

describe("deterministic inputs and valid names", () => {
  test("same config, same inputs: twice in a rotation window, including generated names and rotation triggers", async () => {
    const a = await runConfig(maximalConfig(), { now: "2026-12-15T00:00:00Z" });
    const b = await runConfig(maximalConfig(), { now: "2026-12-15T23:59:00Z" });
    expect(inputsOf(a)).toEqual(inputsOf(b));
    const dev1 = await runStack("dev");
    const dev2 = await runStack("dev");
    expect(inputsOf(dev1)).toEqual(inputsOf(dev2));
  });

  test("a new rotation window changes only the rotating resources", async () => {
    const a = await runConfig(maximalConfig(), { now: "2026-12-15T00:00:00Z" });
    const b = await runConfig(maximalConfig(), { now: "2027-09-15T00:00:00Z" });
    const changed = a.records.filter((r, i) => JSON.stringify(r.inputs) !== JSON.stringify(b.records[i].inputs)).map((r) => r.type);
    expect(changed.length).toBeGreaterThan(0);
    const rotating = new Set([
      "azuread:index/applicationPassword:ApplicationPassword", "azure-native:keyvault:Secret",
      "random:index/randomPassword:RandomPassword", "azure-native:keyvault:Key",
    ]);
    expect(changed.filter((t) => !rotating.has(t))).toEqual([]);
  });

  test("names follow Azure's rules, globally unique ones included, at the length limits", async () => {
    const { records } = await runConfig(maximalConfig());
    for (const v of ofType(records, "azure-native:keyvault:Vault")) {
      const n = v.inputs.vaultName as string;
      expect(n).toMatch(/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/);
      expect(n).not.toContain("--");
    }
    for (const s of ofType(records, "azure-native:storage:StorageAccount")) expect(s.inputs.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    for (const w of ofType(records, "azure-native:machinelearningservices:Workspace")) expect(w.inputs.workspaceName).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/);
    for (const rg of ofType(records, "azure-native:resources:ResourceGroup")) expect(rg.inputs.resourceGroupName).toMatch(/^[-\w.()]{1,89}[-\w()]$/);
    for (const a of ofType(records, "azure-native:monitor:ActionGroup")) expect((a.inputs.groupShortName as string).length).toBeLessThanOrEqual(12);
  });

  test("globally unique names differ across subscriptions, projects and environments, and never collide in a stack", () => {
    const ctx = { subscriptionId: "00000000-0000-4000-8000-000000000001", project: "fraudscoring", environment: "prod" as const };
    expect(vaultName(ctx)).not.toEqual(vaultName({ ...ctx, subscriptionId: "00000000-0000-4000-8000-000000000002" }));
    expect(vaultName(ctx)).not.toEqual(vaultName({ ...ctx, environment: "dev" }));
    expect(storageAccountName(ctx)).toHaveLength(24);
    expect(storageAccountName({ ...ctx, project: "ab" })).toMatch(/^[a-z0-9]{3,24}$/);
    expect(shortHash("x", 5)).toMatch(/^[0-9a-z]{5}$/);
    const many = new Set(Array.from({ length: 2000 }, (_, i) => vaultName({ ...ctx, project: `p${i}` })));
    expect(many.size).toBe(2000);
  });
});
