#!/usr/bin/env node
/**
 * Vendors the Azure Policy built-in definitions the catalogue anchors to into policies/data/azure-policy.json:
 * full definition id, display name, description, category, version, effects and source path, with the upstream
 * commit and release. Input: an extraction of Azure/azure-policy (MIT) as
 * `{ _about: {source, commit, release, license}, definitions: { <guid>: {...} } }`.
 *
 *   node scripts/vendor-azure-policy.js <azure-policy-definitions.json>
 *
 * Every catalogue prefix must match exactly one definition; the script refuses otherwise.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "policies", "data", "azure-policy.json");

function main() {
  const input = process.argv[2];
  if (!input) {
    console.error("usage: node scripts/vendor-azure-policy.js <azure-policy-definitions.json>");
    process.exit(2);
  }
  require(path.join(ROOT, "bin", "register-ts"));
  const { CONTROLS } = require(path.join(ROOT, "policies", "catalogue"));
  const upstream = JSON.parse(fs.readFileSync(input, "utf8"));
  const prefixes = [...new Set(Object.values(CONTROLS).flatMap((c) => c.anchors.azurePolicy ?? []))].sort();
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
      effects: d.effects, deprecated: d.deprecated, preview: d.preview, source: d.source,
    };
  }
  const doc = { _about: { ...upstream._about, vendoredBy: "scripts/vendor-azure-policy.js", scope: "the definitions policies/catalogue.ts anchors to" }, definitions };
  fs.writeFileSync(OUT, JSON.stringify(doc, null, 1) + "\n");
  console.log(`wrote ${path.relative(ROOT, OUT)}: ${Object.keys(definitions).length} definitions`);
}

main();
