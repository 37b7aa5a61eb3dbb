import type { ResourceRecord } from "../../engine/types";
import { secret } from "../../engine/wire";
import { renderMermaid } from "../../report/mermaid";

/** Hand-built records: every grouping and edge rule of the picture, independent of the real program. */
const STACK = "urn:pulumi:dev::mlvault::pulumi:pulumi:Stack::mlvault-dev";
const SECRET_VALUE = "Sup3r-Secret-Value-in-inputs-91c4";

function rec(name: string, type: string, parent: string | null, custom: boolean, deps: string[] = [], propDeps: Record<string, string[]> = {}): ResourceRecord {
  return {
    urn: `urn:pulumi:dev::mlvault::${type}::${name}`,
    type, name, parent, custom, protect: false,
    dependencies: deps, propertyDependencies: propDeps,
    inputs: { value: secret(SECRET_VALUE), note: SECRET_VALUE }, outputs: {}, additionalSecretOutputs: [],
  };
}

const stack = rec("mlvault-dev", "pulumi:pulumi:Stack", null, false);
const provider = rec("default_3_28_0", "pulumi:providers:azure-native", STACK, true);
const platform = rec("platform", "mlvault:index:Platform", STACK, false);
const log = rec("platform-log", "azure-native:operationalinsights:Workspace", platform.urn, true);
const churn = rec("churn", "mlvault:index:MlProject", STACK, false);
const rg = rec("churn-rg", "azure-native:resources:ResourceGroup", churn.urn, true);
const kvComponent = rec("churn-keyvault", "mlvault:index:KeyVault", churn.urn, false);
const vault = rec("churn-keyvault-vault", "azure-native:keyvault:Vault", kvComponent.urn, true, [rg.urn], { resourceGroupName: [rg.urn] });
const diag = rec("churn-keyvault-diag", "azure-native:monitor:DiagnosticSetting", kvComponent.urn, true, [vault.urn], { resourceUri: [vault.urn], workspaceId: [log.urn] });
const fraud = rec("fraud", "mlvault:index:MlProject", STACK, false);
const fraudRg = rec("fraud-rg", "azure-native:resources:ResourceGroup", fraud.urn, true, [rg.urn, provider.urn]);
// Depends on the KeyVault component (stands for the vault and diagnostics inside it), on itself, on another project
// (not drawn) and on the platform; its name needs escaping and would be a Mermaid keyword as an id.
const odd = rec('end "quoted" #name', "azure-native:keyvault:Secret", churn.urn, true, [kvComponent.urn, STACK + "::self", fraudRg.urn, log.urn]);
odd.dependencies[1] = odd.urn;
const records = [stack, provider, platform, log, churn, rg, kvComponent, vault, diag, odd, fraud, fraudRg];

/** Parses the Markdown: each ```mermaid block's declared node ids and edges, by the heading above it. */
function charts(md: string): Map<string, { header: string; nodes: Map<string, string>; edges: string[] }> {
  const out = new Map<string, { header: string; nodes: Map<string, string>; edges: string[] }>();
  const re = /^## (.+)\n\n```mermaid\n([\s\S]*?)\n```$/gm;
  for (const m of md.matchAll(re)) {
    const [header, ...body] = m[2].split("\n").map((l) => l.trim());
    const nodes = new Map<string, string>();
    const edges: string[] = [];
    for (const line of body) {
      if (/^subgraph c\d+\["[^"]*"\]$/.test(line) || line === "end" || /^classDef violation /.test(line) || /^class [\w,]+ violation$/.test(line)) continue;
      const node = /^([A-Za-z0-9_]+)(?:\["(.*)"\]|\(\["(.*)"\]\))$/.exec(line);
      const edge = /^([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$/.exec(line);
      if (node) nodes.set(node[1], node[2] ?? node[3]);
      else if (edge) edges.push(`${edge[1]} --> ${edge[2]}`);
      else throw new Error(`not a node or an edge: ${line}`);
    }
    out.set(m[1], { header, nodes, edges });
  }
  return out;
}

describe("renderMermaid", () => {
  const md = renderMermaid(records, "dev");
  const c = charts(md);

  test("one flowchart per project, then one for the platform, nothing else", () => {
    expect([...c.keys()]).toEqual(["Project `churn`", "Project `fraud`", "Platform"]);
    expect(md.match(/```mermaid/g)).toHaveLength(3);
    for (const chart of c.values()) expect(chart.header).toBe("flowchart LR");
    expect(md.split("\n")[0]).toBe("# Plan of stack `dev`");
  });

  test("nodes are the group's cloud resources only: no component, no provider, no stack", () => {
    const labels = (k: string) => [...c.get(k)!.nodes.values()].sort();
    expect(labels("Project `churn`")).toEqual([
      "DiagnosticSetting: churn-keyvault-diag", "ResourceGroup: churn-rg", "Secret: end #quot;quoted#quot; #35;name", "Vault: churn-keyvault-vault", "platform (shared)",
    ]);
    expect(labels("Project `fraud`")).toEqual(["ResourceGroup: fraud-rg"]);
    expect(labels("Platform")).toEqual(["Workspace: platform-log"]);
  });

  test("every edge joins two declared nodes; edges are deduplicated", () => {
    for (const chart of c.values()) {
      for (const e of chart.edges) for (const id of e.split(" --> ")) expect(chart.nodes.has(id)).toBe(true);
      expect(new Set(chart.edges).size).toBe(chart.edges.length);
    }
  });

  test("dependencies and property dependencies become edges; the platform is one node; other projects are not drawn", () => {
    const churnChart = c.get("Project `churn`")!;
    const id = (label: string) => [...churnChart.nodes].find(([, l]) => l === label)![0];
    const named = churnChart.edges.map((e) => e.split(" --> ").map((n) => churnChart.nodes.get(n)).join(" --> ")).sort();
    expect(named).toEqual([
      "DiagnosticSetting: churn-keyvault-diag --> Secret: end #quot;quoted#quot; #35;name",
      "Vault: churn-keyvault-vault --> DiagnosticSetting: churn-keyvault-diag",
      "Vault: churn-keyvault-vault --> Secret: end #quot;quoted#quot; #35;name",
      "platform (shared) --> DiagnosticSetting: churn-keyvault-diag",
      "platform (shared) --> Secret: end #quot;quoted#quot; #35;name",
    ]);
    // Ids are sanitized and prefixed: never a Mermaid keyword such as `end`.
    expect(id("Secret: end #quot;quoted#quot; #35;name")).toMatch(/^r_[A-Za-z0-9_]+$/);
    expect(c.get("Project `fraud`")!.edges).toEqual([]);
  });

  test("never a property value", () => {
    expect(md).not.toContain(SECRET_VALUE);
  });

  test("an empty plan says so instead of drawing empty charts", () => {
    const empty = renderMermaid([stack], "dev");
    expect(empty).not.toContain("```mermaid");
    expect(empty).toContain("no cloud resources");
  });
});
