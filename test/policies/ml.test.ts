import {
  ml01WorkspacePublicNetwork, ml02WorkspacePrivateOnly, ml03CustomerManagedKey, ml04ComputeLocalAuth,
  ml05WorkspaceLogs, ml06ManagedNetworkIsolation, ml07WorkspaceIdentity, ml08WorkspaceCompliantVault,
} from "../../policies/ml";
import { T } from "../../policies/lib/types";
import { controlsIn, runResource, runStack, StackInput, UNKNOWN } from "./harness";
import { diagnosticOutputs, privateEndpointOutputs, RG, VAULT_ID, vaultOutputs, workspaceInputs, workspaceOutputs, WS_ID } from "./fixtures";

function ws(patch: Record<string, unknown>): Record<string, any> {
  const w = workspaceInputs();
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete w[k];
    else w[k] = v;
  }
  return w;
}
const runWs = (policy: Parameters<typeof runResource>[0], props: Record<string, any>, config?: Record<string, unknown>) =>
  runResource(policy, { type: T.mlWorkspace, props, config });

describe("ml-01-workspace-public-network", () => {
  it("passes Disabled (any case), fails missing / Enabled, unknown in preview", async () => {
    expect((await runWs(ml01WorkspacePublicNetwork, workspaceInputs())).messages).toEqual([]);
    expect((await runWs(ml01WorkspacePublicNetwork, ws({ publicNetworkAccess: "disabled" }))).messages).toEqual([]);
    expect(controlsIn(await runWs(ml01WorkspacePublicNetwork, ws({ publicNetworkAccess: undefined })))).toEqual(["ML-01"]);
    expect(controlsIn(await runWs(ml01WorkspacePublicNetwork, ws({ publicNetworkAccess: "Enabled" })))).toEqual(["ML-01"]);
    expect((await runWs(ml01WorkspacePublicNetwork, ws({ publicNetworkAccess: UNKNOWN.string }))).unknown).toBeDefined();
  });
});

describe("ml-03-customer-managed-key", () => {
  const cmk = { status: "Enabled", keyVaultProperties: { keyVaultArmId: VAULT_ID, keyIdentifier: "https://kv.vault.azure.net/keys/cmk" } };
  it("a workspace without encryption passes unless requireCustomerManagedKey is set", async () => {
    expect((await runWs(ml03CustomerManagedKey, workspaceInputs())).messages).toEqual([]);
    expect(controlsIn(await runWs(ml03CustomerManagedKey, workspaceInputs(), { requireCustomerManagedKey: true }))).toEqual(["ML-03"]);
  });
  it("passes Enabled with key properties (any case), fails Disabled / missing key", async () => {
    const on = { requireCustomerManagedKey: true };
    expect((await runWs(ml03CustomerManagedKey, ws({ encryption: cmk }), on)).messages).toEqual([]);
    expect((await runWs(ml03CustomerManagedKey, ws({ encryption: { ...cmk, status: "enabled" } }), on)).messages).toEqual([]);
    expect(controlsIn(await runWs(ml03CustomerManagedKey, ws({ encryption: { ...cmk, status: "Disabled" } }), on))).toEqual(["ML-03"]);
    expect(controlsIn(await runWs(ml03CustomerManagedKey, ws({ encryption: { status: "Enabled", keyVaultProperties: { keyVaultArmId: VAULT_ID } } }), on))).toEqual(["ML-03"]);
    expect((await runWs(ml03CustomerManagedKey, ws({ encryption: UNKNOWN.object }), on)).unknown).toBeDefined();
  });
  it("applies to a workspace that opted in even where the environment does not require it", async () => {
    expect((await runWs(ml03CustomerManagedKey, ws({ encryption: cmk }))).messages).toEqual([]);
    expect(controlsIn(await runWs(ml03CustomerManagedKey, ws({ encryption: { status: "Enabled" } })))).toEqual(["ML-03"]);
    expect(controlsIn(await runWs(ml03CustomerManagedKey, ws({ encryption: { ...cmk, status: "Disabled" } })))).toEqual(["ML-03"]);
  });
});

describe("ml-04-compute-local-auth", () => {
  const compute = (props: unknown) => ({ type: T.mlCompute, props: { workspaceName: "mlw", computeName: "cpu", properties: props } });
  it("passes true, fails missing / false, unknown in preview", async () => {
    expect((await runResource(ml04ComputeLocalAuth, compute({ computeType: "AmlCompute", disableLocalAuth: true }))).messages).toEqual([]);
    expect(controlsIn(await runResource(ml04ComputeLocalAuth, compute({ computeType: "AmlCompute" })))).toEqual(["ML-04"]);
    expect(controlsIn(await runResource(ml04ComputeLocalAuth, compute(undefined)))).toEqual(["ML-04"]);
    expect(controlsIn(await runResource(ml04ComputeLocalAuth, compute({ computeType: "ComputeInstance", disableLocalAuth: false })))).toEqual(["ML-04"]);
    expect((await runResource(ml04ComputeLocalAuth, compute({ disableLocalAuth: UNKNOWN.bool }))).unknown).toBeDefined();
  });
});

describe("ml-06-managed-network-isolation", () => {
  it("passes AllowOnlyApprovedOutbound (any case), fails missing / internet outbound", async () => {
    expect((await runWs(ml06ManagedNetworkIsolation, workspaceInputs())).messages).toEqual([]);
    expect((await runWs(ml06ManagedNetworkIsolation, ws({ managedNetwork: { isolationMode: "allowonlyapprovedoutbound" } }))).messages).toEqual([]);
    expect(controlsIn(await runWs(ml06ManagedNetworkIsolation, ws({ managedNetwork: undefined })))).toEqual(["ML-06"]);
    expect(controlsIn(await runWs(ml06ManagedNetworkIsolation, ws({ managedNetwork: { isolationMode: "AllowInternetOutbound" } })))).toEqual(["ML-06"]);
    expect((await runWs(ml06ManagedNetworkIsolation, ws({ managedNetwork: { isolationMode: UNKNOWN.string } }))).unknown).toBeDefined();
  });
});

describe("ml-07-workspace-identity", () => {
  it("passes identity + Identity datastore auth (any case)", async () => {
    expect((await runWs(ml07WorkspaceIdentity, workspaceInputs())).messages).toEqual([]);
    expect((await runWs(ml07WorkspaceIdentity, ws({ systemDatastoresAuthMode: "identity" }))).messages).toEqual([]);
  });
  it("fails missing / None identity and missing / AccessKey auth mode", async () => {
    expect(controlsIn(await runWs(ml07WorkspaceIdentity, ws({ identity: undefined })))).toEqual(["ML-07"]);
    expect(controlsIn(await runWs(ml07WorkspaceIdentity, ws({ identity: { type: "None" } })))).toEqual(["ML-07"]);
    expect(controlsIn(await runWs(ml07WorkspaceIdentity, ws({ systemDatastoresAuthMode: undefined })))).toEqual(["ML-07"]);
    expect(controlsIn(await runWs(ml07WorkspaceIdentity, ws({ systemDatastoresAuthMode: "AccessKey" })))).toEqual(["ML-07"]);
    expect((await runWs(ml07WorkspaceIdentity, ws({ systemDatastoresAuthMode: UNKNOWN.string }))).unknown).toBeDefined();
  });
});

const WS: StackInput = { type: T.mlWorkspace, name: "mlw", props: workspaceOutputs() };
const VAULT: StackInput = { type: T.vault, name: "kv", props: vaultOutputs() };

describe("ml-02-workspace-private-only", () => {
  it("passes a private endpoint (amlworkspace) to the workspace", async () => {
    expect((await runStack(ml02WorkspacePrivateOnly, [WS, { type: T.privateEndpoint, name: "pe", props: privateEndpointOutputs(WS_ID, "amlworkspace") }])).messages).toEqual([]);
    const preview: StackInput = { type: T.privateEndpoint, name: "pe", props: privateEndpointOutputs(UNKNOWN.string, "amlworkspace"), propertyDependencies: { privateLinkServiceConnections: ["mlw"] } };
    // Ids only: a propertyDependency proves nothing; with the ids unknown the policy cannot run.
    expect(await runStack(ml02WorkspacePrivateOnly, [{ ...WS, props: { ...workspaceOutputs(), id: UNKNOWN.string } }, preview])).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
  it("fails no endpoint, an endpoint for the vault, outbound rules only (they are the other direction)", async () => {
    const withRules = { ...WS, props: { ...workspaceOutputs(), managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound", outboundRules: { kv: { type: "PrivateEndpoint", destination: { serviceResourceId: VAULT_ID, subresourceTarget: "vault" } } } } } };
    expect(controlsIn(await runStack(ml02WorkspacePrivateOnly, [withRules]))).toEqual(["ML-02"]);
    expect(controlsIn(await runStack(ml02WorkspacePrivateOnly, [WS]))).toEqual(["ML-02"]);
    expect(controlsIn(await runStack(ml02WorkspacePrivateOnly, [WS, VAULT, { type: T.privateEndpoint, name: "pe", props: privateEndpointOutputs(VAULT_ID, "vault") }]))).toEqual(["ML-02"]);
    const fqdn = { ...WS, props: { ...workspaceOutputs(), managedNetwork: { outboundRules: { pypi: { type: "FQDN", destination: "pypi.org" } } } } };
    expect(controlsIn(await runStack(ml02WorkspacePrivateOnly, [fqdn]))).toEqual(["ML-02"]);
  });
});

describe("ml-05-workspace-logs", () => {
  const ds = (logs: Record<string, unknown>[], target = WS_ID): StackInput => ({ type: T.diagnosticSetting, name: "diag", props: diagnosticOutputs(target, logs) });
  it("passes enabled logs to a workspace", async () => {
    expect((await runStack(ml05WorkspaceLogs, [WS, ds([{ categoryGroup: "allLogs", enabled: true }])])).messages).toEqual([]);
  });
  it("fails no setting, disabled logs, metrics only, a setting on the vault", async () => {
    expect(controlsIn(await runStack(ml05WorkspaceLogs, [WS]))).toEqual(["ML-05"]);
    expect(controlsIn(await runStack(ml05WorkspaceLogs, [WS, ds([{ categoryGroup: "allLogs", enabled: false }])]))).toEqual(["ML-05"]);
    expect(controlsIn(await runStack(ml05WorkspaceLogs, [WS, ds([])]))).toEqual(["ML-05"]);
    expect(controlsIn(await runStack(ml05WorkspaceLogs, [WS, VAULT, ds([{ categoryGroup: "allLogs", enabled: true }], VAULT_ID)]))).toEqual(["ML-05"]);
  });
});

describe("ml-08-workspace-compliant-vault", () => {
  it("passes a workspace bound to a compliant vault by its keyVault id (never by propertyDependencies)", async () => {
    expect((await runStack(ml08WorkspaceCompliantVault, [VAULT, WS])).messages).toEqual([]);
    const upper = { ...WS, props: { ...workspaceOutputs(), keyVault: VAULT_ID.toUpperCase() } };
    expect((await runStack(ml08WorkspaceCompliantVault, [VAULT, upper])).messages).toEqual([]);
    const preview = { ...WS, props: { ...workspaceOutputs(), keyVault: UNKNOWN.string }, propertyDependencies: { keyVault: ["kv"] } };
    expect(await runStack(ml08WorkspaceCompliantVault, [{ ...VAULT, props: { ...vaultOutputs(), id: UNKNOWN.string } }, preview])).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
  it("fails a vault outside the stack, no keyVault, a non-compliant vault", async () => {
    const elsewhere = { ...WS, props: { ...workspaceOutputs(), keyVault: `${RG}/providers/Microsoft.KeyVault/vaults/other` } };
    expect(controlsIn(await runStack(ml08WorkspaceCompliantVault, [VAULT, elsewhere]))).toEqual(["ML-08"]);
    const none = { ...WS, props: { ...workspaceOutputs(), keyVault: undefined }, dependencies: ["kv"] };
    expect(controlsIn(await runStack(ml08WorkspaceCompliantVault, [VAULT, none]))).toEqual(["ML-08"]);
    const weak = { ...VAULT, props: { ...vaultOutputs(), properties: { ...vaultOutputs().properties, enablePurgeProtection: undefined } } };
    expect((await runStack(ml08WorkspaceCompliantVault, [weak, WS])).messages).toEqual([expect.stringContaining("fails KV-02")]);
    expect((await runStack(ml08WorkspaceCompliantVault, [weak, WS], { requiredVaultControls: ["KV-01", "KV-04"] })).messages).toEqual([]);
  });
  it("reports unknown, not a pass, when the binding cannot be read", async () => {
    const unknownVault = { ...WS, props: { ...workspaceOutputs(), keyVault: UNKNOWN.string } };
    expect(await runStack(ml08WorkspaceCompliantVault, [VAULT, unknownVault])).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
});
