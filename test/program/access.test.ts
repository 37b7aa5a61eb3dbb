import { inProject, one, ofType, props, runConfig, runStack } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";
import { BUILTIN_ROLES, SECRETS_OPERATOR_ROLE } from "../../components/roles";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const READER = "7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01";
const OPERATOR = "0f6a9d2e-3b71-4e8c-a5d4-91c2e7b3f802";

describe("personas and identities on the vault (RBAC)", () => {
  test("readers read secrets, operators manage them without purge; everything scoped to the vault", async () => {
    const { records } = await runStack("dev");
    const vault = one(records, "azure-native:keyvault:Vault");
    const assignments = ofType(records, "azure-native:authorization:RoleAssignment").filter((a) => a.inputs.scope === vault.id);
    const byPrincipal = (id: string) => assignments.filter((a) => a.inputs.principalId === id);

    const reader = byPrincipal(READER);
    expect(reader).toHaveLength(1);
    expect(reader[0].inputs.roleDefinitionId).toMatch(new RegExp(`/roleDefinitions/${BUILTIN_ROLES.keyVaultSecretsUser}$`));
    expect(reader[0].inputs.principalType).toBe("Group");

    const operator = byPrincipal(OPERATOR);
    expect(operator).toHaveLength(1);
    const role = one(records, "azure-native:authorization:RoleDefinition");
    expect(operator[0].inputs.roleDefinitionId).toBe(role.id);
    const perms = (role.inputs.permissions as any[])[0];
    expect(perms.dataActions).toEqual(["Microsoft.KeyVault/vaults/secrets/*"]);
    expect(perms.notDataActions).toEqual(["Microsoft.KeyVault/vaults/secrets/purge/action"]);
    expect(perms.actions.some((a: string) => /delete|\*$/i.test(a) && !a.endsWith("/read"))).toBe(false);
    expect(role.inputs.assignableScopes).toEqual([one(records, "azure-native:resources:ResourceGroup", "churn-rg").id]);

    // The service principal and the workload identity read secrets of their own vault, nothing more on it.
    const sp = one(records, "azuread:index/servicePrincipal:ServicePrincipal");
    const workload = one(records, "azure-native:managedidentity:UserAssignedIdentity");
    for (const principal of [sp.outputs.objectId, workload.outputs.principalId]) {
      const grants = byPrincipal(principal as string);
      expect(grants).toHaveLength(1);
      expect(grants[0].inputs.roleDefinitionId).toMatch(new RegExp(`${BUILTIN_ROLES.keyVaultSecretsUser}$`));
    }
    expect(assignments).toHaveLength(4);
    for (const a of ofType(records, "azure-native:authorization:RoleAssignment")) {
      expect(a.inputs.roleAssignmentName).toMatch(GUID);
      expect(a.inputs.scope).not.toMatch(/^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/);
    }
    expect(SECRETS_OPERATOR_ROLE.notDataActions).toContain("Microsoft.KeyVault/vaults/secrets/purge/action");
  });

  test("role assignment names are deterministic and distinct per project, environment and principal", async () => {
    const a = await runConfig(maximalConfig());
    const b = await runConfig(maximalConfig());
    const names = (r: typeof a) => ofType(r.records, "azure-native:authorization:RoleAssignment").map((x) => x.inputs.roleAssignmentName);
    expect(names(a)).toEqual(names(b));
    expect(new Set(names(a)).size).toBe(names(a).length);
    const dev = await runConfig(maximalConfig({ "mlvault:environment": "dev" }));
    expect(names(dev).filter((n) => names(a).includes(n))).toEqual([]);
  });

  test("explicit principal types are honoured", async () => {
    const { records } = await runConfig(maximalConfig());
    const user = ofType(inProject(records, "fraudscoring"), "azure-native:authorization:RoleAssignment")
      .find((r) => r.inputs.principalId === "2b8e6c1d-0a4f-4d3b-9e7a-5c6f8a9b0c12");
    expect(user?.inputs.principalType).toBe("User");
  });
});

describe("access-policy mode", () => {
  test("the same personas through AccessPolicy resources, never purge, never inline, no persona role assignments", async () => {
    const cfg = maximalConfig();
    (cfg["mlvault:platform"] as any).vaultAccessModel = "accessPolicy";
    const { records } = await runConfig(cfg);
    const fraud = inProject(records, "fraudscoring");
    const v = props(one(fraud, "azure-native:keyvault:Vault"));
    expect(v.enableRbacAuthorization).toBe(false);
    // One or the other, never both: no inline list, so vault updates keep the standalone policies (and Azure ML's).
    expect("accessPolicies" in v).toBe(false);
    const policies = ofType(fraud, "azure-native:keyvault:AccessPolicy");
    expect(policies).toHaveLength(5); // 2 readers, 1 operator, service principal, workload identity
    const workload = one(fraud, "azure-native:managedidentity:UserAssignedIdentity");
    for (const p of policies) {
      const { secrets, keys } = (p.inputs.policy as any).permissions as { secrets: string[]; keys: string[] };
      expect(secrets).not.toContain("purge");
      expect(secrets).not.toContain("all");
      // Only the workload identity of a customer-managed-key project touches keys, and only to wrap/unwrap.
      const isWorkload = (p.inputs.policy as any).objectId === workload.outputs.principalId;
      expect(keys).toEqual(isWorkload ? ["get", "wrapKey", "unwrapKey"] : []);
    }
    const operator = policies.find((p) => (p.inputs.policy as any).objectId === "0f6a9d2e-3b71-4e8c-a5d4-91c2e7b3f802")!;
    expect((operator.inputs.policy as any).permissions.secrets.sort()).toEqual(["backup", "delete", "get", "list", "recover", "restore", "set"]);
    const reader = policies.find((p) => (p.inputs.policy as any).objectId === "7c1f3e0a-52b4-4c39-9d5e-2a8f1b6c4d01")!;
    expect((reader.inputs.policy as any).permissions.secrets).toEqual(["get", "list"]);
    const vaultId = one(fraud, "azure-native:keyvault:Vault").id;
    expect(ofType(fraud, "azure-native:authorization:RoleAssignment").filter((r) => r.inputs.scope === vaultId)).toHaveLength(0);
    expect(ofType(fraud, "azure-native:authorization:RoleDefinition")).toHaveLength(0);
  });
});
