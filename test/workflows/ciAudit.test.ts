import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * scripts/ci-audit.sh against a stand-in `npm` (first on PATH) that replays what `npm audit --json` prints in each
 * situation: the gate must fail on high/critical findings and pass only on a clean report or, unless required,
 * when the advisory endpoint cannot be reached.
 */
const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts", "ci-audit.sh");

const cleanReport = {
  auditReportVersion: 2,
  vulnerabilities: {},
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } },
};
const moderateReport = {
  auditReportVersion: 2,
  vulnerabilities: { uuid: { name: "uuid", severity: "moderate", via: [{ title: "weak thing", url: "https://example.test/1" }], range: "<11" } },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 0, critical: 0, total: 1 } },
};
const highReport = {
  auditReportVersion: 2,
  vulnerabilities: {
    "@grpc/grpc-js": { name: "@grpc/grpc-js", severity: "high", via: [{ title: "memory exhaustion", url: "https://example.test/2" }], range: "<1.14.8" },
    "google-protobuf": { name: "google-protobuf", severity: "critical", via: ["@grpc/grpc-js"], range: "*" },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 1, total: 2 } },
};
/** What npm 11 prints here, where the registry mirror answers the advisory POST with 405. */
const endpointError = { message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", statusCode: 405 };

interface Fake {
  stdout: unknown;
  stderr: string;
  exit: number;
}

function runAudit(fake: Fake, env: Record<string, string> = {}) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "mlvault-fake-npm-"));
  fs.writeFileSync(path.join(bin, "fake.json"), JSON.stringify(fake));
  // The stand-in records its arguments, so the test also proves which audit command the script runs.
  fs.writeFileSync(
    path.join(bin, "npm"),
    `#!/usr/bin/env node
const fs = require("fs");
const f = JSON.parse(fs.readFileSync(${JSON.stringify(path.join(bin, "fake.json"))}, "utf8"));
fs.writeFileSync(${JSON.stringify(path.join(bin, "args"))}, process.argv.slice(2).join(" "));
process.stdout.write(typeof f.stdout === "string" ? f.stdout : JSON.stringify(f.stdout, null, 2));
process.stderr.write(f.stderr);
process.exit(f.exit);
`,
    { mode: 0o755 },
  );
  const r = spawnSync("bash", [SCRIPT], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, MLVAULT_AUDIT_REQUIRED: "", ...env },
  });
  const args = fs.readFileSync(path.join(bin, "args"), "utf8");
  fs.rmSync(bin, { recursive: true, force: true });
  return { status: r.status, out: r.stdout + r.stderr, args };
}

describe("scripts/ci-audit.sh", () => {
  it("runs npm audit on production dependencies with the high threshold", () => {
    expect(runAudit({ stdout: cleanReport, stderr: "", exit: 0 }).args).toBe("audit --omit=dev --audit-level=high --json");
  });

  it("passes a clean report and one with only moderate findings", () => {
    expect(runAudit({ stdout: cleanReport, stderr: "", exit: 0 })).toMatchObject({ status: 0, out: expect.stringContaining("OK npm audit --omit=dev: 0 critical, 0 high") });
    expect(runAudit({ stdout: moderateReport, stderr: "", exit: 0 })).toMatchObject({ status: 0, out: expect.stringContaining("1 moderate") });
  });

  it("fails on high or critical findings and names them", () => {
    const r = runAudit({ stdout: highReport, stderr: "", exit: 1 });
    expect(r.status).toBe(1);
    expect(r.out).toContain("high: @grpc/grpc-js <1.14.8 memory exhaustion (https://example.test/2)");
    expect(r.out).toContain("critical: google-protobuf * via @grpc/grpc-js");
    expect(r.out).toContain("FAIL npm audit --omit=dev: 1 critical, 1 high");
  });

  it("prints one line and continues when the advisory endpoint is unreachable", () => {
    const r = runAudit({ stdout: endpointError, stderr: "npm error audit endpoint returned an error\n", exit: 1 });
    expect(r.status).toBe(0);
    expect(r.out.trim().split("\n")).toEqual([expect.stringMatching(/^UNREACHABLE npm audit could not run here: .*405 Method Not Allowed/)]);
    const offline = runAudit({ stdout: { error: { code: "ENOTFOUND", summary: "getaddrinfo ENOTFOUND registry.npmjs.org" } }, stderr: "", exit: 1 });
    expect(offline).toMatchObject({ status: 0, out: expect.stringContaining("ENOTFOUND") });
  });

  it("fails when the endpoint is unreachable but the audit is required (GitHub)", () => {
    const r = runAudit({ stdout: endpointError, stderr: "npm error audit endpoint returned an error\n", exit: 1 }, { MLVAULT_AUDIT_REQUIRED: "1" });
    expect(r.status).toBe(1);
  });

  it("fails on any other npm error rather than passing silently", () => {
    const r = runAudit({ stdout: { error: { code: "ENOLOCK", summary: "This command requires an existing lockfile." } }, stderr: "npm error code ENOLOCK\n", exit: 1 });
    expect(r.status).toBe(1);
    expect(r.out).toContain("FAIL npm audit failed (exit 1): npm error code ENOLOCK");
  });
});
