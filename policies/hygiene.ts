/** Platform hygiene: TAG-01 (required tags) and LOG-01 (Log Analytics retention). */
import type { Policies } from "@pulumi/policy";
import taggableTypes from "./data/taggable-types.json";
import { resourcePolicy } from "./lib/define";
import { canonicalType, isType, T } from "./lib/types";
import { asNumber, clean, eqi, isNonEmptyString, isRecord } from "./lib/values";

/**
 * Every azure-native type whose SDK takes `tags` (generated from the installed SDK by scripts/taggable-types.js; a
 * test fails when it is stale): a resource of one of these types fails without the required tags, whether or not the
 * program sends any. API-version tokens count as their type. Any other resource that sends `tags` is checked too.
 */
const TAGGABLE: ReadonlySet<string> = new Set(taggableTypes.types);

interface TagConfig { requiredTags: string[]; taggableTypes: string[] }
export const tag01RequiredTags = resourcePolicy<TagConfig>({
  name: "tag-01-required-tags",
  controls: ["TAG-01"],
  summary: "Every taggable Azure resource carries the required tags with non-empty values.",
  types: "*",
  configSchema: {
    properties: {
      requiredTags: { type: "array", items: { type: "string" }, default: ["environment", "owner", "project"], description: "Tag keys every taggable resource must carry." },
      taggableTypes: { type: "array", items: { type: "string" }, default: [], description: "More types that must carry tags even when the program sends none (every azure-native type whose SDK takes tags already does)." },
    },
  },
  check(props, { config, report, args }) {
    const type = canonicalType(args.type);
    if (!type.startsWith("azure-native:")) return;
    // `in` does not read the value, so it never trips the preview unknown check.
    if (!("tags" in props) && !TAGGABLE.has(type) && !config.taggableTypes.map(canonicalType).includes(type)) return;
    // Azure compares tag names case-insensitively ("Owner" and "owner" are one tag).
    const tags = isRecord(props.tags) ? props.tags : {};
    const byKey = new Map(Object.entries(tags).map(([k, v]) => [(clean(k) ?? k).toLowerCase(), v]));
    const missing = config.requiredTags.filter((k) => !isNonEmptyString(byKey.get(k.toLowerCase())));
    if (missing.length > 0) {
      report("TAG-01", `missing or empty tag(s): ${missing.join(", ")}; add them to tags.`);
    }
  },
});

interface RetentionConfig { minRetentionDays: number }
export const log01LogRetention = resourcePolicy<RetentionConfig>({
  name: "log-01-log-retention",
  controls: ["LOG-01"],
  summary: "Log Analytics workspaces retain data for at least the configured minimum (default 365 days): not on the Free tier, and no table overriding it with less.",
  types: [T.logAnalytics, T.logAnalyticsTable],
  configSchema: {
    properties: {
      minRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Minimum retention (prod: 365 for audit data)." },
    },
  },
  check(props, { config, report, args }) {
    if (isType(args.type, T.logAnalyticsTable)) {
      // A table's own retention wins over the workspace's; -1 (or unset) means "use the workspace's".
      const own = asNumber(props.retentionInDays);
      if (own !== undefined && own !== -1 && own < config.minRetentionDays) {
        report("LOG-01", `the table's retentionInDays (${own}) overrides the workspace's with less than ${config.minRetentionDays} days; raise it or remove the override.`);
      }
      return;
    }
    // The Free tier keeps data for 7 days whatever retentionInDays says.
    if (isRecord(props.sku) && eqi(props.sku.name, "Free")) {
      report("LOG-01", `sku.name is "Free", which retains data for 7 days only; use "PerGB2018" with retentionInDays of at least ${config.minRetentionDays}.`);
      return;
    }
    // The service default retention is 30 days.
    const days = props.retentionInDays === undefined || props.retentionInDays === null ? 30 : asNumber(props.retentionInDays);
    if (days === undefined || days < config.minRetentionDays) {
      report("LOG-01", `retentionInDays is ${days ?? "not a number"}${props.retentionInDays === undefined ? " (service default)" : ""}; set it to at least ${config.minRetentionDays}.`);
    }
  },
});

export const HYGIENE_POLICIES: Policies = [tag01RequiredTags, log01LogRetention];
