import type { ResourceRecord } from "../engine/types";

/** The component every ML project's resources sit under (components/mlProject.ts). */
export const PROJECT_COMPONENT = "mlvault:index:MlProject";

/** A leading "KV-07: " on a policy message line: reports name the control once, in their own field or heading. */
export const CONTROL_PREFIX = /^[A-Z]+-\d{2}: /;

/**
 * Which ML project a resource belongs to: the project component itself, or the nearest MlProject among its
 * parents; undefined for the platform and stack-level resources. Guards against a parent cycle in a hand-edited
 * export.
 */
export function projectOwner(records: ResourceRecord[] | Map<string, ResourceRecord>): (r: ResourceRecord) => string | undefined {
  const byUrn = records instanceof Map ? records : new Map(records.map((r) => [r.urn, r]));
  return (r) => {
    if (r.type === PROJECT_COMPONENT) return r.name;
    const seen = new Set<string>();
    for (let p = r.parent; p && !seen.has(p); p = byUrn.get(p)?.parent ?? null) {
      seen.add(p);
      const parent = byUrn.get(p);
      if (parent?.type === PROJECT_COMPONENT) return parent.name;
    }
    return undefined;
  };
}

/** The control a violation reports (its message's `KV-02: …` line), else the policy's first. */
export function reportedControl(v: { message: string; controls: string[] }): string {
  return /^(?:.*\n)?([A-Z]+-\d{2}): /.exec(v.message)?.[1] ?? v.controls[0] ?? "";
}
