import type { ResourceRecord, Violation } from "../engine/types";
import { CONTROL_PREFIX } from "./projects";

/**
 * A `pulumi preview`-like tree of the planned resources, headed so nobody mistakes it for a real preview.
 * Shows names and types only: never a property value, so nothing secret can leak through it.
 */
export function renderTree(records: ResourceRecord[], title: string): string {
  const children = new Map<string | null, ResourceRecord[]>();
  const urns = new Set(records.map((r) => r.urn));
  for (const r of records) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : null;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const rows: [string, string, string][] = [];
  const walk = (parent: string | null, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const branch = parent === null ? "" : last ? "└─ " : "├─ ";
      rows.push([`${prefix}${branch}${r.type}`, r.name, r.protect ? "create [protect]" : "create"]);
      walk(r.urn, parent === null ? prefix : prefix + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  const w0 = Math.max(4, ...rows.map((r) => r[0].length));
  const w1 = Math.max(4, ...rows.map((r) => r[1].length));
  const lines = [title, "", `     ${"Type".padEnd(w0)}  ${"Name".padEnd(w1)}  Plan`];
  for (const [type, name, plan] of rows) lines.push(` +   ${type.padEnd(w0)}  ${name.padEnd(w1)}  ${plan}`);
  const custom = records.filter((r) => r.custom).length;
  lines.push("", "Resources:", `    + ${records.length} to create (${custom} cloud resources, ${records.length - custom} components)`);
  return lines.join("\n");
}


/**
 * Violations grouped by level, each with its controls, the resource it concerns and, when known, the stack-file
 * key and line that produce it (`from Pulumi.dev.yaml:54 projects[2].secrets[0].expiresOn`).
 */
export function renderViolations(violations: Violation[], placeOf?: (v: Violation) => string | undefined): string {
  if (violations.length === 0) return "Policies:\n    no violations";
  const lines = ["Policies:"];
  for (const level of ["mandatory", "advisory"] as const) {
    const list = violations.filter((v) => v.enforcementLevel === level);
    if (list.length === 0) continue;
    lines.push(`    ${level} (${list.length}):`);
    for (const v of list) {
      const where = v.urn ? v.urn.split("::").slice(-1)[0] + ` (${v.urn.split("::")[2].split("$").pop()})` : "stack";
      lines.push(`      [${level}] ${v.policy} [${v.controls.join(", ")}] ${where}`);
      const place = placeOf?.(v);
      if (place) lines.push(`          from ${place}`);
      for (const line of v.message.split("\n")) lines.push(`          ${line.replace(CONTROL_PREFIX, "")}`);
    }
  }
  return lines.join("\n");
}
