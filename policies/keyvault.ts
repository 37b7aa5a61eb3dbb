/**
 * Key Vault controls KV-01…KV-11. Resource policies read the vault's INPUTS (`properties.*`, with
 * the SDK's client-side defaults usually already applied, but a missing value is read as the
 * service default); stack policies read ARM read-back OUTPUTS and link resources through
 * lib/links.ts.
 */
import type { Policies, PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { targetsWithLogs } from "./lib/diagnostics";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { linkedTargets, normaliseId, ofType, parentIdBefore, TargetIndex } from "./lib/links";
import { targetsWithPrivateEndpoint } from "./lib/privateEndpoints";
import { describeWide, tooWide, WIDEST_PREFIX_SCHEMA } from "./lib/ipRanges";
import { isType, T } from "./lib/types";
import { UnknownTracker } from "./lib/unknowns";
import { asNumber, clean, eqi, isRecord, isTrue, oneOfi, shown } from "./lib/values";
import { purgeProtectionProblem, rbacProblem, softDeleteProblem } from "./lib/vaultChecks";

const NO_CONFIG = { properties: {} };

/** The lower-cased subscription id an ARM id starts with. */
function subscriptionOf(armId: unknown): string | undefined {
  const m = /^\/subscriptions\/([^/]+)/i.exec(clean(armId) ?? "");
  return m ? m[1].toLowerCase() : undefined;
}

function vaultProperties(props: Record<string, any>): Record<string, any> {
  return isRecord(props.properties) ? props.properties : {};
}

export const kv01SoftDelete = resourcePolicy({
  name: "kv-01-soft-delete",
  controls: ["KV-01"],
  summary: "Key Vaults keep soft delete enabled.",
  types: [T.vault],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const problem = softDeleteProblem(vaultProperties(props));
    if (problem) report("KV-01", `${problem}; remove it or set properties.enableSoftDelete to true.`);
  },
});

export const kv02PurgeProtection = resourcePolicy({
  name: "kv-02-purge-protection",
  controls: ["KV-02"],
  summary: "Key Vaults have purge protection enabled.",
  types: [T.vault],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const problem = purgeProtectionProblem(vaultProperties(props));
    if (problem) report("KV-02", `${problem}; set properties.enablePurgeProtection to true (Azure rejects an explicit false: omit it where it must stay off).`);
  },
});

interface RetentionConfig { minRetentionDays: number; maxRetentionDays: number }
export const kv03SoftDeleteRetention = resourcePolicy<RetentionConfig>({
  name: "kv-03-soft-delete-retention",
  controls: ["KV-03"],
  summary: "Key Vault soft-delete retention lies within the configured range (default 90 days, the maximum Azure allows).",
  types: [T.vault],
  configSchema: {
    properties: {
      minRetentionDays: { type: "integer", minimum: 7, maximum: 90, default: 7, description: "Shortest allowed soft-delete retention (prod: 90)." },
      maxRetentionDays: { type: "integer", minimum: 7, maximum: 90, default: 90, description: "Longest allowed soft-delete retention (Azure's maximum is 90)." },
    },
  },
  check(props, { config, report }) {
    // The service default (and the SDK's client-side default) is 90 days.
    const raw = vaultProperties(props).softDeleteRetentionInDays;
    const days = raw === undefined || raw === null ? 90 : asNumber(raw);
    if (days === undefined || days < config.minRetentionDays || days > config.maxRetentionDays) {
      report("KV-03", `properties.softDeleteRetentionInDays is ${days ?? "not a number"}; set it between ${config.minRetentionDays} and ${config.maxRetentionDays} days.`);
    }
  },
});

interface AccessModelConfig { allowAccessPolicyMode: boolean }
const ACCESS_MODEL_SCHEMA: PolicyConfigSchema = {
  properties: {
    allowAccessPolicyMode: { type: "boolean", default: false, description: "Opt-in for organisations still on access policies; ID-04 then limits their permissions." },
  },
};

export const kv04RbacAuthorization = resourcePolicy<AccessModelConfig>({
  name: "kv-04-rbac-authorization",
  controls: ["KV-04"],
  summary: "Key Vaults use the RBAC permission model, with no access policies.",
  types: [T.vault, T.accessPolicy],
  configSchema: ACCESS_MODEL_SCHEMA,
  check(props, { config, report, args }) {
    if (config.allowAccessPolicyMode) return;
    if (isType(args.type, T.accessPolicy)) {
      report("KV-04", "keyvault:AccessPolicy resources are not allowed; grant access with role assignments scoped to the vault instead.");
      return;
    }
    const problem = rbacProblem(vaultProperties(props));
    if (problem) report("KV-04", `${problem}; set properties.enableRbacAuthorization to true, remove access policies and use role assignments.`);
  },
});

export const kv05PublicNetworkDisabled = resourcePolicy({
  name: "kv-05-public-network-disabled",
  controls: ["KV-05"],
  summary: "Key Vault public network access is disabled.",
  types: [T.vault],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    // azure-native fills "enabled" (lower case) when the property is omitted.
    const value = vaultProperties(props).publicNetworkAccess ?? "enabled";
    if (!eqi(value, "disabled")) {
      report("KV-05", `properties.publicNetworkAccess is ${typeof value === "string" ? `"${value}"` : "not a string"}; set it to "Disabled" and use a private endpoint.`);
    }
  },
});

interface FirewallConfig { widestAllowedPrefix: number }
export const kv06FirewallDefaultDeny = resourcePolicy<FirewallConfig>({
  name: "kv-06-firewall-default-deny",
  controls: ["KV-06"],
  summary: "Key Vault firewall denies by default, bypasses trusted Azure services only, and allows no range wider than the configured prefix (default /16).",
  types: [T.vault],
  configSchema: { properties: { widestAllowedPrefix: WIDEST_PREFIX_SCHEMA } },
  check(props, { config, report }) {
    const acls = vaultProperties(props).networkAcls;
    if (!isRecord(acls)) {
      report("KV-06", "properties.networkAcls is missing (the service default allows all networks); set networkAcls.defaultAction to \"Deny\".");
      return;
    }
    if (!eqi(acls.defaultAction, "Deny")) {
      report("KV-06", `properties.networkAcls.defaultAction is ${shown(acls.defaultAction)}; set it to "Deny".`);
    }
    // Missing bypass is the service default, AzureServices.
    if (acls.bypass !== undefined && acls.bypass !== null && !oneOfi(acls.bypass, ["AzureServices", "None"])) {
      report("KV-06", `properties.networkAcls.bypass is ${shown(acls.bypass)}; it must be "AzureServices" or "None".`);
    }
    const wide = tooWide(acls.ipRules, "value", config.widestAllowedPrefix);
    if (wide.length > 0) {
      report("KV-06", `properties.networkAcls.ipRules: ${describeWide(wide, config.widestAllowedPrefix)}; allow only the addresses that need the vault.`);
    }
  },
});

interface ExposureConfig { allowDeployment: boolean; allowTemplateDeployment: boolean; allowDiskEncryption: boolean }
export const kv10NoPlatformExposure = resourcePolicy<ExposureConfig>({
  name: "kv-10-no-platform-exposure",
  controls: ["KV-10"],
  summary: "Key Vaults are not exposed to VM deployment, ARM template deployment or disk encryption unless allowed.",
  types: [T.vault],
  configSchema: {
    properties: {
      allowDeployment: { type: "boolean", default: false, description: "Allow enabledForDeployment." },
      allowTemplateDeployment: { type: "boolean", default: false, description: "Allow enabledForTemplateDeployment." },
      allowDiskEncryption: { type: "boolean", default: false, description: "Allow enabledForDiskEncryption." },
    },
  },
  check(props, { config, report }) {
    const p = vaultProperties(props);
    const flags: [string, boolean][] = [
      ["enabledForDeployment", config.allowDeployment],
      ["enabledForTemplateDeployment", config.allowTemplateDeployment],
      ["enabledForDiskEncryption", config.allowDiskEncryption],
    ];
    for (const [flag, allowed] of flags) {
      if (isTrue(p[flag]) && !allowed) report("KV-10", `properties.${flag} is true; remove it or set it to false.`);
    }
  },
});

/** Runs `check` over the stack's vaults, reporting each vault the check says is uncovered. */
function eachUncoveredVault(
  resources: PolicyResource[],
  covered: (vaults: TargetIndex, tracker: UnknownTracker) => Set<string>,
  fail: (vault: PolicyResource) => void,
): void {
  const vaults = ofType(resources, T.vault);
  if (vaults.length === 0) return;
  const tracker = new UnknownTracker();
  const index = new TargetIndex(vaults, tracker);
  const ok = covered(index, tracker);
  const failing = vaults.filter((v) => !ok.has(v.urn));
  if (failing.length > 0) tracker.throwIfUnknown();
  failing.forEach(fail);
}

export const kv07PrivateEndpoint = stackPolicy({
  name: "kv-07-private-endpoint",
  evidenceTypes: [T.vault],
  controls: ["KV-07"],
  summary: "Every Key Vault has a private endpoint (group \"vault\") in the stack.",
  configSchema: NO_CONFIG,
  check(resources, { report }) {
    eachUncoveredVault(resources,
      (index, tracker) => targetsWithPrivateEndpoint(resources, "vault", index, tracker),
      (vault) => report("KV-07", `vault "${vault.name}" has no private endpoint; add a network:PrivateEndpoint with privateLinkServiceId set to the vault's id and groupIds ["vault"].`, vault.urn));
  },
});

const AUDIT_CATEGORIES = ["AuditEvent"];
const AUDIT_GROUPS = ["audit", "allLogs"];
export const kv08AuditLogs = stackPolicy({
  name: "kv-08-audit-logs",
  evidenceTypes: [T.vault],
  controls: ["KV-08"],
  summary: "Every Key Vault sends its audit logs (AuditEvent, or category group audit / allLogs) to Log Analytics.",
  configSchema: NO_CONFIG,
  check(resources, { report }) {
    eachUncoveredVault(resources,
      (index, tracker) => targetsWithLogs(resources, index, tracker,
        (log) => oneOfi(log.category, AUDIT_CATEGORIES) || oneOfi(log.categoryGroup, AUDIT_GROUPS)),
      (vault) => report("KV-08", `vault "${vault.name}" has no diagnostic setting sending AuditEvent logs to a Log Analytics workspace; add a monitor:DiagnosticSetting on the vault with workspaceId and category group "audit" (or category "AuditEvent") enabled.`, vault.urn));
  },
});

interface DefenderConfig { requiredSubPlan: string; managedElsewhere: boolean }
export const kv09DefenderForKeyVault = stackPolicy<DefenderConfig>({
  name: "kv-09-defender-for-key-vault",
  evidenceTypes: [T.vault, T.pricing],
  controls: ["KV-09"],
  summary: "A stack with Key Vaults turns on Microsoft Defender for Key Vault (security:Pricing KeyVaults, Standard).",
  configSchema: {
    properties: {
      requiredSubPlan: { type: "string", default: "PerKeyVault", description: "Required Defender sub-plan; empty accepts any." },
      managedElsewhere: { type: "boolean", default: false, description: "True when another stack owns the subscription-wide Defender plan." },
    },
  },
  check(resources, { config, report }) {
    if (config.managedElsewhere || ofType(resources, T.vault).length === 0) return;
    const plans = ofType(resources, T.pricing).filter((p) =>
      // Outputs carry ARM's `name` ("KeyVaults"), never the `pricingName` input.
      eqi(p.props.name, "KeyVaults") || (typeof p.props.id === "string" && /\/pricings\/keyvaults$/i.test(p.props.id)));
    if (plans.length === 0) {
      report("KV-09", "the stack has Key Vaults but no Defender for Key Vault plan; add a security:Pricing \"KeyVaults\" with pricingTier \"Standard\" and subPlan \"PerKeyVault\" (or set managedElsewhere when another stack owns it).");
      return;
    }
    const covered = new Set<string>();
    for (const plan of plans) {
      if (!eqi(plan.props.pricingTier, "Standard")) {
        report("KV-09", `the Defender for Key Vault plan's pricingTier is ${shown(plan.props.pricingTier)}; set it to "Standard".`, plan.urn);
      } else if (config.requiredSubPlan && !eqi(plan.props.subPlan, config.requiredSubPlan)) {
        report("KV-09", `the Defender for Key Vault plan's subPlan is ${shown(plan.props.subPlan)}; set it to "${config.requiredSubPlan}".`, plan.urn);
      } else {
        const sub = subscriptionOf(plan.props.id);
        if (sub) covered.add(sub);
      }
    }
    // A plan protects only its own subscription: every vault's subscription needs one.
    const tracker = new UnknownTracker();
    const uncovered = ofType(resources, T.vault).filter((v) => {
      const sub = tracker.peek(() => subscriptionOf(v.props.id));
      return sub.known && sub.value !== undefined && !covered.has(sub.value);
    });
    if (uncovered.length > 0 && covered.size === 0) return; // already reported: no compliant plan at all
    for (const v of uncovered) {
      report("KV-09", `vault "${v.name}" is in a subscription no Defender for Key Vault plan of this stack covers; add a security:Pricing "KeyVaults" (Standard) scoped to that subscription, or set managedElsewhere.`, v.urn);
    }
  },
});

const LOCK_ID_MARKER = /\/providers\/microsoft\.authorization\/locks\//i;
const RESOURCE_GROUP_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i;

/** The vaults a lock's scope (read from its id) covers: the vault itself, or every vault in a locked resource group. */
function lockedVaults(lock: PolicyResource, index: TargetIndex, tracker: UnknownTracker): PolicyResource[] {
  const scope = tracker.peek(() => parentIdBefore(lock.props.id, LOCK_ID_MARKER)[0]);
  if (!scope.known || !scope.value) return [];
  const group = normaliseId(scope.value);
  if (!RESOURCE_GROUP_ID.test(group)) return linkedTargets(lock, { targetIds: () => [scope.value!] }, index, tracker);
  return index.targets.filter((v) => {
    const id = tracker.peek(() => v.props.id);
    return id.known && typeof id.value === "string" && normaliseId(id.value).startsWith(`${group}/providers/`);
  });
}

export const kv11DeletionGuard = stackPolicy({
  name: "kv-11-deletion-guard",
  evidenceTypes: [T.vault],
  controls: ["KV-11"],
  summary: "Every Key Vault is protected (`protect: true`) or carries a CanNotDelete management lock, on itself or its resource group.",
  configSchema: NO_CONFIG,
  check(resources, { report }) {
    eachUncoveredVault(resources,
      (index, tracker) => {
        const covered = new Set(index.targets.filter((v) => isTrue(v.opts?.protect)).map((v) => v.urn));
        for (const lock of ofType(resources, T.lockAtResource, T.lockByScope)) {
          const level = tracker.peek(() => lock.props.level);
          if (!level.known || !eqi(level.value, "CanNotDelete")) continue;
          for (const t of lockedVaults(lock, index, tracker)) covered.add(t.urn);
        }
        return covered;
      },
      (vault) => report("KV-11", `vault "${vault.name}" is neither protected nor locked; set \`protect: true\` on it or add a ManagementLockByScope with level "CanNotDelete" and the vault's id as scope.`, vault.urn));
  },
});

export const KEYVAULT_POLICIES: Policies = [
  kv01SoftDelete, kv02PurgeProtection, kv03SoftDeleteRetention, kv04RbacAuthorization,
  kv05PublicNetworkDisabled, kv06FirewallDefaultDeny, kv07PrivateEndpoint, kv08AuditLogs,
  kv09DefenderForKeyVault, kv10NoPlatformExposure, kv11DeletionGuard,
];
