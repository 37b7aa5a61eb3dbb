/**
 * Which resources have a private endpoint for a given sub-resource (group id "vault", "amlworkspace"). The endpoint's
 * read-back carries privateLinkServiceConnections[] (auto-approved) and manualPrivateLinkServiceConnections[] (wait
 * for the target's owner) with privateLinkServiceId (the target's ARM id), groupIds and, once Azure answered,
 * privateLinkServiceConnectionState.status. A connection is a private path only when it is Approved: a pending,
 * rejected or disconnected one carries no traffic. A manual connection must say Approved; an automatic one without a
 * state yet (a plan before creation) is taken as approved, as Azure approves it when the requester may.
 */
import type { PolicyResource } from "@pulumi/policy";
import { linkedTargets, ofType, TargetIndex } from "./links";
import { T } from "./types";
import { UnknownTracker } from "./unknowns";
import { asArray, clean, eqi, isRecord } from "./values";

function approvedConnections(pe: PolicyResource): Record<string, any>[] {
  const status = (c: Record<string, any>) => (isRecord(c.privateLinkServiceConnectionState) ? c.privateLinkServiceConnectionState.status : undefined);
  const auto = asArray(pe.props.privateLinkServiceConnections).filter((c) => isRecord(c) && (status(c) === undefined || eqi(status(c), "Approved")));
  const manual = asArray(pe.props.manualPrivateLinkServiceConnections).filter((c) => isRecord(c) && eqi(status(c), "Approved"));
  return [...auto, ...manual];
}

export function targetsWithPrivateEndpoint(
  resources: PolicyResource[],
  groupId: string,
  index: TargetIndex,
  tracker: UnknownTracker,
): Set<string> {
  const covered = new Set<string>();
  for (const pe of ofType(resources, T.privateEndpoint)) {
    const forGroup = tracker.peek(() => approvedConnections(pe).filter((c) => asArray(c.groupIds).some((g) => eqi(g, groupId))));
    if (!forGroup.known || forGroup.value.length === 0) continue;
    const targets = linkedTargets(pe, { targetIds: () => forGroup.value.map((c) => clean(c.privateLinkServiceId)).filter((id): id is string => !!id) }, index, tracker);
    for (const t of targets) covered.add(t.urn);
  }
  return covered;
}
