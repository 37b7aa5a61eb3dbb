import { one, ofType, props, runStack, runConfig, inProject } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";
import type { ProgramResult } from "../../engine/runProgram";

const VAULT = "azure-native:keyvault:Vault";
let dev: ProgramResult;
let prod: ProgramResult;

beforeAll(async () => {
  dev = await runStack("dev");
  prod = await runStack("prod");
});

describe("Key Vault, secure by default", () => {
  test.each([["dev"], ["prod"]])("%s: RBAC, soft delete, no enabledFor*, default-deny firewall with trusted-services bypass", (env) => {
    const v = props(one((env === "dev" ? dev : prod).records, VAULT));
    expect(v.enableRbacAuthorization).toBe(true);
    // Never inline, not even []: azure-native then keeps the vault's live policies on update (pulumi-azure-native#594).
    expect("accessPolicies" in v).toBe(false);
    expect(v.enableSoftDelete).toBe(true);
    expect(v.enabledForDeployment).toBe(false);
    expect(v.enabledForTemplateDeployment).toBe(false);
    expect(v.enabledForDiskEncryption).toBe(false);
    expect(v.networkAcls.defaultAction).toBe("Deny");
    expect(v.networkAcls.bypass).toBe("AzureServices");
  });

  test("dev: purge protection omitted (never false), public access only through the configured IP ranges", () => {
    const v = props(one(dev.records, VAULT));
    expect("enablePurgeProtection" in v).toBe(false);
    expect(v.publicNetworkAccess).toBe("Enabled");
    expect(v.networkAcls.ipRules).toEqual([{ value: "203.0.113.0/24" }]);
    expect(one(dev.records, VAULT).protect).toBe(false);
    expect(ofType(dev.records, "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
  });

  test("prod: purge protection, 90-day retention, no public access, protected, CanNotDelete lock, private endpoint with DNS", () => {
    const vault = one(prod.records, VAULT);
    const v = props(vault);
    expect(v.enablePurgeProtection).toBe(true);
    expect(v.softDeleteRetentionInDays).toBe(90);
    expect(v.publicNetworkAccess).toBe("Disabled");
    expect(v.networkAcls.ipRules).toEqual([]);
    expect(vault.protect).toBe(true);

    // No lock unless opted in: a CanNotDelete lock on the vault would block removing role assignments on it.
    expect(ofType(prod.records, "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);

    const pe = ofType(prod.records, "azure-native:network:PrivateEndpoint").find((p) => p.propertyDependencies.privateLinkServiceConnections?.includes(vault.urn));
    expect(pe).toBeDefined();
    const conn = (pe!.inputs.privateLinkServiceConnections as any[])[0];
    expect(conn.groupIds).toEqual(["vault"]);
    expect(conn.privateLinkServiceId).toBe(vault.id);
    expect((pe!.inputs.subnet as any).id).toMatch(/\/subnets\/snet-private-endpoints$/);
    const dns = ofType(prod.records, "azure-native:network:PrivateDnsZoneGroup").find((d) => d.inputs.privateEndpointName === pe!.inputs.privateEndpointName);
    expect((dns!.inputs.privateDnsZoneConfigs as any[])[0].privateDnsZoneId).toMatch(/privatelink\.vaultcore\.azure\.net$/);
  });

  test("opt-in lock: by scope on the vault's id, after everything at the vault's scope (destroy deletes it first)", async () => {
    const { records } = await runConfig(maximalConfig());
    const fraud = inProject(records, "fraudscoring");
    const vault = one(fraud, VAULT);
    // By scope (pulumi/pulumi-azure-native#3524: the resource-level form with an empty parent path fails).
    expect(ofType(records, "azure-native:authorization:ManagementLockAtResourceLevel")).toHaveLength(0);
    const lock = one(fraud, "azure-native:authorization:ManagementLockByScope");
    expect(lock.inputs).toMatchObject({ level: "CanNotDelete", scope: vault.id });
    const atVaultScope = fraud.filter((r) => r.inputs.scope === vault.id && r.type === "azure-native:authorization:RoleAssignment" || r.inputs.resourceUri === vault.id);
    expect(atVaultScope.length).toBeGreaterThanOrEqual(5);
    for (const r of atVaultScope) expect(lock.dependencies).toContain(r.urn);
  });

  test("audit logs and metrics of the vault go to the stack's Log Analytics workspace", () => {
    for (const { records } of [dev, prod]) {
      const vault = one(records, VAULT);
      const law = one(records, "azure-native:operationalinsights:Workspace");
      const diag = ofType(records, "azure-native:monitor:DiagnosticSetting").find((d) => d.inputs.resourceUri === vault.id)!;
      expect(diag.inputs.workspaceId).toBe(law.id);
      // allLogs includes audit (AuditEvent); both would send every record twice.
      expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
      expect(diag.inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    }
  });

  test("Defender for Key Vault: Standard, PerKeyVault, subscription scope; absent when manageDefender is false", async () => {
    const pricing = one(prod.records, "azure-native:security:Pricing");
    expect(pricing.inputs).toMatchObject({ pricingName: "KeyVaults", pricingTier: "Standard", subPlan: "PerKeyVault" });
    expect(pricing.inputs.scopeId).toMatch(/^\/subscriptions\/[0-9a-f-]{36}$/);
    const cfg = maximalConfig();
    (cfg["mlvault:platform"] as any).manageDefender = false;
    const off = await runConfig(cfg);
    expect(ofType(off.records, "azure-native:security:Pricing")).toHaveLength(0);
  });

  test("Log Analytics retention comes from config, with per-environment defaults", async () => {
    expect(one(dev.records, "azure-native:operationalinsights:Workspace").inputs.retentionInDays).toBe(30);
    expect(one(prod.records, "azure-native:operationalinsights:Workspace").inputs.retentionInDays).toBe(365);
    const cfg = maximalConfig();
    delete (cfg["mlvault:platform"] as any).logRetentionDays;
    const r = await runConfig(cfg);
    expect(one(r.records, "azure-native:operationalinsights:Workspace").inputs.retentionInDays).toBe(365);
  });

  test("maximal config: one vault per project, each in its own resource group", async () => {
    const r = await runConfig(maximalConfig());
    for (const p of ["fraudscoring", "ab", "churn"]) {
      const vault = one(inProject(r.records, p), VAULT);
      expect(vault.inputs.resourceGroupName).toBe(`rg-mlvault-${p}-prod`);
    }
  });
});
