/**
 * The hazards a reviewer must see, each from the change that causes it, on the real program's prod plan (maximal
 * config: customer-managed keys, a protected vault): the baseline is that plan's own report, the change an edit of
 * the plan's inputs, so each case isolates one Azure behaviour (sources in change/data/replacement.json and
 * change/hazards.ts).
 */
import { parseBaseline } from "../../change/baseline";
import { hazardsOf } from "../../change/hazards";
import { previewChanges } from "../../change/preview";
import type { ResourceRecord } from "../../engine/types";
import { planReport } from "../../report/json";
import { maximalConfig } from "../fixtures/maximal";
import { runConfig } from "../helpers/program";
import { stackExportOf } from "../helpers/stackExport";

let records: ResourceRecord[];
beforeAll(async () => {
  records = (await runConfig(maximalConfig())).records;
}, 120_000);

/** The change and hazards after `edit` changes a copy of the plan. */
function after(edit: (rs: ResourceRecord[]) => void) {
  const baseline = parseBaseline(JSON.parse(JSON.stringify(planReport("test", "prod", records, undefined, true))), "base.json");
  const changed = JSON.parse(JSON.stringify(records)) as ResourceRecord[];
  edit(changed);
  const preview = previewChanges(changed, baseline);
  return { preview, hazards: hazardsOf(preview), of: (name: string) => preview.changes.find((c) => c.name === name)! };
}
const first = (rs: ResourceRecord[], type: string) => rs.find((r) => r.type === type)!;

test("the plan against its own report: everything same, no hazard", () => {
  const { preview, hazards } = after(() => undefined);
  expect(preview.counts).toEqual(expect.objectContaining({ create: 0, update: 0, replace: 0, delete: 0 }));
  expect(hazards).toEqual([]);
});

test("a vault's soft-delete retention cannot change after creation: blocking", () => {
  let name = "";
  const { hazards, of } = after((rs) => {
    const vault = first(rs, "azure-native:keyvault:Vault");
    name = vault.name;
    (vault.inputs.properties as Record<string, unknown>).softDeleteRetentionInDays = 30;
  });
  expect(of(name).op).toBe("update");
  expect(hazards).toEqual([expect.objectContaining({ kind: "immutable-change", name, blocking: true })]);
});

test("purge protection can be turned on, never off: only true->false is refused", () => {
  const vaultOf = (rs: ResourceRecord[]) => first(rs, "azure-native:keyvault:Vault").inputs.properties as Record<string, unknown>;
  expect(after((rs) => { vaultOf(rs).enablePurgeProtection = false; }).hazards.map((h) => h.kind)).toEqual(["immutable-change"]);
  expect(records.some((r) => r.type === "azure-native:keyvault:Vault" && (r.inputs.properties as Record<string, unknown>).enablePurgeProtection === true)).toBe(true);
});

test("a protected vault replaced under the same name (new resource group): protected and soft-deleted name, both blocking", () => {
  let name = "";
  const { hazards, of } = after((rs) => {
    const vault = first(rs, "azure-native:keyvault:Vault");
    name = vault.name;
    vault.inputs.resourceGroupName = "rg-elsewhere";
  });
  expect([of(name).op, of(name).replaceReasons, of(name).deleteBeforeReplace]).toEqual(["replace", ["resourceGroupName"], true]);
  const mine = hazards.filter((h) => h.name === name);
  expect(mine.map((h) => [h.kind, h.blocking])).toEqual([["protected", true], ["soft-deleted-name", true]]);
  expect(mine[1].message).toMatch(/same name: azure-native deletes it first, then the create fails because the soft-deleted vault holds that name for 90 days/);
  // Everything scoped to the vault by its id is computed from a replaced resource: role assignments are replaced too.
  const cascaded = hazards.filter((h) => h.kind === "role-gap");
  expect(cascaded.length).toBeGreaterThan(0);
});

test("a role assignment given to another principal is replaced: a gap in access (warning)", () => {
  let name = "";
  const { hazards, of } = after((rs) => {
    const ra = first(rs, "azure-native:authorization:RoleAssignment");
    name = ra.name;
    ra.inputs.principalId = "3b2a1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  });
  expect([of(name).op, of(name).replaceReasons]).toEqual(["replace", ["principalId"]]);
  expect(hazards).toEqual([expect.objectContaining({ kind: "role-gap", name, blocking: false })]);
  expect(hazards[0].message).toContain("principal 3b2a1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
});

test("an existing key's attributes: never sent (ignoreChanges) because Azure would not apply them: same, with a warning", () => {
  let name = "";
  const { hazards, of } = after((rs) => {
    const key = first(rs, "azure-native:keyvault:Key");
    name = key.name;
    ((key.inputs.properties as Record<string, any>).attributes ??= {}).expires = 1900000000;
  });
  expect(of(name).op).toBe("same");
  expect(hazards).toEqual([expect.objectContaining({ kind: "ignored-change", name, blocking: false })]);
  expect(hazards[0].message).toMatch(/properties\.attributes\.expires will not reach Azure/);
});

test("a secret whose delete is not retained would need the vault's data plane: blocking", () => {
  let name = "";
  const { hazards } = after((rs) => {
    const i = rs.findIndex((r) => r.type === "azure-native:keyvault:Secret");
    name = rs[i].name;
    rs.splice(i, 1);
  });
  expect(hazards).toEqual([expect.objectContaining({ kind: "data-plane-delete", name, blocking: false })]);
  // The same delete from a state where the secret was not retained (an older mlvault, or another program).
  const baseline = parseBaseline(JSON.parse(JSON.stringify(planReport("test", "prod", records, undefined, true))), "base.json");
  for (const r of baseline.resources) r.options = { ...r.options, retainOnDelete: false };
  const preview = previewChanges(records.filter((r) => r.name !== name), baseline);
  expect(hazardsOf(preview)).toEqual([expect.objectContaining({ kind: "data-plane-delete", name, blocking: true })]);
});

test("a type without replacement data: an update the preview cannot judge says so", () => {
  const { hazards } = after((rs) => {
    const r = first(rs, "azure-native:monitor:ActionGroup");
    r.type = "azure-native:monitor:SomethingNew";
  });
  // A new type is a new URN: a create and a delete, not a change of one resource.
  expect(hazards).toEqual([]);
  const baseline = parseBaseline(JSON.parse(JSON.stringify(planReport("test", "prod", records, undefined, true))), "base.json");
  const group = baseline.resources.find((r) => r.type === "azure-native:monitor:ActionGroup")!;
  group.type = "azure-native:monitor:SomethingNew";
  const changed = JSON.parse(JSON.stringify(records)) as ResourceRecord[];
  const mine = changed.find((r) => r.urn === group.urn)!;
  mine.type = "azure-native:monitor:SomethingNew";
  mine.inputs.enabled = false;
  const h = hazardsOf(previewChanges(changed, baseline));
  expect(h).toEqual([expect.objectContaining({ kind: "unjudged-type", blocking: false })]);
});

test("a resource renamed in the program without an alias: the create collides with the resource still there (blocking)", () => {
  const baseline = parseBaseline(JSON.parse(JSON.stringify(planReport("test", "prod", records, undefined, true))), "base.json");
  const changed = JSON.parse(JSON.stringify(records)) as ResourceRecord[];
  const group = changed.find((r) => r.type === "azure-native:monitor:ActionGroup")!;
  group.urn = group.urn.replace(/::[^:]+$/, "::renamed-action-group");
  group.name = "renamed-action-group";
  const hazards = hazardsOf(previewChanges(changed, baseline));
  expect(hazards).toEqual([expect.objectContaining({ kind: "create-collision", name: "renamed-action-group", blocking: true })]);
  expect(hazards[0].message).toMatch(/aliases/);
});

test("azure-native compares a location without case or spaces; an omitted purge protection turns nothing off", () => {
  let moved = 0;
  const respelt = after((rs) => { for (const r of rs) if (r.inputs.location === "westeurope") { r.inputs.location = "West Europe"; moved++; } });
  expect(moved).toBeGreaterThan(3);
  expect([respelt.preview.counts.update, respelt.preview.counts.replace, respelt.hazards]).toEqual([0, 0, []]);
  const { hazards, preview } = after((rs) => { delete (first(rs, "azure-native:keyvault:Vault").inputs.properties as Record<string, unknown>).enablePurgeProtection; });
  expect(preview.counts.update).toBe(1);
  expect(hazards).toEqual([]);
});

test("a stack export's bridge defaults (__defaults) and azure-native's azureApiVersion are not changes", () => {
  const baseline = parseBaseline(stackExportOf(records), "export.json");
  const app = baseline.resources.find((r) => r.type === "azuread:index/application:Application")!;
  expect(Object.keys(app.inputs)).not.toContain("__defaults");
  const preview = previewChanges(records, baseline);
  expect(preview.changes.filter((c) => c.op !== "same").map((c) => `${c.op} ${c.name} ${c.diff}`)).toEqual([]);
});

test("against a stack export, a grant moved to another existing identity is a replacement, not hidden by the real ids", () => {
  const baseline = parseBaseline(stackExportOf(records), "export.json");
  const changed = JSON.parse(JSON.stringify(records)) as ResourceRecord[];
  const grant = changed.find((r) => r.type === "azure-native:authorization:RoleAssignment" && (r.propertyDependencies.principalId ?? []).length > 0)!;
  const other = changed.find((r) => r.type === "azuread:index/servicePrincipal:ServicePrincipal" && !grant.propertyDependencies.principalId.includes(r.urn))!;
  expect(other).toBeDefined();
  grant.inputs.principalId = other.outputs.objectId;
  grant.propertyDependencies.principalId = [other.urn];
  const c = previewChanges(changed, baseline).changes.find((x) => x.urn === grant.urn)!;
  expect([c.op, c.replaceReasons]).toEqual(["replace", ["principalId"]]);
});

test("a stack export's copy pending deletion is deleted by the next up: listed as a delete, with its hazards", () => {
  const exported = stackExportOf(records) as { deployment: { resources: Record<string, unknown>[] } };
  const secret = exported.deployment.resources.find((r) => r.type === "azure-native:keyvault:Secret")!;
  exported.deployment.resources.push({ ...secret, delete: true });
  const preview = previewChanges(records, parseBaseline(exported, "export.json"));
  const pending = preview.changes.filter((c) => c.pendingDelete);
  expect(pending.map((c) => [c.op, c.urn])).toEqual([["delete", secret.urn]]);
  expect(preview.counts.delete).toBe(1);
  // The live secret of the same URN is unchanged.
  expect(preview.changes.find((c) => c.urn === secret.urn && !c.pendingDelete)!.op).toBe("same");
  expect(hazardsOf(preview)).toEqual([expect.objectContaining({ kind: "data-plane-delete", urn: secret.urn })]);
});

test("a resource the state marks tainted is replaced by the next up, whatever the inputs say", () => {
  const exported = stackExportOf(records) as { deployment: { resources: Record<string, unknown>[] } };
  const vault = exported.deployment.resources.find((r) => r.type === "azure-native:keyvault:Vault")!;
  vault.taint = true;
  const preview = previewChanges(records, parseBaseline(exported, "export.json"));
  const c = preview.changes.find((x) => x.urn === vault.urn)!;
  expect([c.op, c.replaceReasons, c.diff]).toEqual(["replace", ["taint"], []]);
  expect(hazardsOf(preview).filter((h) => h.urn === vault.urn).map((h) => [h.kind, h.blocking])).toEqual([["protected", true], ["soft-deleted-name", true]]);
});
