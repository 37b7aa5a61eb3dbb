/**
 * SARIF from `mlvault plan` as GitHub code scanning reads it: valid against the SARIF 2.1.0 schema (Microsoft's
 * jest-sarif matcher), one category per stack, results at the stack-file line that causes them, rules linking to
 * their control's section of docs/controls.md with full Azure Policy definition ids.
 */
import "@microsoft/jest-sarif";
import * as fs from "fs";
import * as path from "path";
import { linkedProject, ROOT, runCli, tempDir } from "./runCli";

type Json = Record<string, any>;

describe("plan --sarif", () => {
  let dir: string;
  let logs: Record<string, Json>;
  let stackText: string;
  beforeAll(() => {
    dir = linkedProject();
    fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), path.join(dir, "Pulumi.prod.yaml"));
    // A dev stack with a secret valid for too long: a mandatory SEC-02 finding on one secret entry.
    stackText = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace('expiresOn: "2027-01-31"', 'expiresOn: "2028-06-30"');
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackText);
    const out = tempDir("sarif");
    logs = {};
    for (const stack of ["dev", "prod"]) {
      const file = path.join(out, `${stack}.sarif`);
      runCli(["plan", stack, "-C", dir, "--sarif", file]);
      logs[stack] = JSON.parse(fs.readFileSync(file, "utf8"));
    }
  }, 120_000);

  test("is valid SARIF 2.1.0", () => {
    for (const log of Object.values(logs)) expect(log).toBeValidSarifLog();
    // The matcher can fail: a run without its tool is not SARIF.
    expect({ version: "2.1.0", runs: [{ results: [] }] }).not.toBeValidSarifLog();
  });

  test("one category per stack: the dev and prod uploads never replace each other", () => {
    expect(logs.dev.runs[0].automationDetails.id).toBe("mlvault/dev/");
    expect(logs.prod.runs[0].automationDetails.id).toBe("mlvault/prod/");
  });

  test("each result points at the stack-file line that causes it", () => {
    const lines = stackText.split("\n");
    const results: Json[] = logs.dev.runs[0].results;
    const sec02 = results.find((r) => r.ruleId === "sec-02-secret-max-validity")!;
    const line = sec02.locations[0].physicalLocation.region.startLine;
    // SEC-02 judges expiresOn: the result points at that field of the feature-token entry.
    expect(lines[line - 1]).toMatch(/^\s+expiresOn: /);
    expect(lines.slice(0, line).reverse().find((l) => /- name: /.test(l))).toMatch(/- name: feature-token$/);
    expect(sec02.locations[0].physicalLocation.artifactLocation.uri).toBe("Pulumi.dev.yaml");
    const vaultFinding = results.find((r) => r.ruleId === "kv-02-purge-protection")!;
    expect(lines[vaultFinding.locations[0].physicalLocation.region.startLine - 1]).toMatch(/- name: churn$/);
  });

  test("rules: helpUri to the control's section, full Azure Policy ids, a full description that is not the short one", () => {
    const driver = logs.prod.runs[0].tool.driver;
    expect(driver.semanticVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const kv02 = driver.rules.find((r: Json) => r.id === "kv-02-purge-protection");
    expect(kv02.helpUri).toMatch(/\/docs\/controls\.md#kv-02$/);
    expect(kv02.properties.azurePolicyDefinitions).toEqual(["/providers/Microsoft.Authorization/policyDefinitions/0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"]);
    for (const r of driver.rules) expect([r.id, r.fullDescription.text === r.shortDescription.text]).toEqual([r.id, false]);
  });
});
