/**
 * Linking stack resources by the id Azure acts on, and by nothing else: a private endpoint counts for the resource
 * its `privateLinkServiceId` names, a diagnostic setting for the resource its id is nested under (`resourceUri`), a
 * lock for its scope, a secret for its parent vault, a workspace for its `keyVault`. `propertyDependencies` and
 * `dependencies` only say what a program passed around; they never satisfy a control, and where they disagree with
 * the id, the id wins. In a preview the ids of new resources are unknown: the link cannot be proven, the tracker
 * records it, and a control that would fail reports "can't run during preview" instead of a pass it cannot prove.
 * Each index is built once per policy run (stacks hold thousands of resources).
 */
import type { PolicyResource } from "@pulumi/policy";
import { canonicalType } from "./types";
import { UnknownTracker } from "./unknowns";

export class TargetIndex {
  readonly byUrn = new Map<string, PolicyResource>();
  private byIdCache: Map<string, PolicyResource> | undefined;

  constructor(readonly targets: PolicyResource[], private readonly tracker: UnknownTracker) {
    for (const t of targets) this.byUrn.set(t.urn, t);
  }

  /** Targets by lower-cased ARM id; a target whose id is unknown or missing is left out. */
  private get byId(): Map<string, PolicyResource> {
    if (!this.byIdCache) {
      this.byIdCache = new Map();
      for (const t of this.targets) {
        const id = this.tracker.peek(() => t.props.id);
        if (id.known && typeof id.value === "string" && id.value !== "") this.byIdCache.set(normaliseId(id.value), t);
      }
    }
    return this.byIdCache;
  }

  findById(armId: string): PolicyResource | undefined {
    return this.byId.get(normaliseId(armId));
  }
}

export function normaliseId(armId: string): string {
  return armId.trim().replace(/\/+$/, "").toLowerCase();
}

export interface LinkSpec {
  /**
   * Reads the target ARM ids the source's outputs point at (may touch unknown values; it runs inside the tracker).
   * Return [] when the outputs carry no such id.
   */
  targetIds: (source: PolicyResource) => string[];
}

/** The targets `source` points at by id (usually zero or one); [] when the id is unknown (recorded) or absent. */
export function linkedTargets(source: PolicyResource, spec: LinkSpec, index: TargetIndex, tracker: UnknownTracker): PolicyResource[] {
  const ids = tracker.peek(() => spec.targetIds(source));
  if (!ids.known) return [];
  const found = new Set<PolicyResource>();
  for (const id of ids.value) {
    const t = index.findById(id);
    if (t) found.add(t);
  }
  return [...found];
}

/** Strips a child-resource suffix (case-insensitive) from an ARM id: the parent resource's id. */
export function parentIdBefore(armId: unknown, marker: RegExp): string[] {
  if (typeof armId !== "string") return [];
  const m = marker.exec(armId);
  return m && m.index > 0 ? [armId.slice(0, m.index)] : [];
}

export function ofType(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
  const set = new Set(types);
  return resources.filter((r) => set.has(canonicalType(r.type)));
}
