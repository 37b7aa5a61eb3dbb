#!/usr/bin/env node
/**
 * Writes docs/controls.md from the catalogue, the policies and the shipped policy configs (report/controlsDoc.ts).
 * `--check` exits 1 when the shipped file differs (a test runs it too).
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
require(path.join(ROOT, "bin", "register-ts"));
const { controlsMarkdown } = require(path.join(ROOT, "report", "controlsDoc"));

const OUT = path.join(ROOT, "docs", "controls.md");
const text = controlsMarkdown(path.join(ROOT, "policies", "config"));
if (process.argv.includes("--check")) {
  if (!fs.existsSync(OUT) || fs.readFileSync(OUT, "utf8") !== text) {
    console.error("docs/controls.md is stale: run npm run docs:controls");
    process.exit(1);
  }
} else {
  fs.writeFileSync(OUT, text);
  console.log("wrote docs/controls.md");
}
