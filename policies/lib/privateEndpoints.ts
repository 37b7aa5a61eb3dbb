/**
 * Which resources have a private endpoint for a given sub-resource (group id "vault",
 * "amlworkspace"). The endpoint's read-back carries privateLinkServiceConnections[] with
 * privateLinkServiceId (the target's ARM id) and groupIds; propertyDependencies of
 * privateLinkServiceConnections name the target while its id is unknown in preview.
 */
import type { PolicyResource } from "@pulumi/policy";
import { linkedTargets, ofType, TargetIndex } from "./links";
import { T } from "./types";
import { UnknownTracker } from "./unknowns";
import { asArray, eqi } from "./values";

function connections(pe: PolicyResource): Record<string, any>[] {
  return [...asArray(pe.props.privateLinkServiceConnections), ...asArray(pe.props.manualPrivateLinkServiceConnections)];
}

export function targetsWithPrivateEndpoint(
  resources: PolicyResource[],
  groupId: string,
  index: TargetIndex,
  tracker: UnknownTracker,
): Set<string> {
  const covered = new Set<string>();
  for (const pe of ofType(resources, T.privateEndpoint)) {
    const forGroup = tracker.peek(() => connections(pe).filter((c) => asArray(c?.groupIds).some((g) => eqi(g, groupId))));
    if (!forGroup.known || forGroup.value.length === 0) continue;
    const targets = linkedTargets(pe, {
      propertyKeys: ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"],
      targetIds: () => forGroup.value.map((c) => c.privateLinkServiceId).filter((id): id is string => typeof id === "string" && id !== ""),
      useDependencies: true,
    }, index, tracker);
    for (const t of targets) covered.add(t.urn);
  }
  return covered;
}
