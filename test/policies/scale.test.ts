/** Stack policies index resources once: a stack of thousands of resources stays fast. */
import type { Policy, StackValidationPolicy } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { T } from "../../policies/lib/types";
import { runStack, StackInput } from "./harness";
import { diagnosticOutputs, privateEndpointOutputs, RG, vaultOutputs } from "./fixtures";

it("evaluates every stack policy over 1,500 vaults with endpoints and diagnostics in well under a few seconds", async () => {
  const resources: StackInput[] = [];
  for (let i = 0; i < 1500; i++) {
    const id = `${RG}/providers/Microsoft.KeyVault/vaults/kv${i}`;
    resources.push({ type: T.vault, name: `kv${i}`, props: vaultOutputs(id), protect: true });
    resources.push({ type: T.privateEndpoint, name: `pe${i}`, props: privateEndpointOutputs(id, "vault") });
    resources.push({ type: T.diagnosticSetting, name: `diag${i}`, props: diagnosticOutputs(id, [{ categoryGroup: "audit", enabled: true }]) });
  }
  const started = Date.now();
  for (const p of (ALL_POLICIES as Policy[]).filter((x): x is StackValidationPolicy => "validateStack" in x)) {
    const out = await runStack(p, resources, { managedElsewhere: true });
    expect(out.unknown).toBeUndefined();
    if (["kv-07-private-endpoint", "kv-08-audit-logs", "kv-11-deletion-guard"].includes(p.name)) expect(out.messages).toEqual([]);
  }
  expect(Date.now() - started).toBeLessThan(5000);
});
