import {
  kv01SoftDelete, kv02PurgeProtection, kv03SoftDeleteRetention, kv04RbacAuthorization, kv05PublicNetworkDisabled,
  kv06FirewallDefaultDeny, kv07PrivateEndpoint, kv08AuditLogs, kv09DefenderForKeyVault, kv10NoPlatformExposure, kv11DeletionGuard,
} from "../../policies/keyvault";
import { T } from "../../policies/lib/types";
import { controlsIn, runResource, runStack, StackInput, UNKNOWN } from "./harness";
import { diagnosticOutputs, privateEndpointOutputs, RG, SUB, VAULT_ID, vaultInputs, vaultOutputs } from "./fixtures";

/** Vault inputs with `properties` patched (undefined deletes the key). */
function vault(patch: Record<string, unknown>): Record<string, any> {
  const v = vaultInputs();
  for (const [k, val] of Object.entries(patch)) {
    if (val === undefined) delete v.properties[k];
    else v.properties[k] = val;
  }
  return v;
}
const runVault = (policy: Parameters<typeof runResource>[0], props: Record<string, any>, config?: Record<string, unknown>) =>
  runResource(policy, { type: T.vault, props, config });

describe("kv-01-soft-delete", () => {
  it("passes the baseline and a missing value (service default on)", async () => {
    expect((await runVault(kv01SoftDelete, vaultInputs())).messages).toEqual([]);
    expect((await runVault(kv01SoftDelete, vault({ enableSoftDelete: undefined }))).messages).toEqual([]);
    expect((await runVault(kv01SoftDelete, { resourceGroupName: "rg" })).messages).toEqual([]);
  });
  it("fails an explicit false, and reports unknown in preview", async () => {
    expect(controlsIn(await runVault(kv01SoftDelete, vault({ enableSoftDelete: false })))).toEqual(["KV-01"]);
    expect((await runVault(kv01SoftDelete, vault({ enableSoftDelete: UNKNOWN.bool }))).unknown).toMatch(/preview/);
    expect((await runVault(kv01SoftDelete, { properties: UNKNOWN.object })).unknown).toBeDefined();
  });
  it("ignores other types", async () => {
    expect((await runResource(kv01SoftDelete, { type: T.secret, props: { properties: { enableSoftDelete: false } } })).messages).toEqual([]);
  });
});

describe("kv-02-purge-protection", () => {
  it("passes true", async () => {
    expect((await runVault(kv02PurgeProtection, vaultInputs())).messages).toEqual([]);
  });
  it("fails missing and false, unknown in preview", async () => {
    const missing = await runVault(kv02PurgeProtection, vault({ enablePurgeProtection: undefined }));
    expect(missing.messages).toEqual([expect.stringMatching(/^KV-02: enablePurgeProtection is missing/)]);
    expect(controlsIn(await runVault(kv02PurgeProtection, vault({ enablePurgeProtection: false })))).toEqual(["KV-02"]);
    // Values as ARM reads them: "true" is true, "false" is false (issue 9 ruling).
    expect((await runVault(kv02PurgeProtection, vault({ enablePurgeProtection: " True\u200B" }))).messages).toEqual([]);
    expect(controlsIn(await runVault(kv02PurgeProtection, vault({ enablePurgeProtection: "false" })))).toEqual(["KV-02"]);
    expect((await runVault(kv02PurgeProtection, vault({ enablePurgeProtection: UNKNOWN.bool }))).unknown).toBeDefined();
  });
});

describe("kv-03-soft-delete-retention", () => {
  it("passes 90 and a missing value (default 90)", async () => {
    expect((await runVault(kv03SoftDeleteRetention, vaultInputs())).messages).toEqual([]);
    expect((await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: undefined }), { minRetentionDays: 90 })).messages).toEqual([]);
  });
  it("applies the configured minimum", async () => {
    expect((await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: 7 }))).messages).toEqual([]);
    expect(controlsIn(await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: 7 }), { minRetentionDays: 90 }))).toEqual(["KV-03"]);
    expect(controlsIn(await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: 30 }), { minRetentionDays: 31 }))).toEqual(["KV-03"]);
  });
  it("fails out-of-range and non-numbers, unknown in preview", async () => {
    expect(controlsIn(await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: 120 })))).toEqual(["KV-03"]);
    expect(controlsIn(await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: 60 }), { maxRetentionDays: 30 }))).toEqual(["KV-03"]);
    expect((await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: "90" }))).messages).toEqual([]);
    expect(controlsIn(await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: "120" })))).toEqual(["KV-03"]);
    expect(controlsIn(await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: "ninety" })))).toEqual(["KV-03"]);
    expect((await runVault(kv03SoftDeleteRetention, vault({ softDeleteRetentionInDays: UNKNOWN.number }))).unknown).toBeDefined();
  });
});

describe("kv-04-rbac-authorization", () => {
  it("passes RBAC without access policies", async () => {
    expect((await runVault(kv04RbacAuthorization, vaultInputs())).messages).toEqual([]);
  });
  it("fails missing RBAC (service default is access policies), false, and inline policies", async () => {
    expect(controlsIn(await runVault(kv04RbacAuthorization, vault({ enableRbacAuthorization: undefined })))).toEqual(["KV-04"]);
    expect(controlsIn(await runVault(kv04RbacAuthorization, vault({ enableRbacAuthorization: false })))).toEqual(["KV-04"]);
    const inline = vault({ accessPolicies: [{ tenantId: "t", objectId: "o", permissions: { secrets: ["get"] } }] });
    expect((await runVault(kv04RbacAuthorization, inline)).messages).toEqual([expect.stringMatching(/accessPolicies is not empty/)]);
    expect((await runVault(kv04RbacAuthorization, vault({ enableRbacAuthorization: UNKNOWN.bool }))).unknown).toBeDefined();
  });
  it("fails keyvault:AccessPolicy resources", async () => {
    const ap = await runResource(kv04RbacAuthorization, { type: T.accessPolicy, props: { vaultName: "kv", policy: { objectId: "o", tenantId: "t", permissions: { secrets: ["get"] } } } });
    expect(controlsIn(ap)).toEqual(["KV-04"]);
  });
  it("allowAccessPolicyMode opts out", async () => {
    expect((await runVault(kv04RbacAuthorization, vault({ enableRbacAuthorization: false }), { allowAccessPolicyMode: true })).messages).toEqual([]);
    expect((await runResource(kv04RbacAuthorization, { type: T.accessPolicy, props: { policy: {} }, config: { allowAccessPolicyMode: true } })).messages).toEqual([]);
  });
});

describe("kv-05-public-network-disabled", () => {
  it("passes Disabled in any case", async () => {
    expect((await runVault(kv05PublicNetworkDisabled, vaultInputs())).messages).toEqual([]);
    expect((await runVault(kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "disabled" }))).messages).toEqual([]);
    expect((await runVault(kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "DISABLED" }))).messages).toEqual([]);
  });
  it("fails the SDK default, missing, Enabled; unknown in preview", async () => {
    expect(controlsIn(await runVault(kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "enabled" })))).toEqual(["KV-05"]);
    expect(controlsIn(await runVault(kv05PublicNetworkDisabled, vault({ publicNetworkAccess: undefined })))).toEqual(["KV-05"]);
    expect(controlsIn(await runVault(kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "Enabled" })))).toEqual(["KV-05"]);
    expect((await runVault(kv05PublicNetworkDisabled, vault({ publicNetworkAccess: UNKNOWN.string }))).unknown).toBeDefined();
  });
});

describe("kv-06-firewall-default-deny", () => {
  it("passes Deny with trusted-services bypass, any case, and no bypass (default AzureServices)", async () => {
    expect((await runVault(kv06FirewallDefaultDeny, vaultInputs())).messages).toEqual([]);
    expect((await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: "deny", bypass: "None" } }))).messages).toEqual([]);
    expect((await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: "Deny" } }))).messages).toEqual([]);
  });
  it("fails missing ACLs, Allow, missing action, other bypass; unknown in preview", async () => {
    expect(controlsIn(await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: undefined })))).toEqual(["KV-06"]);
    expect(controlsIn(await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: "Allow" } })))).toEqual(["KV-06"]);
    expect(controlsIn(await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: { bypass: "AzureServices" } })))).toEqual(["KV-06"]);
    expect(controlsIn(await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: "Deny", bypass: "Logging" } })))).toEqual(["KV-06"]);
    expect((await runVault(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: UNKNOWN.string } }))).unknown).toBeDefined();
  });
});

describe("kv-10-no-platform-exposure", () => {
  it("passes false and missing", async () => {
    expect((await runVault(kv10NoPlatformExposure, vaultInputs())).messages).toEqual([]);
    expect((await runVault(kv10NoPlatformExposure, vault({ enabledForDeployment: undefined }))).messages).toEqual([]);
  });
  it("fails each flag, and config allows one explicitly", async () => {
    for (const flag of ["enabledForDeployment", "enabledForTemplateDeployment", "enabledForDiskEncryption"]) {
      const out = await runVault(kv10NoPlatformExposure, vault({ [flag]: true }));
      expect(out.messages).toEqual([expect.stringContaining(`KV-10: properties.${flag} is true`)]);
    }
    expect((await runVault(kv10NoPlatformExposure, vault({ enabledForDiskEncryption: true }), { allowDiskEncryption: true })).messages).toEqual([]);
    expect(controlsIn(await runVault(kv10NoPlatformExposure, vault({ enabledForDeployment: true }), { allowDiskEncryption: true }))).toEqual(["KV-10"]);
    expect((await runVault(kv10NoPlatformExposure, vault({ enabledForDeployment: UNKNOWN.bool }))).unknown).toBeDefined();
  });
});

// ---- stack policies (ARM read-back outputs) ----

const VAULT: StackInput = { type: T.vault, name: "kv", props: vaultOutputs() };
const OTHER_VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv-other`;

describe("kv-07-private-endpoint", () => {
  const pe = (props = privateEndpointOutputs(VAULT_ID, "vault"), extra: Partial<StackInput> = {}): StackInput =>
    ({ type: T.privateEndpoint, name: "pe", props, ...extra });
  it("passes an endpoint whose privateLinkServiceId is the vault's id (any case, surrounding whitespace)", async () => {
    expect((await runStack(kv07PrivateEndpoint, [VAULT, pe()])).messages).toEqual([]);
    expect((await runStack(kv07PrivateEndpoint, [VAULT, pe(privateEndpointOutputs(` ${VAULT_ID.toUpperCase()}\u200B`, "VAULT"))])).messages).toEqual([]);
  });
  it("links are ids only: propertyDependencies or dependencies never satisfy it; unknown ids cannot pass", async () => {
    const previewVault = { ...VAULT, props: { ...vaultOutputs(), id: UNKNOWN.string } };
    const previewPe = pe(privateEndpointOutputs(UNKNOWN.string, "vault"), { propertyDependencies: { privateLinkServiceConnections: ["kv"] } });
    expect(await runStack(kv07PrivateEndpoint, [previewVault, previewPe])).toMatchObject({ messages: [], unknown: expect.any(String) });
    const noIdPe = pe({ name: "pe", privateLinkServiceConnections: [{ groupIds: ["vault"] }] }, { dependencies: ["kv"], propertyDependencies: { privateLinkServiceConnections: ["kv"] } });
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, noIdPe]))).toEqual(["KV-07"]);
    // The id wins over a propertyDependency that names the vault.
    const elsewhere = pe(privateEndpointOutputs(OTHER_VAULT_ID, "vault"), { propertyDependencies: { privateLinkServiceConnections: ["kv"] } });
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, elsewhere]))).toEqual(["KV-07"]);
  });
  it("a connection that is not Approved is no private path", async () => {
    const state = (status: string, manual = false) => {
      const props = privateEndpointOutputs(VAULT_ID, "vault") as Record<string, any>;
      const conns = props.privateLinkServiceConnections.map((c: any) => ({ ...c, privateLinkServiceConnectionState: { status } }));
      return manual ? { ...props, privateLinkServiceConnections: [], manualPrivateLinkServiceConnections: conns } : { ...props, privateLinkServiceConnections: conns };
    };
    expect((await runStack(kv07PrivateEndpoint, [VAULT, pe(state("Approved"))])).messages).toEqual([]);
    expect((await runStack(kv07PrivateEndpoint, [VAULT, pe(state("approved", true))])).messages).toEqual([]);
    for (const s of ["Pending", "Rejected", "Disconnected"]) expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, pe(state(s))]))).toEqual(["KV-07"]);
    const manualNoState = privateEndpointOutputs(VAULT_ID, "vault") as Record<string, any>;
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, pe({ ...manualNoState, manualPrivateLinkServiceConnections: manualNoState.privateLinkServiceConnections, privateLinkServiceConnections: [] })]))).toEqual(["KV-07"]);
  });
  it("fails without an endpoint, with one for another vault or another group", async () => {
    const none = await runStack(kv07PrivateEndpoint, [VAULT]);
    expect(controlsIn(none)).toEqual(["KV-07"]);
    expect(none.urns[0]).toContain("::kv");
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, pe(privateEndpointOutputs(OTHER_VAULT_ID, "vault"))]))).toEqual(["KV-07"]);
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, pe(privateEndpointOutputs(VAULT_ID, "amlworkspace"))]))).toEqual(["KV-07"]);
    // A readable id pointing elsewhere is not overridden by a dependency.
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [VAULT, pe(privateEndpointOutputs(OTHER_VAULT_ID, "vault"), { dependencies: ["kv"] })]))).toEqual(["KV-07"]);
  });
  it("never passes on an unknown link", async () => {
    const out = await runStack(kv07PrivateEndpoint, [VAULT, pe(privateEndpointOutputs(UNKNOWN.string, "vault"))]);
    expect(out.messages).toEqual([]);
    expect(out.unknown).toBeDefined();
  });
  it("does nothing without vaults", async () => {
    expect((await runStack(kv07PrivateEndpoint, [])).messages).toEqual([]);
  });
});

describe("kv-08-audit-logs", () => {
  const ds = (logs: Record<string, unknown>[], extra: Partial<StackInput> = {}, target = VAULT_ID): StackInput =>
    ({ type: T.diagnosticSetting, name: "diag", props: diagnosticOutputs(target, logs), ...extra });
  it("passes category group audit / allLogs / category AuditEvent, any case", async () => {
    for (const log of [{ categoryGroup: "audit", enabled: true }, { categoryGroup: "AllLogs", enabled: true }, { category: "auditevent", enabled: true }]) {
      expect((await runStack(kv08AuditLogs, [VAULT, ds([log])])).messages).toEqual([]);
    }
  });
  it("never links by propertyDependencies.resourceUri: with ids unknown it cannot run", async () => {
    const previewVault = { ...VAULT, props: { ...vaultOutputs(), id: UNKNOWN.string } };
    const previewDs: StackInput = { type: T.diagnosticSetting, name: "diag", props: { ...diagnosticOutputs(VAULT_ID, [{ categoryGroup: "audit", enabled: true }]), id: UNKNOWN.string }, propertyDependencies: { resourceUri: ["kv"] } };
    expect(await runStack(kv08AuditLogs, [previewVault, previewDs])).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
  it("a setting must send to a Log Analytics workspace, not only a storage account or event hub", async () => {
    const toStorage = ds([{ categoryGroup: "allLogs", enabled: true }]);
    toStorage.props.workspaceId = `${RG}/providers/Microsoft.Storage/storageAccounts/starchive`;
    expect(controlsIn(await runStack(kv08AuditLogs, [VAULT, toStorage]))).toEqual(["KV-08"]);
    const enabledAsString = ds([{ categoryGroup: "allLogs", enabled: "true" }]);
    expect((await runStack(kv08AuditLogs, [VAULT, enabledAsString])).messages).toEqual([]);
  });
  it("fails no setting, disabled or wrong logs, no workspace, another target", async () => {
    expect(controlsIn(await runStack(kv08AuditLogs, [VAULT]))).toEqual(["KV-08"]);
    expect(controlsIn(await runStack(kv08AuditLogs, [VAULT, ds([{ categoryGroup: "audit", enabled: false }])]))).toEqual(["KV-08"]);
    expect(controlsIn(await runStack(kv08AuditLogs, [VAULT, ds([{ category: "AzurePolicyEvaluationDetails", enabled: true }])]))).toEqual(["KV-08"]);
    const noWorkspace = ds([{ categoryGroup: "audit", enabled: true }]);
    delete noWorkspace.props.workspaceId;
    expect(controlsIn(await runStack(kv08AuditLogs, [VAULT, noWorkspace]))).toEqual(["KV-08"]);
    expect(controlsIn(await runStack(kv08AuditLogs, [VAULT, ds([{ categoryGroup: "audit", enabled: true }], {}, OTHER_VAULT_ID)]))).toEqual(["KV-08"]);
  });
  it("reports unknown instead of a result when the setting's target cannot be read", async () => {
    const out = await runStack(kv08AuditLogs, [VAULT, { type: T.diagnosticSetting, name: "diag", props: { id: UNKNOWN.string, workspaceId: "x", logs: [{ categoryGroup: "audit", enabled: true }] } }]);
    expect(out).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
});

describe("kv-09-defender-for-key-vault", () => {
  const plan = (props: Record<string, unknown>): StackInput => ({ type: T.pricing, name: "defender", props: {
    id: `${SUB}/providers/Microsoft.Security/pricings/KeyVaults`, name: "KeyVaults", type: "Microsoft.Security/pricings", ...props } });
  it("passes the Standard PerKeyVault plan (outputs carry name, not pricingName)", async () => {
    expect((await runStack(kv09DefenderForKeyVault, [VAULT, plan({ pricingTier: "Standard", subPlan: "PerKeyVault" })])).messages).toEqual([]);
    expect((await runStack(kv09DefenderForKeyVault, [VAULT, plan({ pricingTier: "standard", subPlan: "perkeyvault" })])).messages).toEqual([]);
  });
  it("fails a missing plan, Free tier, wrong or missing sub-plan", async () => {
    expect(controlsIn(await runStack(kv09DefenderForKeyVault, [VAULT]))).toEqual(["KV-09"]);
    expect(controlsIn(await runStack(kv09DefenderForKeyVault, [VAULT, plan({ pricingTier: "Free" })]))).toEqual(["KV-09"]);
    expect(controlsIn(await runStack(kv09DefenderForKeyVault, [VAULT, plan({ pricingTier: "Standard", subPlan: "PerTransaction" })]))).toEqual(["KV-09"]);
    expect(controlsIn(await runStack(kv09DefenderForKeyVault, [VAULT, plan({ pricingTier: "Standard" })]))).toEqual(["KV-09"]);
    // An input-echoing mock (pricingName, no name) is not accepted: the real engine never sends that.
    const echoed: StackInput = { type: T.pricing, name: "defender", props: { pricingName: "KeyVaults", pricingTier: "Standard", subPlan: "PerKeyVault" } };
    expect(controlsIn(await runStack(kv09DefenderForKeyVault, [VAULT, echoed]))).toEqual(["KV-09"]);
    // Another plan (e.g. VirtualMachines) does not count.
    const vm: StackInput = { type: T.pricing, name: "vm", props: { id: `${SUB}/providers/Microsoft.Security/pricings/VirtualMachines`, name: "VirtualMachines", pricingTier: "Standard" } };
    expect(controlsIn(await runStack(kv09DefenderForKeyVault, [VAULT, vm]))).toEqual(["KV-09"]);
  });
  it("config: sub-plan, managedElsewhere; no vaults means nothing to protect", async () => {
    expect((await runStack(kv09DefenderForKeyVault, [VAULT, plan({ pricingTier: "Standard", subPlan: "PerTransaction" })], { requiredSubPlan: "" })).messages).toEqual([]);
    expect((await runStack(kv09DefenderForKeyVault, [VAULT], { managedElsewhere: true })).messages).toEqual([]);
    expect((await runStack(kv09DefenderForKeyVault, [])).messages).toEqual([]);
  });
});

describe("kv-11-deletion-guard", () => {
  const lock = (level: string, extra: Partial<StackInput> = {}, target = VAULT_ID): StackInput => ({ type: T.lockAtResource, name: "lock",
    props: { id: `${target}/providers/Microsoft.Authorization/locks/no-delete`, name: "no-delete", type: "Microsoft.Authorization/locks", level }, ...extra });
  it("passes a protected vault or a CanNotDelete lock on it or on its resource group (by id, any case)", async () => {
    expect((await runStack(kv11DeletionGuard, [{ ...VAULT, protect: true }])).messages).toEqual([]);
    expect((await runStack(kv11DeletionGuard, [VAULT, lock("CanNotDelete")])).messages).toEqual([]);
    expect((await runStack(kv11DeletionGuard, [VAULT, lock("cannotdelete")])).messages).toEqual([]);
    expect((await runStack(kv11DeletionGuard, [VAULT, lock("CanNotDelete", {}, RG.toLowerCase())])).messages).toEqual([]);
    const otherGroup = RG.replace(/resourceGroups\/[^/]+/, "resourceGroups/rg-elsewhere");
    expect(controlsIn(await runStack(kv11DeletionGuard, [VAULT, lock("CanNotDelete", {}, otherGroup)]))).toEqual(["KV-11"]);
    // propertyDependencies never satisfy it: with the lock's id unknown, it cannot run.
    const previewVault = { ...VAULT, props: { ...vaultOutputs(), id: UNKNOWN.string } };
    expect(await runStack(kv11DeletionGuard, [previewVault, lock("CanNotDelete", { props: { id: UNKNOWN.string, level: "CanNotDelete" }, propertyDependencies: { resourceName: ["kv"] } })]))
      .toMatchObject({ messages: [], unknown: expect.any(String) });
  });
  it("fails an unprotected, unlocked vault, a ReadOnly-less-than-required level, a lock on another vault", async () => {
    expect(controlsIn(await runStack(kv11DeletionGuard, [VAULT]))).toEqual(["KV-11"]);
    expect(controlsIn(await runStack(kv11DeletionGuard, [VAULT, lock("ReadOnly")]))).toEqual(["KV-11"]);
    expect(controlsIn(await runStack(kv11DeletionGuard, [VAULT, lock("CanNotDelete", {}, OTHER_VAULT_ID)]))).toEqual(["KV-11"]);
  });
  it("reports each failing vault on its own urn", async () => {
    const out = await runStack(kv11DeletionGuard, [VAULT, { type: T.vault, name: "kv2", props: vaultOutputs(OTHER_VAULT_ID) }, lock("CanNotDelete")]);
    expect(out.urns).toEqual([expect.stringContaining("::kv2")]);
  });
});
