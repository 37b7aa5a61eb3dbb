import { evaluateForEnvironment, startPolicySession } from "../../cli/policyRun";
import type { PolicyPackSession } from "../../engine/analyzer";
import { readStackFile } from "../../config/stackFile";
import { validateStackConfig } from "../../config/validate";
import type { ResourceRecord, Violation } from "../../engine/types";
import { ROOT, NOW, runConfig, runStack } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";

/**
 * The shipped pack, started as the engine starts it (run-policy-pack + gRPC Analyzer), configured from
 * policies/config/<env>.json, fed the program's recorded registrations: inputs to Analyze, ARM-shaped outputs
 * with dependencies and property dependencies to AnalyzeStack.
 */
const sessions = new Map<string, Promise<PolicyPackSession>>();
afterAll(async () => {
  for (const s of sessions.values()) await (await s).close();
});

/** One pack process per (stack, preview) pair, reused across tests, as one engine run analyzes once per step. */
async function evaluate(stack: "dev" | "prod", records: ResourceRecord[], dryRun: boolean) {
  const key = `${stack}/${dryRun}`;
  if (!sessions.has(key)) {
    const stackConfig = validateStackConfig(readStackFile(ROOT, stack).config);
    process.env.MLVAULT_NOW = NOW;
    try {
      sessions.set(key, startPolicySession(ROOT, { stackConfig, stack, project: "mlvault", environment: stack, dryRun }));
    } finally {
      delete process.env.MLVAULT_NOW;
    }
  }
  const session = await sessions.get(key)!;
  return { policies: session.policies, violations: await session.analyze(records) };
}

const mandatory = (v: Violation[]) => v.filter((x) => x.enforcementLevel === "mandatory");

describe("the policy pack under the engine's protocol, on the program's own registrations", () => {
  test.each([
    ["dev", false], ["dev", true], ["prod", false], ["prod", true],
  ] as const)("%s (preview: %s): no mandatory violation, no crash", async (stack, preview) => {
    const { records } = await runStack(stack, { preview });
    const evaluation = await evaluate(stack, records, preview);
    expect(evaluation.policies.length).toBeGreaterThanOrEqual(40);
    expect(mandatory(evaluation.violations)).toEqual([]);
    if (stack === "prod" && !preview) expect(evaluation.violations).toEqual([]);
  });

  test("maximal prod config (customer-managed key, rotation, alerts, access by user and group): no mandatory violation", async () => {
    const cfg = maximalConfig();
    const { records } = await runConfig(cfg);
    const stackConfig = validateStackConfig(cfg);
    process.env.MLVAULT_NOW = NOW;
    try {
      const evaluation = await evaluateForEnvironment(ROOT, records, { stackConfig, stack: "test", project: "mlvault", environment: "prod", dryRun: false });
      expect(mandatory(evaluation.violations)).toEqual([]);
      // The only warnings: project "ab" rotates a 2-day password, so its client secret is always near expiry.
      for (const v of evaluation.violations) {
        expect(v.policy).toBe("sec-04-secret-near-expiry");
        expect(v.urn).toMatch(/::ab-identity-client-secret$/);
      }
    } finally {
      delete process.env.MLVAULT_NOW;
    }
  });

  test("prod: a vault mutated to allow public access and drop purge protection is caught, naming KV-02 and KV-05", async () => {
    const { records } = await runStack("prod");
    const vault = records.find((r) => r.type === "azure-native:keyvault:Vault")!;
    const props = vault.inputs.properties as Record<string, unknown>;
    const { enablePurgeProtection: _dropped, ...rest } = props;
    vault.inputs = { ...vault.inputs, properties: { ...rest, publicNetworkAccess: "enabled" } };
    const evaluation = await evaluate("prod", records, false);
    const controls = mandatory(evaluation.violations).filter((v) => v.urn === vault.urn).flatMap((v) => v.controls);
    expect(controls).toEqual(expect.arrayContaining(["KV-02", "KV-05"]));
  });

  test("prod: removing the vault's diagnostic setting fails KV-08 at stack level (outputs have no resourceUri)", async () => {
    const { records } = await runStack("prod");
    const vault = records.find((r) => r.type === "azure-native:keyvault:Vault")!;
    const withoutDiag = records.filter((r) => !(r.type === "azure-native:monitor:DiagnosticSetting" && r.dependencies.includes(vault.urn)));
    expect(withoutDiag.length).toBe(records.length - 1);
    const diag = records.find((r) => r.type === "azure-native:monitor:DiagnosticSetting")!;
    expect(diag.outputs.resourceUri).toBeUndefined();
    const evaluation = await evaluate("prod", withoutDiag, false);
    expect(mandatory(evaluation.violations).some((v) => v.controls.includes("KV-08") && v.urn === vault.urn)).toBe(true);
  });
});
