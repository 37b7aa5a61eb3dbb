/**
 * Which resources have a diagnostic setting sending logs to Log Analytics. A setting's ARM
 * read-back has no resourceUri: it is linked through propertyDependencies.resourceUri, or its id
 * "<target id>/providers/Microsoft.Insights/diagnosticSettings/<name>", or its dependencies.
 */
import type { PolicyResource } from "@pulumi/policy";
import { linkedTargets, ofType, parentIdBefore, TargetIndex } from "./links";
import { T } from "./types";
import { UnknownTracker } from "./unknowns";
import { asArray, isNonEmptyString, isTrue } from "./values";

const DIAG_ID_MARKER = /\/providers\/microsoft\.insights\/diagnosticsettings\//i;

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
    const targets = linkedTargets(ds, {
      propertyKeys: ["resourceUri"],
      targetIds: (s) => parentIdBefore(s.props.id, DIAG_ID_MARKER),
      useDependencies: true,
    }, index, tracker);
    if (targets.length === 0) continue;
    const ok = tracker.peek(() => isNonEmptyString(ds.props.workspaceId)
      && asArray(ds.props.logs).some((l) => l && isTrue(l.enabled) && acceptsLog(l)));
    if (ok.known && ok.value) for (const t of targets) covered.add(t.urn);
  }
  return covered;
}
