/**
 * The pull-request comment for one stack's plan, under GitHub's limit at any size: a comment body holds at most
 * 65,536 characters and a longer one fails the job. The comment keeps a summary and the violations first, then one
 * collapsed `<details>` section per project (its chart), as many as fit in the budget; what does not fit is named
 * and left to the workflow artifact (the whole plan JSON, the full graph and the SARIF). Nothing secret is printed:
 * violation messages go through the same redaction as every report, charts carry names only.
 */
import { redact } from "../engine/redact";
import type { ResourceRecord, Violation } from "../engine/types";
import { chart, chartContext, PLATFORM_GROUP } from "./mermaid";
import type { ChangePreview } from "../change/preview";
import type { Hazard } from "../change/hazards";
import { OP_SYMBOL } from "../change/ops";

/** Below GitHub's 65,536: room for the sticky-comment action's own marker. */
export const COMMENT_BUDGET = 60_000;
const MAX_VIOLATION_ROWS = 60;

export interface CommentInput {
  stack: string;
  environment: string;
  records: ResourceRecord[];
  /** Undefined when policies were skipped. */
  violations?: Violation[];
  /** Where the whole plan is (the workflow artifact's name). */
  artifact: string;
  budget?: number;
  /** With `plan --against`: the change and its hazards, shown before everything else. */
  change?: { preview: ChangePreview; hazards: Hazard[] };
}

const MAX_CHANGE_ROWS = 80;

/** The change section: counts as Pulumi sums them, the hazards (blocking first), then each resource that changes. */
function changeSection(change: NonNullable<CommentInput["change"]>): string[] {
  const { preview, hazards } = change;
  const c = preview.counts;
  const lines = [
    `### Change against \`${cell(preview.against.file)}\``,
    "",
    `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.same} unchanged` +
      (preview.secretsCompared ? "." : " (secret values not compared against a stack export)."),
    "",
  ];
  const blocking = hazards.filter((h) => h.blocking).length;
  if (hazards.length > 0) {
    lines.push(`**Hazards: ${blocking} blocking, ${hazards.length - blocking} warning${hazards.length - blocking === 1 ? "" : "s"}**`, "", "| | kind | resource | what happens |", "|---|---|---|---|");
    for (const h of [...hazards].sort((a, b) => Number(b.blocking) - Number(a.blocking)).slice(0, MAX_CHANGE_ROWS)) {
      lines.push(`| ${h.blocking ? "⛔ blocking" : "⚠ warning"} | ${h.kind} | \`${cell(h.name)}\` | ${cell(h.message)} |`);
    }
    lines.push("");
  }
  const changed = preview.changes.filter((x) => x.op !== "same");
  if (changed.length > 0) {
    lines.push("<details>", `<summary>${changed.length} resource${changed.length === 1 ? "" : "s"} change</summary>`, "", "| op | resource | type | inputs |", "|---|---|---|---|");
    for (const x of changed.slice(0, MAX_CHANGE_ROWS)) {
      const paths = x.op === "replace" ? x.replaceReasons.map((p) => `${p} (forces replace)`) : x.diff;
      lines.push(`| \`${OP_SYMBOL[x.op]}\` ${x.op} | \`${cell(x.name)}\` | \`${cell(x.type)}\` | ${cell(paths.join(", "))} |`);
    }
    if (changed.length > MAX_CHANGE_ROWS) lines.push(`| | … and ${changed.length - MAX_CHANGE_ROWS} more: see the artifact | | |`);
    lines.push("", "</details>", "");
  }
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function violationRows(violations: Violation[]): string[] {
  const ordered = [...violations].sort((a, b) => (a.enforcementLevel === b.enforcementLevel ? 0 : a.enforcementLevel === "mandatory" ? -1 : 1));
  const rows = ordered.slice(0, MAX_VIOLATION_ROWS).map((v) => {
    const message = String(redact(v.message)).split("\n").pop() ?? "";
    const short = message.length > 300 ? `${message.slice(0, 297)}...` : message;
    const level = v.exemption ? `exempted until ${v.exemption.expiresOn}` : v.enforcementLevel;
    return `| ${level} | ${v.controls.join(", ")} | \`${cell(v.urn?.split("::").pop() ?? "stack")}\` | ${cell(short)} |`;
  });
  if (ordered.length > MAX_VIOLATION_ROWS) rows.push(`| | | | … and ${ordered.length - MAX_VIOLATION_ROWS} more: see the artifact |`);
  return rows;
}

export function renderPrComment(input: CommentInput): string {
  const budget = input.budget ?? COMMENT_BUDGET;
  const violations = input.violations ?? [];
  const ops = input.change ? new Map(input.change.preview.changes.map((c) => [c.urn, c.op])) : undefined;
  const { groups, ...ctx } = chartContext(input.records, violations.map((v) => v.urn).filter((u): u is string => !!u), ops);
  const projects = groups.filter((g) => g.name !== PLATFORM_GROUP);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = violations.length - mandatory;
  const cloud = input.records.filter((r) => r.custom && !r.type.startsWith("pulumi:") && ops?.get(r.urn) !== "delete").length;
  const perProject = new Map<string, number>();
  for (const v of violations) {
    const group = v.urn ? ctx.groupOf.get(v.urn) : undefined;
    if (group) perProject.set(group, (perProject.get(group) ?? 0) + 1);
  }

  const head = [
    `## mlvault plan: \`${input.stack}\` (${input.environment})`,
    "",
    `Offline plan, nothing deployed: ${cloud} cloud resources in ${projects.length} project${projects.length === 1 ? "" : "s"}. ` +
      (input.violations === undefined ? "Policies skipped." : `Policies: **${mandatory} mandatory**, ${advisory} advisory.`),
    "",
    ...(input.change ? changeSection(input.change) : []),
  ];
  if (violations.length > 0) head.push("### Violations", "", "| level | controls | resource | message |", "|---|---|---|---|", ...violationRows(violations), "");
  const footer = ["", `The whole plan (JSON), the full graph and the SARIF are in the workflow artifact \`${input.artifact}\`.`];

  const out = [...head];
  let used = out.join("\n").length + footer.join("\n").length;
  const left: string[] = [];
  for (const g of projects) {
    const count = perProject.get(g.name) ?? 0;
    const section = [
      "<details>",
      `<summary><b>${g.name}</b>: ${g.resources.length} resources${count ? `, ${count} violation${count === 1 ? "" : "s"}` : ""}</summary>`,
      "",
      ...chart(g, ctx),
      "",
      "</details>",
    ].join("\n");
    if (left.length === 0 && used + section.length + 300 < budget) {
      out.push(section);
      used += section.length + 1;
    } else left.push(g.name);
  }
  if (left.length > 0) {
    const names = left.join(", ");
    const line = `${left.length} more project${left.length === 1 ? "" : "s"} not drawn here: ${names}`;
    out.push("", line.length + used < budget - 200 ? line : `${left.length} more projects not drawn here (see the artifact).`);
  }
  out.push(...footer);
  const text = out.join("\n") + "\n";
  // The budget is a promise: never more, whatever the content.
  return text.length <= budget ? text : text.slice(0, budget - 80) + "\n\n… cut to stay under GitHub's comment limit (see the artifact).\n";
}
