import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { linkedProject, ROOT, runCli, tempDir, type CliResult } from "./runCli";

/**
 * `mlvault plan <stack> --graph <file.md>` as a user runs it: the Markdown file a PR comment can carry, with one
 * valid-looking Mermaid flowchart per project and one for the platform.
 */
interface Chart { nodes: Set<string>; edges: [string, string][]; lines: string[] }

/** Each ```mermaid block under its `## ` heading; throws on a line that is neither a node nor an edge. */
function charts(md: string): Map<string, Chart> {
  const out = new Map<string, Chart>();
  for (const m of md.matchAll(/^## (.+)\n\n```mermaid\n([\s\S]*?)\n```$/gm)) {
    const [first, ...lines] = m[2].split("\n").map((l) => l.trim());
    expect(first).toBe("flowchart LR");
    const chart: Chart = { nodes: new Set(), edges: [], lines };
    for (const line of lines) {
      // Structure: a subgraph per component, its end, and the violation style.
      if (/^subgraph c\d+\["[^"]*"\]$/.test(line) || line === "end" || /^classDef violation /.test(line) || /^class [\w,]+ violation$/.test(line)) continue;
      const node = /^([A-Za-z0-9_]+)(\["[^"]*"\]|\(\["[^"]*"\]\))$/.exec(line);
      const edge = /^([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$/.exec(line);
      if (node) chart.nodes.add(node[1]);
      else if (edge) chart.edges.push([edge[1], edge[2]]);
      else throw new Error(`not a Mermaid node or edge: ${line}`);
    }
    out.set(m[1], chart);
  }
  return out;
}

function expectWellFormed(md: string, headings: string[]): Map<string, Chart> {
  const c = charts(md);
  expect([...c.keys()]).toEqual(headings);
  expect(md.match(/```mermaid/g)).toHaveLength(headings.length);
  for (const chart of c.values()) {
    expect(chart.nodes.size).toBeGreaterThan(0);
    for (const [from, to] of chart.edges) {
      expect(chart.nodes).toContain(from);
      expect(chart.nodes).toContain(to);
    }
    const keys = chart.edges.map((e) => e.join(" --> "));
    expect(new Set(keys).size).toBe(keys.length);
  }
  return c;
}

describe("plan dev --graph <file>", () => {
  let out: string;
  let r: CliResult;
  let md: string;

  beforeAll(() => {
    out = tempDir("graph-dev");
    r = runCli(["plan", "dev", "--graph", path.join(out, "nested", "plan.md")]);
    md = fs.readFileSync(path.join(out, "nested", "plan.md"), "utf8");
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test("exits 0 and still prints the plan", () => {
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^Offline plan of stack 'dev'/);
  });

  test("one well-formed flowchart for the project, one for the platform", () => {
    const c = expectWellFormed(md, ["Project `churn`", "Platform"]);
    const churn = c.get("Project `churn`")!;
    // The project's chart shows its cloud resources; dev's vault has advisory findings, so it is marked. Its
    // resource group is drawn without its fan-out (everything depends on it).
    expect(churn.lines).toContain('r_churn_keyvault_vault["⚠ Vault: churn-keyvault-vault"]');
    expect(churn.lines).toContain('r_churn_rg["ResourceGroup: churn-rg"]');
    expect(churn.lines.filter((l) => l.startsWith("r_churn_rg -->"))).toEqual([]);
    expect(churn.lines.some((l) => /^subgraph c\d+\["KeyVault: churn-keyvault"\]$/.test(l))).toBe(true);
    // Dependencies on the shared Log Analytics workspace collapse into the one platform node.
    expect(churn.lines).toContain('platform(["platform (shared)"])');
    expect(churn.lines).toContain("platform --> r_churn_keyvault_diagnostics");
    // Components are subgraphs, never nodes; the project component is the chart itself.
    for (const chart of c.values()) for (const node of chart.nodes) expect(node).not.toMatch(/MlProject|KeyVault$|VaultAccess$/);
    expect(md).not.toMatch(/MlProject/);
  });

  test("never a property value or the stack file's ciphertext", () => {
    expect(md).not.toContain("placeholder-set-with-pulumi-config-set-secret");
    expect(md).not.toContain("[secret]");
    expect(md).not.toContain("203.0.113.0/24");
  });
});

describe("a stack with two projects and a plaintext secret value", () => {
  const PLAINTEXT = "Plain-Text-Hunter2-graph-c07a";
  let dir: string;
  let md: string;
  let r: CliResult;

  beforeAll(() => {
    dir = linkedProject();
    const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
    const projects = doc.config["mlvault:projects"];
    projects.push({
      name: "fraud",
      readers: ["2d9e4c1b-7a35-4f60-8e12-c3b4a5d6e7f8"],
      secrets: [{ name: "model-token", contentType: "token", source: "generate", expiresOn: "2027-05-31" }],
    });
    // A plaintext value is refused before planning (exit 2), so the value rides as a `secure:` ciphertext, which
    // must stay as opaque as a value would.
    doc.config["mlvault:secretValues"] = { "churn/sql-password": { secure: PLAINTEXT } };
    fs.writeFileSync(path.join(dir, "Pulumi.two.yaml"), stringify(doc));
    r = runCli(["plan", "two", "-C", dir, "--graph", path.join(dir, "graph.md")]);
    md = fs.readFileSync(path.join(dir, "graph.md"), "utf8");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("one flowchart per project, grouped: no edge crosses from one project to another", () => {
    expect(r.status).toBe(0);
    const c = expectWellFormed(md, ["Project `churn`", "Project `fraud`", "Platform"]);
    const fraud = c.get("Project `fraud`")!;
    expect([...fraud.nodes].every((n) => n === "platform" || n.startsWith("r_fraud_"))).toBe(true);
    expect([...c.get("Project `churn`")!.nodes].every((n) => n === "platform" || n.startsWith("r_churn_"))).toBe(true);
  });

  test("the plaintext value is nowhere in the picture or the output", () => {
    for (const text of [md, r.stdout, r.stderr]) expect(text).not.toContain(PLAINTEXT);
  });
});
