/**
 * Linking stack resources the way the real engine lets us: ARM read-back outputs carry no path
 * parameters (no resourceUri, vaultName, scopeId), so a diagnostic setting, private endpoint, lock
 * or secret is tied to its target by, in order:
 *   1. propertyDependencies of the input that named the target (works while ids are unknown);
 *   2. ARM ids in the outputs (e.g. "<vault id>/providers/Microsoft.Insights/diagnosticSettings/x");
 *   3. plain dependencies, only when the source has no readable id that could decide it.
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
  /** Input property names whose propertyDependencies name the target (e.g. ["resourceUri"]). */
  propertyKeys: string[];
  /**
   * Reads the target ARM ids the source's outputs point at (may touch unknown values; it runs
   * inside the tracker). Return [] when the outputs carry no such id.
   */
  targetIds: (source: PolicyResource) => string[];
  /** Whether plain `dependencies` may decide the link when no id is readable. */
  useDependencies: boolean;
}

/** The targets `source` is linked to (usually zero or one). */
export function linkedTargets(source: PolicyResource, spec: LinkSpec, index: TargetIndex, tracker: UnknownTracker): PolicyResource[] {
  const found = new Set<PolicyResource>();
  for (const key of spec.propertyKeys) {
    for (const dep of source.propertyDependencies?.[key] ?? []) {
      const t = index.byUrn.get(dep.urn);
      if (t) found.add(t);
    }
  }
  if (found.size > 0) return [...found];

  const ids = tracker.peek(() => spec.targetIds(source));
  if (ids.known && ids.value.length > 0) {
    for (const id of ids.value) {
      const t = index.findById(id);
      if (t) found.add(t);
    }
    // A readable id that matches no target is a definite answer: it points elsewhere.
    return [...found];
  }
  if (spec.useDependencies) {
    for (const dep of source.dependencies ?? []) {
      const t = index.byUrn.get(dep.urn);
      if (t) found.add(t);
    }
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
