/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per policy (control IDs and anchors as tags, full Azure Policy
 * definition ids, GitHub's `security-severity`, help text with the remediation, `helpUri` to the control's section of
 * docs/controls.md), one result per violation, located at the line of the stack file that causes it (the project or
 * secret entry) with the resource URN as a logical location. One run category per stack (`automationDetails.id`),
 * so the dev and prod uploads never replace each other. Every text goes through `redact` first.
 */
import { createHash } from "crypto";
import { redact } from "../engine/redact";
import type { Violation } from "../engine/types";
import type { PolicyEvaluation, PolicyInfo } from "../engine/analyzer";
import { CONTROLS } from "../policies/catalogue";
import { azurePolicyDefinition, controlAnchor } from "./controlsDoc";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const SARIF_VERSION = "2.1.0";
const TOOL_NAME = "mlvault";
const CONTROL_ID = /^[A-Z]+-\d{2}$/;

export interface SarifOptions {
  toolVersion: string;
  /** What results point at, e.g. "Pulumi.prod.yaml" or the export path (relative to the repo root). */
  artifactUri: string;
  /** The run's category: the stack (plan) or the environment and export (audit). Code scanning keeps one set per category. */
  category: string;
  /** The line of the artifact a violation comes from (1 when unknown). */
  lineOf?: (v: Violation) => number;
  /** Absolute URL of docs/controls.md; each rule's helpUri is its control's section there. */
  controlsDocUrl: string;
  /** The tool's home page. */
  informationUri: string;
}

type SarifLevel = "error" | "warning" | "note" | "none";

/**
 * GitHub's scale: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
 * https://docs.github.com/en/code-security/code-scanning (SARIF support: reportingDescriptor).
 */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function text(value: unknown): string {
  const safe = redact(value);
  return typeof safe === "string" ? safe : JSON.stringify(safe);
}

function levelOf(enforcement: PolicyInfo["enforcementLevel"] | Violation["enforcementLevel"]): SarifLevel {
  switch (enforcement) {
    case "mandatory":
    case "remediate":
      return "error";
    case "advisory":
      return "warning";
    default:
      return "none";
  }
}

function anchorsOf(policy: PolicyInfo): string[] {
  return policy.tags.filter((t) => !CONTROL_ID.test(t));
}

function helpOf(policy: PolicyInfo): { text: string; markdown: string } {
  const controls = policy.controls.length ? policy.controls.join(", ") : "none";
  const anchors = anchorsOf(policy);
  const lines = [text(policy.description), "", `Controls: ${controls}`];
  const md = [text(policy.description), "", `**Controls:** ${controls}`];
  if (anchors.length) {
    lines.push(`Anchors: ${anchors.join(", ")}`);
    md.push(`**Anchors:** ${anchors.map((a) => `\`${a}\``).join(", ")}`);
  }
  if (policy.remediationSteps) {
    lines.push("", `Remediation: ${text(policy.remediationSteps)}`);
    md.push("", "**Remediation:**", "", text(policy.remediationSteps));
  }
  if (policy.url) {
    lines.push("", `More: ${policy.url}`);
    md.push("", `[More about this control](${policy.url})`);
  }
  return { text: lines.join("\n"), markdown: md.join("\n") };
}

/** The full Azure Policy definition ids the policy's controls trace to (vendored built-ins). */
function azurePolicyIds(policy: PolicyInfo): string[] {
  return policy.controls.flatMap((id) => (CONTROLS[id]?.anchors.azurePolicy ?? []).map((p) => azurePolicyDefinition(p).id));
}

function ruleOf(policy: PolicyInfo, opts: SarifOptions): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    tags: [...policy.controls, ...anchorsOf(policy), "security"],
    controls: policy.controls,
    enforcementLevel: policy.enforcementLevel,
    azurePolicyDefinitions: azurePolicyIds(policy),
  };
  const severity = policy.severity ? SECURITY_SEVERITY[policy.severity] : undefined;
  if (severity) properties["security-severity"] = severity;
  // Short: what the policy checks. Full: which controls, why they matter and how to comply (never the same text).
  const summary = text(policy.displayName || policy.description.replace(/^[A-Z0-9, -]+: /, ""));
  const titles = policy.controls.map((id) => (CONTROLS[id] ? `${id} ${CONTROLS[id].title}` : id)).join("; ");
  const full = [titles ? `${titles}.` : "", text(policy.description), policy.remediationSteps ? `Remediation: ${text(policy.remediationSteps)}` : ""].filter(Boolean).join(" ");
  const rule: Record<string, unknown> = {
    id: policy.name,
    name: policy.name,
    shortDescription: { text: summary },
    fullDescription: { text: full === summary ? `${full} (mlvault baseline)` : full },
    help: helpOf(policy),
    defaultConfiguration: { level: levelOf(policy.enforcementLevel), enabled: policy.enforcementLevel !== "disabled" },
    properties,
  };
  rule.helpUri = policy.url ?? (policy.controls[0] ? `${opts.controlsDocUrl}#${controlAnchor(policy.controls[0])}` : opts.controlsDocUrl);
  return rule;
}

/** Stable identity of a violation across runs, so code scanning tracks one alert per resource and policy. */
function fingerprint(v: Violation): string {
  return createHash("sha256").update(`${v.policy}\u0000${v.urn ?? ""}`).digest("hex").slice(0, 32);
}

function resourceName(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

function resultOf(v: Violation, ruleIndex: number, opts: SarifOptions): Record<string, unknown> {
  const line = Math.max(1, opts.lineOf?.(v) ?? 1);
  const location: Record<string, unknown> = {
    physicalLocation: { artifactLocation: { uri: opts.artifactUri }, region: { startLine: line } },
  };
  if (v.urn) {
    location.logicalLocations = [{ name: resourceName(v.urn), fullyQualifiedName: v.urn, kind: "resource" }];
  }
  const controls = v.controls.length ? ` [${v.controls.join(", ")}]` : "";
  const hash = fingerprint(v);
  return {
    ruleId: v.policy,
    ruleIndex,
    // An exempted finding stays visible at "note": GitHub code scanning does not honour `suppressions` on upload
    // (github/codeql-action#1230), so the level is what keeps it from reading as an open warning there.
    level: v.exemption ? "note" : levelOf(v.enforcementLevel),
    message: { text: `${text(v.message)}${controls}${v.urn ? ` (${v.urn})` : ""}` },
    locations: [location],
    partialFingerprints: { "mlvaultViolation/v1": hash, primaryLocationLineHash: `${hash}:${line}` },
    properties: { controls: v.controls, enforcementLevel: v.enforcementLevel, urn: v.urn },
    // SARIF 2.1.0's own record of the acceptance, for viewers that honour it (§3.35: kind external, status accepted).
    ...(v.exemption ? {
      suppressions: [{
        kind: "external", status: "accepted",
        justification: `${v.exemption.category}: ${v.exemption.reason} (approved by ${v.exemption.approvedBy}${v.exemption.ticket ? `, ${v.exemption.ticket}` : ""}; until ${v.exemption.expiresOn})`,
      }],
    } : {}),
  };
}

/** The SARIF log for one evaluation. */
export function toSarif(evaluation: PolicyEvaluation, opts: SarifOptions): Record<string, unknown> {
  const policies = [...evaluation.policies];
  // A policy may report under another name; give every ruleId a rule so results always resolve.
  for (const v of evaluation.violations) {
    if (!policies.some((p) => p.name === v.policy)) {
      policies.push({ name: v.policy, description: v.policy, enforcementLevel: v.enforcementLevel, controls: v.controls, tags: v.controls });
    }
  }
  const index = new Map(policies.map((p, i) => [p.name, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: opts.toolVersion,
            semanticVersion: opts.toolVersion,
            informationUri: opts.informationUri,
            rules: policies.map((p) => ruleOf(p, opts)),
          },
        },
        // "<category>/" is how code scanning tells runs apart: one per stack, or the dev and prod uploads collide.
        automationDetails: { id: `${TOOL_NAME}/${opts.category}/` },
        artifacts: [{ location: { uri: opts.artifactUri } }],
        results: evaluation.violations.map((v) => resultOf(v, index.get(v.policy)!, opts)),
        columnKind: "utf16CodeUnits",
        properties: { policyPack: evaluation.packName, policyPackVersion: evaluation.packVersion },
      },
    ],
  };
}
