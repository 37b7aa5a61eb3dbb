#!/usr/bin/env node
/**
 * Writes docs/controls.md from the catalogue, the policies and the shipped policy configs (report/controlsDoc.ts).
 * `--check` exits 1 when the shipped file differs (a test runs it too).
 */
const path = require("path");
const { writeOrCheck } = require("./lib/generated");

const ROOT = path.resolve(__dirname, "..");
require(path.join(ROOT, "bin", "register-ts"));
const { controlsMarkdown } = require(path.join(ROOT, "report", "controlsDoc"));

const OUT = path.join(ROOT, "docs", "controls.md");
const text = controlsMarkdown(path.join(ROOT, "policies", "config"));
writeOrCheck(ROOT, OUT, text, ": run npm run docs:controls");
