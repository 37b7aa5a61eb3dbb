/**
 * The compliance evidence as Markdown, for a pull request or an auditor: a summary per framework, then per framework
 * each control with its status, the mlvault controls behind it and what they judged; failing and exempted findings
 * are listed where they count. Names, control ids and redacted messages only.
 */
import type { ComplianceReport, Status } from "./compliance";

const ICON: Record<Status, string> = { pass: "✅ pass", fail: "❌ fail", exempted: "⚠️ exempted", "not evaluated": "➖ not evaluated" };
/** The levels the control's policies ran at ("mandatory", "advisory", "disabled"). */
function levels(m: { policies: { enforcementLevel: string }[] }): string {
  return [...new Set(m.policies.map((p) => p.enforcementLevel))].join("/") || "no policy";
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function renderComplianceMarkdown(report: ComplianceReport): string {
  const src = report.source;
  const lines = [
    `# Compliance evidence: stack \`${src.stack}\` (${src.environment})`,
    "",
    `${src.kind === "plan" ? "From the offline plan of the stack files" : `From the deployed state (${src.file})`}, evaluated ${report.evaluatedAt}. ` +
      `Frameworks and their controls come from Microsoft's regulatory initiatives (${report.data.source}, ${report.data.release}, commit ${report.data.commit}).`,
    "",
    report.coverage,
    "",
    "## Summary",
    "",
    "| Framework | pass | fail | exempted | not evaluated |",
    "|---|---|---|---|---|",
    ...report.frameworks.map((f) => `| ${cell(f.displayName)} | ${f.summary.pass} | ${f.summary.fail} | ${f.summary.exempted} | ${f.summary["not evaluated"]} |`),
    "",
  ];
  for (const f of report.frameworks) {
    lines.push(`## ${f.displayName}`, "", `Initiative \`${f.initiativeId}\` (version ${f.version}).`, "", "| Framework control | Status | mlvault controls | Evidence |", "|---|---|---|---|");
    for (const c of f.controls) {
      const controls = c.controls.map((m) => `${m.id} ${m.status} (${levels(m)}${m.mapping === "reasoned" ? `; reasoned: ${m.reason}` : ""})`).join(", ");
      const resources = new Set(c.controls.flatMap((m) => m.resources.map((r) => r.urn))).size;
      const findings = c.controls.flatMap((m) => m.violations.map((v) => `${m.id} ${v.urn?.split("::").pop() ?? "stack"}: ${v.exempted ? `exempted until ${v.exempted.expiresOn} by ${v.exempted.approvedBy}` : v.message}`));
      lines.push(`| ${cell(c.id)} | ${ICON[c.status]} | ${cell(controls)} | ${resources} resource(s)${findings.length ? `; ${cell(findings.join("; "))}` : ""} |`);
    }
    lines.push("");
  }
  lines.push("## Controls with no built-in equivalent", "", "Evaluated all the same; they reach no framework control.", "", "| Control | Status | Why |", "|---|---|---|");
  for (const u of report.unmapped) lines.push(`| ${u.id} ${cell(u.title)} | ${ICON[u.status]} | ${cell(u.reason)} |`);
  return lines.join("\n") + "\n";
}
