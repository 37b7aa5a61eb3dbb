import { one, ofType, runStack } from "../helpers/program";
import type { ProgramResult } from "../../engine/runProgram";

let dev: ProgramResult;
let prod: ProgramResult;
beforeAll(async () => {
  dev = await runStack("dev");
  prod = await runStack("prod");
});

describe("ML workspace, storage and Application Insights", () => {
  test.each([["dev"], ["prod"]])("%s: hardened storage account", (env) => {
    const s = one((env === "dev" ? dev : prod).records, "azure-native:storage:StorageAccount").inputs as any;
    expect(s).toMatchObject({
      enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false,
      allowSharedKeyAccess: false, allowCrossTenantReplication: false,
    });
    expect(s.encryption.requireInfrastructureEncryption).toBe(true);
    expect(s.networkRuleSet.defaultAction).toBe("Deny");
    expect(s.accountName).toMatch(/^[a-z0-9]{3,24}$/);
  });

  test.each([["dev"], ["prod"]])("%s: workspace bound to the project's vault, storage and workspace-based App Insights", (env) => {
    const { records } = env === "dev" ? dev : prod;
    const ws = one(records, "azure-native:machinelearningservices:Workspace");
    const appi = one(records, "azure-native:applicationinsights:Component");
    const law = one(records, "azure-native:operationalinsights:Workspace");
    expect(ws.inputs.keyVault).toBe(one(records, "azure-native:keyvault:Vault").id);
    expect(ws.inputs.storageAccount).toBe(one(records, "azure-native:storage:StorageAccount").id);
    expect(ws.inputs.applicationInsights).toBe(appi.id);
    expect((ws.inputs.identity as any).type).toBe("SystemAssigned");
    expect(ws.inputs.systemDatastoresAuthMode).toBe("Identity");
    expect(appi.inputs.disableLocalAuth).toBe(true);
    expect(appi.inputs.workspaceResourceId).toBe(law.id);
  });

  test("prod: no public access, approved-outbound-only managed network, private endpoints for workspace, blob and file", () => {
    const ws = one(prod.records, "azure-native:machinelearningservices:Workspace");
    expect(ws.inputs.publicNetworkAccess).toBe("Disabled");
    expect((ws.inputs.managedNetwork as any).isolationMode).toBe("AllowOnlyApprovedOutbound");
    expect(one(prod.records, "azure-native:storage:StorageAccount").inputs.publicNetworkAccess).toBe("Disabled");
    const groups = ofType(prod.records, "azure-native:network:PrivateEndpoint").map((p) => (p.inputs.privateLinkServiceConnections as any[])[0].groupIds[0]);
    expect(groups.sort()).toEqual(["amlworkspace", "blob", "file", "vault"]);
  });

  test("diagnostic settings for workspace and storage go to Log Analytics", () => {
    for (const { records } of [dev, prod]) {
      const law = one(records, "azure-native:operationalinsights:Workspace");
      const diags = ofType(records, "azure-native:monitor:DiagnosticSetting");
      const ws = one(records, "azure-native:machinelearningservices:Workspace");
      const st = one(records, "azure-native:storage:StorageAccount");
      expect(diags.find((d) => d.inputs.resourceUri === ws.id)?.inputs.workspaceId).toBe(law.id);
      expect(diags.find((d) => d.inputs.resourceUri === `${st.id}/blobServices/default`)?.inputs.workspaceId).toBe(law.id);
    }
  });

  test("every taggable resource carries environment, project, owner and managed-by", () => {
    for (const { records } of [dev, prod]) {
      const taggable = records.filter((r) => r.custom && r.type.startsWith("azure-native:") && "location" in r.inputs);
      expect(taggable.length).toBeGreaterThanOrEqual(8);
      for (const r of taggable) {
        expect(Object.keys(r.inputs.tags as object)).toEqual(expect.arrayContaining(["environment", "project", "owner", "managed-by"]));
      }
    }
  });
});
