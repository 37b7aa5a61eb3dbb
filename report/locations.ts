import type { StackFilePositions } from "../config/positions";
import type { ResourceRecord, Violation } from "../engine/types";

const PROJECT_COMPONENT = "mlvault:index:MlProject";
const SECRET = "azure-native:keyvault:Secret";

/**
 * The stack-file line a violation comes from: the secret entry for a secret of a project, the project entry for
 * anything else under a project, the `mlvault:platform` block for the platform's resources, else line 1. Read from
 * the resource's place in the program (its MlProject parent) and, for secrets, its secret name.
 */
export function violationLines(records: ResourceRecord[], positions: StackFilePositions): (v: Violation) => number {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const projectOf = (r: ResourceRecord): string | undefined => {
    const seen = new Set<string>();
    for (let p = r.parent; p && !seen.has(p); p = byUrn.get(p)?.parent ?? null) {
      seen.add(p);
      const parent = byUrn.get(p);
      if (parent?.type === PROJECT_COMPONENT) return parent.name;
    }
    return undefined;
  };
  return (v) => {
    const r = v.urn ? byUrn.get(v.urn) : undefined;
    if (!r) return 1;
    const project = r.type === PROJECT_COMPONENT ? r.name : projectOf(r);
    if (!project) return positions.platform() ?? 1;
    const secretName = r.type === SECRET && typeof r.inputs.secretName === "string" ? r.inputs.secretName : undefined;
    return (secretName ? positions.secret(project, secretName) : undefined) ?? positions.project(project) ?? 1;
  };
}
