/**
 * Issue 9: a baseline that cannot be fooled. Each block closes a class (API-version type tokens, values as ARM
 * reads them, privilege by capability, the state that matters, the December 2026 rulings); the cases are
 * examples of the class, each tried as an attacker or a careless author would write it.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { SECRETS_OPERATOR_ROLE } from "../../components/roles";
import { ai01EntraOnlyIngestion, ai02WorkspaceBased } from "../../policies/appinsights";
import { log01LogRetention, tag01RequiredTags } from "../../policies/hygiene";
import { id01PasswordLifetime } from "../../policies/identity";
import {
  kv01SoftDelete, kv02PurgeProtection, kv05PublicNetworkDisabled, kv06FirewallDefaultDeny, kv07PrivateEndpoint, kv09DefenderForKeyVault, kv10NoPlatformExposure,
} from "../../policies/keyvault";
import { canonicalType, T } from "../../policies/lib/types";
import { ml01WorkspacePublicNetwork, ml04ComputeLocalAuth, ml06ManagedNetworkIsolation } from "../../policies/ml";
import { mon01PrivateIngestion } from "../../policies/monitoring";
import { id03LeastPrivilege, id03PrivilegedCustomRoles, ROLE } from "../../policies/privilege";
import { sec01SecretExpiry, sec02SecretMaxValidity } from "../../policies/secrets";
import { st03NoBlobPublicAccess, st04NoSharedKey, st05NetworkRestricted } from "../../policies/storage";
import {
  EVAL, EVAL_S, DAY, RG, SUB, TAGS, VAULT_ID, keyInputs, privateEndpointOutputs, secretInputs, storageInputs, vaultInputs, vaultOutputs, workspaceInputs,
} from "./fixtures";
import { controlsIn, runResource, runStack, type StackInput } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
const vault = (patch: Record<string, unknown>) => { const v = vaultInputs(); Object.assign(v.properties, patch); return { type: T.vault, props: v }; };
const storage = (patch: Record<string, unknown>) => ({ type: T.storageAccount, props: { ...storageInputs(), ...patch } });

describe("every token of a resource type", () => {
  test("canonicalType maps API-version tokens (and only those) to the default token", () => {
    expect(canonicalType("azure-native:keyvault/v20230701:Vault")).toBe(T.vault);
    expect(canonicalType("azure-native:keyvault/v20240401preview:Vault")).toBe(T.vault);
    expect(canonicalType("azure-native:storage/v20230101:StorageAccount")).toBe(T.storageAccount);
    expect(canonicalType(T.vault)).toBe(T.vault);
    expect(canonicalType("azure:keyvault/keyVault:KeyVault")).toBe("azure:keyvault/keyVault:KeyVault");
  });

  test.each<[string, Parameters<typeof runResource>[0], { type: string; props: Record<string, any> }]>([
    ["KV-02", kv02PurgeProtection, vault({ enablePurgeProtection: undefined })],
    ["ST-04", st04NoSharedKey, storage({ allowSharedKeyAccess: true })],
    ["ML-01", ml01WorkspacePublicNetwork, { type: T.mlWorkspace, props: { ...workspaceInputs(), publicNetworkAccess: "Enabled" } }],
    ["SEC-01", sec01SecretExpiry, { type: T.secret, props: { ...secretInputs(), properties: { value: "x", contentType: "password", attributes: {} } } }],
    ["AI-01", ai01EntraOnlyIngestion, { type: T.appInsights, props: { disableLocalAuth: false, tags: TAGS } }],
    ["MON-01", mon01PrivateIngestion, { type: T.logAnalytics, props: { tags: TAGS } }],
    ["ID-03", id03LeastPrivilege, { type: T.roleAssignment, props: { roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.owner}`, scope: RG } }],
  ])("%s applies to an explicit API-version token exactly as to the default one", async (control, policy, input) => {
    const [prefix, name] = input.type.split(/:(?=[^:]+$)/);
    const versioned = `${prefix}/v20230701:${name}`;
    const plain = await runResource(policy, input);
    expect(controlsIn(plain)).toContain(control);
    expect((await runResource(policy, { ...input, type: versioned })).messages).toEqual(plain.messages);
  });

  test("stack policies link resources of versioned tokens too", async () => {
    const vaultV = { type: "azure-native:keyvault/v20230701:Vault", name: "kv", props: vaultOutputs() };
    expect(controlsIn(await runStack(kv07PrivateEndpoint, [vaultV]))).toEqual(["KV-07"]);
    const pe = { type: "azure-native:network/v20230901:PrivateEndpoint", name: "pe", props: privateEndpointOutputs(VAULT_ID, "vault") };
    expect((await runStack(kv07PrivateEndpoint, [vaultV, pe])).messages).toEqual([]);
  });
});

describe("values as Azure reads them", () => {
  test.each<[string, Parameters<typeof runResource>[0], { type: string; props: Record<string, any> }, boolean]>([
    ["boolean sent as a string: \"False\" soft delete fails", kv01SoftDelete, vault({ enableSoftDelete: "False" }), false],
    ["\" false \" blob public access passes", st03NoBlobPublicAccess, storage({ allowBlobPublicAccess: " false " }), true],
    ["\"TRUE\" blob public access fails", st03NoBlobPublicAccess, storage({ allowBlobPublicAccess: "TRUE" }), false],
    ["zero-width inside an enum: \"Disabled\\u200B\" passes", kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "Disabled\u200B" }), true],
    ["enum case: \"dIsAbLeD\" passes", kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "dIsAbLeD" }), true],
    ["zero-width spelling of Enabled is still Enabled", kv05PublicNetworkDisabled, vault({ publicNetworkAccess: "\u200BEnabled" }), false],
    ["\"true\" local auth off passes", ai01EntraOnlyIngestion, { type: T.appInsights, props: { disableLocalAuth: "true" } }, true],
    ["\"true\" compute local auth off passes", ml04ComputeLocalAuth, { type: T.mlCompute, props: { properties: { disableLocalAuth: "True" } } }, true],
    ["\"true\" deployment exposure fails", kv10NoPlatformExposure, vault({ enabledForDeployment: "true" }), false],
    ["number as a string: retention \"400\" passes", log01LogRetention, { type: T.logAnalytics, props: { retentionInDays: "400", sku: { name: "PerGB2018" } } }, true],
    ["number as a string: expires \"<seconds>\" passes", sec01SecretExpiry, { type: T.secret, props: { properties: { attributes: { expires: String(EVAL_S + 30 * DAY) } } } }, true],
  ])("%s", async (_case, policy, input, passes) => {
    const config = { minRetentionDays: 365, evaluationTime: EVAL };
    const out = await runResource(policy, { ...input, config });
    if (passes) expect(out.messages).toEqual([]);
    else expect(out.messages.length).toBeGreaterThan(0);
  });
});

describe("ID-03: privilege by what a role can do", () => {
  const grant = (role: string, extra: Record<string, unknown> = {}) => ({ type: T.roleAssignment, props: {
    principalId: "33333333-3333-3333-3333-333333333333", principalType: "ServicePrincipal", scope: VAULT_ID,
    roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`, ...extra } });

  test.each([
    ["Owner", ROLE.owner], ["Contributor", ROLE.contributor], ["User Access Administrator", ROLE.userAccessAdministrator],
    ["Role Based Access Control Administrator", ROLE.roleBasedAccessControlAdministrator], ["Key Vault Administrator", ROLE.keyVaultAdministrator],
    ["Key Vault Data Access Administrator", ROLE.keyVaultDataAccessAdministrator],
  ])("%s is privileged for a service principal, directly or through PIM", async (_name, role) => {
    for (const type of [T.roleAssignment, T.roleAssignmentScheduleRequest, T.roleEligibilityScheduleRequest]) {
      const out = await runResource(id03LeastPrivilege, { ...grant(role, type === T.roleAssignment ? {} : { principalType: undefined, requestType: "AdminAssign" }), type });
      expect(controlsIn(out)).toContain("ID-03");
    }
  });

  test("a PIM removal request grants nothing; a person may hold a privileged role", async () => {
    expect((await runResource(id03LeastPrivilege, { ...grant(ROLE.owner, { requestType: "AdminRemove" }), type: T.roleAssignmentScheduleRequest })).messages).toEqual([]);
    expect((await runResource(id03LeastPrivilege, grant(ROLE.owner, { principalType: "Group", scope: RG }))).messages).toEqual([]);
  });

  const CUSTOM_ID = `${RG}/providers/Microsoft.Authorization/roleDefinitions/44444444-4444-4444-4444-444444444444`;
  const custom = (permissions: Record<string, string[]>): StackInput => ({ type: T.roleDefinition, name: "custom", props: { id: CUSTOM_ID, roleName: "custom", permissions: [permissions] } });
  const customGrant = (extra: Record<string, unknown> = {}): StackInput => ({ type: T.roleAssignment, name: "grant", props: { ...grant("x").props, roleDefinitionId: CUSTOM_ID, ...extra } });

  test.each<[string, Record<string, string[]>]>([
    ["actions *", { actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"] }],
    ["Microsoft.Authorization/*", { actions: ["Microsoft.Authorization/*"] }],
    ["role assignment writes by a narrower wildcard", { actions: ["Microsoft.Authorization/roleAssignments/*"] }],
    ["role assignment writes spelled in another case", { actions: ["microsoft.authorization/ROLEASSIGNMENTS/write"] }],
    ["whole-vault data administration", { actions: [], dataActions: ["Microsoft.KeyVault/vaults/*"] }],
  ])("a custom role reaching %s is privileged when granted to a service principal", async (_case, permissions) => {
    const out = await runStack(id03PrivilegedCustomRoles, [custom(permissions), customGrant()]);
    expect(controlsIn(out)).toEqual(["ID-03"]);
    expect(out.urns[0]).toContain("::grant");
    expect((await runStack(id03PrivilegedCustomRoles, [custom(permissions), customGrant({ principalType: "User" })])).messages).toEqual([]);
    const pim: StackInput = { type: T.roleEligibilityScheduleRequest, name: "pim", props: { roleDefinitionId: CUSTOM_ID.toUpperCase(), principalId: "3", scope: VAULT_ID } };
    expect(controlsIn(await runStack(id03PrivilegedCustomRoles, [custom(permissions), pim]))).toEqual(["ID-03"]);
  });

  test("narrow custom roles pass: the program's operator role, reads of Microsoft.Authorization, writes excluded by notActions", async () => {
    const operator = { actions: [...SECRETS_OPERATOR_ROLE.actions], dataActions: [...SECRETS_OPERATOR_ROLE.dataActions], notDataActions: [...SECRETS_OPERATOR_ROLE.notDataActions] };
    const narrow: Record<string, string[]>[] = [operator, { actions: ["Microsoft.Authorization/*/read"] }, { actions: ["Microsoft.Authorization/roleAssignments/*"], notActions: ["Microsoft.Authorization/roleAssignments/write"] }];
    for (const permissions of narrow) {
      expect((await runStack(id03PrivilegedCustomRoles, [custom(permissions), customGrant()])).messages).toEqual([]);
    }
  });
});

describe("controls read the state that matters", () => {
  test("KV-09: the Defender plan must cover each vault's own subscription", async () => {
    const plan = (sub: string): StackInput => ({ type: T.pricing, name: `defender-${sub.slice(-4)}`, props: {
      id: `${sub}/providers/Microsoft.Security/pricings/KeyVaults`, name: "KeyVaults", pricingTier: "Standard", subPlan: "PerKeyVault" } });
    const vaultIn = (sub: string, name: string): StackInput => ({ type: T.vault, name, props: vaultOutputs(`${sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`) });
    const other = "/subscriptions/99999999-9999-9999-9999-999999999999";
    expect((await runStack(kv09DefenderForKeyVault, [vaultIn(SUB, "a"), plan(SUB)])).messages).toEqual([]);
    const out = await runStack(kv09DefenderForKeyVault, [vaultIn(SUB, "a"), vaultIn(other, "b"), plan(SUB)]);
    expect(controlsIn(out)).toEqual(["KV-09"]);
    expect(out.urns[0]).toContain("::b");
  });

  test("AI-02: App Insights must ingest into Log Analytics", async () => {
    const base = { workspaceResourceId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law" };
    expect((await runResource(ai02WorkspaceBased, { type: T.appInsights, props: { ...base, ingestionMode: "logAnalytics" } })).messages).toEqual([]);
    for (const mode of ["ApplicationInsights", "ApplicationInsightsWithDiagnosticSettings", undefined]) {
      expect(controlsIn(await runResource(ai02WorkspaceBased, { type: T.appInsights, props: { ...base, ingestionMode: mode } }))).toEqual(["AI-02"]);
    }
  });

  test("ID-01: an application's inline password counts", async () => {
    const app = (password: unknown) => ({ type: T.application, props: { displayName: "app", password }, config: { evaluationTime: EVAL, maxPasswordLifetimeDays: 90 } });
    expect((await runResource(id01PasswordLifetime, app(undefined))).messages).toEqual([]);
    expect((await runResource(id01PasswordLifetime, app({ displayName: "p", startDate: "2026-11-01T00:00:00Z", endDate: "2027-01-01T00:00:00Z" }))).messages).toEqual([]);
    const forever = await runResource(id01PasswordLifetime, app({ displayName: "p" }));
    expect(forever.messages).toEqual([expect.stringMatching(/^ID-01: password\.endDate is missing/)]);
    expect(controlsIn(await runResource(id01PasswordLifetime, app({ displayName: "p", startDate: "2026-11-01T00:00:00Z", endDate: "2028-01-01T00:00:00Z" })))).toEqual(["ID-01"]);
  });

  test("LOG-01: a Free-tier workspace or a per-table override below the minimum fails", async () => {
    const config = { minRetentionDays: 365 };
    expect(controlsIn(await runResource(log01LogRetention, { type: T.logAnalytics, props: { sku: { name: "free" }, retentionInDays: 730 }, config }))).toEqual(["LOG-01"]);
    const table = (retentionInDays: unknown) => ({ type: T.logAnalyticsTable, props: { retentionInDays }, config });
    expect(controlsIn(await runResource(log01LogRetention, table(30)))).toEqual(["LOG-01"]);
    expect((await runResource(log01LogRetention, table(-1))).messages).toEqual([]);
    expect((await runResource(log01LogRetention, table(400))).messages).toEqual([]);
    expect((await runResource(log01LogRetention, { ...table(30), type: "azure-native:operationalinsights/v20221001:Table" })).messages.length).toBe(1);
  });

  test("ML-01: allowPublicAccessWhenBehindVnet re-opens public access; ML-06: an approved rule to everything is no isolation", async () => {
    expect(controlsIn(await runResource(ml01WorkspacePublicNetwork, { type: T.mlWorkspace, props: { ...workspaceInputs(), allowPublicAccessWhenBehindVnet: "true" } }))).toEqual(["ML-01"]);
    const rules = (outboundRules: Record<string, unknown>) => ({ type: T.mlWorkspace, props: { ...workspaceInputs(), managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound", outboundRules } } });
    for (const r of [{ type: "FQDN", destination: "*" }, { type: "FQDN", destination: " *.* " }, { type: "ServiceTag", destination: { serviceTag: "Internet" } }, { type: "ServiceTag", destination: { addressPrefixes: ["0.0.0.0/0"] } }]) {
      expect(controlsIn(await runResource(ml06ManagedNetworkIsolation, rules({ everything: r })))).toEqual(["ML-06"]);
    }
    expect((await runResource(ml06ManagedNetworkIsolation, rules({ pypi: { type: "FQDN", destination: "pypi.org" } }))).messages).toEqual([]);
  });
});

describe("catalogue rulings (December 2026)", () => {
  test("KV-06 / ST-05: allow-lists admitting the whole internet, or wider than the configured prefix (default /16), fail", async () => {
    for (const wide of ["0.0.0.0/0", "10.0.0.0/8", " 198.51.0.0/15 ", "*"]) {
      expect(controlsIn(await runResource(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: wide }] } })))).toEqual(["KV-06"]);
      expect(controlsIn(await runResource(st05NetworkRestricted, storage({ networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: wide }] } })))).toEqual(["ST-05"]);
    }
    expect((await runResource(kv06FirewallDefaultDeny, vault({ networkAcls: { defaultAction: "Deny", ipRules: [{ value: "198.51.0.0/16" }, { value: "203.0.113.7" }] } }))).messages).toEqual([]);
    const strict = { ...storage({ networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "198.51.100.0/24" }] } }), config: { widestAllowedPrefix: 28 } };
    expect(controlsIn(await runResource(st05NetworkRestricted, strict))).toEqual(["ST-05"]);
  });

  test("TAG-01: every taggable azure-native type, versioned tokens included; tag keys compare case-insensitively", async () => {
    const virtualNetwork = { type: "azure-native:network:VirtualNetwork", props: { virtualNetworkName: "vnet" } };
    expect(controlsIn(await runResource(tag01RequiredTags, virtualNetwork))).toEqual(["TAG-01"]);
    expect(controlsIn(await runResource(tag01RequiredTags, { ...virtualNetwork, type: "azure-native:network/v20230901:VirtualNetwork" }))).toEqual(["TAG-01"]);
    expect((await runResource(tag01RequiredTags, { type: T.roleAssignment, props: {} })).messages).toEqual([]);
    const shouty = { Environment: "prod", OWNER: "ml-platform@contoso.com", " project\u200B": "churn" };
    expect((await runResource(tag01RequiredTags, { type: T.vault, props: { ...vaultInputs(), tags: shouty } })).messages).toEqual([]);
  });

  test("TAG-01's list is the installed SDK's: scripts/taggable-types.js --check passes", () => {
    expect(() => execFileSync(process.execPath, [path.join(ROOT, "scripts/taggable-types.js"), "--check"], { stdio: "pipe" })).not.toThrow();
  });

  test("SEC-02: a secret activated after it expires fails", async () => {
    const s = secretInputs();
    s.properties.attributes = { notBefore: EVAL_S + 10 * DAY, expires: EVAL_S + 5 * DAY };
    const out = await runResource(sec02SecretMaxValidity, { type: T.secret, props: s, config: { evaluationTime: EVAL } });
    expect(out.messages).toEqual([expect.stringMatching(/^SEC-02: properties\.attributes\.notBefore \(activation\) is not before expires/)]);
  });

  test("KEY-03 keys from the fixtures pass (the program's RSA-HSM 3072 key is covered by the service-rules suite)", () => {
    expect(keyInputs().properties.keySize).toBe(3072);
  });
});
