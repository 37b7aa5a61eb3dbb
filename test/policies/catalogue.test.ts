/**
 * The catalogue is the one source: every control is enforced by a policy and documented in the shipped
 * docs/controls.md (generated from it), and every Azure Policy anchor resolves to exactly one vendored built-in
 * definition. Where the original control specification is at hand (the steering repository's shared/ folder beside
 * this checkout), its rows are checked too: anchors match its columns, and controls beyond it say why.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Policy } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { anchorTags, CONTROL_ID_PATTERN, CONTROLS, controlIdsFromTags } from "../../policies/catalogue";
import { azurePolicyDefinition } from "../../report/controlsDoc";

const ROOT = path.resolve(__dirname, "../..");
const SPEC_FILE = path.resolve(ROOT, "..", "shared", "controls.md");
const SPEC = fs.existsSync(SPEC_FILE) ? fs.readFileSync(SPEC_FILE, "utf8") : "";

/** Table rows of the specification keyed by their first cell, when that cell is a control ID. */
function specRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of SPEC.split("\n")) {
    if (!line.startsWith("|")) continue;
    const first = line.split("|")[1]?.trim() ?? "";
    if (CONTROL_ID_PATTERN.test(first)) rows.set(first, line);
  }
  return rows;
}

const ROWS = specRows();
const policies = ALL_POLICIES as Policy[];
const tagged = new Set(policies.flatMap((p) => controlIdsFromTags(p.tags)));

describe("the catalogue is the one source", () => {
  it("docs/controls.md is generated from it and current", () => {
    expect(() => execFileSync(process.execPath, [path.join(ROOT, "scripts/controls-doc.js"), "--check"], { stdio: "pipe" })).not.toThrow();
    const doc = fs.readFileSync(path.join(ROOT, "docs/controls.md"), "utf8");
    for (const id of Object.keys(CONTROLS)) expect(doc).toContain(`<a id="${id.toLowerCase()}"></a>`);
    expect(doc).not.toMatch(/\/work\/|shared\/controls/);
  });

  it.each(Object.values(CONTROLS).flatMap((c) => (c.anchors.azurePolicy ?? []).map((p) => [c.id, p] as const)))("%s: Azure Policy anchor %s names one vendored built-in definition", (_id, prefix) => {
    const d = azurePolicyDefinition(prefix);
    expect(d.id).toBe(`/providers/Microsoft.Authorization/policyDefinitions/${d.guid}`);
    expect(d.displayName.length).toBeGreaterThan(10);
  });

  it("every control is enforced by a policy", () => {
    for (const id of Object.keys(CONTROLS)) expect([id, tagged.has(id)]).toEqual([id, true]);
  });
});

(SPEC ? describe : describe.skip)("control catalogue against the original specification", () => {
  it("parses the spec", () => {
    expect(ROWS.size).toBeGreaterThanOrEqual(40);
    expect(ROWS.has("KV-01") && ROWS.has("LOG-01")).toBe(true);
  });

  it.each([...ROWS.keys()])("%s is in the catalogue and tagged on a policy", (id) => {
    expect(CONTROLS[id]).toBeDefined();
    expect(tagged.has(id)).toBe(true);
  });

  it("catalogues nothing the spec does not define, except controls the project added and says why", () => {
    const added = Object.values(CONTROLS).filter((c) => !ROWS.has(c.id));
    for (const c of added) expect([c.id, typeof c.addedBy === "string" && c.addedBy.length > 10]).toEqual([c.id, true]);
    expect(added.map((c) => c.id)).toEqual(["MON-01"]);
  });

  it.each([...ROWS.entries()])("%s anchors match the spec's Azure Policy, Checkov and Trivy columns", (id, row) => {
    const tags = anchorTags(CONTROLS[id]);
    const cells = row.split("|").slice(3).join("|"); // skip ID and title
    const azure = [...cells.matchAll(/\b[0-9a-f]{8}\b/g)].map((m) => `azure-policy:${m[0]}`);
    const checkov = [...cells.matchAll(/\bCKV2?_AZURE_\d+\b/g)].map((m) => `checkov:${m[0]}`);
    const trivy = [...cells.matchAll(/\bAVD-AZU-\d{4}\b/g)].map((m) => `trivy:${m[0]}`);
    expect(tags.filter((t) => t.startsWith("azure-policy:")).sort()).toEqual([...new Set(azure)].sort());
    expect(tags.filter((t) => t.startsWith("checkov:")).sort()).toEqual([...new Set(checkov)].sort());
    expect(tags.filter((t) => t.startsWith("trivy:")).sort()).toEqual([...new Set(trivy)].sort());
  });
});

describe("policy metadata", () => {
  it("names are unique kebab-case, prefixed by the primary control", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of policies) {
      const ids = controlIdsFromTags(p.tags);
      expect(ids.length).toBeGreaterThan(0);
      expect(p.name).toMatch(new RegExp(`^${ids[0].toLowerCase()}-[a-z0-9-]+$`));
    }
  });

  it.each(policies.map((p) => [p.name, p] as const))("%s: known controls only, description, severity, remediation, config schema", (_name, p) => {
    const ids = controlIdsFromTags(p.tags);
    for (const id of ids) expect(CONTROLS[id]).toBeDefined();
    expect(p.description.startsWith(ids.join(", ") + ":")).toBe(true);
    expect(p.severity).toMatch(/^(low|medium|high|critical)$/);
    expect(p.remediationSteps).toContain(ids[0]);
    expect(p.configSchema).toBeDefined();
    for (const [key, schema] of Object.entries(p.configSchema!.properties)) {
      expect(key).not.toBe("enforcementLevel");
      expect(typeof schema.description).toBe("string");
    }
    for (const id of ids) for (const anchor of anchorTags(CONTROLS[id])) expect(p.tags).toContain(anchor);
  });
});
