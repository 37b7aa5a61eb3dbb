#!/usr/bin/env bash
# CI gate: no high or critical advisory in the production dependency tree (`npm audit --omit=dev --audit-level=high`).
# Findings always fail. Only when the audit endpoint itself cannot be reached (offline machine, a registry mirror
# without the advisory API) does it print one line and pass, because then there is nothing to judge; set
# MLVAULT_AUDIT_REQUIRED=1 (the GitHub workflows do) to make that a failure too.
set -uo pipefail
cd "$(dirname "$0")/.."

report="$(mktemp)"; errors="$(mktemp)"
trap 'rm -f "$report" "$errors"' EXIT
npm audit --omit=dev --audit-level=high --json >"$report" 2>"$errors"
status=$?

# Classify npm's JSON: an audit report (findings or none), the endpoint being unreachable, or anything else.
verdict="$(node - "$report" "$errors" "$status" <<'JS'
const fs = require("fs");
const [reportFile, errorsFile, status] = process.argv.slice(2);
const stderr = fs.readFileSync(errorsFile, "utf8");
let doc;
try { doc = JSON.parse(fs.readFileSync(reportFile, "utf8")); } catch { doc = undefined; }
const NETWORK = /^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNABORTED)$/;
if (doc && doc.auditReportVersion) {
  const counts = (doc.metadata && doc.metadata.vulnerabilities) || {};
  const serious = Object.values(doc.vulnerabilities || {}).filter((v) => v.severity === "high" || v.severity === "critical");
  for (const v of serious) {
    const titles = (v.via || []).filter((x) => typeof x === "object").map((x) => `${x.title} (${x.url})`);
    console.log(`  ${v.severity}: ${v.name} ${v.range} ${titles.join("; ") || `via ${(v.via || []).join(", ")}`}`);
  }
  const summary = ["critical", "high", "moderate", "low"].map((s) => `${counts[s] || 0} ${s}`).join(", ");
  console.log(serious.length || status !== "0" ? `FAIL npm audit --omit=dev: ${summary}` : `OK npm audit --omit=dev: ${summary}`);
} else if (
  /audit endpoint returned an error/.test(stderr) ||
  (doc && (doc.statusCode || (doc.error && NETWORK.test(String(doc.error.code))) || NETWORK.test(String(doc.code))))
) {
  const reason = (doc && (doc.message || (doc.error && doc.error.summary))) || stderr.trim().split("\n")[0];
  console.log(`UNREACHABLE npm audit could not run here: the advisory endpoint is unreachable (${String(reason).split("\n")[0]})`);
} else {
  console.log(`FAIL npm audit failed (exit ${status}): ${stderr.trim().split("\n").slice(-1)[0] || "no report"}`);
}
JS
)"
echo "$verdict"
case "${verdict##*$'\n'}" in  # the last line is the verdict; lines above it list findings
  "OK npm audit"*) exit 0 ;;
  UNREACHABLE*) [ "${MLVAULT_AUDIT_REQUIRED:-0}" = "1" ] && exit 1; exit 0 ;;
  *) exit 1 ;;
esac
