#!/usr/bin/env node
/**
 * Vendors the Azure Policy built-in definitions the catalogue anchors to (and those its reasoned compliance mappings
 * go through) into policies/data/azure-policy.json: full definition id, display name, description, category,
 * version, effects, source path and the exact policyRule, with the upstream commit and release. With the regulatory
 * initiatives' groupings as a second input, writes policies/data/regulatory-frameworks.json: per framework, the
 * initiative and, for each vendored definition it contains, the framework controls it is filed under. Inputs: an
 * extraction of Azure/azure-policy (MIT) as `{ _about: {source, commit, release, license}, definitions | frameworks }`
 * (../shared/compliance/ holds both).
 *
 *   node scripts/vendor-azure-policy.js <azure-policy-definitions.json> [<regulatory-frameworks.json>]
 *
 * Every catalogue anchor must match exactly one definition; the script refuses otherwise.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "policies", "data", "azure-policy.json");
const FRAMEWORKS_OUT = path.join(ROOT, "policies", "data", "regulatory-frameworks.json");

function main() {
  const input = process.argv[2];
  if (!input) {
    console.error("usage: node scripts/vendor-azure-policy.js <azure-policy-definitions.json>");
    process.exit(2);
  }
  require(path.join(ROOT, "bin", "register-ts"));
  const { CONTROLS } = require(path.join(ROOT, "policies", "catalogue"));
  const upstream = JSON.parse(fs.readFileSync(input, "utf8"));
  const prefixes = [...new Set(Object.values(CONTROLS).flatMap((c) => [...(c.anchors.azurePolicy ?? []), ...(c.compliance?.via ?? [])]))].sort();
  const definitions = {};
  for (const prefix of prefixes) {
    const matches = Object.keys(upstream.definitions).filter((guid) => guid.startsWith(prefix));
    if (matches.length !== 1) {
      console.error(`error: catalogue anchor ${prefix} matches ${matches.length} definitions`);
      process.exit(2);
    }
    const d = upstream.definitions[matches[0]];
    definitions[matches[0]] = {
      id: d.id, displayName: d.displayName, description: d.description, category: d.category, version: d.version,
      effects: d.effects, deprecated: d.deprecated, preview: d.preview, source: d.source, mode: d.mode, policyRule: d.policyRule,
    };
  }
  const doc = { _about: { ...upstream._about, vendoredBy: "scripts/vendor-azure-policy.js", scope: "the definitions policies/catalogue.ts anchors to" }, definitions };
  fs.writeFileSync(OUT, JSON.stringify(doc, null, 1) + "\n");
  console.log(`wrote ${path.relative(ROOT, OUT)}: ${Object.keys(definitions).length} definitions`);
  if (process.argv[3]) vendorFrameworks(process.argv[3], Object.keys(definitions));
}

function vendorFrameworks(input, guids) {
  const upstream = JSON.parse(fs.readFileSync(input, "utf8"));
  const frameworks = {};
  for (const [name, f] of Object.entries(upstream.frameworks)) {
    const definitions = {};
    for (const guid of guids) if (f.definitions[guid]) definitions[guid] = f.definitions[guid];
    frameworks[name] = { initiativeId: f.initiativeId, displayName: f.displayName, version: f.version, source: f.source, definitions };
  }
  const doc = { _about: { ...upstream._about, vendoredBy: "scripts/vendor-azure-policy.js", scope: "the framework controls the vendored definitions are filed under" }, frameworks };
  fs.writeFileSync(FRAMEWORKS_OUT, JSON.stringify(doc, null, 1) + "\n");
  console.log(`wrote ${path.relative(ROOT, FRAMEWORKS_OUT)}: ${Object.keys(frameworks).length} frameworks`);
}

main();
