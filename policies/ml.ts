/**
 * Azure Machine Learning controls ML-01…ML-08 (workspace and computes). Workspace inputs and
 * outputs are flat (publicNetworkAccess, managedNetwork, keyVault… at the top level); the
 * workspace's `keyVault` output is the vault's ARM id.
 */
import type { Policies } from "@pulumi/policy";
import { targetsWithLogs } from "./lib/diagnostics";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { ofType, TargetIndex } from "./lib/links";
import { targetsWithPrivateEndpoint } from "./lib/privateEndpoints";
import { T } from "./lib/types";
import { UnknownTracker } from "./lib/unknowns";
import { asArray, clean, eqi, isNonEmptyString, isRecord, isTrue, shown } from "./lib/values";
import { linkedVaultsCheck, VAULT_BASELINE_SCHEMA, type VaultBaselineConfig } from "./lib/linkedVaults";

const NO_CONFIG = { properties: {} };

export const ml01WorkspacePublicNetwork = resourcePolicy({
  name: "ml-01-workspace-public-network",
  controls: ["ML-01"],
  summary: "ML workspaces disable public network access (a missing value fails).",
  types: [T.mlWorkspace],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    if (!eqi(props.publicNetworkAccess, "Disabled")) {
      report("ML-01", `publicNetworkAccess ${props.publicNetworkAccess === undefined ? "is missing (the service default is Enabled)" : `is ${shown(props.publicNetworkAccess)}`}; set it to "Disabled".`);
    }
    // "allowPublicAccessWhenBehindVnet: true" lets the public internet reach a workspace whose private link is set up.
    if (isTrue(props.allowPublicAccessWhenBehindVnet)) {
      report("ML-01", "allowPublicAccessWhenBehindVnet is true, which re-opens public access; remove it or set it to false.");
    }
  },
});

/**
 * A workspace is reachable privately when a private endpoint reaches it (group amlworkspace). Its managed network's
 * PrivateEndpoint outbound rules are the other direction (jobs reaching other services) and never count.
 */
export const ml02WorkspacePrivateOnly = stackPolicy({
  name: "ml-02-workspace-private-only",
  evidenceTypes: [T.mlWorkspace],
  controls: ["ML-02"],
  summary: "Every ML workspace is reachable privately: a private endpoint (group amlworkspace) targets it.",
  configSchema: NO_CONFIG,
  check(resources, { report }) {
    const workspaces = ofType(resources, T.mlWorkspace);
    if (workspaces.length === 0) return;
    const tracker = new UnknownTracker();
    const covered = targetsWithPrivateEndpoint(resources, "amlworkspace", new TargetIndex(workspaces, tracker), tracker);
    const failing = workspaces.filter((ws) => !covered.has(ws.urn));
    if (failing.length > 0) tracker.throwIfUnknown();
    for (const ws of failing) {
      report("ML-02", `workspace "${ws.name}" has no private endpoint; add a network:PrivateEndpoint with privateLinkServiceId set to the workspace's id and groupIds ["amlworkspace"] (managed-network outbound rules are outbound only and do not count).`, ws.urn);
    }
  },
});

interface CmkConfig { requireCustomerManagedKey: boolean }
export const ml03CustomerManagedKey = resourcePolicy<CmkConfig>({
  name: "ml-03-customer-managed-key",
  controls: ["ML-03"],
  summary: "ML workspaces encrypt with a customer-managed key when the environment requires it or the workspace opts in.",
  types: [T.mlWorkspace],
  configSchema: {
    properties: {
      requireCustomerManagedKey: { type: "boolean", default: false, description: "Require customer-managed-key encryption for this environment." },
    },
  },
  // A workspace that declares encryption has opted in (`encryption: customerManaged`): it must then be complete,
  // whatever the environment requires.
  judges: (props, config) => config.requireCustomerManagedKey || props.encryption !== undefined,
  check(props, { config, report }) {
    if (!config.requireCustomerManagedKey && props.encryption === undefined) return;
    const enc = isRecord(props.encryption) ? props.encryption : undefined;
    if (!enc || !eqi(enc.status, "Enabled")) {
      report("ML-03", `encryption.status is ${shown(enc?.status)}; set it to "Enabled" (customer-managed-key encryption).`);
      return;
    }
    const kv = isRecord(enc.keyVaultProperties) ? enc.keyVaultProperties : undefined;
    if (!kv || !isNonEmptyString(kv.keyIdentifier) || !isNonEmptyString(kv.keyVaultArmId)) {
      report("ML-03", "encryption.keyVaultProperties needs keyVaultArmId and keyIdentifier; set both.");
    }
  },
});

export const ml04ComputeLocalAuth = resourcePolicy({
  name: "ml-04-compute-local-auth",
  controls: ["ML-04"],
  summary: "ML computes disable local authentication.",
  types: [T.mlCompute],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const p = isRecord(props.properties) ? props.properties : {};
    if (!isTrue(p.disableLocalAuth)) {
      report("ML-04", `properties.disableLocalAuth ${p.disableLocalAuth === undefined ? "is missing" : "is not true"}; set it to true.`);
    }
  },
});

export const ml05WorkspaceLogs = stackPolicy({
  name: "ml-05-workspace-logs",
  evidenceTypes: [T.mlWorkspace],
  controls: ["ML-05"],
  summary: "Every ML workspace sends resource logs to Log Analytics.",
  configSchema: NO_CONFIG,
  check(resources, { report }) {
    const workspaces = ofType(resources, T.mlWorkspace);
    if (workspaces.length === 0) return;
    const tracker = new UnknownTracker();
    const covered = targetsWithLogs(resources, new TargetIndex(workspaces, tracker), tracker,
      (log) => isNonEmptyString(log.category) || isNonEmptyString(log.categoryGroup));
    const failing = workspaces.filter((ws) => !covered.has(ws.urn));
    if (failing.length > 0) tracker.throwIfUnknown();
    for (const ws of failing) {
      report("ML-05", `workspace "${ws.name}" has no diagnostic setting sending logs to a Log Analytics workspace; add a monitor:DiagnosticSetting on it with workspaceId and a log category group (e.g. "allLogs") enabled.`, ws.urn);
    }
  },
});

export const ml06ManagedNetworkIsolation = resourcePolicy({
  name: "ml-06-managed-network-isolation",
  controls: ["ML-06"],
  summary: "ML workspace managed networks allow only approved outbound traffic.",
  types: [T.mlWorkspace],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const network = isRecord(props.managedNetwork) ? props.managedNetwork : {};
    if (!eqi(network.isolationMode, "AllowOnlyApprovedOutbound")) {
      report("ML-06", `managedNetwork.isolationMode ${network.isolationMode === undefined ? "is missing" : `is ${shown(network.isolationMode)}`}; set it to "AllowOnlyApprovedOutbound".`);
    }
    // An approved rule that admits everything is no isolation.
    const rules = isRecord(network.outboundRules) ? network.outboundRules : {};
    for (const [name, rule] of Object.entries(rules)) {
      if (isRecord(rule) && opensEverything(rule)) {
        report("ML-06", `managedNetwork.outboundRules.${name} allows outbound traffic to every destination; name the exact FQDNs or service tags the jobs need.`);
      }
    }
  },
});

/** An outbound rule whose destination is any host: FQDN "*" (or "*.*"), service tag Internet or "*", address "*". */
function opensEverything(rule: Record<string, any>): boolean {
  const wide = (v: unknown) => ["*", "*.*", "0.0.0.0/0", "internet"].includes((clean(v) ?? "").toLowerCase());
  if (eqi(rule.type, "FQDN")) return wide(rule.destination);
  if (eqi(rule.type, "ServiceTag")) {
    const d = isRecord(rule.destination) ? rule.destination : {};
    return wide(d.serviceTag) || asArray(d.addressPrefixes).some(wide);
  }
  return false;
}

export const ml07WorkspaceIdentity = resourcePolicy({
  name: "ml-07-workspace-identity",
  controls: ["ML-07"],
  summary: "ML workspaces have a managed identity and use it for their system datastores.",
  types: [T.mlWorkspace],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const identity = isRecord(props.identity) ? props.identity : {};
    if (!isNonEmptyString(identity.type) || eqi(identity.type, "None")) {
      report("ML-07", "identity.type is missing or \"None\"; give the workspace a managed identity (e.g. \"SystemAssigned\").");
    }
    // ARM accepts any case for this enum; the SDK's value is "Identity".
    if (!eqi(props.systemDatastoresAuthMode, "Identity")) {
      report("ML-07", `systemDatastoresAuthMode ${props.systemDatastoresAuthMode === undefined ? "is missing (the service default uses access keys)" : `is ${shown(props.systemDatastoresAuthMode)}`}; set it to "Identity".`);
    }
  },
});

export const ml08WorkspaceCompliantVault = stackPolicy<VaultBaselineConfig>({
  name: "ml-08-workspace-compliant-vault",
  evidenceTypes: [T.mlWorkspace],
  controls: ["ML-08"],
  summary: "Every ML workspace is bound to a vault of the same stack that passes KV-01, KV-02 and KV-04.",
  configSchema: VAULT_BASELINE_SCHEMA,
  check(resources, { config, report }) {
    linkedVaultsCheck(resources, ofType(resources, T.mlWorkspace), {
      // A workspace without a keyVault gets one Azure creates: it is linked to none of the stack's vaults.
      targetIds: (ws) => (isNonEmptyString(ws.props.keyVault) ? [clean(ws.props.keyVault)!] : []),
    }, config, (ws, problem) =>
      report("ML-08", `workspace "${ws.name}" ${problem}; set its keyVault to a vault of this stack with soft delete, purge protection and RBAC.`, ws.urn));
  },
});

export const ML_POLICIES: Policies = [
  ml01WorkspacePublicNetwork, ml02WorkspacePrivateOnly, ml03CustomerManagedKey, ml04ComputeLocalAuth,
  ml05WorkspaceLogs, ml06ManagedNetworkIsolation, ml07WorkspaceIdentity, ml08WorkspaceCompliantVault,
];
