#!/usr/bin/env node
/**
 * Writes policies/data/taggable-types.json: every azure-native resource type whose SDK takes `tags` (its `<Name>Args`
 * interface declares `tags?:`), read from the installed @pulumi/azure-native. TAG-01 applies to each of them, whether or
 * not a program sends tags. Run after upgrading azure-native (`node scripts/taggable-types.js`); a test fails while the
 * file is stale. `--check` prints the differences and exits 1 instead of writing.
 */
const fs = require("fs");
const path = require("path");
const { writeOrCheck } = require("./lib/generated");

const ROOT = path.resolve(__dirname, "..");
const SDK = path.dirname(require.resolve("@pulumi/azure-native/package.json", { paths: [ROOT] }));
const OUT = path.join(ROOT, "policies", "data", "taggable-types.json");

function taggableTypes() {
  const types = [];
  for (const mod of fs.readdirSync(SDK, { withFileTypes: true })) {
    if (!mod.isDirectory() || mod.name === "types" || mod.name === "node_modules") continue;
    const dir = path.join(SDK, mod.name);
    for (const file of fs.readdirSync(dir)) {
      if (!file.endsWith(".js")) continue;
      const js = fs.readFileSync(path.join(dir, file), "utf8");
      const token = /static __pulumiType = '(azure-native:[^']+)'/.exec(js);
      if (!token) continue;
      const dts = path.join(dir, file.replace(/\.js$/, ".d.ts"));
      if (!fs.existsSync(dts)) continue;
      const name = token[1].split(":")[2];
      const args = new RegExp(`export interface ${name}Args \\{([\\s\\S]*?)\\n\\}`).exec(fs.readFileSync(dts, "utf8"));
      if (args && /^\s+tags\?:/m.test(args[1])) types.push(token[1]);
    }
  }
  return [...new Set(types)].sort();
}

function main() {
  const version = require(path.join(SDK, "package.json")).version;
  const doc = { source: `@pulumi/azure-native ${version}: resource types whose Args declare tags`, types: taggableTypes() };
  const text = JSON.stringify(doc, null, 1) + "\n";
  writeOrCheck(ROOT, OUT, text, ` for ${doc.source}; run node scripts/taggable-types.js`, `wrote ${path.relative(ROOT, OUT)}: ${doc.types.length} types`);
}

if (require.main === module) main();
module.exports = { taggableTypes };
