import type { ResourceRecord, Violation } from "../engine/types";
import { OP_STYLE, OP_SUMMARY, OP_SYMBOL, OPS, type Op } from "../change/ops";
import { CONTROL_PREFIX } from "./projects";
import { paint, truncate, wrap, type Display } from "./terminal";

/** One row's operation and what the Plan column adds ("replace [diff: location]"), for a change preview. */
export interface RowChange {
  op: Op;
  detail?: string;
}

export interface TreeOptions {
  /** Width and colour (report/terminal.ts); 80 columns, no colour when not given. */
  display?: Display;
  /** Each resource's operation; every row is a create when absent (a first plan). */
  changeOf?: (r: ResourceRecord) => RowChange;
  /** Rows to leave out (unchanged resources collapsed into the summary's count); counted all the same. */
  hideRow?: (r: ResourceRecord) => boolean;
  /** Only the title and the summary: no rows (`--summary`). */
  summaryOnly?: boolean;
}

/**
 * Pulumi's display simplification of a type token: `azuread:index/applicationFederatedIdentityCredential:
 * ApplicationFederatedIdentityCredential` reads `azuread:index:ApplicationFederatedIdentityCredential` (the module's
 * last segment repeats the name; pulumi/pulumi pkg/backend/display `simplifyTypeName`).
 */
export function simplifyType(type: string): string {
  const parts = type.split(":");
  if (parts.length !== 3) return type;
  const [pkg, module, name] = parts;
  const slash = module.lastIndexOf("/");
  if (slash < 0 || name === "") return type;
  const last = module.slice(slash + 1);
  return last.toLowerCase() === name.toLowerCase() ? `${pkg}:${module.slice(0, slash)}:${name}` : type;
}

/**
 * A `pulumi preview`-like tree of the planned resources, headed so nobody mistakes it for a real preview, fitted to
 * the display's width (long types and names end in "…"; `--json` has them whole). Shows names and types only: never a
 * property value, so nothing secret can leak through it.
 */
export function renderTree(records: ResourceRecord[], title: string, opts: TreeOptions = {}): string {
  const display = opts.display ?? { width: 80, color: false };
  const changeOf = opts.changeOf ?? ((): RowChange => ({ op: "create" }));
  const rows = opts.summaryOnly ? [] : treeRows(records, opts.hideRow);
  const lines = [title];
  if (rows.length > 0) {
    // The Plan column holds the operation; what changed (`[diff: …]`) follows in an Info column cut to what is left.
    const rowChanges = rows.map(({ record }) => changeOf(record));
    const plans = rows.map(({ record }, i) => planText(record, rowChanges[i]));
    const planWidth = Math.max(4, ...plans.map((p) => p.length));
    const [typeWidth, nameWidth] = fitColumns(display.width - 5 - 4 - planWidth,
      Math.max(4, ...rows.map((r) => r.prefix.length + simplifyType(r.record.type).length)),
      Math.max(4, ...rows.map((r) => r.record.name.length)));
    // Shown only where there is room for it; the list under the tree has every path whole.
    const infoWidth = display.width - 5 - typeWidth - nameWidth - planWidth - 6;
    lines.push("", `     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(nameWidth)}  Plan`);
    rows.forEach(({ record, prefix }, i) => {
      const change = rowChanges[i];
      const type = prefix + truncate(simplifyType(record.type), Math.max(1, typeWidth - prefix.length));
      const symbol = OP_SYMBOL[change.op].padEnd(2);
      const info = change.detail && infoWidth >= 20 ? `  ${truncate(change.detail, infoWidth)}` : "";
      const line = ` ${symbol}  ${type.padEnd(typeWidth)}  ${truncate(record.name, nameWidth).padEnd(nameWidth)}  ${plans[i].padEnd(planWidth)}${info}`;
      lines.push(paint(display, OP_STYLE[change.op], line.trimEnd()));
    });
  }
  lines.push("", "Resources:");
  // Each resource's operation once (a change preview computes it; the tree only counts).
  const ops = records.map((r) => changeOf(r).op);
  const counts = new Map<Op, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  for (const op of OPS) {
    const n = counts.get(op) ?? 0;
    if (n === 0 || op === "same") continue;
    const custom = records.filter((r, i) => r.custom && ops[i] === op).length;
    lines.push(paint(display, OP_STYLE[op], `    ${OP_SYMBOL[op]} ${n} ${OP_SUMMARY[op]} (${custom} cloud resources, ${n - custom} components)`));
  }
  if (counts.get("same")) lines.push(`    ${counts.get("same")} unchanged`);
  return lines.join("\n");
}

function planText(record: ResourceRecord, change: RowChange): string {
  return `${change.op}${record.protect ? " [protect]" : ""}`;
}

/** Rows in tree order, each with its branch prefix (`├─ `, `│  └─ `); hidden rows drop out, their children stay. */
function treeRows(records: ResourceRecord[], hideRow?: (r: ResourceRecord) => boolean): { record: ResourceRecord; prefix: string }[] {
  const children = new Map<string | null, ResourceRecord[]>();
  const urns = new Set(records.map((r) => r.urn));
  for (const r of records) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const rows: { record: ResourceRecord; prefix: string }[] = [];
  const walk = (parent: string | null, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const branch = parent === null ? "" : last ? "└─ " : "├─ ";
      if (!hideRow?.(r)) rows.push({ record: r, prefix: prefix + branch });
      walk(r.urn, parent === null ? prefix : prefix + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  return rows;
}

/**
 * Widths of the Type and Name columns within `available` characters: both whole when they fit; otherwise the name
 * keeps up to 40% (at least 16) and the type takes the rest, never below 12 each (a very narrow terminal wraps).
 */
function fitColumns(available: number, typeWanted: number, nameWanted: number): [number, number] {
  if (typeWanted + nameWanted <= available) return [typeWanted, nameWanted];
  const name = Math.min(nameWanted, Math.max(16, Math.floor(available * 0.4)));
  const type = Math.max(12, Math.min(typeWanted, available - name));
  return [type, Math.max(12, Math.min(nameWanted, available - type))];
}

/**
 * Violations grouped by level, each with its controls, the resource it concerns and, when known, the stack-file
 * key and line that produce it (`from Pulumi.dev.yaml:54 projects[2].secrets[0].expiresOn`). Mandatory findings are
 * red and advisories yellow on a colour display; `summaryOnly` leaves out each finding's message.
 */
export function renderViolations(
  violations: Violation[],
  placeOf?: (v: Violation) => string | undefined,
  opts: { display?: Display; summaryOnly?: boolean } = {},
): string {
  const display = opts.display ?? { width: 80, color: false };
  if (violations.length === 0) return "Policies:\n    no violations";
  const lines = ["Policies:"];
  // Exempted findings (an active exemption covers them) come last, apart: reported, accepted, not counted.
  for (const level of ["mandatory", "advisory", "exempted"] as const) {
    const list = violations.filter((v) => (level === "exempted" ? v.exemption !== undefined : v.enforcementLevel === level && v.exemption === undefined));
    if (list.length === 0) continue;
    const style = level === "mandatory" ? "red" : level === "advisory" ? "yellow" : "dim";
    lines.push(`    ${paint(display, style, `${level} (${list.length})`)}:`);
    for (const v of list) {
      const where = v.urn ? v.urn.split("::").slice(-1)[0] + ` (${simplifyType(v.urn.split("::")[2].split("$").pop() ?? "")})` : "stack";
      const [first, ...rest] = wrap(`[${level}] ${v.policy} [${v.controls.join(", ")}] ${where}`, display.width, "      ", "        ");
      lines.push(first.replace(`[${level}]`, paint(display, style, `[${level}]`)), ...rest);
      const place = placeOf?.(v);
      if (place) lines.push(...wrap(`from ${place}`, display.width, "          "));
      if (opts.summaryOnly) continue;
      for (const line of v.message.split("\n")) lines.push(...wrap(line.replace(CONTROL_PREFIX, ""), display.width, "          "));
    }
  }
  return lines.join("\n");
}
