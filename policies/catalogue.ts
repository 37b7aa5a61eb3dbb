/**
 * THE catalogue of security-baseline controls: docs/controls.md is generated from it (npm run docs:controls).
 *
 * One place maps a control ID to its title, family, severity, remediation and public anchors, so the
 * pack's metadata, the SARIF rules, the docs and the tests all say the same thing. Policies never
 * spell out tags by hand: they call `controlMetadata([...ids], summary)`.
 */
import type { PolicyComplianceFramework, Severity } from "@pulumi/policy";

export type ControlFamily =
  | "keyvault"
  | "secrets"
  | "ml"
  | "storage"
  | "appinsights"
  | "monitoring"
  | "identity"
  | "hygiene";

export interface ControlAnchors {
  /** Azure Policy built-in definitions (full GUIDs; vendored in policies/data/azure-policy.json). */
  azurePolicy?: string[];
  cisV2?: string[];
  cisV3?: string[];
  checkov?: string[];
  trivy?: string[];
  /** Anything else, already in "source:id" form (e.g. "prowler:…", "cis-v5:8.3.7"). */
  other?: string[];
}

export interface Control {
  id: string;
  title: string;
  family: ControlFamily;
  severity: Severity;
  remediation: string;
  anchors: ControlAnchors;
  /** For a control the project added beyond the original catalogue: why, and where it was decided. */
  addedBy?: string;
  /**
   * A control with no Azure Policy built-in of its own: how it reaches the regulatory frameworks, with the reason.
   * `via`: built-in definitions (full GUIDs) whose framework controls it supports; absent: no built-in equivalent.
   */
  compliance?: { via?: string[]; reason: string };
}

/** A control ID as downstream code recognises it in a policy's tags. */
export const CONTROL_ID_PATTERN = /^[A-Z]+-\d{2}$/;

const list: Control[] = [
  // Key Vault
  { id: "KV-01", title: "Key Vault soft delete enabled", family: "keyvault", severity: "high",
    remediation: "Leave properties.enableSoftDelete unset or set it to true on the vault.",
    anchors: { azurePolicy: ["1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d"], cisV2: ["8.5"], cisV3: ["3.3.5"], checkov: ["CKV_AZURE_111", "CKV_AZURE_42"] } },
  { id: "KV-02", title: "Key Vault purge protection enabled", family: "keyvault", severity: "high",
    remediation: "Set properties.enablePurgeProtection to true on the vault (it cannot be turned off again; never send false, omit it instead where it must stay off).",
    anchors: { azurePolicy: ["0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"], cisV2: ["8.5"], cisV3: ["3.3.5"], checkov: ["CKV_AZURE_110", "CKV_AZURE_42"], trivy: ["AVD-AZU-0016"] } },
  { id: "KV-03", title: "Key Vault soft-delete retention within the allowed range", family: "keyvault", severity: "medium",
    remediation: "Set properties.softDeleteRetentionInDays between the configured minimum and 90 days.",
    anchors: { trivy: ["AVD-AZU-0016"] }, compliance: { via: ["1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d"], reason: "It bounds the retention of the soft delete that the built-in 1e66c121 (soft delete enabled) requires, so it supports the same framework controls." } },
  { id: "KV-04", title: "Key Vault uses the RBAC permission model, no access policies", family: "keyvault", severity: "high",
    remediation: "Set properties.enableRbacAuthorization to true, remove properties.accessPolicies and keyvault:AccessPolicy resources, and grant access with role assignments scoped to the vault.",
    anchors: { azurePolicy: ["12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5"], cisV2: ["8.6"], cisV3: ["3.3.6"] } },
  { id: "KV-05", title: "Key Vault public network access disabled", family: "keyvault", severity: "high",
    remediation: "Set properties.publicNetworkAccess to \"Disabled\" and reach the vault through a private endpoint.",
    anchors: { azurePolicy: ["405c5871-3e91-4644-8a63-58e19d68ff5b"], checkov: ["CKV_AZURE_189"], other: ["cis-v5:8.3.7"] } },
  { id: "KV-06", title: "Key Vault firewall denies by default, trusted-services bypass only", family: "keyvault", severity: "high",
    remediation: "Set properties.networkAcls.defaultAction to \"Deny\" and properties.networkAcls.bypass to \"AzureServices\" (or \"None\"), and allow only the addresses that need the vault: no 0.0.0.0/0 and no range wider than the configured prefix (default /16).",
    anchors: { azurePolicy: ["55615ac9-af46-4a59-874e-391cc3dfb490"], checkov: ["CKV_AZURE_109"], trivy: ["AVD-AZU-0013"] } },
  { id: "KV-07", title: "Key Vault has a private endpoint", family: "keyvault", severity: "medium",
    remediation: "Add a network:PrivateEndpoint whose privateLinkServiceConnections point at the vault's id with groupIds [\"vault\"].",
    anchors: { azurePolicy: ["a6abeaec-4d90-4a02-805f-6b26c4d3fbe9"], cisV2: ["8.7"], cisV3: ["3.3.7"], checkov: ["CKV2_AZURE_32"] } },
  { id: "KV-08", title: "Key Vault audit logs go to Log Analytics", family: "keyvault", severity: "high",
    remediation: "Add a monitor:DiagnosticSetting on the vault with workspaceId set and the AuditEvent category (or the audit / allLogs category group) enabled.",
    anchors: { azurePolicy: ["cf820ca0-f99e-4f3e-84fb-66e913812d21", "bef3f64c-5290-43b7-85b0-9b254eef4c47"], cisV2: ["5.1.5"], cisV3: ["6.1.4"] } },
  { id: "KV-09", title: "Microsoft Defender for Key Vault is on", family: "keyvault", severity: "medium",
    remediation: "Add a security:Pricing with pricingName \"KeyVaults\", pricingTier \"Standard\" and subPlan \"PerKeyVault\" scoped to every subscription that holds one of the stack's vaults (exactly one stack per subscription should own it).",
    anchors: { azurePolicy: ["0e6763cc-5078-4e64-889d-ff4d9a839047"], cisV2: ["2.1.10"], cisV3: ["3.1.8.1"], checkov: ["CKV_AZURE_87"] } },
  { id: "KV-10", title: "Key Vault not exposed to VM deployment, ARM templates or disk encryption", family: "keyvault", severity: "medium",
    remediation: "Leave properties.enabledForDeployment, enabledForTemplateDeployment and enabledForDiskEncryption unset or false, unless the policy config allows one explicitly.",
    anchors: {}, compliance: { reason: "No built-in definition audits a vault's enabledForDeployment, enabledForTemplateDeployment or enabledForDiskEncryption." } },
  { id: "KV-11", title: "Key Vault guarded against deletion in production", family: "keyvault", severity: "medium",
    remediation: "Mark the vault `protect: true`, or add an authorization:ManagementLockByScope with level \"CanNotDelete\" on the vault's id or its resource group (a lock also blocks removing role assignments on its scope).",
    anchors: {}, compliance: { via: ["0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"], reason: "A protect flag or CanNotDelete lock guards the vault itself as deletion (purge) protection, built-in 0b60c0b2, guards its content: the same framework controls." } },
  // Secrets and keys
  { id: "SEC-01", title: "Secret has an expiration date", family: "secrets", severity: "high",
    remediation: "Set properties.attributes.expires (epoch seconds) on the secret.",
    anchors: { azurePolicy: ["98728c90-32c7-4049-8429-847dc0f4fe37"], cisV2: ["8.3", "8.4"], cisV3: ["3.3.3", "3.3.4"], checkov: ["CKV_AZURE_41"], trivy: ["AVD-AZU-0017"] } },
  { id: "SEC-02", title: "Secret validity period within the maximum", family: "secrets", severity: "medium",
    remediation: "Bring properties.attributes.expires within the configured number of days of notBefore (or of now when notBefore is unset), and keep notBefore before expires.",
    anchors: { azurePolicy: ["342e8053-e12e-4c44-be01-c3c2f318400f", "e8d99835-8a06-45ae-a8e0-87a91941ccfe"] } },
  { id: "SEC-03", title: "Secret has a content type", family: "secrets", severity: "low",
    remediation: "Set properties.contentType (e.g. \"password\", \"api-key\") on the secret.",
    anchors: { azurePolicy: ["75262d3e-ba4a-4f43-85f8-9f72c090e5e3"], checkov: ["CKV_AZURE_114"], trivy: ["AVD-AZU-0015"] } },
  { id: "SEC-04", title: "Secret not expired; near expiry warns", family: "secrets", severity: "high",
    remediation: "Rotate the secret and move properties.attributes.expires into the future, beyond the warning window.",
    anchors: { azurePolicy: ["b0eb591a-5e70-4534-a8bf-04b9c489584a"] } },
  { id: "SEC-05", title: "Secret lives in a compliant vault of the same stack", family: "secrets", severity: "high",
    remediation: "Create the secret in a vault of this stack that has soft delete, purge protection and the RBAC permission model.",
    anchors: {}, compliance: { via: ["1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d", "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5"], reason: "A secret counts only in a vault that passes KV-01, KV-02 and KV-04, whose built-ins are listed." } },
  { id: "KEY-01", title: "Key has an expiration date", family: "secrets", severity: "high",
    remediation: "Set properties.attributes.expires (epoch seconds) on the key.",
    anchors: { azurePolicy: ["152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0"], cisV2: ["8.1", "8.2"], cisV3: ["3.3.1", "3.3.2"], checkov: ["CKV_AZURE_40"], trivy: ["AVD-AZU-0014"] } },
  { id: "KEY-02", title: "Key auto-rotates within the maximum number of days", family: "secrets", severity: "medium",
    remediation: "Add properties.rotationPolicy.lifetimeActions with a \"rotate\" action triggered by timeAfterCreate (ISO 8601, e.g. \"P90D\") within the configured maximum.",
    anchors: { azurePolicy: ["d8cf8476-a2ec-4916-896e-992351803c44"], cisV2: ["8.8"], cisV3: ["3.3.8"] } },
  // Azure Machine Learning
  { id: "ML-01", title: "ML workspace public network access disabled", family: "ml", severity: "high",
    remediation: "Set publicNetworkAccess to \"Disabled\" on the workspace (a missing value means enabled), and never allowPublicAccessWhenBehindVnet.",
    anchors: { azurePolicy: ["438c38d2-3772-465a-a9cc-7a6666a275ce"], checkov: ["CKV_AZURE_144", "CKV2_AZURE_49"] } },
  { id: "ML-02", title: "ML workspace reachable only privately", family: "ml", severity: "medium",
    remediation: "Add a network:PrivateEndpoint whose privateLinkServiceId is the workspace's id (groupIds [\"amlworkspace\"]), approved. Managed-network outbound rules are outbound only and do not count.",
    anchors: { azurePolicy: ["45e05259-1eb5-4f70-9574-baf73e9d219b"], checkov: ["CKV_AZURE_243"] } },
  { id: "ML-03", title: "ML workspace uses a customer-managed key when the environment requires it", family: "ml", severity: "medium",
    remediation: "Set encryption.status to \"Enabled\" with encryption.keyVaultProperties (keyVaultArmId, keyIdentifier).",
    anchors: { azurePolicy: ["ba769a63-b8cc-4b2d-abf6-ac33c7204be8"] } },
  { id: "ML-04", title: "ML computes have local auth disabled", family: "ml", severity: "high",
    remediation: "Set properties.disableLocalAuth to true on the compute.",
    anchors: { azurePolicy: ["e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f"], checkov: ["CKV_AZURE_142"] } },
  { id: "ML-05", title: "ML workspace resource logs go to Log Analytics", family: "ml", severity: "medium",
    remediation: "Add a monitor:DiagnosticSetting on the workspace with workspaceId set and at least one log category (or group) enabled.",
    anchors: { azurePolicy: ["afe0c3be-ba3b-4544-ba52-0c99672a8ad6"], cisV2: ["5.4"], cisV3: ["6.4"] } },
  { id: "ML-06", title: "ML managed network allows only approved outbound", family: "ml", severity: "medium",
    remediation: "Set managedNetwork.isolationMode to \"AllowOnlyApprovedOutbound\" on the workspace, with outbound rules that name exact FQDNs or service tags (never \"*\" or Internet).",
    anchors: { azurePolicy: ["6ddb1705-c8cf-450e-aa4b-19ad6703c440"] } },
  { id: "ML-07", title: "ML workspace has a managed identity and uses it for its datastores", family: "ml", severity: "medium",
    remediation: "Set identity.type (e.g. \"SystemAssigned\") and systemDatastoresAuthMode \"Identity\" on the workspace.",
    anchors: {}, compliance: { via: ["5f0c7d88-c7de-45b8-ac49-db49e72eaa78"], reason: "Built-in 5f0c7d88 requires a (user-assigned) managed identity on the workspace; ML-07 requires one and its use for the datastores." } },
  { id: "ML-08", title: "ML workspace bound to a compliant vault of the same stack", family: "ml", severity: "high",
    remediation: "Point the workspace's keyVault at a vault of this stack that has soft delete, purge protection and the RBAC permission model.",
    anchors: {}, compliance: { via: ["1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d", "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5"], reason: "The workspace's vault must pass KV-01, KV-02 and KV-04, whose built-ins are listed." } },
  // Storage
  { id: "ST-01", title: "Storage account HTTPS only", family: "storage", severity: "high",
    remediation: "Leave enableHttpsTrafficOnly unset or set it to true.",
    anchors: { azurePolicy: ["404c3081-a854-4457-ae30-26a93ef643f9"], cisV2: ["3.1"], cisV3: ["4.1"], checkov: ["CKV_AZURE_3"], trivy: ["AVD-AZU-0008"] } },
  { id: "ST-02", title: "Storage account minimum TLS 1.2", family: "storage", severity: "high",
    remediation: "Set minimumTlsVersion to \"TLS1_2\" (or \"TLS1_3\").",
    anchors: { azurePolicy: ["fe83a0eb-a853-422d-aac2-1bffd182c5d0"], cisV2: ["3.15"], cisV3: ["4.15"], checkov: ["CKV_AZURE_44"], trivy: ["AVD-AZU-0011"] } },
  { id: "ST-03", title: "Storage account forbids anonymous blob access", family: "storage", severity: "high",
    remediation: "Set allowBlobPublicAccess to false (a missing value fails).",
    anchors: { azurePolicy: ["4fa4b6c0-31ca-4c0d-b10d-24b96f62a751"], cisV2: ["3.7"], cisV3: ["4.17"], checkov: ["CKV_AZURE_190"], trivy: ["AVD-AZU-0007"] } },
  { id: "ST-04", title: "Storage account shared key access disabled", family: "storage", severity: "high",
    remediation: "Set allowSharedKeyAccess to false (a missing value fails) and use Entra ID auth.",
    anchors: { azurePolicy: ["8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54"], checkov: ["CKV2_AZURE_40"] } },
  { id: "ST-05", title: "Storage account public network access disabled or default deny", family: "storage", severity: "medium",
    remediation: "Set publicNetworkAccess to \"Disabled\" or networkRuleSet.defaultAction to \"Deny\", and allow no 0.0.0.0/0 and no range wider than the configured prefix (default /16).",
    anchors: { azurePolicy: ["b2982f36-99f2-4db5-8eff-283140c09693", "34c877ad-507e-4c82-993e-3452a6e0ad3c"], cisV2: ["3.8"], cisV3: ["4.6", "4.7"], checkov: ["CKV_AZURE_59", "CKV_AZURE_35"], trivy: ["AVD-AZU-0012"] } },
  { id: "ST-06", title: "Storage account cross-tenant replication disabled", family: "storage", severity: "medium",
    remediation: "Set allowCrossTenantReplication to false.",
    anchors: { azurePolicy: ["92a89a79-6c52-4a7e-a03f-61306fc49312"], cisV3: ["4.16"] } },
  { id: "ST-07", title: "Storage account infrastructure encryption", family: "storage", severity: "medium",
    remediation: "Set encryption.requireInfrastructureEncryption to true (only possible at creation: the account is replaced).",
    anchors: { azurePolicy: ["4733ea7b-a883-42fe-8cac-97454c2a9e4a"], cisV2: ["3.2"], cisV3: ["4.2"], trivy: ["AVD-AZU-0061"] } },
  // Application Insights
  { id: "AI-01", title: "Application Insights accepts Entra ID-authenticated ingestion only", family: "appinsights", severity: "medium",
    remediation: "Set disableLocalAuth to true on the component.",
    anchors: { azurePolicy: ["199d5677-e4d9-4264-9465-efe1839c06bd"] } },
  { id: "AI-02", title: "Application Insights is workspace-based", family: "appinsights", severity: "medium",
    remediation: "Set workspaceResourceId to the environment's Log Analytics workspace id and ingestionMode to \"LogAnalytics\".",
    anchors: { azurePolicy: ["d550e854-df1a-4de9-bf44-cd894b39a95e"] } },
  { id: "KEY-03", title: "Customer-managed keys are strong", family: "secrets", severity: "high",
    remediation: "Create keys as RSA-HSM with keySize 3072 or 4096, or EC-HSM on curve P-384 or P-521 (an existing key cannot change: rotate to a new key).",
    anchors: { azurePolicy: ["82067dbb-e53b-4e06-b631-546d197452d9", "ff25f3c8-b739-4538-9d07-3d6d25cfb255"] } },
  // Azure Monitor
  { id: "MON-01", title: "Log Analytics and Application Insights take ingestion only through private link", family: "monitoring", severity: "medium",
    remediation: "Set publicNetworkAccessForIngestion to \"Disabled\" on the workspace and the component, and link both to the network's Azure Monitor Private Link Scope (monitor:PrivateLinkScopedResource). Resource logs from diagnostic settings are not affected.",
    anchors: { azurePolicy: ["1bc02227-0cb6-4e11-8f53-eb0b22eab7e8", "6c53d030-cc64-46f0-906d-2bc061cd1334"] },
    addedBy: "issue 8 (real Azure): prod promised no public access, but monitoring kept public ingestion" },
  // Identity and access
  { id: "ID-01", title: "Service principal / application password has a bounded lifetime", family: "identity", severity: "high",
    remediation: "Set endDate on the password (a password resource, or an application's inline password) within the configured number of days of its startDate (or of now).",
    anchors: { other: ["prowler:entra_app_registration_credential_not_expired"] }, compliance: { reason: "Entra application passwords are not Azure resources: Azure Policy cannot see them, so no built-in exists." } },
  { id: "ID-02", title: "Service principal / application password rotates automatically", family: "identity", severity: "medium",
    remediation: "Set rotateWhenChanged (e.g. keyed on a rotation date) so a new password is issued on rotation.",
    anchors: {}, compliance: { reason: "Entra application passwords are not Azure resources: Azure Policy cannot see them, so no built-in exists." } },
  { id: "ID-03", title: "Least privilege on vaults", family: "identity", severity: "high",
    remediation: "Grant service principals, directly or through PIM, no role that can do everything, grant access (Microsoft.Authorization writes) or administer whole vaults: not Owner, Contributor, User Access Administrator, Role Based Access Control Administrator, Key Vault Administrator or Key Vault Data Access Administrator, nor such a custom role. Scope Key Vault data-plane roles to the vault (or narrower), never a subscription or resource group.",
    anchors: { cisV2: ["8.6"], cisV3: ["3.3.6"], checkov: ["CKV_AZURE_39"] }, compliance: { reason: "No built-in in the extraction judges a role by its permissions (only custom-role usage is audited, outside these categories)." } },
  { id: "ID-04", title: "Access-policy mode: no all / purge permissions for non-administrators", family: "identity", severity: "high",
    remediation: "Remove \"all\" and \"purge\" from access-policy permissions of principals that are not listed as vault administrators (RBAC is preferred).",
    anchors: { azurePolicy: ["12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5"] } },
  { id: "ID-05", title: "Federated credentials trust an exact subject", family: "identity", severity: "high",
    remediation: "Set subject to one branch, tag, environment or pull request (e.g. repo:<owner>/<repo>:environment:prod), never a wildcard.",
    anchors: { azurePolicy: ["fd1a8e20-2c4f-4a6c-9354-b58d786d9a1f"] } },
  // Platform hygiene
  { id: "TAG-01", title: "Required tags on every taggable Azure resource", family: "hygiene", severity: "low",
    remediation: "Add every required tag (non-empty value) to the resource's tags.",
    anchors: {}, compliance: { via: ["871b6d14-10aa-478d-b590-94f262ecfa99"], reason: "Built-in 871b6d14 (require a tag on resources) is the equivalent; no regulatory initiative files it, so it reaches no framework control." } },
  { id: "LOG-01", title: "Log Analytics retention meets the minimum", family: "hygiene", severity: "medium",
    remediation: "Set retentionInDays on the Log Analytics workspace to at least the configured minimum, on a paid tier (not Free), and give no table a shorter retention.",
    anchors: {}, compliance: { reason: "No built-in definition audits a Log Analytics workspace's retention." } },
];

export const CONTROLS: Readonly<Record<string, Control>> = Object.freeze(
  Object.fromEntries(list.map((c) => [c.id, Object.freeze(c)])),
);

export const CONTROL_IDS: readonly string[] = list.map((c) => c.id);

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function getControl(id: string): Control {
  const control = CONTROLS[id];
  if (!control) throw new Error(`unknown control ID "${id}" (not in policies/catalogue.ts)`);
  return control;
}

/** The anchor tags of one control, e.g. "azure-policy:0b60c0b2", "cis-v2:8.5", "checkov:CKV_AZURE_110". */
export function anchorTags(control: Control): string[] {
  const a = control.anchors;
  return [
    // Tags keep the short form they always had (a contract of the pack and SARIF); the full id is in the catalogue.
    ...(a.azurePolicy ?? []).map((g) => `azure-policy:${g.slice(0, 8)}`),
    ...(a.cisV2 ?? []).map((n) => `cis-v2:${n}`),
    ...(a.cisV3 ?? []).map((n) => `cis-v3:${n}`),
    ...(a.checkov ?? []).map((n) => `checkov:${n}`),
    ...(a.trivy ?? []).map((n) => `trivy:${n}`),
    ...(a.other ?? []),
  ];
}

export interface ControlMetadata {
  description: string;
  tags: string[];
  severity: Severity;
  remediationSteps: string;
  framework: PolicyComplianceFramework;
}

/**
 * The metadata a policy enforcing `ids` carries: description starting with the control IDs, tags
 * (control IDs first, then de-duplicated anchors), the highest severity, and remediation text.
 */
export function controlMetadata(ids: string[], summary: string): ControlMetadata {
  if (ids.length === 0) throw new Error("a policy must enforce at least one control");
  const controls = ids.map(getControl);
  const tags = [...new Set([...ids, ...controls.flatMap(anchorTags)])];
  const severity = controls
    .map((c) => c.severity)
    .reduce((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a));
  return {
    description: `${ids.join(", ")}: ${summary}`,
    tags,
    severity,
    remediationSteps: controls.map((c) => `${c.id}: ${c.remediation}`).join("\n"),
    framework: {
      name: "mlvault security baseline",
      version: "1",
      reference: "docs/controls.md",
      specification: controls.map((c) => `${c.id} ${c.title}`).join("; "),
    },
  };
}

/** Reads the control IDs back from a policy's tags (the convention SARIF and reports rely on). */
export function controlIdsFromTags(tags: readonly string[] | undefined): string[] {
  return (tags ?? []).filter((t) => CONTROL_ID_PATTERN.test(t));
}
