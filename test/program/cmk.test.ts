import { inProject, one, ofType, props, runConfig } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";
import { BUILTIN_ROLES } from "../../components/roles";
import { KEY_ACCESS_PROPAGATION } from "../../components/workspace";

describe("customer-managed keys (opt-in per project)", () => {
  test("opted in: premium vault, HSM key with expiry and rotation policy, workspace encrypted through the workload identity", async () => {
    const { records } = await runConfig(maximalConfig());
    const fraud = inProject(records, "fraudscoring");
    const vault = one(fraud, "azure-native:keyvault:Vault");
    expect(props(vault).sku).toEqual({ family: "A", name: "premium" });

    const key = one(fraud, "azure-native:keyvault:Key");
    const kp = props(key);
    expect(kp.kty).toBe("RSA-HSM");
    expect(kp.keyOps).toEqual(["wrapKey", "unwrapKey"]);
    expect(typeof kp.attributes.expires).toBe("number");
    const rotate = kp.rotationPolicy.lifetimeActions.find((a: any) => a.action.type === "rotate");
    expect(rotate.trigger.timeAfterCreate).toBe("P90D");

    const uami = one(fraud, "azure-native:managedidentity:UserAssignedIdentity");
    const grant = ofType(fraud, "azure-native:authorization:RoleAssignment")
      .find((r) => r.inputs.principalId === uami.outputs.principalId && String(r.inputs.roleDefinitionId).endsWith(BUILTIN_ROLES.keyVaultCryptoServiceEncryptionUser))!;
    expect(grant.inputs.scope).toBe(vault.id);

    const ws = one(fraud, "azure-native:machinelearningservices:Workspace");
    expect(ws.inputs.identity).toEqual({ type: "SystemAssigned,UserAssigned", userAssignedIdentities: [uami.id] });
    expect(ws.inputs.encryption).toEqual({
      status: "Enabled",
      identity: { userAssignedIdentity: uami.id },
      keyVaultProperties: { keyVaultArmId: vault.id, keyIdentifier: key.outputs.keyUri },
    });
    // The key grant must be enforced, not only created, before the workspace uses the key: the workspace waits for a
    // time:Sleep that waits for the grant (Azure RBAC: "up to 10 minutes for changes to take effect"). Only that.
    const wait = one(fraud, "time:index/sleep:Sleep");
    expect(wait.inputs.createDuration).toBe(KEY_ACCESS_PROPAGATION);
    expect(wait.dependencies).toContain(grant.urn);
    for (const d of wait.dependencies) expect(d).toMatch(/workload-identity$/);
    expect(ws.options!.dependsOn).toEqual([wait.urn]);
    const personaGrants = ofType(fraud, "azure-native:authorization:RoleAssignment").filter((r) => String(r.inputs.principalId).startsWith("7c1f3e0a"));
    for (const p of personaGrants) expect([...ws.dependencies, ...wait.dependencies]).not.toContain(p.urn);
  });

  test("dev too: a vault holding a customer-managed key has purge protection (Azure requires it)", async () => {
    const { records } = await runConfig(maximalConfig({ "mlvault:environment": "dev" }));
    expect(props(one(inProject(records, "fraudscoring"), "azure-native:keyvault:Vault")).enablePurgeProtection).toBe(true);
    expect("enablePurgeProtection" in props(one(inProject(records, "churn"), "azure-native:keyvault:Vault"))).toBe(false);
  });

  test("not opted in: standard vault, no key, platform-managed encryption", async () => {
    const { records } = await runConfig(maximalConfig());
    const churn = inProject(records, "churn");
    expect(props(one(churn, "azure-native:keyvault:Vault")).sku.name).toBe("standard");
    expect(ofType(churn, "azure-native:keyvault:Key")).toHaveLength(0);
    expect(one(churn, "azure-native:machinelearningservices:Workspace").inputs.encryption).toBeUndefined();
  });

  test("access-policy mode: the workload identity's policy gains get/wrapKey/unwrapKey, never more", async () => {
    const cfg = maximalConfig();
    (cfg["mlvault:platform"] as any).vaultAccessModel = "accessPolicy";
    const { records } = await runConfig(cfg);
    const fraud = inProject(records, "fraudscoring");
    const uami = one(fraud, "azure-native:managedidentity:UserAssignedIdentity");
    const policy = ofType(fraud, "azure-native:keyvault:AccessPolicy").find((p) => (p.inputs.policy as any).objectId === uami.outputs.principalId)!;
    expect((policy.inputs.policy as any).permissions.keys).toEqual(["get", "wrapKey", "unwrapKey"]);
  });
});
