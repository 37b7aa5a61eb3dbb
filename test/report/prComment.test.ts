/**
 * The pull-request comment stays under 60,000 characters at any size (GitHub refuses comments over 65,536 and the
 * job goes red): summary and violations first, a collapsed section per project while the budget lasts, the rest named
 * and left to the workflow artifact.
 */
import { syntheticProject } from "../../bench/stack";
import type { Violation } from "../../engine/types";
import { COMMENT_BUDGET, renderPrComment } from "../../report/prComment";
import { runConfig, runStack } from "../helpers/program";

const SHIPPED_DEV_PLATFORM = {
  owner: "ml-platform@contoso.com", logRetentionDays: 30, manageDefender: true, vaultAccessModel: "rbac",
  alertEmails: ["secops@contoso.com"], alerts: { runbookBaseUrl: "https://github.com/contoso/mlvault/blob/main/docs/runbooks" },
  network: { allowedIpRanges: ["203.0.113.0/24"] },
};

test("300 projects with a violation on every vault: under the budget, summary and violations first, every project accounted for", async () => {
  const projects = Array.from({ length: 300 }, (_, i) => syntheticProject(i, "dev"));
  const secretValues = Object.fromEntries(projects.map((p) => [`${p.name}/sql-password`, "x".repeat(20)]));
  const { records } = await runConfig({
    "azure-native:location": "westeurope", "mlvault:environment": "dev", "mlvault:platform": SHIPPED_DEV_PLATFORM,
    "mlvault:projects": projects, "mlvault:secretValues": secretValues,
  }, { stack: "big" });
  const violations: Violation[] = records.filter((r) => r.type === "azure-native:keyvault:Vault").map((r) => ({
    policy: "kv-02-purge-protection", controls: ["KV-02"], enforcementLevel: "mandatory", urn: r.urn,
    message: "KV-02: Key Vaults have purge protection enabled.\nKV-02: enablePurgeProtection is missing | set it.",
  }));
  const text = renderPrComment({ stack: "big", environment: "dev", records, violations, artifact: "plan-big" });
  expect(text.length).toBeLessThanOrEqual(COMMENT_BUDGET);
  expect(text).toMatch(/^## mlvault plan: `big` \(dev\)\n/);
  expect(text).toContain("**300 mandatory**");
  expect(text).toContain("… and 240 more: see the artifact");
  expect(text).toContain("enablePurgeProtection is missing \\| set it."); // pipes escaped inside table cells
  const drawn = (text.match(/<summary><b>/g) ?? []).length;
  expect(drawn).toBeGreaterThan(0);
  expect(text).toMatch(new RegExp(`${300 - drawn} more projects not drawn here`));
  expect(text).toContain("workflow artifact `plan-big`");
  expect((text.match(/<details>/g) ?? []).length).toBe((text.match(/<\/details>/g) ?? []).length);
}, 120_000);

test("the shipped stack fits whole: its project drawn, violating nodes marked, no resource-group fan-out", async () => {
  const { records } = await runStack("dev");
  const vault = records.find((r) => r.type === "azure-native:keyvault:Vault")!;
  const violations: Violation[] = [{ policy: "kv-02-purge-protection", controls: ["KV-02"], enforcementLevel: "advisory", urn: vault.urn, message: "KV-02: x" }];
  const text = renderPrComment({ stack: "dev", environment: "dev", records, violations, artifact: "plan-dev" });
  expect(text).toContain("<summary><b>churn</b>: ");
  expect(text).not.toContain("not drawn here");
  expect(text).toMatch(/subgraph c\d+\["KeyVault: churn-keyvault"\]/);
  expect(text).toContain('r_churn_keyvault_vault["⚠ Vault: churn-keyvault-vault"]');
  expect(text).toMatch(/class r_churn_keyvault_vault violation/);
  expect(text).not.toMatch(/r_churn_rg -->/);
});

test("a tiny budget is a hard ceiling", async () => {
  const { records } = await runStack("dev");
  const text = renderPrComment({ stack: "dev", environment: "dev", records, violations: [], artifact: "plan-dev", budget: 2_000 });
  expect(text.length).toBeLessThanOrEqual(2_000);
});
