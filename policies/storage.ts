/** Workspace storage controls ST-01…ST-07 over `azure-native:storage:StorageAccount` inputs (flat). */
import type { Policies } from "@pulumi/policy";
import { resourcePolicy } from "./lib/define";
import { describeWide, tooWide, WIDEST_PREFIX_SCHEMA } from "./lib/ipRanges";
import { T } from "./lib/types";
import { asBool, eqi, isRecord, isTrue, oneOfi } from "./lib/values";

const NO_CONFIG = { properties: {} };

function state(value: unknown): string {
  return value === undefined || value === null ? "is missing" : "has a non-compliant value";
}

/** A storage control whose check is "this property equals that boolean". */
function booleanPolicy(name: string, control: string, summary: string, property: string, required: boolean, missingPasses: boolean) {
  return resourcePolicy({
    name,
    controls: [control],
    summary,
    types: [T.storageAccount],
    configSchema: NO_CONFIG,
    check(props, { report }) {
      const v = props[property];
      if (asBool(v) === required || ((v === undefined || v === null) && missingPasses)) return;
      report(control, `${property} ${v === undefined || v === null ? "is missing" : `is ${String(v)}`}; set it to ${required}.`);
    },
  });
}

// ST-01: HTTPS-only is the service default, so only an explicit false fails.
export const st01HttpsOnly = booleanPolicy("st-01-https-only", "ST-01", "Storage accounts accept HTTPS traffic only.", "enableHttpsTrafficOnly", true, true);

export const st02MinimumTls = resourcePolicy({
  name: "st-02-minimum-tls",
  controls: ["ST-02"],
  summary: "Storage accounts require TLS 1.2 or later.",
  types: [T.storageAccount],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    if (!oneOfi(props.minimumTlsVersion, ["TLS1_2", "TLS1_3"])) {
      report("ST-02", `minimumTlsVersion ${state(props.minimumTlsVersion)}; set it to "TLS1_2".`);
    }
  },
});

export const st03NoBlobPublicAccess = booleanPolicy("st-03-no-blob-public-access", "ST-03", "Storage accounts forbid anonymous blob access (a missing value fails).", "allowBlobPublicAccess", false, false);
export const st04NoSharedKey = booleanPolicy("st-04-no-shared-key", "ST-04", "Storage accounts disable shared key access (a missing value fails).", "allowSharedKeyAccess", false, false);

interface NetworkConfig { widestAllowedPrefix: number }
export const st05NetworkRestricted = resourcePolicy<NetworkConfig>({
  name: "st-05-network-restricted",
  controls: ["ST-05"],
  summary: "Storage accounts disable public network access or deny by default, with no allow-list range wider than the configured prefix (default /16).",
  types: [T.storageAccount],
  configSchema: { properties: { widestAllowedPrefix: WIDEST_PREFIX_SCHEMA } },
  check(props, { config, report }) {
    const rules = isRecord(props.networkRuleSet) ? props.networkRuleSet : {};
    // ARM reads an IP rule's `value`; the SDK names it iPAddressOrRange.
    const wide = [...new Set([...tooWide(rules.ipRules, "iPAddressOrRange", config.widestAllowedPrefix), ...tooWide(rules.ipRules, "value", config.widestAllowedPrefix)])];
    if (wide.length > 0) {
      report("ST-05", `networkRuleSet.ipRules: ${describeWide(wide, config.widestAllowedPrefix)}; allow only the addresses that need the account.`);
    }
    if (eqi(props.publicNetworkAccess, "Disabled") || eqi(rules.defaultAction, "Deny")) return;
    report("ST-05", "neither publicNetworkAccess is \"Disabled\" nor networkRuleSet.defaultAction is \"Deny\"; set one of them.");
  },
});

export const st06NoCrossTenantReplication = booleanPolicy("st-06-no-cross-tenant-replication", "ST-06", "Storage accounts disable cross-tenant object replication.", "allowCrossTenantReplication", false, false);

export const st07InfrastructureEncryption = resourcePolicy({
  name: "st-07-infrastructure-encryption",
  controls: ["ST-07"],
  summary: "Storage accounts require infrastructure (double) encryption.",
  types: [T.storageAccount],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const enc = isRecord(props.encryption) ? props.encryption : {};
    if (!isTrue(enc.requireInfrastructureEncryption)) {
      report("ST-07", `encryption.requireInfrastructureEncryption ${enc.requireInfrastructureEncryption === undefined ? "is missing" : "is not true"}; set it to true (only possible when the account is created).`);
    }
  },
});

export const STORAGE_POLICIES: Policies = [
  st01HttpsOnly, st02MinimumTls, st03NoBlobPublicAccess, st04NoSharedKey,
  st05NetworkRestricted, st06NoCrossTenantReplication, st07InfrastructureEncryption,
];
