import * as fs from "fs";
import * as path from "path";
import { ROOT, runCli, stackFrames, tempDir } from "./runCli";

const fixture = (name: string) => path.join(ROOT, "test/fixtures/exports", name);

describe("mlvault audit (a process, as a pipeline runs it)", () => {
  // One run per baseline, shared by the assertions below: each run boots the policy pack.
  let sarif: string;
  let prod: ReturnType<typeof runCli>;
  let dev: ReturnType<typeof runCli>;
  beforeAll(() => {
    sarif = path.join(tempDir("audit"), "audit.sarif");
    prod = runCli(["audit", fixture("good.json"), "--env", "prod", "--json", "-", "--sarif", sarif]);
    dev = runCli(["audit", fixture("good.json"), "--env", "dev", "--json", "-"]);
  });

  test("an export with insecure resources: exit 1, violations with controls in JSON and SARIF", () => {
    expect(prod.status).toBe(1);
    const report = JSON.parse(prod.stdout);
    expect(report.environment).toBe("prod");
    expect(report.summary.resources).toBe(report.resources.length);
    expect(report.summary.mandatory).toBeGreaterThan(0);
    expect(report.violations.map((v: { controls: string[] }) => v.controls).flat()).toEqual(expect.arrayContaining(["KV-02", "KV-04", "KV-08", "KV-09"]));
    for (const v of report.violations) expect(Object.keys(v).sort()).toEqual(["controls", "enforcementLevel", "level", "message", "name", "policy", "project", "summary", "text", "type", "urn"]);
    const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].results.length).toBe(report.violations.length);
    expect(log.runs[0].tool.driver.rules.length).toBeGreaterThanOrEqual(40);
    expect(prod.stderr).toMatch(/Audit of good\.json/);
  });

  test("the dev baseline is laxer than prod on the same export", () => {
    expect(JSON.parse(dev.stdout).summary.mandatory).toBeLessThan(JSON.parse(prod.stdout).summary.mandatory);
  });

  test("an empty stack passes: exit 0", () => {
    const r = runCli(["audit", fixture("empty-stack.json"), "--env", "prod"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no violations/);
  });

  test.each([["malformed.json"], ["version2.json"], ["no-deployment.json"], ["does-not-exist.json"]])("%s: exit 2, one clear line, no stack trace", (name) => {
    const r = runCli(["audit", fixture(name), "--env", "prod"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: /);
    expect(stackFrames(r.stderr)).toEqual([]);
  });

  test("--env is required and must be dev or prod", () => {
    expect(runCli(["audit", fixture("good.json")]).status).toBe(2);
    const r = runCli(["audit", fixture("good.json"), "--env", "staging"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--env: must be dev or prod/);
  });

  test("encrypted secrets in an export are never printed", () => {
    const raw = fs.readFileSync(fixture("good.json"), "utf8");
    const ciphertexts = [...raw.matchAll(/"ciphertext":\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(ciphertexts.length).toBeGreaterThan(0);
    for (const r of [prod, dev]) {
      for (const c of ciphertexts) {
        expect(r.stdout).not.toContain(c);
        expect(r.stderr).not.toContain(c);
      }
    }
    for (const c of ciphertexts) expect(fs.readFileSync(sarif, "utf8")).not.toContain(c);
  });
});
