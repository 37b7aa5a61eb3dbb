#!/usr/bin/env node
/** Writes docs/plan-report.schema.json from report/json.ts (`--check`: exit 1 when the shipped file differs). */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
require(path.join(ROOT, "bin", "register-ts"));
const { planReportJsonSchema } = require(path.join(ROOT, "report", "json"));

const OUT = path.join(ROOT, "docs", "plan-report.schema.json");
const text = JSON.stringify(planReportJsonSchema(), null, 2) + "\n";
if (process.argv.includes("--check")) {
  if (!fs.existsSync(OUT) || fs.readFileSync(OUT, "utf8") !== text) {
    console.error("docs/plan-report.schema.json is stale: run npm run docs:schema");
    process.exit(1);
  }
} else {
  fs.writeFileSync(OUT, text);
  console.log("wrote docs/plan-report.schema.json");
}
