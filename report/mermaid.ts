import type { ResourceRecord } from "../engine/types";
import { OP_SYMBOL, type Op } from "../change/ops";
import { PROJECT_COMPONENT, projectOwner } from "./projects";

/**
 * A picture of the plan for a pull-request comment: Markdown with one Mermaid flowchart per project and one for the
 * platform (GitHub renders ```mermaid blocks). Nodes are cloud (custom) resources, grouped in a subgraph per
 * component (key vault, access, workspace, identity, secrets…) so a chart reads at GitHub's width; an arrow
 * `A --> B` means B depends on A (A is created first). Edges from the resource group are left out: everything
 * depends on it, and its fan-out would hide every other arrow. A resource with a policy violation is marked (red,
 * "⚠"). Labels are a short type and the resource's logical name: never a property value, so nothing secret can reach
 * the picture.
 */
export const PLATFORM_GROUP = "platform";
/** The node a project chart draws for everything of the platform it depends on (one node, not the whole platform). */
const PLATFORM_NODE_ID = "platform";

export interface Group {
  /** Project name, or PLATFORM_GROUP. */
  name: string;
  resources: ResourceRecord[];
}

/** What a chart needs beyond the group itself. */
export interface ChartContext {
  groupOf: Map<string, string>;
  expand: (urn: string) => string[];
  byUrn: Map<string, ResourceRecord>;
  /** URNs of resources with a policy violation (marked in the chart). */
  violating: Set<string>;
  /** With `plan --against`: each resource's operation; created, replaced and deleted nodes are marked. */
  ops?: Map<string, Op>;
}

/** How a change preview marks a node: its Pulumi symbol in the label and a class (colours as pulumi preview's). */
const OP_CLASSES: Partial<Record<Op, string>> = {
  create: "classDef created fill:#e0ffe0,stroke:#080,stroke-width:2px",
  replace: "classDef replaced fill:#ffe0ff,stroke:#a0a,stroke-width:2px",
  delete: "classDef deleted fill:#f0f0f0,stroke:#d00,stroke-width:2px,stroke-dasharray:4 3",
};

export function chartContext(records: ResourceRecord[], violatingUrns: Iterable<string> = [], ops?: Map<string, Op>): ChartContext & { groups: Group[] } {
  const groups = groupByProject(records);
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const r of g.resources) groupOf.set(r.urn, g.name);
  return { groups, groupOf, expand: customExpansion(records), byUrn: new Map(records.map((r) => [r.urn, r])), violating: new Set(violatingUrns), ops };
}

export function renderMermaid(records: ResourceRecord[], stack: string, violatingUrns: Iterable<string> = [], ops?: Map<string, Op>): string {
  const { groups, ...ctx } = chartContext(records, violatingUrns, ops);

  const projects = groups.filter((g) => g.name !== PLATFORM_GROUP);
  const platform = groups.find((g) => g.name === PLATFORM_GROUP);
  const lines = [
    `# Plan of stack \`${stack}\``,
    "",
    "Offline plan: nothing deployed. One chart per project, then the platform. Nodes are cloud resources (short type and",
    "name) in a box per component; an arrow `A --> B` means B depends on A, so A is created first (the resource group's",
    "arrows are left out: everything depends on it). ⚠ marks a resource with a policy violation.",
    ...(ops ? ["Against the earlier state: `+` marks a created node (green), `+-` a replaced one (purple), `-` a deleted one (dashed)."] : []),
  ];
  for (const g of projects) lines.push("", `## Project \`${g.name}\``, "", ...chart(g, ctx));
  if (platform) lines.push("", "## Platform", "", ...chart(platform, ctx));
  if (groups.length === 0) lines.push("", "_The plan has no cloud resources._");
  return lines.join("\n") + "\n";
}

/**
 * Cloud resources by project: the MlProject component they sit under, or the platform for everything else (the
 * Platform component and anything at stack level). Pulumi's own provider resources are not drawn.
 */
export function groupByProject(records: ResourceRecord[]): Group[] {
  const owner = projectOwner(records);
  const projectOf = (r: ResourceRecord): string => owner(r) ?? PLATFORM_GROUP;
  const groups = new Map<string, Group>();
  for (const r of records) {
    if (!r.custom || r.type.startsWith("pulumi:")) continue;
    const name = projectOf(r);
    const group = groups.get(name) ?? { name, resources: [] };
    group.resources.push(r);
    groups.set(name, group);
  }
  return [...groups.values()];
}

/**
 * A dependency on a component stands for the cloud resources inside it (as `dependsOn` a component does in the
 * SDK): urn -> the custom resources it stands for.
 */
function customExpansion(records: ResourceRecord[]): (urn: string) => string[] {
  const children = new Map<string, ResourceRecord[]>();
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  for (const r of records) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const cache = new Map<string, string[]>();
  const expand = (urn: string, seen: Set<string>): string[] => {
    const r = byUrn.get(urn);
    if (!r) return [];
    if (r.custom) return [urn];
    if (seen.has(urn)) return [];
    seen.add(urn);
    return (children.get(urn) ?? []).flatMap((c) => expand(c.urn, seen));
  };
  return (urn) => {
    if (!cache.has(urn)) cache.set(urn, expand(urn, new Set()));
    return cache.get(urn)!;
  };
}

const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";

export function chart(group: Group, ctx: ChartContext): string[] {
  const { groupOf, expand, byUrn, violating } = ctx;
  const ids = nodeIds(group.resources);
  const edges = new Set<string>();
  let platformUsed = false;
  for (const r of group.resources) {
    const deps = new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()]);
    for (const dep of [...deps].flatMap(expand)) {
      if (dep === r.urn || byUrn.get(dep)?.type === RESOURCE_GROUP) continue;
      const depGroup = groupOf.get(dep);
      if (depGroup === group.name) {
        edges.add(`${ids.get(dep)} --> ${ids.get(r.urn)}`);
      } else if (depGroup === PLATFORM_GROUP) {
        // Cross-group edges to the platform collapse into one node; edges to other projects are not drawn.
        platformUsed = true;
        edges.add(`${PLATFORM_NODE_ID} --> ${ids.get(r.urn)}`);
      }
    }
  }
  const lines = ["```mermaid", "flowchart LR"];
  if (platformUsed) lines.push(`  ${PLATFORM_NODE_ID}(["platform (shared)"])`);
  // One subgraph per component the resources sit in (their parent), in first-seen order.
  const byComponent = new Map<string, ResourceRecord[]>();
  for (const r of group.resources) byComponent.set(r.parent ?? "", [...(byComponent.get(r.parent ?? "") ?? []), r]);
  let n = 0;
  for (const [parent, members] of byComponent) {
    const component = byUrn.get(parent);
    const inSubgraph = component !== undefined && !component.custom && component.type !== PROJECT_COMPONENT && component.type !== "pulumi:pulumi:Stack";
    if (inSubgraph) lines.push(`  subgraph c${n++}["${escapeLabel(component!.type.split(":").pop()!)}: ${escapeLabel(component!.name)}"]`);
    for (const r of members) {
      const op = ctx.ops?.get(r.urn);
      const symbol = op && OP_CLASSES[op] ? `${OP_SYMBOL[op]} ` : "";
      lines.push(`${inSubgraph ? "    " : "  "}${ids.get(r.urn)}["${symbol}${violating.has(r.urn) ? "⚠ " : ""}${label(r)}"]`);
    }
    if (inSubgraph) lines.push("  end");
  }
  for (const e of [...edges].sort()) lines.push(`  ${e}`);
  const marked = group.resources.filter((r) => violating.has(r.urn)).map((r) => ids.get(r.urn)!);
  if (marked.length > 0) {
    lines.push("  classDef violation fill:#ffe0e0,stroke:#d00,stroke-width:2px", `  class ${marked.join(",")} violation`);
  }
  for (const [op, classDef] of Object.entries(OP_CLASSES) as [Op, string][]) {
    const nodes = group.resources.filter((r) => ctx.ops?.get(r.urn) === op && !violating.has(r.urn)).map((r) => ids.get(r.urn)!);
    if (nodes.length > 0) lines.push(`  ${classDef}`, `  class ${nodes.join(",")} ${classDef.split(" ")[1]}`);
  }
  lines.push("```");
  return lines;
}

/** Mermaid ids: letters, digits and underscores, prefixed so none is a keyword (`end`) or the platform node. */
function nodeIds(resources: ResourceRecord[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>([PLATFORM_NODE_ID]);
  for (const r of resources) {
    const base = "r_" + r.name.replace(/[^A-Za-z0-9_]/g, "_");
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(r.urn, id);
  }
  return ids;
}

/** `Vault: churn-keyvault-vault`. The type's last segment is enough next to the name; quotes and brackets escaped. */
function label(r: ResourceRecord): string {
  const shortType = r.type.split(":").pop()!.split("/").pop()!;
  return escapeLabel(`${shortType}: ${r.name}`);
}

function escapeLabel(text: string): string {
  // Mermaid's entity syntax is `#code;`: escape `#` first so a name can never spell one.
  return text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
