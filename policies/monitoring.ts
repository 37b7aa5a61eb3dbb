/** Azure Monitor network control MON-01 over Log Analytics workspaces and Application Insights components. */
import type { Policies } from "@pulumi/policy";
import { resourcePolicy } from "./lib/define";
import { T } from "./lib/types";
import { eqi } from "./lib/values";

export const mon01PrivateIngestion = resourcePolicy({
  name: "mon-01-private-ingestion",
  controls: ["MON-01"],
  summary: "Log Analytics and Application Insights take ingestion only through private link (public ingestion disabled).",
  types: [T.logAnalytics, T.appInsights],
  configSchema: { properties: {} },
  check(props, { report }) {
    // Unset means Enabled: Azure's default for both resource types.
    if (!eqi(props.publicNetworkAccessForIngestion, "Disabled")) {
      const value = props.publicNetworkAccessForIngestion === undefined ? "is missing (Azure's default is Enabled)" : `is "${String(props.publicNetworkAccessForIngestion)}"`;
      report("MON-01", `publicNetworkAccessForIngestion ${value}; set it to "Disabled" and link the resource to the network's Azure Monitor Private Link Scope (platform.network.monitorPrivateLinkScopeId).`);
    }
  },
});

export const MONITORING_POLICIES: Policies = [mon01PrivateIngestion];
