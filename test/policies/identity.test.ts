import { id01PasswordLifetime, id02PasswordRotation, id04AccessPolicyPermissions } from "../../policies/identity";
import { id03LeastPrivilege, ROLE } from "../../policies/privilege";
import { log01LogRetention, tag01RequiredTags } from "../../policies/hygiene";
import { T } from "../../policies/lib/types";
import { controlsIn, runResource, UNKNOWN } from "./harness";
import { EVAL, passwordInputs, RG, SUB, TAGS, VAULT_ID, vaultInputs } from "./fixtures";

const NOW = { evaluationTime: EVAL };
const pw = (patch: Record<string, unknown>, type: string = T.spPassword) => {
  const p: Record<string, any> = { ...passwordInputs(), ...patch };
  for (const k of Object.keys(patch)) if (patch[k] === undefined) delete p[k];
  return { type, props: p };
};

describe("id-01-password-lifetime", () => {
  it("passes a bounded, current password of either type", async () => {
    expect((await runResource(id01PasswordLifetime, { ...pw({}), config: NOW })).messages).toEqual([]);
    expect((await runResource(id01PasswordLifetime, { ...pw({}, T.appPassword), config: NOW })).messages).toEqual([]);
    expect((await runResource(id01PasswordLifetime, { ...pw({ endDate: undefined, endDateRelative: "2160h" }), config: NOW })).messages).toEqual([]);
  });
  it("fails a missing end date, too long a lifetime, expiry, bad dates", async () => {
    expect(controlsIn(await runResource(id01PasswordLifetime, { ...pw({ endDate: undefined }), config: NOW }))).toEqual(["ID-01"]);
    expect(controlsIn(await runResource(id01PasswordLifetime, { ...pw({ endDate: "2028-06-01T00:00:00Z" }), config: NOW }))).toEqual(["ID-01"]);
    expect(controlsIn(await runResource(id01PasswordLifetime, { ...pw({ endDate: "2026-11-20T00:00:00Z" }), config: NOW }))).toEqual(["ID-01"]);
    expect(controlsIn(await runResource(id01PasswordLifetime, { ...pw({ endDate: "next year" }), config: NOW }))).toEqual(["ID-01"]);
    expect((await runResource(id01PasswordLifetime, { ...pw({ endDate: UNKNOWN.string }), config: NOW })).unknown).toBeDefined();
  });
  it("maxPasswordLifetimeDays and evaluationTime change the outcome", async () => {
    expect(controlsIn(await runResource(id01PasswordLifetime, { ...pw({}), config: { ...NOW, maxPasswordLifetimeDays: 60 } }))).toEqual(["ID-01"]);
    // Without startDate the lifetime runs from "now".
    const noStart = pw({ startDate: undefined, endDate: "2027-06-01T00:00:00Z" });
    expect((await runResource(id01PasswordLifetime, { ...noStart, config: NOW })).messages).toEqual([]);
    expect(controlsIn(await runResource(id01PasswordLifetime, { ...noStart, config: { ...NOW, maxPasswordLifetimeDays: 90 } }))).toEqual(["ID-01"]);
  });
});

describe("id-02-password-rotation", () => {
  it("needs a non-empty rotateWhenChanged", async () => {
    expect((await runResource(id02PasswordRotation, pw({}))).messages).toEqual([]);
    expect(controlsIn(await runResource(id02PasswordRotation, pw({ rotateWhenChanged: undefined })))).toEqual(["ID-02"]);
    expect(controlsIn(await runResource(id02PasswordRotation, pw({ rotateWhenChanged: {} }, T.appPassword)))).toEqual(["ID-02"]);
    expect((await runResource(id02PasswordRotation, pw({ rotateWhenChanged: UNKNOWN.object }))).unknown).toBeDefined();
  });
});

describe("id-03-least-privilege", () => {
  const role = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  const ra = (patch: Record<string, unknown>) => ({ type: T.roleAssignment, props: {
    principalId: "33333333-3333-3333-3333-333333333333", principalType: "ServicePrincipal", roleDefinitionId: role(ROLE.keyVaultSecretsUser), scope: VAULT_ID, ...patch } });
  it("passes a data-plane role on the vault or narrower, and a group's privileged role", async () => {
    expect((await runResource(id03LeastPrivilege, ra({}))).messages).toEqual([]);
    expect((await runResource(id03LeastPrivilege, ra({ scope: `${VAULT_ID}/secrets/sql-password` }))).messages).toEqual([]);
    expect((await runResource(id03LeastPrivilege, ra({ principalType: "Group", roleDefinitionId: role(ROLE.contributor), scope: RG }))).messages).toEqual([]);
  });
  it("fails privileged roles for service principals (or no principalType), any case", async () => {
    for (const guid of [ROLE.owner, ROLE.contributor, ROLE.userAccessAdministrator, ROLE.keyVaultAdministrator.toUpperCase()]) {
      expect(controlsIn(await runResource(id03LeastPrivilege, ra({ roleDefinitionId: role(guid), scope: RG })))).toContain("ID-03");
    }
    expect(controlsIn(await runResource(id03LeastPrivilege, ra({ principalType: undefined, roleDefinitionId: role(ROLE.owner) })))).toEqual(["ID-03"]);
    expect(controlsIn(await runResource(id03LeastPrivilege, ra({ principalType: "serviceprincipal", roleDefinitionId: role(ROLE.owner) })))).toEqual(["ID-03"]);
  });
  it("fails data-plane roles at subscription or resource-group scope", async () => {
    expect(controlsIn(await runResource(id03LeastPrivilege, ra({ scope: SUB })))).toEqual(["ID-03"]);
    expect(controlsIn(await runResource(id03LeastPrivilege, ra({ scope: RG, principalType: "Group" })))).toEqual(["ID-03"]);
    expect((await runResource(id03LeastPrivilege, ra({ scope: UNKNOWN.string }))).unknown).toBeDefined();
  });
  it("config lists change the outcome", async () => {
    const kvAdmin = ra({ roleDefinitionId: role(ROLE.keyVaultAdministrator) });
    expect(controlsIn(await runResource(id03LeastPrivilege, kvAdmin))).toEqual(["ID-03"]);
    // Judged by what it can do: dropping it from the configured list does not make it harmless; a deliberate
    // exception does.
    expect(controlsIn(await runResource(id03LeastPrivilege, { ...kvAdmin, config: { forbiddenRoleDefinitionIds: [ROLE.owner] } }))).toEqual(["ID-03"]);
    expect((await runResource(id03LeastPrivilege, { ...kvAdmin, config: { allowedRoleDefinitionIds: [ROLE.keyVaultAdministrator] } })).messages).toEqual([]);
    expect((await runResource(id03LeastPrivilege, { ...ra({ scope: RG }), config: { dataPlaneRoleDefinitionIds: [] } })).messages).toEqual([]);
  });
});

describe("id-04-access-policy-permissions", () => {
  const entry = (objectId: string, secrets: string[]) => ({ tenantId: "t", objectId, permissions: { secrets } });
  const vault = (entries: unknown[]) => { const v = vaultInputs(); v.properties.accessPolicies = entries; return { type: T.vault, props: v }; };
  it("passes least-privilege entries and administrators", async () => {
    expect((await runResource(id04AccessPolicyPermissions, vault([entry("reader", ["get", "list"])]))).messages).toEqual([]);
    expect((await runResource(id04AccessPolicyPermissions, { ...vault([entry("ADMIN", ["all"])]), config: { administratorObjectIds: ["admin"] } })).messages).toEqual([]);
  });
  it("fails all / purge (any case) inline and on AccessPolicy resources", async () => {
    expect(controlsIn(await runResource(id04AccessPolicyPermissions, vault([entry("a", ["get"]), entry("b", ["Purge"])])))).toEqual(["ID-04"]);
    expect(controlsIn(await runResource(id04AccessPolicyPermissions, vault([entry("a", ["ALL"])])))).toEqual(["ID-04"]);
    const ap = { type: T.accessPolicy, props: { vaultName: "kv", policy: { tenantId: "t", objectId: "op", permissions: { keys: ["purge"], secrets: ["get"] } } } };
    expect((await runResource(id04AccessPolicyPermissions, ap)).messages).toEqual([expect.stringMatching(/^ID-04: policy\.permissions grants .* on keys to a principal/)]);
    // The object id is only read when it matters; unknown then means "can't tell".
    expect((await runResource(id04AccessPolicyPermissions, vault([entry(UNKNOWN.string, ["all"])]))).unknown).toBeDefined();
    expect((await runResource(id04AccessPolicyPermissions, vault([entry(UNKNOWN.string, ["get"])]))).unknown).toBeUndefined();
  });
});

describe("tag-01-required-tags", () => {
  it("passes tagged resources and untaggable types without tags", async () => {
    expect((await runResource(tag01RequiredTags, { type: T.vault, props: vaultInputs() })).messages).toEqual([]);
    expect((await runResource(tag01RequiredTags, { type: T.roleAssignment, props: { scope: RG } })).messages).toEqual([]);
    expect((await runResource(tag01RequiredTags, { type: "random:index/randomPassword:RandomPassword", props: { length: 32 } })).messages).toEqual([]);
  });
  it("fails missing tags on taggable types and missing / empty keys anywhere tags are sent", async () => {
    const v = vaultInputs(); delete v.tags;
    expect(controlsIn(await runResource(tag01RequiredTags, { type: T.vault, props: v }))).toEqual(["TAG-01"]);
    const out = await runResource(tag01RequiredTags, { type: "azure-native:network:VirtualNetwork", props: { tags: { environment: "prod", owner: " " } } });
    expect(out.messages).toEqual([expect.stringContaining("owner, project")]);
    expect((await runResource(tag01RequiredTags, { type: T.vault, props: { ...vaultInputs(), tags: UNKNOWN.object } })).unknown).toBeDefined();
  });
  it("requiredTags / taggableTypes config change the outcome", async () => {
    expect(controlsIn(await runResource(tag01RequiredTags, { type: T.vault, props: vaultInputs(), config: { requiredTags: ["cost-center"] } }))).toEqual(["TAG-01"]);
    expect((await runResource(tag01RequiredTags, { type: T.vault, props: { ...vaultInputs(), tags: TAGS }, config: { requiredTags: ["managed-by"] } })).messages).toEqual([]);
    expect(controlsIn(await runResource(tag01RequiredTags, { type: "azure-native:network:VirtualNetwork", props: {}, config: { taggableTypes: ["azure-native:network:VirtualNetwork"] } }))).toEqual(["TAG-01"]);
  });
});

describe("log-01-log-retention", () => {
  const law = (retentionInDays?: unknown, config?: Record<string, unknown>) =>
    runResource(log01LogRetention, { type: T.logAnalytics, props: { resourceGroupName: "rg", retentionInDays, tags: TAGS }, config });
  it("defaults to 30 days minimum; missing is the service default 30", async () => {
    expect((await law(30)).messages).toEqual([]);
    expect((await law(undefined)).messages).toEqual([]);
    expect(controlsIn(await law(7))).toEqual(["LOG-01"]);
  });
  it("minRetentionDays (prod 365) changes the outcome; unknown in preview", async () => {
    expect(controlsIn(await law(90, { minRetentionDays: 365 }))).toEqual(["LOG-01"]);
    expect(controlsIn(await law(undefined, { minRetentionDays: 365 }))).toEqual(["LOG-01"]);
    expect((await law(365, { minRetentionDays: 365 })).messages).toEqual([]);
    expect((await law(UNKNOWN.number)).unknown).toBeDefined();
  });
});
