/**
 * Network rules Azure enforces on what the program sends: storage IP rules in the accepted form, and prod monitoring
 * closed to public ingestion through the network's Azure Monitor Private Link Scope.
 */
import { AMPLS, maximalConfig } from "../fixtures/maximal";
import { inProject, one, ofType, props, runConfig, runStack } from "../helpers/program";

const LAW = "azure-native:operationalinsights:Workspace";
const APPI = "azure-native:applicationinsights:Component";
const SCOPED = "azure-native:monitor:PrivateLinkScopedResource";

describe("IP allow-list", () => {
  test("a /32 goes to storage as a plain address (Azure Storage refuses /31 and /32) and to Key Vault as written", async () => {
    const c = maximalConfig({ "mlvault:environment": "dev" }) as Record<string, any>;
    c["mlvault:platform"].network.allowedIpRanges = ["203.0.113.0/24", "198.51.100.7/32", "192.0.2.9"];
    const { records } = await runConfig(c);
    const churn = inProject(records, "churn");
    const storage = one(churn, "azure-native:storage:StorageAccount");
    expect((storage.inputs.networkRuleSet as any).ipRules.map((r: any) => r.iPAddressOrRange)).toEqual(["203.0.113.0/24", "198.51.100.7", "192.0.2.9"]);
    expect(props(one(churn, "azure-native:keyvault:Vault")).networkAcls.ipRules.map((r: any) => r.value)).toEqual(["203.0.113.0/24", "198.51.100.7/32", "192.0.2.9"]);
  });
});

describe("monitoring in prod: private ingestion, open (Entra-only) query", () => {
  test("Log Analytics and every App Insights component close ingestion and are linked into the configured scope", async () => {
    const { records } = await runStack("prod");
    const resources = [...ofType(records, LAW), ...ofType(records, APPI)];
    expect(resources).toHaveLength(2);
    for (const r of resources) {
      expect(r.inputs.publicNetworkAccessForIngestion).toBe("Disabled");
      expect(r.inputs.publicNetworkAccessForQuery).toBe("Enabled");
      const link = ofType(records, SCOPED).find((s) => s.inputs.linkedResourceId === r.id)!;
      expect(link.inputs).toMatchObject({ resourceGroupName: "rg-network-prod", scopeName: "ampls-hub" });
    }
    expect(new Set(ofType(records, SCOPED).map((s) => s.inputs.name)).size).toBe(2);
  });

  test("the links are made by a provider in the scope's subscription (a hub scope lives in another one)", async () => {
    const { records } = await runStack("prod");
    const provider = one(records, "pulumi:providers:azure-native", "monitor-private-link-scope");
    expect(provider.inputs.subscriptionId).toBe("11111111-2222-3333-4444-555555555555");
    expect(provider.inputs.location).toBe("westeurope"); // the stack's azure-native config is passed through
    for (const s of ofType(records, SCOPED)) expect(s.provider).toBe(`${provider.urn}::${provider.id}`);
  });

  test("prod jobs reach the closed App Insights through a managed-network private endpoint the workspace may approve", async () => {
    const { records } = await runStack("prod");
    const ws = one(records, "azure-native:machinelearningservices:Workspace");
    const rules = (ws.inputs.managedNetwork as any).outboundRules;
    expect(rules).toEqual({
      "azure-monitor-private-link": {
        type: "PrivateEndpoint", category: "UserDefined",
        destination: { serviceResourceId: expect.stringMatching(/\/privateLinkScopes\/ampls-hub$/), subresourceTarget: "azuremonitor", sparkEnabled: false },
      },
    });
    const approver = ofType(records, "azure-native:authorization:RoleAssignment").find((r) => String(r.inputs.roleDefinitionId).endsWith("b556d68e-0be0-4f35-a333-ad7ee1ce17ea"))!;
    expect(approver.inputs).toMatchObject({ scope: rules["azure-monitor-private-link"].destination.serviceResourceId, principalId: (ws.outputs.identity as any).principalId });
    const dev = await runStack("dev");
    expect((one(dev.records, "azure-native:machinelearningservices:Workspace").inputs.managedNetwork as any).outboundRules).toBeUndefined();
  });

  test("dev keeps public ingestion; with a scope configured it still links its resources", async () => {
    const { records } = await runStack("dev");
    for (const r of [...ofType(records, LAW), ...ofType(records, APPI)]) expect(r.inputs.publicNetworkAccessForIngestion).toBe("Enabled");
    expect(ofType(records, SCOPED)).toHaveLength(0);
    const linked = await runConfig(maximalConfig({ "mlvault:environment": "dev" }));
    expect(ofType(linked.records, SCOPED)).toHaveLength(1 + 3); // Log Analytics + one component per project
    for (const s of ofType(linked.records, SCOPED)) expect(AMPLS.endsWith(`/${s.inputs.scopeName}`)).toBe(true);
    for (const r of ofType(linked.records, APPI)) expect(r.inputs.publicNetworkAccessForIngestion).toBe("Enabled");
  });
});

describe("Application Insights ingestion", () => {
  test("the workload identity holds Monitoring Metrics Publisher on its project's component, and nothing wider", async () => {
    const { records } = await runStack("dev");
    const appi = one(records, APPI);
    const uami = one(records, "azure-native:managedidentity:UserAssignedIdentity");
    const publishers = ofType(records, "azure-native:authorization:RoleAssignment").filter((r) => String(r.inputs.roleDefinitionId).endsWith("3913510d-42f4-4e42-8a64-420c390055eb"));
    expect(publishers).toHaveLength(1);
    expect(publishers[0].inputs).toMatchObject({ scope: appi.id, principalId: uami.outputs.principalId, principalType: "ServicePrincipal" });
  });
});
