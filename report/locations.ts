import type { StackFilePositions } from "../config/positions";
import type { ResourceRecord, Violation } from "../engine/types";
import { projectOwner } from "./projects";

const SECRET = "azure-native:keyvault:Secret";

/** The secret field each control judges: the line of that field is where the fix goes. */
const SECRET_FIELD_OF_CONTROL: Record<string, string> = { "SEC-01": "expiresOn", "SEC-02": "expiresOn", "SEC-04": "expiresOn", "SEC-03": "contentType" };

export interface ViolationPlace {
  line: number;
  /** The config key, as validation names it (`projects[0].secrets[1].expiresOn`, `platform`); none when unknown. */
  key?: string;
}

/**
 * The stack-file place a violation comes from: the secret entry (or the field its control judges) for a secret of a
 * project, the project entry for anything else under a project, the `mlvault:platform` block for the platform's
 * resources, else line 1. Read from the resource's place in the program (its MlProject parent) and, for secrets,
 * its secret name.
 */
export function violationPlaces(records: ResourceRecord[], positions: StackFilePositions): (v: Violation) => ViolationPlace {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const projectOf = projectOwner(byUrn);
  return (v) => {
    const r = v.urn ? byUrn.get(v.urn) : undefined;
    if (!r) return { line: 1 };
    const project = projectOf(r);
    if (!project) {
      const line = positions.platform();
      return line ? { line, key: "platform" } : { line: 1 };
    }
    const secretName = r.type === SECRET && typeof r.inputs.secretName === "string" ? r.inputs.secretName : undefined;
    const field = v.controls.map((c) => SECRET_FIELD_OF_CONTROL[c]).find((f) => f !== undefined);
    const secret = secretName ? positions.secretKey(project, secretName, field) : undefined;
    if (secret?.line) return { line: secret.line, key: secret.key };
    return { line: positions.project(project) ?? 1, key: positions.projectKey(project) };
  };
}

/** The stack-file line alone (SARIF's region). */
export function violationLines(records: ResourceRecord[], positions: StackFilePositions): (v: Violation) => number {
  const placeOf = violationPlaces(records, positions);
  return (v) => placeOf(v).line;
}
