import { readStackFile } from "../../config/stackFile";
import { ACCESS_POLICY_KEY_ENCRYPTION_PERMISSIONS, ACCESS_POLICY_SECRET_PERMISSIONS, AFTER_UP, renderHandoff, type HandoffSheet } from "../../report/handoff";
import { ofType, ROOT, runConfig } from "../helpers/program";

/** The sheet's content for each combination a user can meet: plan or outputs, RBAC or access policies, CMK, OIDC only. */
const deployed: HandoffSheet = {
  stack: "prod",
  environment: "prod",
  origin: { kind: "outputs", file: "outputs.json" },
  project: "churn",
  resourceGroup: "rg-mlvault-churn-prod",
  vaultName: "kv-churn-p-x1y2z",
  vaultUri: "https://kv-churn-p-x1y2z.vault.azure.net/",
  workspaceName: "mlw-churn-prod",
  servicePrincipalClientId: "11111111-aaaa-4bbb-8ccc-000000000001",
  workloadIdentityClientId: "11111111-aaaa-4bbb-8ccc-000000000002",
  tenantId: "11111111-aaaa-4bbb-8ccc-000000000003",
  secrets: [
    { name: "sql-password", contentType: "password", expiresOn: "2027-03-31", source: "config", uri: "https://kv-churn-p-x1y2z.vault.azure.net/secrets/sql-password", version: "abc123" },
  ],
  access: {
    accessModel: "rbac",
    readers: [{ objectId: "22222222-aaaa-4bbb-8ccc-000000000001", type: "Group" }],
    operators: [{ objectId: "22222222-aaaa-4bbb-8ccc-000000000002", type: "User" }],
    customerManagedKey: false,
    passwordLifetimeDays: 0,
    federatedCredentials: [],
  },
};

describe("renderHandoff", () => {
  test("from outputs: every value printed, none marked unknown, a ready-to-paste example", () => {
    const md = renderHandoff(deployed);
    expect(md.split("\n")[0]).toBe("# churn (prod): secrets hand-off");
    expect(md).not.toContain(AFTER_UP);
    for (const v of ["https://kv-churn-p-x1y2z.vault.azure.net/", "kv-churn-p-x1y2z", "mlw-churn-prod", "11111111-aaaa-4bbb-8ccc-000000000001", "11111111-aaaa-4bbb-8ccc-000000000002", "11111111-aaaa-4bbb-8ccc-000000000003", "`abc123`"]) {
      expect(md).toContain(v);
    }
    expect(md).toContain('client.get_secret("sql-password")');
    expect(md).toContain("| `KEYVAULT_URL` | `https://kv-churn-p-x1y2z.vault.azure.net/` |");
  });

  test("from the plan: every null is 'known after pulumi up', examples use placeholders", () => {
    const md = renderHandoff({
      ...deployed, origin: { kind: "plan" }, vaultName: null, vaultUri: null, servicePrincipalClientId: null, workloadIdentityClientId: null, tenantId: null,
      secrets: deployed.secrets.map((s) => ({ ...s, uri: null, version: null })),
      access: { ...deployed.access!, federatedCredentials: [{ name: "gh", issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/churn:environment:prod" }] },
    });
    expect(md.match(new RegExp(`_${AFTER_UP}_`, "g"))!.length).toBeGreaterThanOrEqual(7 + 2);
    expect(md).toContain("| `KEYVAULT_URL` | `<vault URL>` |");
    expect(md).toContain("client-id: <service principal client id>");
    expect(md).toContain("mlvault handoff prod --outputs outputs.json");
  });

  test("RBAC: readers, the service principal and the workload identity read; operators manage without purge", () => {
    const md = renderHandoff(deployed);
    expect(md).toMatch(/\| Readers \(developers\) \| `22222222-aaaa-4bbb-8ccc-000000000001` \(Group\) \| Key Vault Secrets User/);
    expect(md).toMatch(/\| Operators \| `22222222-aaaa-4bbb-8ccc-000000000002` \(User\) \| mlvault Secrets Operator .*never purge/);
    expect(md).not.toContain("Crypto Service Encryption User");
  });

  test("access policies: the permissions instead of roles; CMK adds key wrap/unwrap for the workload identity", () => {
    const md = renderHandoff({ ...deployed, access: { ...deployed.access!, accessModel: "accessPolicy", customerManagedKey: true } });
    expect(md).not.toContain("Key Vault Secrets User");
    expect(md).toContain("| Readers (developers) | `22222222-aaaa-4bbb-8ccc-000000000001` (Group) | access policy, secrets: get, list |");
    expect(md).toContain("access policy, secrets: get, list, set, delete, recover, backup, restore (never purge)");
    expect(md).toMatch(/\| Workload identity .*keys: get, wrapKey, unwrapKey/);
  });

  test("no password and no federated credential: the sheet says how to add OIDC and mentions no password", () => {
    const md = renderHandoff(deployed);
    expect(md).toContain("No federated credential is configured");
    expect(md).not.toContain("sp-client-secret");
    // No OIDC snippet without a federated credential: Entra would refuse that login (AADSTS70021).
    expect(md).not.toContain("azure/login");
    expect(md).not.toContain("id-token: write");
    expect(renderHandoff({ ...deployed, access: undefined })).not.toContain("azure/login");
  });

  test("a rotating password is described with its lifetime, never as something to paste once", () => {
    const md = renderHandoff({
      ...deployed,
      secrets: [...deployed.secrets, { name: "sp-client-secret", contentType: "client-secret", expiresOn: "rotating", source: "service-principal", uri: "https://kv-churn-p-x1y2z.vault.azure.net/secrets/sp-client-secret" }],
      access: { ...deployed.access!, passwordLifetimeDays: 60, federatedCredentials: [{ name: "gh", issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/churn:environment:prod" }] },
    });
    expect(md).toContain("each valid at most 60 days");
    expect(md).toContain("- `gh`: issuer `https://token.actions.githubusercontent.com`, subject `repo:contoso/churn:environment:prod`");
    expect(md).toMatch(/\| `sp-client-secret` .*\| not in the outputs \|/);
  });

  test("a project missing from the stack file: roles are not guessed", () => {
    const md = renderHandoff({ ...deployed, access: undefined });
    expect(md).toContain("`Pulumi.prod.yaml` has no project `churn`, so the roles cannot be listed");
    expect(md).not.toContain("| Readers (developers)");
  });
});

test("the access-policy permissions the sheet shows are the ones the program grants", async () => {
  const cfg = readStackFile(ROOT, "dev").config;
  (cfg["mlvault:platform"] as any).vaultAccessModel = "accessPolicy";
  (cfg["mlvault:projects"] as any)[0].encryption = "customerManaged";
  const { records } = await runConfig(cfg, { stack: "dev" });
  const policies = ofType(records, "azure-native:keyvault:AccessPolicy").map((r) => ({ name: r.name, permissions: (r.inputs.policy as any).permissions }));
  const byName = (part: string) => policies.find((p) => p.name.includes(part))!.permissions;
  expect(byName("-read-reader-").secrets).toEqual([...ACCESS_POLICY_SECRET_PERMISSIONS.read]);
  expect(byName("-manage-operator-").secrets).toEqual([...ACCESS_POLICY_SECRET_PERMISSIONS.manage]);
  expect(byName("-read-service-principal").secrets).toEqual([...ACCESS_POLICY_SECRET_PERMISSIONS.read]);
  expect(byName("-read-workload-identity").secrets).toEqual([...ACCESS_POLICY_SECRET_PERMISSIONS.read]);
  expect(byName("-read-workload-identity").keys).toEqual([...ACCESS_POLICY_KEY_ENCRYPTION_PERMISSIONS]);
});
