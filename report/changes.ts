/**
 * A change preview (`plan --against`) as every report shows it: the rows of the tree (this plan's resources and the
 * deleted ones), the Plan column's detail as Pulumi writes it (`[diff: ~location]`), the hazards as text, and the
 * hazards as policy-like findings so SARIF and the pull-request comment carry them with the same machinery as
 * violations. Only names, types and input paths: a changed secret is a changed path, never a value.
 */
import type { PolicyInfo } from "../engine/analyzerTypes";
import type { ResourceRecord, Violation } from "../engine/types";
import type { Hazard, HazardKind } from "../change/hazards";
import type { ChangePreview, ResourceChange } from "../change/preview";
import { OP_STYLE, OP_SYMBOL, type Op } from "../change/ops";
import { inside } from "../change/rules";
import type { RowChange } from "./tree";
import { paint, wrap, type Display } from "./terminal";

/** The deleted resources as records (names and types only), so the tree and the charts can draw them. */
export function deletedRecords(preview: ChangePreview, opts: { pending?: boolean } = {}): ResourceRecord[] {
  return preview.changes.filter((c) => c.op === "delete" && (opts.pending !== false || !c.pendingDelete)).map((c) => ({
    urn: c.urn, type: c.type, name: c.name, parent: c.parent, custom: c.custom, protect: c.protectedBefore,
    dependencies: [], propertyDependencies: {}, inputs: {}, outputs: {}, additionalSecretOutputs: [],
    ...(c.pendingDelete ? { pendingDelete: true } : {}),
  }));
}

/** Each URN's operation (a copy pending deletion shares its URN with the live resource, whose operation wins). */
export function opsOf(preview: ChangePreview): Map<string, Op> {
  return new Map(preview.changes.filter((c) => !c.pendingDelete).map((c) => [c.urn, c.op]));
}

/** What the Plan column says after the operation: the changed paths, `~` for changed, as `pulumi preview` does. */
export function rowChange(c: ResourceChange): RowChange {
  const paths = c.op === "replace" ? c.replaceReasons : c.diff;
  const detail = c.op === "update" || c.op === "replace"
    ? `[diff: ${paths.slice(0, 3).map((p) => `~${p}`).join(", ")}${paths.length > 3 ? `, +${paths.length - 3} more` : ""}]${c.op === "replace" && c.deleteBeforeReplace ? " (delete first)" : ""}`
    : undefined;
  return { op: c.op, detail };
}

/**
 * Under the tree: every resource that is updated, replaced or deleted, with the input paths whole (the tree cuts them
 * to the terminal's width). A secret's changed value is its path, e.g. `properties.value`, never the value.
 */
export function renderChangeList(preview: ChangePreview, display: Display): string {
  const changed = preview.changes.filter((c) => c.op === "update" || c.op === "replace" || c.op === "delete");
  if (changed.length === 0) return "";
  const lines = ["Changes:"];
  for (const c of changed) {
    const what = changeText(c);
    const computed = c.computed.length > 0 ? ` (${c.computed.join(", ")} computed from a resource created or replaced here)` : "";
    lines.push(...wrap(`${OP_SYMBOL[c.op]} ${c.name}${what}${computed}`, display.width, "    ", "      ").map((l, i) => (i === 0 ? paint(display, OP_STYLE[c.op], l) : l)));
  }
  return lines.join("\n");
}

/** What happens to one resource, after its name: its changed paths, or why it is replaced and what else changes. */
function changeText(c: ResourceChange): string {
  if (c.op === "delete") return c.pendingDelete ? " (a copy pending deletion since an earlier update)" : "";
  if (c.op !== "replace") return `: ${c.diff.join(", ")}`;
  const also = c.diff.filter((p) => !c.replaceReasons.some((r) => inside(r, p)));
  return `: replaced because ${c.replaceReasons.join(", ")} change${c.deleteBeforeReplace ? " (deleted first)" : ""}${also.length > 0 ? `; also ${also.join(", ")}` : ""}`;
}

/** The hazards block under the tree: blocking first, each wrapped to the display. */
export function renderHazards(hazards: Hazard[], display: Display): string {
  if (hazards.length === 0) return "Hazards:\n    none";
  const lines = ["Hazards:"];
  const ordered = [...hazards].sort((a, b) => Number(b.blocking) - Number(a.blocking));
  for (const h of ordered) {
    const tag = h.blocking ? paint(display, "red", "[blocking]") : paint(display, "yellow", "[warning]");
    const [first, ...rest] = wrap(`${h.blocking ? "[blocking]" : "[warning]"} ${h.kind} ${h.name} (${h.type})`, display.width, "    ", "      ");
    lines.push(first.replace(h.blocking ? "[blocking]" : "[warning]", tag), ...rest);
    lines.push(...wrap(h.message, display.width, "        "));
  }
  return lines.join("\n");
}

const HAZARD_TEXT: Record<HazardKind, string> = {
  "protected": "A protected resource would be deleted or replaced (Pulumi refuses).",
  "data-plane-delete": "Deleting a Key Vault secret or key needs the vault's data plane.",
  "soft-deleted-name": "A deleted or replaced vault or workspace leaves a soft-deleted name that blocks re-creation.",
  "immutable-change": "A property Azure cannot change after creation would change.",
  "role-gap": "A role assignment is replaced: a short gap in access.",
  "ignored-change": "A change that never reaches Azure (ignoreChanges, or ARM ignores it).",
  "unjudged-type": "A change to a type mlvault has no replacement data for.",
  "create-collision": "A created resource is the same Azure resource as a deleted one (a rename without an alias).",
};

/** Rule names for hazards in SARIF: `change-<kind>`. */
export const hazardRule = (kind: HazardKind): string => `change-${kind}`;

/** The hazards as findings for SARIF and the comment: blocking ones at mandatory (error), the rest advisory. */
export function hazardFindings(hazards: Hazard[], controlsDocUrl: string): { policies: PolicyInfo[]; violations: Violation[] } {
  const kinds = [...new Set(hazards.map((h) => h.kind))];
  const deployingDoc = controlsDocUrl.replace(/controls\.md$/, "deploying.md");
  return {
    policies: kinds.map((kind) => ({
      name: hazardRule(kind), description: HAZARD_TEXT[kind], controls: [], tags: ["change-preview"],
      enforcementLevel: hazards.some((h) => h.kind === kind && h.blocking) ? "mandatory" : "advisory",
      url: `${deployingDoc}#day-2`,
    })),
    violations: hazards.map((h) => ({ policy: hazardRule(h.kind), controls: [], enforcementLevel: h.blocking ? "mandatory" : "advisory", urn: h.urn, message: h.message })),
  };
}
