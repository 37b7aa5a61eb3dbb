/** Platform hygiene: TAG-01 (required tags) and LOG-01 (Log Analytics retention). */
import type { Policies } from "@pulumi/policy";
import { resourcePolicy } from "./lib/define";
import { T } from "./lib/types";
import { asNumber, isNonEmptyString, isRecord } from "./lib/values";

/**
 * Types known to take `tags`: a resource of one of these types without tags fails. Any other
 * resource that sends a `tags` input is checked too (it is taggable by definition).
 */
export const DEFAULT_TAGGABLE_TYPES = [
  "azure-native:resources:ResourceGroup",
  T.vault, T.secret, T.key, T.privateEndpoint, T.mlWorkspace, T.mlCompute, T.storageAccount,
  T.appInsights, T.logAnalytics,
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:network:PrivateDnsZone",
  "azure-native:privatedns:PrivateZone",
  "azure-native:monitor:ActionGroup",
  "azure-native:monitor:MetricAlert",
  "azure-native:monitor:ScheduledQueryRule",
  "azure-native:monitor:ActivityLogAlert",
  "azure-native:containerregistry:Registry",
];

interface TagConfig { requiredTags: string[]; taggableTypes: string[] }
export const tag01RequiredTags = resourcePolicy<TagConfig>({
  name: "tag-01-required-tags",
  controls: ["TAG-01"],
  summary: "Every taggable Azure resource carries the required tags with non-empty values.",
  types: "*",
  configSchema: {
    properties: {
      requiredTags: { type: "array", items: { type: "string" }, default: ["environment", "owner", "project"], description: "Tag keys every taggable resource must carry." },
      taggableTypes: { type: "array", items: { type: "string" }, default: DEFAULT_TAGGABLE_TYPES, description: "Types that must carry tags even when the program sends none." },
    },
  },
  check(props, { config, report, args }) {
    if (!args.type.startsWith("azure-native:")) return;
    // `in` does not read the value, so it never trips the preview unknown check.
    if (!("tags" in props) && !config.taggableTypes.includes(args.type)) return;
    const tags = isRecord(props.tags) ? props.tags : {};
    const missing = config.requiredTags.filter((k) => !isNonEmptyString(tags[k]));
    if (missing.length > 0) {
      report("TAG-01", `missing or empty tag(s): ${missing.join(", ")}; add them to tags.`);
    }
  },
});

interface RetentionConfig { minRetentionDays: number }
export const log01LogRetention = resourcePolicy<RetentionConfig>({
  name: "log-01-log-retention",
  controls: ["LOG-01"],
  summary: "Log Analytics workspaces retain data for at least minRetentionDays.",
  types: [T.logAnalytics],
  configSchema: {
    properties: {
      minRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Minimum retention (prod: 365 for audit data)." },
    },
  },
  check(props, { config, report }) {
    // The service default retention is 30 days.
    const days = props.retentionInDays === undefined || props.retentionInDays === null ? 30 : asNumber(props.retentionInDays);
    if (days === undefined || days < config.minRetentionDays) {
      report("LOG-01", `retentionInDays is ${days ?? "not a number"}${props.retentionInDays === undefined ? " (service default)" : ""}; set it to at least ${config.minRetentionDays}.`);
    }
  },
});

export const HYGIENE_POLICIES: Policies = [tag01RequiredTags, log01LogRetention];
