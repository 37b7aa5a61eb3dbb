/**
 * Azure service rules that the API schemas do not express, each with its source. The offline engine accepts any
 * request a schema allows; Azure does not. Every rule here runs against every plan the suite makes (plan.ts), so a
 * program change that would fail on real Azure fails here first. Where a behaviour cannot be exercised on this
 * machine, `assumption` says what is taken on the source's word.
 */
import type { ResourceRecord } from "../../engine/types";
import { optionsOf } from "../../engine/types";
import type { Plan } from "./plan";

export interface ServiceRule {
  id: string;
  /** What Azure (or the azure-native provider) requires. */
  rule: string;
  /** Where that is written: doc URL, REST API spec, provider source file or issue. */
  source: string;
  /** What is taken on the source's word because it cannot be exercised without Azure. */
  assumption?: string;
  /** Problems in the plan; [] when it follows the rule. */
  check(plan: Plan): string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers over plan records

const T = {
  vault: "azure-native:keyvault:Vault",
  secret: "azure-native:keyvault:Secret",
  key: "azure-native:keyvault:Key",
  accessPolicy: "azure-native:keyvault:AccessPolicy",
  diagnostic: "azure-native:monitor:DiagnosticSetting",
  storage: "azure-native:storage:StorageAccount",
  workspace: "azure-native:machinelearningservices:Workspace",
  appInsights: "azure-native:applicationinsights:Component",
  logAnalytics: "azure-native:operationalinsights:Workspace",
  scoped: "azure-native:monitor:PrivateLinkScopedResource",
  lockAtResource: "azure-native:authorization:ManagementLockAtResourceLevel",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  resourceGroup: "azure-native:resources:ResourceGroup",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  actionGroup: "azure-native:monitor:ActionGroup",
  pricing: "azure-native:security:Pricing",
  sleep: "time:index/sleep:Sleep",
};

const ROLE = {
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
};

const ofType = (p: Plan, type: string) => p.records.filter((r) => r.type === type);
const props = (r: ResourceRecord): Record<string, any> => (r.inputs.properties ?? {}) as Record<string, any>;
const lower = (s: unknown) => String(s ?? "").toLowerCase();
const byId = (p: Plan, id: unknown) => p.records.find((r) => r.id !== undefined && lower(r.id) === lower(id));
const label = (r: ResourceRecord) => `${r.type.split(":").pop()} ${r.name}`;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks a name input of every resource of `type` against Azure's naming rule. */
function nameRule(type: string, input: string, pattern: RegExp, extra?: (name: string) => string | undefined) {
  return (p: Plan): string[] => ofType(p, type).flatMap((r) => {
    const name = String(r.inputs[input] ?? "");
    if (!pattern.test(name)) return [`${label(r)}: ${input} "${name}" does not match ${pattern}`];
    const problem = extra?.(name);
    return problem ? [`${label(r)}: ${input} "${name}" ${problem}`] : [];
  });
}

function isoDays(value: unknown): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(String(value ?? ""));
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0);
}

/** IPv4 address or CIDR as the services parse it, with its numeric value and prefix. */
function parseIpv4(s: string): { value: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) return undefined;
  return { value: m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0), prefix: m[5] === undefined ? 32 : Number(m[5]) };
}

const RFC1918: [number, number][] = [[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16]];
const inRfc1918 = (v: number) => RFC1918.some(([base, prefix]) => Math.floor(v / 2 ** (32 - prefix)) === Math.floor(base / 2 ** (32 - prefix)));

/** Exact enum spellings of the REST specs for the API versions azure-native 3.28 uses. */
const ENUMS: { type: string; path: string[]; allowed: string[]; spec: string }[] = [
  { type: T.vault, path: ["properties", "sku", "name"], allowed: ["standard", "premium"], spec: "keyvault 2024-11-01 SkuName" },
  { type: T.vault, path: ["properties", "sku", "family"], allowed: ["A"], spec: "keyvault 2024-11-01 SkuFamily" },
  { type: T.vault, path: ["properties", "publicNetworkAccess"], allowed: ["Enabled", "Disabled"], spec: "keyvault 2024-11-01 (string, documented values)" },
  { type: T.vault, path: ["properties", "networkAcls", "defaultAction"], allowed: ["Allow", "Deny"], spec: "keyvault 2024-11-01 NetworkRuleAction" },
  { type: T.vault, path: ["properties", "networkAcls", "bypass"], allowed: ["AzureServices", "None"], spec: "keyvault 2024-11-01 NetworkRuleBypassOptions" },
  { type: T.storage, path: ["sku", "name"], allowed: ["Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS", "Premium_LRS", "Premium_ZRS", "Standard_GZRS", "Standard_RAGZRS"], spec: "storage 2024-01-01 SkuName" },
  { type: T.storage, path: ["kind"], allowed: ["Storage", "StorageV2", "BlobStorage", "FileStorage", "BlockBlobStorage"], spec: "storage 2024-01-01 Kind" },
  { type: T.storage, path: ["minimumTlsVersion"], allowed: ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"], spec: "storage 2024-01-01 MinimumTlsVersion" },
  { type: T.storage, path: ["publicNetworkAccess"], allowed: ["Enabled", "Disabled", "SecuredByPerimeter"], spec: "storage 2024-01-01 PublicNetworkAccess" },
  { type: T.storage, path: ["networkRuleSet", "defaultAction"], allowed: ["Allow", "Deny"], spec: "storage 2024-01-01 DefaultAction" },
  { type: T.storage, path: ["encryption", "keySource"], allowed: ["Microsoft.Storage", "Microsoft.Keyvault"], spec: "storage 2024-01-01 KeySource" },
  { type: T.workspace, path: ["publicNetworkAccess"], allowed: ["Enabled", "Disabled"], spec: "machinelearningservices 2025-12-01 PublicNetworkAccessType" },
  { type: T.workspace, path: ["managedNetwork", "isolationMode"], allowed: ["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"], spec: "machinelearningservices 2025-12-01 IsolationMode" },
  { type: T.workspace, path: ["identity", "type"], allowed: ["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"], spec: "ManagedServiceIdentityType" },
  { type: T.workspace, path: ["encryption", "status"], allowed: ["Enabled", "Disabled"], spec: "machinelearningservices 2025-12-01 EncryptionStatus" },
  { type: T.appInsights, path: ["ingestionMode"], allowed: ["ApplicationInsights", "ApplicationInsightsWithDiagnosticSettings", "LogAnalytics"], spec: "applicationinsights 2020-02-02 IngestionMode" },
  { type: T.appInsights, path: ["publicNetworkAccessForIngestion"], allowed: ["Enabled", "Disabled"], spec: "applicationinsights 2020-02-02 PublicNetworkAccessType" },
  { type: T.logAnalytics, path: ["sku", "name"], allowed: ["Free", "Standard", "Premium", "PerNode", "PerGB2018", "Standalone", "CapacityReservation", "LACluster"], spec: "operationalinsights 2023-09-01 WorkspaceSkuNameEnum" },
  { type: T.logAnalytics, path: ["publicNetworkAccessForIngestion"], allowed: ["Enabled", "Disabled", "SecuredByPerimeter"], spec: "operationalinsights 2023-09-01 PublicNetworkAccessType" },
  { type: T.roleAssignment, path: ["principalType"], allowed: ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"], spec: "authorization 2022-04-01 PrincipalType" },
  { type: T.pricing, path: ["pricingTier"], allowed: ["Free", "Standard"], spec: "security 2024-01-01 PricingTier" },
];

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}

// ---------------------------------------------------------------------------------------------------------------
// The rules

export const SERVICE_RULES: ServiceRule[] = [
  {
    id: "storage-diagnostic-metrics",
    rule: "Diagnostic settings on storage never ask for AllMetrics: a storage service takes Transaction, the account Transaction and Capacity.",
    source: "Azure/azure-powershell#6520 (\"Metric category 'AllMetrics' is not supported\" on blobServices/default); Azure/terraform-azurerm-avm-res-storage-storageaccount#322, #325, #387",
    check: (p) => ofType(p, T.diagnostic).flatMap((d) => {
      const uri = String(d.inputs.resourceUri ?? "");
      const service = /\/Microsoft\.Storage\/storageAccounts\/[^/]+\/(blob|file|queue|table)Services\/default$/i.test(uri);
      const account = /\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(uri);
      if (!service && !account) return [];
      const allowed = service ? ["Transaction"] : ["Transaction", "Capacity"];
      return ((d.inputs.metrics ?? []) as any[]).filter((m) => !allowed.includes(m.category))
        .map((m) => `${label(d)}: metric category "${m.category}" on ${service ? "a storage service" : "a storage account"} (allowed: ${allowed.join(", ")})`);
    }),
  },
  {
    id: "diagnostic-log-groups-not-redundant",
    rule: "A diagnostic setting sends allLogs or audit, not both: allLogs already includes audit.",
    source: "https://learn.microsoft.com/azure/azure-monitor/platform/diagnostic-settings#category-groups (\"You don't need to select this category group if you select the allLogs category group\")",
    check: (p) => ofType(p, T.diagnostic).flatMap((d) => {
      const groups = ((d.inputs.logs ?? []) as any[]).map((l) => lower(l.categoryGroup));
      return groups.includes("alllogs") && groups.includes("audit") ? [`${label(d)}: both allLogs and audit`] : [];
    }),
  },
  {
    id: "diagnostic-dedicated-tables-need-workspace",
    rule: "logAnalyticsDestinationType Dedicated (resource-specific tables) applies only with a Log Analytics workspaceId.",
    source: "monitor 2021-05-01-preview diagnosticsSettings.json (logAnalyticsDestinationType); https://learn.microsoft.com/azure/azure-monitor/platform/resource-logs#resource-specific",
    check: (p) => ofType(p, T.diagnostic).filter((d) => d.inputs.logAnalyticsDestinationType === "Dedicated" && !d.inputs.workspaceId)
      .map((d) => `${label(d)}: Dedicated without workspaceId`),
  },
  {
    id: "vault-objects-retained-on-delete",
    rule: "Secrets and keys are never deleted by Pulumi: azure-native deletes them through the Key Vault data plane, which the deploying identity cannot reach (no data-plane role; no public network path in prod).",
    source: "pulumi/pulumi-azure-native provider/pkg/resources/customresources/custom_keyvault.go (\"DELETE is implemented via the KeyVault data plane API, because it isn't available via ARM\"; azsecrets DeleteSecret / azkeys DeleteKey)",
    assumption: "The deploying identity holds no Key Vault data-plane role (docs/deploying.md); a 403 from the data plane fails the delete.",
    check: (p) => [...ofType(p, T.secret), ...ofType(p, T.key)].filter((r) => !optionsOf(r).retainOnDelete)
      .map((r) => `${label(r)}: no retainOnDelete, so a delete goes through the data plane`),
  },
  {
    id: "vault-access-policies-standalone-only",
    rule: "A vault never sets accessPolicies inline; azure-native then sends [] on create and keeps the live policies (standalone AccessPolicy resources, Azure ML's own) on every update.",
    source: "pulumi/pulumi-azure-native#594 (\"only use stand-alone access policies ... or inline access policies ... not both\"), #2951 (MaintainSubResourcePropertiesIfNotSet); Azure/azure-sdk-for-net#32872",
    check: (p) => ofType(p, T.vault).filter((v) => "accessPolicies" in props(v)).map((v) => `${label(v)}: properties.accessPolicies is set`),
  },
  {
    id: "storage-ip-rules",
    rule: "Storage IP rules are public IPv4 addresses or ranges: no /31 or /32 prefix (a single address goes without one), no RFC 1918 range.",
    source: "https://learn.microsoft.com/azure/storage/common/storage-network-security-ip-address-range (\"Small address ranges that use /31 or /32 prefix sizes are not supported\"; \"IP address ranges reserved for private networks (as defined in RFC 1918) aren't allowed in IP rules\"); storage 2024-01-01 IPRule: \"Only IPV4 address is allowed\"",
    check: (p) => ofType(p, T.storage).flatMap((s) => ((at(s.inputs, ["networkRuleSet", "ipRules"]) ?? []) as any[]).flatMap((rule) => {
      const value = String(rule.iPAddressOrRange ?? "");
      const ip = parseIpv4(value);
      if (!ip) return [`${label(s)}: "${value}" is not IPv4`];
      if (value.includes("/") && ip.prefix >= 31) return [`${label(s)}: "${value}" has a /${ip.prefix} prefix`];
      return inRfc1918(ip.value) ? [`${label(s)}: "${value}" is a private range`] : [];
    })),
  },
  {
    id: "keyvault-ip-rules",
    rule: "Key Vault IP rules are public IPv4 addresses or CIDR ranges.",
    source: "https://learn.microsoft.com/azure/key-vault/general/network-security (\"IPv4 address ranges ... in CIDR format\"); keyvault 2024-11-01 IPRule.value",
    check: (p) => ofType(p, T.vault).flatMap((v) => ((at(props(v), ["networkAcls", "ipRules"]) ?? []) as any[]).flatMap((rule) => {
      const ip = parseIpv4(String(rule.value ?? ""));
      if (!ip) return [`${label(v)}: "${rule.value}" is not IPv4`];
      return inRfc1918(ip.value) ? [`${label(v)}: "${rule.value}" is a private range`] : [];
    })),
  },
  {
    id: "cmk-key-access-propagates-before-workspace",
    rule: "A workspace encrypted with a customer-managed key is created only after its identity's key grant has had time to take effect, not merely after ARM created it.",
    source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting (\"it can take up to 10 minutes for changes to take effect\"); https://learn.microsoft.com/azure/machine-learning/concept-customer-managed-keys (the identity needs Wrap Key, Unwrap Key, Get)",
    assumption: "Propagation of a new assignment for a new identity takes well under the configured wait (KEY_ACCESS_PROPAGATION) in practice; Azure promises no bound below 10 minutes.",
    check: (p) => ofType(p, T.workspace).filter((w) => lower(at(w.inputs, ["encryption", "status"])) === "enabled").flatMap((w) => {
      const identityId = at(w.inputs, ["encryption", "identity", "userAssignedIdentity"]);
      const identity = byId(p, identityId);
      const vault = byId(p, at(w.inputs, ["encryption", "keyVaultProperties", "keyVaultArmId"]));
      if (!identity || !vault) return [`${label(w)}: encryption names an identity or vault outside the plan`];
      const principal = identity.outputs.principalId;
      const grants = [
        ...ofType(p, T.roleAssignment).filter((r) => r.inputs.principalId === principal && r.inputs.scope === vault.id && String(r.inputs.roleDefinitionId).endsWith(ROLE.keyVaultCryptoServiceEncryptionUser)),
        ...ofType(p, T.accessPolicy).filter((a) => at(a.inputs, ["policy", "objectId"]) === principal && a.inputs.vaultName === vault.inputs.vaultName
          && ((at(a.inputs, ["policy", "permissions", "keys"]) ?? []) as string[]).includes("unwrapKey")),
      ];
      if (grants.length === 0) return [`${label(w)}: no key grant for its encryption identity on ${label(vault)}`];
      const waits = ofType(p, T.sleep).filter((s) => w.dependencies.includes(s.urn));
      const covered = waits.some((s) => grants.every((g) => s.dependencies.includes(g.urn)) && /^\d+s$/.test(String(s.inputs.createDuration)) && parseInt(String(s.inputs.createDuration), 10) >= 60);
      return covered ? [] : [`${label(w)}: does not wait (time:Sleep of at least 60 s) after its key grants`];
    }),
  },
  {
    id: "appinsights-entra-ingestion-has-publisher",
    rule: "An Application Insights component with local auth disabled takes telemetry only from identities holding Monitoring Metrics Publisher on it.",
    source: "https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication (\"add the Monitoring Metrics Publisher role ... by setting the target Application Insights resource as the role scope\")",
    check: (p) => ofType(p, T.appInsights).filter((c) => c.inputs.disableLocalAuth === true)
      .filter((c) => !ofType(p, T.roleAssignment).some((r) => r.inputs.scope === c.id && String(r.inputs.roleDefinitionId).endsWith(ROLE.monitoringMetricsPublisher)))
      .map((c) => `${label(c)}: nobody holds Monitoring Metrics Publisher on it`),
  },
  {
    id: "prod-monitoring-private-ingestion",
    rule: "In prod, Log Analytics and Application Insights close public ingestion and are linked to the network's Azure Monitor Private Link Scope (or nothing in the network could ingest).",
    source: "https://learn.microsoft.com/azure/azure-monitor/fundamentals/private-link-design (diagnostic settings \"aren't controlled by these settings\"; \"Queries sent through the Resource Manager API can't use Azure Monitor private links\", so query stays open)",
    check: (p) => p.environment !== "prod" ? [] : [...ofType(p, T.logAnalytics), ...ofType(p, T.appInsights)].flatMap((r) => {
      const problems: string[] = [];
      if (r.inputs.publicNetworkAccessForIngestion !== "Disabled") problems.push(`${label(r)}: public ingestion is not Disabled`);
      if (!ofType(p, T.scoped).some((s) => s.inputs.linkedResourceId === r.id)) problems.push(`${label(r)}: not linked to a private link scope`);
      return problems;
    }),
  },
  {
    id: "one-private-link-scope",
    rule: "All monitoring resources of a stack link into one Azure Monitor Private Link Scope; mlvault never creates one.",
    source: "https://learn.microsoft.com/azure/azure-monitor/fundamentals/private-link-security (\"Creating multiple AMPLS resources will cause Azure Monitor DNS zones to override each other and break existing environments\"; \"A virtual network can connect to only one AMPLS object\")",
    check: (p) => {
      const scopes = new Set(ofType(p, T.scoped).map((s) => `${lower(s.inputs.resourceGroupName)}/${lower(s.inputs.scopeName)}`));
      const created = p.records.filter((r) => r.type === "azure-native:monitor:PrivateLinkScope");
      return [...(scopes.size > 1 ? [`links into ${scopes.size} scopes: ${[...scopes].join(", ")}`] : []), ...created.map((r) => `${label(r)}: creates a private link scope`)];
    },
  },
  {
    id: "lock-by-scope",
    rule: "Resource locks are created by scope, never ManagementLockAtResourceLevel with an empty parentResourcePath.",
    source: "pulumi/pulumi-azure-native#3524 and Azure/azure-sdk-for-go#18835 (InvalidResourceType / NoRegisteredProviderFound from the empty path segment)",
    check: (p) => ofType(p, T.lockAtResource).filter((l) => !l.inputs.parentResourcePath).map((l) => `${label(l)}: empty parentResourcePath`),
  },
  {
    id: "locked-scope-deleted-after-lock",
    rule: "A CanNotDelete lock on a resource blocks deleting role assignments and diagnostic settings at its scope; the lock depends on them, so a destroy deletes the lock first.",
    source: "MicrosoftDocs/azure-docs#110791 and hashicorp/terraform-provider-azurerm#11770 (409 ScopeLocked deleting a role assignment under a delete lock); https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources",
    assumption: "Extension resources at a locked scope inherit the lock as the reports describe; cannot be exercised offline.",
    check: (p) => ofType(p, "azure-native:authorization:ManagementLockByScope").filter((l) => lower(l.inputs.level) === "cannotdelete").flatMap((l) => {
      const scoped = p.records.filter((r) => r !== l && (lower(r.inputs.scope) === lower(l.inputs.scope) || lower(r.inputs.resourceUri) === lower(l.inputs.scope)) && r.custom);
      return scoped.filter((r) => !l.dependencies.includes(r.urn)).map((r) => `${label(l)}: does not depend on ${label(r)} at its scope`);
    }),
  },
  {
    id: "closed-monitoring-reachable-from-managed-network",
    rule: "When App Insights closes public ingestion, a workspace whose managed network allows only approved outbound has a private endpoint rule to the private link scope (sub-resource azuremonitor), and its identity may approve it there.",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (private endpoint targets: \"Application Insights (Through PrivateLinkScopes)\"; AzureMonitor service tag \"Only needed if the Azure Monitor for the workspace isn't secured\"; approver role for private endpoint rules since April 2025)",
    assumption: "The managed network resolves the scope's private DNS zones itself (Microsoft-managed); not documented, not exercisable offline.",
    check: (p) => {
      const closed = ofType(p, T.appInsights).filter((c) => c.inputs.publicNetworkAccessForIngestion === "Disabled");
      if (closed.length === 0) return [];
      return ofType(p, T.workspace).filter((w) => at(w.inputs, ["managedNetwork", "isolationMode"]) === "AllowOnlyApprovedOutbound").flatMap((w) => {
        const rules = Object.values((at(w.inputs, ["managedNetwork", "outboundRules"]) ?? {}) as Record<string, any>);
        const rule = rules.find((r) => r.type === "PrivateEndpoint" && /\/privateLinkScopes\//i.test(String(r.destination?.serviceResourceId)) && r.destination?.subresourceTarget === "azuremonitor");
        if (!rule) return [`${label(w)}: no private endpoint rule to the Azure Monitor private link scope`];
        const approver = ofType(p, T.roleAssignment).some((r) => lower(r.inputs.scope) === lower(rule.destination.serviceResourceId) && String(r.inputs.roleDefinitionId).endsWith("b556d68e-0be0-4f35-a333-ad7ee1ce17ea"));
        return approver ? [] : [`${label(w)}: its identity cannot approve the endpoint on the scope`];
      });
    },
  },
  {
    id: "key-create-only",
    rule: "A Key Vault key is created once through ARM and never updated: the plan ignores changes ARM would silently drop.",
    source: "Azure/azure-rest-api-specs keyvault 2024-11-01 keys.json, Keys_CreateIfNotExist: \"This API does not create subsequent versions, and does not update existing keys.\"",
    check: (p) => ofType(p, T.key).filter((k) => !["properties", "tags"].every((x) => optionsOf(k).ignoreChanges.includes(x)))
      .map((k) => `${label(k)}: ignoreChanges does not cover properties and tags`),
  },
  {
    id: "vault-name",
    rule: "Key Vault names: 3-24 characters, letters, digits and hyphens, start with a letter, end with a letter or digit, no consecutive hyphens; globally unique.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault",
    check: nameRule(T.vault, "vaultName", /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/, (n) => (n.includes("--") ? "has consecutive hyphens" : undefined)),
  },
  {
    id: "storage-account-name",
    rule: "Storage account names: 3-24 lowercase letters and digits; globally unique.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage",
    check: nameRule(T.storage, "accountName", /^[a-z0-9]{3,24}$/),
  },
  {
    id: "ml-workspace-name",
    rule: "ML workspace names: 3-33 characters, letters, digits, hyphens and underscores, starting with a letter or digit.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftmachinelearningservices",
    check: nameRule(T.workspace, "workspaceName", /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/),
  },
  {
    id: "resource-group-name",
    rule: "Resource group names: 1-90 characters, letters, digits, underscores, parentheses, hyphens and periods, not ending in a period.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources",
    check: nameRule(T.resourceGroup, "resourceGroupName", /^[-\w.()]{0,89}[-\w()]$/),
  },
  {
    id: "user-assigned-identity-name",
    rule: "User-assigned identity names: 3-128 characters, letters, digits, hyphens and underscores, starting with a letter or digit.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftmanagedidentity",
    check: nameRule(T.identity, "resourceName", /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/),
  },
  {
    id: "log-analytics-name",
    rule: "Log Analytics workspace names: 4-63 characters, letters, digits and hyphens, starting and ending with a letter or digit.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftoperationalinsights",
    check: nameRule(T.logAnalytics, "workspaceName", /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/),
  },
  {
    id: "app-insights-name",
    rule: "Application Insights component names: 1-260 characters, no % & \\ ? /, not ending in a space or period.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftinsights",
    check: nameRule(T.appInsights, "resourceName", /^[^%&\\?/]{0,259}[^%&\\?/. ]$/),
  },
  {
    id: "private-endpoint-name",
    rule: "Private endpoint names: 2-64 characters, letters, digits, underscores, periods and hyphens, starting with a letter or digit, ending with a letter, digit or underscore.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftnetwork",
    check: nameRule(T.privateEndpoint, "privateEndpointName", /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$/),
  },
  {
    id: "secret-and-key-names",
    rule: "Key Vault object names: 1-127 characters, letters, digits and hyphens.",
    source: "https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers",
    check: (p) => [...nameRule(T.secret, "secretName", /^[0-9a-zA-Z-]{1,127}$/)(p), ...nameRule(T.key, "keyName", /^[0-9a-zA-Z-]{1,127}$/)(p)],
  },
  {
    id: "action-group-short-name",
    rule: "An action group's short name (used in SMS and email) has at most 12 characters.",
    source: "monitor actionGroups_API.json (groupShortName maxLength 12)",
    check: (p) => ofType(p, T.actionGroup).filter((a) => String(a.inputs.groupShortName ?? "").length > 12 || !a.inputs.groupShortName)
      .map((a) => `${label(a)}: groupShortName "${a.inputs.groupShortName}"`),
  },
  {
    id: "role-assignment-names",
    rule: "Role assignment names are GUIDs, unique within the stack (Azure requires them unique across the tenant: \"You can't create two role assignments with the same name, even in different Azure subscriptions\"; the renames across generations are checked in lifecycle.test.ts).",
    source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting (RoleAssignmentUpdateNotPermitted)",
    check: (p) => {
      const names = ofType(p, T.roleAssignment).map((r) => String(r.inputs.roleAssignmentName ?? ""));
      return [
        ...names.filter((n) => !GUID.test(n)).map((n) => `role assignment name "${n}" is not a lowercase GUID`),
        ...names.filter((n, i) => names.indexOf(n) !== i).map((n) => `role assignment name ${n} is used twice`),
      ];
    },
  },
  {
    id: "role-assignment-unique-grant",
    rule: "One assignment per principal, role and scope: Azure refuses a second one under another name (RoleAssignmentExists).",
    source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-already-exists",
    check: (p) => {
      const keys = ofType(p, T.roleAssignment).map((r) => `${r.inputs.principalId}|${lower(r.inputs.roleDefinitionId)}|${lower(r.inputs.scope)}`);
      return keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => `duplicate grant ${k}`);
    },
  },
  {
    id: "custom-role-names",
    rule: "Custom role names are unique in the tenant, and a role can be assigned only within its assignableScopes.",
    source: "https://learn.microsoft.com/azure/role-based-access-control/custom-roles (\"role name must be unique to your tenant\")",
    check: (p) => {
      const defs = ofType(p, T.roleDefinition);
      const names = defs.map((d) => String(d.inputs.roleName));
      return [
        ...names.filter((n, i) => names.indexOf(n) !== i).map((n) => `custom role name "${n}" used twice`),
        ...ofType(p, T.roleAssignment).flatMap((r) => {
          const def = defs.find((d) => d.id === r.inputs.roleDefinitionId);
          if (!def) return [];
          const scopes = (def.inputs.assignableScopes as string[]).map(lower);
          return scopes.some((s) => lower(r.inputs.scope).startsWith(s)) ? [] : [`${label(r)}: scope outside ${def.inputs.roleName}'s assignableScopes`];
        }),
      ];
    },
  },
  {
    id: "enum-spelling",
    rule: "Enum values are sent exactly as the REST spec spells them (Azure accepts other casing but reads back its own, so a different spelling shows as a change on every refresh).",
    source: "Azure/azure-rest-api-specs enums for the API versions azure-native 3.28 uses (see each entry's spec)",
    check: (p) => ENUMS.flatMap((e) => ofType(p, e.type).flatMap((r) => {
      const value = at(r.inputs, e.path);
      return value === undefined || e.allowed.includes(String(value)) ? [] : [`${label(r)}: ${e.path.join(".")} "${value}" is not one of ${e.allowed.join(", ")} (${e.spec})`];
    })),
  },
  {
    id: "vault-deletion-protection",
    rule: "Purge protection is never sent as false (it cannot be turned off once on), and soft-delete retention is 7-90 days.",
    source: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview (\"Enabling this functionality is irreversible\"; \"configurable period of 7 to 90 calendar days\"; \"Once set, the retention policy interval cannot be changed\")",
    check: (p) => ofType(p, T.vault).flatMap((v) => {
      const vp = props(v);
      const problems: string[] = [];
      if (vp.enablePurgeProtection === false) problems.push(`${label(v)}: enablePurgeProtection false`);
      const days = vp.softDeleteRetentionInDays;
      if (days !== undefined && (!Number.isInteger(days) || days < 7 || days > 90)) problems.push(`${label(v)}: softDeleteRetentionInDays ${days}`);
      if (vp.enableSoftDelete === false) problems.push(`${label(v)}: enableSoftDelete false`);
      return problems;
    }),
  },
  {
    id: "cmk-vault-requirements",
    rule: "A vault holding a workspace's customer-managed key has soft delete and purge protection; HSM keys need a premium vault.",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-setup-customer-managed-keys (soft delete and purge protection required); https://learn.microsoft.com/azure/key-vault/keys/about-keys (HSM-protected keys: Premium SKU)",
    check: (p) => ofType(p, T.key).flatMap((k) => {
      const vault = ofType(p, T.vault).find((v) => v.inputs.vaultName === k.inputs.vaultName && v.inputs.resourceGroupName === k.inputs.resourceGroupName);
      if (!vault) return [`${label(k)}: its vault is not in the plan`];
      const vp = props(vault);
      const problems: string[] = [];
      if (vp.enablePurgeProtection !== true) problems.push(`${label(vault)}: holds a key but has no purge protection`);
      if (String(props(k).kty).endsWith("-HSM") && vp.sku?.name !== "premium") problems.push(`${label(vault)}: holds an HSM key but is ${vp.sku?.name}`);
      return problems;
    }),
  },
  {
    id: "cmk-identity-attached",
    rule: "The identity named in a workspace's encryption is attached to the workspace (UserAssigned in identity.type, listed in userAssignedIdentities).",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-setup-customer-managed-keys (user-assigned identity for the key); machinelearningservices 2025-12-01 EncryptionProperty.identity",
    check: (p) => ofType(p, T.workspace).filter((w) => at(w.inputs, ["encryption", "identity", "userAssignedIdentity"]) !== undefined).flatMap((w) => {
      const id = at(w.inputs, ["encryption", "identity", "userAssignedIdentity"]);
      const attached = ((at(w.inputs, ["identity", "userAssignedIdentities"]) ?? []) as unknown[]).map(lower);
      return String(at(w.inputs, ["identity", "type"])).includes("UserAssigned") && attached.includes(lower(id)) ? [] : [`${label(w)}: encryption identity not attached`];
    }),
  },
  {
    id: "identity-based-datastores",
    rule: "With shared keys off on its storage account, a workspace authenticates its system datastores by identity.",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage (systemDatastoresAuthMode: identity)",
    check: (p) => ofType(p, T.workspace).flatMap((w) => {
      const account = byId(p, w.inputs.storageAccount);
      if (!account || account.inputs.allowSharedKeyAccess !== false) return [];
      return lower(w.inputs.systemDatastoresAuthMode) === "identity" ? [] : [`${label(w)}: storage has no shared keys but systemDatastoresAuthMode is ${w.inputs.systemDatastoresAuthMode}`];
    }),
  },
  {
    id: "secret-attributes",
    rule: "Secret and key dates are whole epoch seconds, and notBefore comes before expires.",
    source: "keyvault 2024-11-01 secrets.json / keys.json Attributes (nbf, exp: \"in seconds since 1970-01-01T00:00:00Z\")",
    check: (p) => [...ofType(p, T.secret), ...ofType(p, T.key)].flatMap((r) => {
      const a = (props(r).attributes ?? {}) as Record<string, unknown>;
      const problems: string[] = [];
      for (const k of ["notBefore", "expires"]) if (a[k] !== undefined && !(Number.isInteger(a[k]) && (a[k] as number) < 1e11)) problems.push(`${label(r)}: ${k} is not epoch seconds`);
      if (typeof a.notBefore === "number" && typeof a.expires === "number" && a.notBefore >= a.expires) problems.push(`${label(r)}: notBefore is not before expires`);
      return problems;
    }),
  },
  {
    id: "key-rotation-policy-bounds",
    rule: "A key rotation policy expires versions no sooner than 28 days, and rotates at least 7 days after creation and 7 days before expiry.",
    source: "https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation (expiry time minimum 28 days; rotation time \"minimum value of 7 days from creation and 7 days from expiration time\")",
    check: (p) => ofType(p, T.key).flatMap((k) => {
      const policy = props(k).rotationPolicy;
      if (!policy) return [];
      const expiry = isoDays(at(policy, ["attributes", "expiryTime"]));
      const problems: string[] = [];
      if (expiry !== undefined && expiry < 28) problems.push(`${label(k)}: expiryTime under 28 days`);
      for (const a of (policy.lifetimeActions ?? []) as any[]) {
        if (lower(a.action?.type) !== "rotate") continue;
        const after = isoDays(a.trigger?.timeAfterCreate);
        if (after !== undefined && (after < 7 || (expiry !== undefined && after > expiry - 7))) problems.push(`${label(k)}: rotates ${after} days after creation`);
      }
      return problems;
    }),
  },
  {
    id: "defender-plan",
    rule: "Defender for Key Vault's PerKeyVault sub-plan exists only on the Standard tier.",
    source: "security 2024-01-01 pricings.json (subPlan; pricingTier Free | Standard); https://learn.microsoft.com/azure/defender-for-cloud/defender-for-key-vault-introduction",
    check: (p) => ofType(p, T.pricing).filter((r) => r.inputs.subPlan !== undefined && r.inputs.pricingTier !== "Standard").map((r) => `${label(r)}: subPlan without Standard tier`),
  },
  {
    id: "workspace-based-app-insights",
    rule: "Application Insights ingesting into Log Analytics names its workspace.",
    source: "applicationinsights 2020-02-02 components_API.json (IngestionMode LogAnalytics, WorkspaceResourceId)",
    check: (p) => ofType(p, T.appInsights).filter((c) => c.inputs.ingestionMode === "LogAnalytics" && !c.inputs.workspaceResourceId).map((c) => `${label(c)}: no workspaceResourceId`),
  },
  {
    id: "data-access-matches-vault-model",
    rule: "Key Vault data-plane role assignments act only on RBAC vaults, access policies only on access-policy vaults (\"the access policies specified in vault properties will be ignored\").",
    source: "keyvault 2024-11-01 keyvault.json, enableRbacAuthorization description; https://learn.microsoft.com/azure/key-vault/general/rbac-guide",
    check: (p) => [
      ...ofType(p, T.roleAssignment).flatMap((r) => {
        const vault = ofType(p, T.vault).find((v) => v.id === r.inputs.scope);
        return vault && props(vault).enableRbacAuthorization !== true ? [`${label(r)}: role assignment on access-policy ${label(vault)}`] : [];
      }),
      ...ofType(p, T.accessPolicy).flatMap((a) => {
        const vault = ofType(p, T.vault).find((v) => v.inputs.vaultName === a.inputs.vaultName);
        return vault && props(vault).enableRbacAuthorization === true ? [`${label(a)}: access policy on RBAC ${label(vault)}`] : [];
      }),
    ],
  },
  {
    id: "private-endpoint-group-ids",
    rule: "A private endpoint's group id is one its target offers: vault for Key Vault, amlworkspace for ML, blob / file / queue / table / dfs / web for storage.",
    source: "https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-link-resource",
    check: (p) => ofType(p, T.privateEndpoint).flatMap((e) => ((e.inputs.privateLinkServiceConnections ?? []) as any[]).flatMap((c) => {
      const target = byId(p, c.privateLinkServiceId);
      const allowed = target?.type === T.vault ? ["vault"] : target?.type === T.workspace ? ["amlworkspace"] : target?.type === T.storage ? ["blob", "file", "queue", "table", "dfs", "web"] : undefined;
      if (!allowed) return [`${label(e)}: target not in the plan`];
      return (c.groupIds as string[]).filter((g) => !allowed.includes(g)).map((g) => `${label(e)}: group "${g}" on ${label(target!)}`);
    })),
  },
];
