/**
 * Which resources have a diagnostic setting sending logs to a Log Analytics workspace. A setting's ARM read-back has
 * no resourceUri: it is linked by its id, "<target id>/providers/Microsoft.Insights/diagnosticSettings/<name>".
 */
import type { PolicyResource } from "@pulumi/policy";
import { linkedTargets, ofType, parentIdBefore, TargetIndex } from "./links";
import { T } from "./types";
import { UnknownTracker } from "./unknowns";
import { asArray, clean, isTrue } from "./values";

const DIAG_ID_MARKER = /\/providers\/microsoft\.insights\/diagnosticsettings\//i;
const LOG_ANALYTICS_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i;

export type LogPredicate = (log: Record<string, any>) => boolean;

/**
 * Maps each target urn to the settings on it that send to a workspace and enable a log accepted by
 * `acceptsLog`. Settings reading unknown values are recorded in the tracker.
 */
export function targetsWithLogs(
  resources: PolicyResource[],
  index: TargetIndex,
  tracker: UnknownTracker,
  acceptsLog: LogPredicate,
): Set<string> {
  const covered = new Set<string>();
  for (const ds of ofType(resources, T.diagnosticSetting)) {
    const targets = linkedTargets(ds, { targetIds: (s) => parentIdBefore(s.props.id, DIAG_ID_MARKER) }, index, tracker);
    if (targets.length === 0) continue;
    // Only a Log Analytics workspace is a destination the controls accept (not a storage account or event hub).
    const ok = tracker.peek(() => LOG_ANALYTICS_ID.test(clean(ds.props.workspaceId) ?? "")
      && asArray(ds.props.logs).some((l) => l && isTrue(l.enabled) && acceptsLog(l)));
    if (ok.known && ok.value) for (const t of targets) covered.add(t.urn);
  }
  return covered;
}
