/**
 * For every service rule, one way to break it: a copy of a real plan with the single change a careless program
 * edit would make. The suite checks that each rule catches its breaker, so no rule is a check that cannot fail.
 */
import type { ResourceRecord } from "../../engine/types";
import { optionsOf } from "../../engine/types";
import type { Plan } from "./plan";

type Breaker = (plans: Plan[]) => Plan;

const clone = (p: Plan): Plan => JSON.parse(JSON.stringify(p));
const first = (p: Plan, type: string): ResourceRecord => {
  const r = p.records.find((x) => x.type === type);
  if (!r) throw new Error(`breaker needs a ${type} in plan ${p.name}`);
  return r;
};
const props = (r: ResourceRecord) => r.inputs.properties as Record<string, any>;
/** The plan whose name starts with `prefix`, copied. */
const base = (plans: Plan[], prefix: string): Plan => clone(plans.find((p) => p.name.startsWith(prefix))!);
const setOptions = (r: ResourceRecord, change: Partial<ReturnType<typeof optionsOf>>) => (r.options = { ...optionsOf(r), ...change });

function edit(prefix: string, change: (p: Plan) => void): Breaker {
  return (plans) => {
    const p = base(plans, prefix);
    change(p);
    return p;
  };
}

const blobDiagnostic = (p: Plan) => p.records.find((r) => r.type === "azure-native:monitor:DiagnosticSetting" && String(r.inputs.resourceUri).endsWith("/blobServices/default"))!;
const cmkWorkspace = (p: Plan) => p.records.find((r) => r.type === "azure-native:machinelearningservices:Workspace" && r.inputs.encryption)!;

export const BREAKERS: Record<string, Breaker> = {
  "storage-diagnostic-metrics": edit("shipped dev", (p) => (blobDiagnostic(p).inputs.metrics = [{ category: "AllMetrics", enabled: true }])),
  "diagnostic-log-groups-not-redundant": edit("shipped dev", (p) => (blobDiagnostic(p).inputs.logs = [{ categoryGroup: "audit", enabled: true }, { categoryGroup: "allLogs", enabled: true }])),
  "diagnostic-dedicated-tables-need-workspace": edit("shipped dev", (p) => delete blobDiagnostic(p).inputs.workspaceId),
  "vault-objects-retained-on-delete": edit("shipped dev", (p) => setOptions(first(p, "azure-native:keyvault:Secret"), { retainOnDelete: false })),
  "vault-access-policies-standalone-only": edit("access-policy", (p) => (props(first(p, "azure-native:keyvault:Vault")).accessPolicies = [])),
  "storage-ip-rules": edit("shipped dev", (p) => (first(p, "azure-native:storage:StorageAccount").inputs.networkRuleSet = { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "203.0.113.7/32", action: "Allow" }] })),
  "keyvault-ip-rules": edit("shipped dev", (p) => (props(first(p, "azure-native:keyvault:Vault")).networkAcls.ipRules = [{ value: "10.1.0.0/16" }])),
  "cmk-key-access-propagates-before-workspace": edit("maximal prod", (p) => {
    const ws = cmkWorkspace(p);
    ws.dependencies = ws.dependencies.filter((d) => !d.includes("time:index/sleep:Sleep"));
  }),
  "appinsights-entra-ingestion-has-publisher": edit("shipped dev", (p) => {
    p.records = p.records.filter((r) => !String(r.inputs.roleDefinitionId ?? "").endsWith("3913510d-42f4-4e42-8a64-420c390055eb"));
  }),
  "prod-monitoring-private-ingestion": edit("shipped prod", (p) => (first(p, "azure-native:applicationinsights:Component").inputs.publicNetworkAccessForIngestion = "Enabled")),
  "one-private-link-scope": edit("shipped prod", (p) => (first(p, "azure-native:monitor:PrivateLinkScopedResource").inputs.scopeName = "second-scope")),
  "lock-by-scope": edit("maximal prod", (p) => {
    const lock = first(p, "azure-native:authorization:ManagementLockByScope");
    lock.type = "azure-native:authorization:ManagementLockAtResourceLevel";
    lock.inputs = { ...lock.inputs, resourceProviderNamespace: "Microsoft.KeyVault", parentResourcePath: "", resourceType: "vaults" };
  }),
  "key-create-only": edit("maximal prod", (p) => setOptions(first(p, "azure-native:keyvault:Key"), { ignoreChanges: [] })),
  "vault-name": edit("shipped dev", (p) => (first(p, "azure-native:keyvault:Vault").inputs.vaultName = "kv--churn-d-1")),
  "storage-account-name": edit("shipped dev", (p) => (first(p, "azure-native:storage:StorageAccount").inputs.accountName = "stChurnDev")),
  "ml-workspace-name": edit("shipped dev", (p) => (first(p, "azure-native:machinelearningservices:Workspace").inputs.workspaceName = "mlw-a-name-longer-than-thirty-three-chars")),
  "resource-group-name": edit("shipped dev", (p) => (first(p, "azure-native:resources:ResourceGroup").inputs.resourceGroupName = "rg-ends-with-period.")),
  "user-assigned-identity-name": edit("shipped dev", (p) => (first(p, "azure-native:managedidentity:UserAssignedIdentity").inputs.resourceName = "-id")),
  "log-analytics-name": edit("shipped dev", (p) => (first(p, "azure-native:operationalinsights:Workspace").inputs.workspaceName = "log")),
  "app-insights-name": edit("shipped dev", (p) => (first(p, "azure-native:applicationinsights:Component").inputs.resourceName = "appi/churn")),
  "private-endpoint-name": edit("shipped prod", (p) => (first(p, "azure-native:network:PrivateEndpoint").inputs.privateEndpointName = "pe-ends-with-hyphen-")),
  "secret-and-key-names": edit("shipped dev", (p) => (first(p, "azure-native:keyvault:Secret").inputs.secretName = "sql_password")),
  "action-group-short-name": edit("shipped prod", (p) => (first(p, "azure-native:monitor:ActionGroup").inputs.groupShortName = "mlvault-production")),
  "role-assignment-names": edit("shipped dev", (p) => {
    const [a, b] = p.records.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    b.inputs.roleAssignmentName = a.inputs.roleAssignmentName;
  }),
  "role-assignment-unique-grant": edit("shipped dev", (p) => {
    const a = first(p, "azure-native:authorization:RoleAssignment");
    p.records.push({ ...a, urn: `${a.urn}-copy`, inputs: { ...a.inputs, roleAssignmentName: "00000000-0000-4000-8000-000000000abc" } });
  }),
  "custom-role-names": edit("shipped dev", (p) => {
    const def = first(p, "azure-native:authorization:RoleDefinition");
    def.inputs.assignableScopes = ["/subscriptions/00000000-0000-4000-8000-0ff11e000001/resourceGroups/elsewhere"];
  }),
  "enum-spelling": edit("shipped dev", (p) => (props(first(p, "azure-native:keyvault:Vault")).sku.name = "Standard")),
  "vault-deletion-protection": edit("shipped dev", (p) => (props(first(p, "azure-native:keyvault:Vault")).enablePurgeProtection = false)),
  "cmk-vault-requirements": edit("maximal prod", (p) => {
    const key = first(p, "azure-native:keyvault:Key");
    const vault = p.records.find((r) => r.type === "azure-native:keyvault:Vault" && r.inputs.vaultName === key.inputs.vaultName)!;
    props(vault).sku = { family: "A", name: "standard" };
  }),
  "cmk-identity-attached": edit("maximal prod", (p) => (cmkWorkspace(p).inputs.identity = { type: "SystemAssigned" })),
  "identity-based-datastores": edit("shipped dev", (p) => (first(p, "azure-native:machinelearningservices:Workspace").inputs.systemDatastoresAuthMode = "AccessKey")),
  "secret-attributes": edit("shipped dev", (p) => (props(first(p, "azure-native:keyvault:Secret")).attributes.expires = Date.UTC(2027, 0, 1))),
  "key-rotation-policy-bounds": edit("maximal prod", (p) => (props(first(p, "azure-native:keyvault:Key")).rotationPolicy.lifetimeActions[0].trigger.timeAfterCreate = "P3D")),
  "defender-plan": edit("shipped dev", (p) => (first(p, "azure-native:security:Pricing").inputs.pricingTier = "Free")),
  "workspace-based-app-insights": edit("shipped dev", (p) => delete first(p, "azure-native:applicationinsights:Component").inputs.workspaceResourceId),
  "data-access-matches-vault-model": edit("access-policy", (p) => (props(first(p, "azure-native:keyvault:Vault")).enableRbacAuthorization = true)),
  "locked-scope-deleted-after-lock": edit("maximal prod", (p) => {
    const lock = first(p, "azure-native:authorization:ManagementLockByScope");
    lock.dependencies = lock.dependencies.filter((d) => !d.includes("RoleAssignment"));
  }),
  "closed-monitoring-reachable-from-managed-network": edit("shipped prod", (p) => {
    const ws = first(p, "azure-native:machinelearningservices:Workspace");
    ws.inputs.managedNetwork = { isolationMode: "AllowOnlyApprovedOutbound" };
  }),
  "private-endpoint-group-ids": edit("shipped prod", (p) => ((first(p, "azure-native:network:PrivateEndpoint").inputs.privateLinkServiceConnections as any[])[0].groupIds = ["sqlServer"])),
};
