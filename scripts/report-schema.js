#!/usr/bin/env node
/** Writes docs/plan-report.schema.json from report/json.ts (`--check`: exit 1 when the shipped file differs). */
const path = require("path");
const { writeOrCheck } = require("./lib/generated");

const ROOT = path.resolve(__dirname, "..");
require(path.join(ROOT, "bin", "register-ts"));
const { planReportJsonSchema } = require(path.join(ROOT, "report", "json"));

const OUT = path.join(ROOT, "docs", "plan-report.schema.json");
const text = JSON.stringify(planReportJsonSchema(), null, 2) + "\n";
writeOrCheck(ROOT, OUT, text, ": run npm run docs:schema");
