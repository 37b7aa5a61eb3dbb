/**
 * Compliance evidence: for each regulatory framework Microsoft files its Azure Policy built-ins under (the initiative
 * groupings vendored in policies/data/regulatory-frameworks.json, from Azure/azure-policy at the commit named there),
 * every framework control the catalogue reaches, with its status and the mlvault controls and resources behind it.
 *
 * catalogue control → its built-in definitions (anchors, or a reasoned `compliance.via`) → the framework controls
 * those definitions are filed under. A control's status: fail when a violation of it is not exempted, exempted when
 * all of them are, pass when its policies ran over at least one resource and found nothing, not evaluated when its
 * policies are disabled here or judged no resource. A framework control takes the worst status of its controls, "not
 * evaluated" ranking above "pass". A pass means mlvault's checks found nothing: evidence, not a certification.
 * Nothing here carries a value: names, types, URNs, control ids and messages that went through redaction.
 */
import type { PolicyInfo } from "../engine/analyzerTypes";
import { redact } from "../engine/redact";
import type { ResourceRecord, Violation } from "../engine/types";
import { CONTROLS, type Control } from "../policies/catalogue";
import "../policies/all"; // registers every policy's resource types (POLICY_TYPES)
import { POLICY_JUDGES, POLICY_TYPES } from "../policies/lib/define";
import { isSecret } from "../engine/wire";
import { canonicalType } from "../policies/lib/types";
import definitionsData from "../policies/data/azure-policy.json";
import frameworksData from "../policies/data/regulatory-frameworks.json";
import { TOOL } from "./json";
import { reportedControl } from "./projects";

export type Status = "pass" | "fail" | "exempted" | "not evaluated";
/**
 * A framework control passes only when every control mapped to it was evaluated and passed: one not evaluated makes
 * the evidence incomplete, which an auditor must see rather than a pass.
 */
/** What a status means, said once at the top of every report. */
export const COVERAGE = "Only the framework controls listed are covered: those Microsoft files a built-in definition under that an mlvault " +
  "control maps to. A framework control passes only when every mlvault control behind it was evaluated and found " +
  "nothing; this is evidence for an assessment, not a certification.";

const WORST: Status[] = ["fail", "exempted", "not evaluated", "pass"];

export interface ControlEvidence {
  id: string;
  title: string;
  status: Status;
  mapping: "direct" | "reasoned";
  /** The built-in definitions (full ids) through which it reaches the framework. */
  definitions: { id: string; displayName: string }[];
  reason?: string;
  policies: { name: string; enforcementLevel: string }[];
  resources: { urn: string; name: string; type: string }[];
  violations: { policy: string; level: string; urn: string | null; message: string; exempted?: { approvedBy: string; expiresOn: string; reason: string } }[];
}

export interface FrameworkControl {
  id: string;
  status: Status;
  controls: ControlEvidence[];
}

export interface Framework {
  name: string;
  displayName: string;
  initiativeId: string;
  version: string;
  summary: Record<Status, number>;
  controls: FrameworkControl[];
}

export interface ComplianceReport {
  schemaVersion: 1;
  tool: { name: "mlvault"; version: string };
  source: { kind: "plan" | "export"; stack: string; environment: string; file?: string };
  evaluatedAt: string;
  data: { source: string; commit: string; release: string };
  frameworks: Framework[];
  /** Catalogue controls with no built-in equivalent: evaluated, but reaching no framework control. */
  unmapped: { id: string; title: string; status: Status; reason: string }[];
  /** What the statuses mean and what they do not: said in every report. */
  coverage: string;
}

const DEFINITIONS = definitionsData.definitions as Record<string, { id: string; displayName: string }>;
const FRAMEWORKS = frameworksData.frameworks as Record<string, { initiativeId: string; displayName: string; version: string; definitions: Record<string, string[]> }>;

/** The built-in definitions a control reaches the frameworks through, and how. */
export function mappingOf(control: Control): { mapping: "direct" | "reasoned"; guids: string[]; reason?: string } {
  const direct = control.anchors.azurePolicy ?? [];
  if (direct.length > 0) return { mapping: "direct", guids: direct };
  return { mapping: "reasoned", guids: control.compliance?.via ?? [], reason: control.compliance?.reason };
}

export function controlEvidence(
  control: Control, records: ResourceRecord[], policies: PolicyInfo[], violations: Violation[], policyConfig: Record<string, unknown> = {},
): ControlEvidence {
  const own = policies.filter((p) => p.controls.includes(control.id));
  const running = own.filter((p) => p.enforcementLevel !== "disabled");
  const judged = records.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && running.some((p) => policyJudges(p.name, r, policyConfig)));
  const mine = violations.filter((v) => v.controls.includes(control.id) && reportedControl(v) === control.id);
  const status: Status = mine.some((v) => !v.exemption) ? "fail" : mine.length > 0 ? "exempted" : judged.length > 0 ? "pass" : "not evaluated";
  const { mapping, guids, reason } = mappingOf(control);
  return {
    id: control.id, title: control.title, status, mapping,
    definitions: guids.map((g) => ({ id: DEFINITIONS[g]?.id ?? `/providers/Microsoft.Authorization/policyDefinitions/${g}`, displayName: DEFINITIONS[g]?.displayName ?? g })),
    ...(reason ? { reason } : {}),
    policies: own.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel })),
    resources: judged.map((r) => ({ urn: r.urn, name: r.name, type: r.type })),
    violations: mine.map((v) => ({
      policy: v.policy, level: v.enforcementLevel, urn: v.urn, message: String(redact(v.message)).split("\n").slice(1).join(" "),
      ...(v.exemption ? { exempted: { approvedBy: v.exemption.approvedBy, expiresOn: v.exemption.expiresOn, reason: v.exemption.reason } } : {}),
    })),
  };
}

/**
 * Whether a running policy judged a resource: one of its types (every resource for a stack policy without declared
 * types), and, for an opt-in requirement, switched on for it. One that is off judges nothing: its control is not
 * evaluated, never a vacuous pass.
 */
function policyJudges(policy: string, r: ResourceRecord, policyConfig: Record<string, unknown>): boolean {
  const types = POLICY_TYPES.get(policy) ?? "*";
  if (types !== "*" && !types.includes(canonicalType(r.type))) return false;
  const judges = POLICY_JUDGES.get(policy);
  const entry = policyConfig[policy];
  return !judges || judges(plain(r.inputs) as Record<string, unknown>, typeof entry === "object" && entry !== null ? entry : undefined);
}

/** Inputs as a policy reads them (the analyzer unwraps secrets before a policy sees them). */
function plain(value: unknown): unknown {
  if (isSecret(value)) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export function worst(statuses: Status[]): Status {
  return WORST.find((s) => statuses.includes(s)) ?? "not evaluated";
}

export function buildCompliance(input: {
  source: ComplianceReport["source"]; records: ResourceRecord[]; policies: PolicyInfo[]; violations: Violation[]; now: number;
  /** The policy config the pack ran with (opt-in requirements decide what was judged). */
  policyConfig?: Record<string, unknown>;
}): ComplianceReport {
  const evidence = new Map(Object.values(CONTROLS).map((c) => [c.id, controlEvidence(c, input.records, input.policies, input.violations, input.policyConfig)]));
  const frameworks: Framework[] = Object.entries(FRAMEWORKS).map(([name, f]) => {
    const byGroup = new Map<string, Set<string>>();
    for (const control of Object.values(CONTROLS)) {
      for (const guid of mappingOf(control).guids) {
        for (const group of f.definitions[guid] ?? []) byGroup.set(group, new Set([...(byGroup.get(group) ?? []), control.id]));
      }
    }
    const controls = [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true })).map(([id, ids]) => {
      const members = [...ids].sort().map((c) => evidence.get(c)!);
      return { id, status: worst(members.map((m) => m.status)), controls: members };
    });
    const summary: Record<Status, number> = { pass: 0, fail: 0, exempted: 0, "not evaluated": 0 };
    for (const c of controls) summary[c.status]++;
    return { name, displayName: f.displayName, initiativeId: f.initiativeId, version: f.version, summary, controls };
  });
  const unmapped = Object.values(CONTROLS).filter((c) => mappingOf(c).guids.length === 0).map((c) => ({
    id: c.id, title: c.title, status: evidence.get(c.id)!.status, reason: c.compliance?.reason ?? "no built-in equivalent",
  }));
  const about = frameworksData._about as { source: string; commit: string; release: string };
  return {
    schemaVersion: 1,
    tool: TOOL,
    source: input.source,
    evaluatedAt: new Date(input.now).toISOString(),
    data: { source: about.source, commit: about.commit, release: about.release },
    frameworks,
    unmapped,
    coverage: COVERAGE,
  };
}
