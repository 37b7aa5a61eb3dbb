/** Application Insights controls AI-01, AI-02 over `azure-native:applicationinsights:Component` inputs. */
import type { Policies } from "@pulumi/policy";
import { resourcePolicy } from "./lib/define";
import { T } from "./lib/types";
import { eqi, isNonEmptyString, isTrue, shown } from "./lib/values";

const NO_CONFIG = { properties: {} };

export const ai01EntraOnlyIngestion = resourcePolicy({
  name: "ai-01-entra-only-ingestion",
  controls: ["AI-01"],
  summary: "Application Insights accepts only Entra ID-authenticated ingestion.",
  types: [T.appInsights],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    if (!isTrue(props.disableLocalAuth)) {
      report("AI-01", `disableLocalAuth ${props.disableLocalAuth === undefined ? "is missing" : "is not true"}; set it to true.`);
    }
  },
});

export const ai02WorkspaceBased = resourcePolicy({
  name: "ai-02-workspace-based",
  controls: ["AI-02"],
  summary: "Application Insights is workspace-based: it ingests into a Log Analytics workspace (ingestionMode LogAnalytics, workspaceResourceId set).",
  types: [T.appInsights],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    if (!isNonEmptyString(props.workspaceResourceId)) {
      report("AI-02", "workspaceResourceId is missing; set it to the Log Analytics workspace's id.");
    }
    // A workspace id with classic ingestion still keeps the telemetry in Application Insights' own store.
    if (!eqi(props.ingestionMode, "LogAnalytics")) {
      report("AI-02", `ingestionMode ${props.ingestionMode === undefined ? "is missing" : `is ${shown(props.ingestionMode)}`}; set it to "LogAnalytics".`);
    }
  },
});

export const APPINSIGHTS_POLICIES: Policies = [ai01EntraOnlyIngestion, ai02WorkspaceBased];
