/**
 * The fixture pack runs as a real child process under @pulumi/pulumi/cmd/run-policy-pack and is
 * driven over gRPC pulumirpc.Analyzer, as the engine drives it.
 */
import { PolicyConfigError, PolicyPackBootError, PolicyPackRunError, PolicyPackSession, evaluatePolicyPack } from "../../engine/analyzer";
import { secret, UNKNOWN } from "../../engine/wire";
import type { ResourceRecord, Violation } from "../../engine/types";
import {
  BROKEN_PACK,
  PROVIDER_URN,
  SILENT_PACK,
  STACK_URN,
  baseResources,
  isAlive,
  livePackChildren,
  record,
  run,
  urnOf,
} from "../fixtures/packs/testKit";

const VAULT = "azure-native:keyvault:Vault";
// Sentinels as @pulumi/policy/proxy.js names them (unknownBooleanValue, unknownObjectValue).
const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

function vault(name: string, properties: unknown, extra: Partial<ResourceRecord> = {}): ResourceRecord {
  return record(VAULT, name, { inputs: { properties }, outputs: { id: `/vaults/${name}`, name }, ...extra });
}

function diagnosticFor(v: ResourceRecord, workspaceId: unknown = "/workspaces/law"): ResourceRecord {
  return record("azure-native:monitor:DiagnosticSetting", `${v.name}-audit`, {
    dependencies: [v.urn],
    propertyDependencies: { resourceUri: [v.urn] },
    inputs: { resourceUri: `/vaults/${v.name}`, workspaceId },
    outputs: { name: `${v.name}-audit`, workspaceId },
  });
}

function find(violations: Violation[], policy: string, urn: string | null): Violation[] {
  return violations.filter((v) => v.policy === policy && v.urn === urn);
}

afterEach(() => {
  expect(livePackChildren()).toEqual([]);
});

describe("evaluatePolicyPack over gRPC", () => {
  test("finds resource and stack violations, with controls, urns and policy metadata", async () => {
    const good = vault("good", { enablePurgeProtection: true, softDeleteRetentionInDays: 90 });
    const bad = vault("bad", { enablePurgeProtection: false, softDeleteRetentionInDays: 90 });
    const resources = [...baseResources(), good, bad, diagnosticFor(good)];

    const result = await evaluatePolicyPack(resources, run);

    expect(result.packName).toBe("fixture-basic");
    expect(result.packVersion).toBe("1.2.3");
    expect(find(result.violations, "kv-purge-protection", bad.urn)).toEqual([
      {
        policy: "kv-purge-protection",
        controls: ["KV-02"],
        enforcementLevel: "mandatory",
        urn: bad.urn,
        message: "Key Vaults must have purge protection enabled.\nSet properties.enablePurgeProtection to true.",
      },
    ]);
    expect(find(result.violations, "kv-purge-protection", good.urn)).toEqual([]);
    // Stack policy: only the vault without a diagnostic setting, attributed to its urn.
    expect(result.violations.filter((v) => v.policy === "kv-audit-logs")).toEqual([
      expect.objectContaining({ controls: ["KV-08"], enforcementLevel: "mandatory", urn: bad.urn }),
    ]);
    expect(result.violations.filter((v) => v.policy === "kv-retention")).toEqual([]);

    const purge = result.policies.find((p) => p.name === "kv-purge-protection")!;
    expect(purge).toEqual({
      name: "kv-purge-protection",
      displayName: "Key Vault purge protection",
      description: "Key Vaults must have purge protection enabled.",
      enforcementLevel: "mandatory",
      controls: ["KV-02"],
      tags: ["KV-02", "azure-policy:0b60c0b2", "cis-v2:8.5"],
      severity: "high",
      remediationSteps: "Set properties.enablePurgeProtection to true (never send false).",
      url: "https://example.invalid/controls#KV-02",
    });
    // Only tags shaped like control IDs count as controls.
    expect(result.policies.find((p) => p.name === "probe-context")!.controls).toEqual(["TST-02"]);
  });

  test("--policy-pack-config changes enforcement levels and thresholds", async () => {
    const v = vault("short", { enablePurgeProtection: false, softDeleteRetentionInDays: 30 });
    const resources = [...baseResources(), v, diagnosticFor(v)];

    const defaults = await evaluatePolicyPack(resources, run);
    expect(find(defaults.violations, "kv-retention", v.urn)[0].message).toContain("the minimum is 90");

    const configured = await evaluatePolicyPack(resources, {
      ...run,
      config: { "kv-purge-protection": "advisory", "kv-retention": { enforcementLevel: "advisory", minRetentionDays: 14 } },
    });
    expect(find(configured.violations, "kv-purge-protection", v.urn)).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory", controls: ["KV-02"] }),
    ]);
    expect(find(configured.violations, "kv-retention", v.urn)).toEqual([]); // 30 ≥ 14
    expect(configured.policies.find((p) => p.name === "kv-purge-protection")!.enforcementLevel).toBe("advisory");

    const stricter = await evaluatePolicyPack(resources, { ...run, config: { "kv-retention": { minRetentionDays: 60 } } });
    expect(find(stricter.violations, "kv-retention", v.urn)).toEqual([
      expect.objectContaining({ enforcementLevel: "mandatory", message: expect.stringContaining("is 30; the minimum is 60") }),
    ]);

    // "all" sets every policy's level first; a named entry still overrides it.
    const allOff = await evaluatePolicyPack(resources, { ...run, config: { all: "disabled", "kv-purge-protection": "mandatory" } });
    expect(allOff.violations.map((x) => x.policy)).toEqual(["kv-purge-protection"]);
    expect(allOff.policies.find((p) => p.name === "kv-retention")!.enforcementLevel).toBe("disabled");
  });

  test("a config the CLI would reject fails with a clear error and leaves no process", async () => {
    await expect(
      evaluatePolicyPack(baseResources(), { ...run, config: { "kv-retention": { minRetentionDays: 3 } } }),
    ).rejects.toThrow(/policy pack configuration is invalid: kv-retention: minRetentionDays: .*>=7/);
    await expect(evaluatePolicyPack(baseResources(), { ...run, config: { "kv-retention": "strict" } })).rejects.toThrow(
      PolicyConfigError,
    );
  });

  test("secrets arrive as secrets: the policy reads the plaintext, reports never show it", async () => {
    const short = record("azure-native:keyvault:Secret", "short", { inputs: { properties: { value: secret("pw-00x") } } });
    const long = record("azure-native:keyvault:Secret", "long", {
      inputs: { properties: { value: secret("a-very-long-secret-value-0042") } },
    });
    const result = await evaluatePolicyPack([...baseResources(), short, long], run);

    const found = result.violations.filter((v) => v.policy === "secret-min-length");
    // The policy saw a 6-character string (so the signature was unwrapped), and quoted it…
    expect(found).toEqual([
      expect.objectContaining({ urn: short.urn, enforcementLevel: "advisory", controls: ["TST-01"] }),
    ]);
    expect(found[0].message).toContain('secret value "[secret]" (string) is shorter than 12');
    // …but the plaintext never leaves the analyzer.
    expect(JSON.stringify(result)).not.toContain("pw-00x");
  });

  test("a policy that throws fails the run with one scrubbed line", async () => {
    const crash = record("test:index:Crash", "c", { inputs: { token: secret("tok-secret-998877") } });
    const err = await evaluatePolicyPack([...baseResources(), crash], run).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyPackRunError);
    expect(err.message).toContain(`Analyze(${crash.urn})`);
    expect(err.message).toContain("policy bug while reading token [secret]");
    expect(err.message).not.toContain("tok-secret-998877");
    expect(err.message).not.toContain("\n");
  });

  test("a pack that dies mid-run is reported as exited, with its last words", async () => {
    const dying = record("test:index:Exit", "x");
    const err = await evaluatePolicyPack([...baseResources(), dying], run).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyPackBootError);
    // Any Analyze call in flight may be the one that notices; the exit code and stderr are the pack's.
    expect(err.message).toMatch(/packs\/basic exited during Analyze\(urn:.*\) \(exit code 7\): fixture pack is going down$/);
  });

  test("unknown values in preview: no crash and no false pass", async () => {
    const unknownFlag = vault("pending-flag", { enablePurgeProtection: UNKNOWN_BOOL, softDeleteRetentionInDays: 90 });
    const unknownProps = vault("pending-props", UNKNOWN_OBJECT);
    const unknownWorkspace = diagnosticFor(unknownFlag, UNKNOWN);
    const resources = [...baseResources(), unknownFlag, unknownProps, unknownWorkspace];

    const result = await evaluatePolicyPack(resources, { ...run, dryRun: true });

    // The purge check could not run on either vault: reported (advisory), never silently passed.
    for (const v of [unknownFlag, unknownProps]) {
      expect(find(result.violations, "kv-purge-protection", v.urn)).toEqual([
        expect.objectContaining({
          enforcementLevel: "advisory",
          controls: ["KV-02"],
          message: expect.stringMatching(/can't run policy 'kv-purge-protection'.*during preview/),
        }),
      ]);
    }
    // The retention check reads `properties` itself, which is unknown on one vault only.
    expect(find(result.violations, "kv-retention", unknownProps.urn)[0].message).toMatch(/can't run.*during preview/);
    expect(find(result.violations, "kv-retention", unknownFlag.urn)).toEqual([]);
    // The stack policy reads an unknown workspaceId: one advisory "can't run" for the whole stack.
    expect(result.violations.filter((v) => v.policy === "kv-audit-logs")).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory", urn: null, message: expect.stringMatching(/can't run/) }),
    ]);
    expect(result.violations.some((v) => v.enforcementLevel === "mandatory")).toBe(false);
  });

  test("the pack sees stack, project, dry-run, options, provider and parent like under the engine", async () => {
    const probe = record("test:index:Probe", "p", {
      protect: true,
      provider: `${PROVIDER_URN}::prov-1`,
      dependencies: [STACK_URN],
      inputs: { size: 3, __defaults: ["size"] },
      outputs: { size: 3, endpoint: "https://probe" },
      additionalSecretOutputs: ["endpoint"],
      options: { protect: true, retainOnDelete: true, ignoreChanges: ["size"], deleteBeforeReplace: true, replaceOnChanges: [], dependsOn: [] },
    });
    for (const dryRun of [true, false]) {
      const result = await evaluatePolicyPack([...baseResources(), probe], { ...run, dryRun });
      const [resourceProbe] = find(result.violations, "probe-context", probe.urn);
      expect(resourceProbe.message).toContain(
        `dryRun=${dryRun} stack=dev project=demo protect=true ignoreChanges=size deleteBeforeReplace=true parent=${STACK_URN} ` +
          `provider=pulumi:providers:azure-native/default/westeurope keys=size`,
      );
      const [stackProbe] = find(result.violations, "stack-probe", probe.urn);
      expect(stackProbe.message).toContain(`count=3 parent=${STACK_URN} deps=demo-dev outputKeys=endpoint,size aso=endpoint`);
    }
  });

  test("a session boots once and analyzes several stacks", async () => {
    const session = await PolicyPackSession.start(run);
    try {
      const a = await session.analyze([...baseResources(), vault("a", { enablePurgeProtection: false })]);
      const b = await session.analyze([...baseResources(), vault("b", { enablePurgeProtection: true })]);
      expect(a.filter((v) => v.policy === "kv-purge-protection").map((v) => v.urn)).toEqual([urnOf(VAULT, "a")]);
      expect(b.filter((v) => v.policy === "kv-purge-protection")).toEqual([]);
      expect(isAlive(session.pid)).toBe(true);
    } finally {
      await session.close();
    }
    expect(isAlive(session.pid)).toBe(false);
  });
});

describe("packs that do not boot", () => {
  test("a pack that throws while loading gives one clear line and no orphan process", async () => {
    const err = await evaluatePolicyPack(baseResources(), { ...run, packDir: BROKEN_PACK }).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyPackBootError);
    expect(err.message).toMatch(/^policy pack .*packs\/broken failed to start \(exit code \d+\): /);
    expect(err.message).toContain("fixture pack failed to load: policies/missing-module.js not found");
    expect(err.message).not.toContain("\n");
    expect(isAlive(err.childPid)).toBe(false);
  });

  test("a pack that never prints its port is killed at the boot deadline", async () => {
    const started = Date.now();
    const err = await PolicyPackSession.start({ ...run, packDir: SILENT_PACK, timeouts: { bootMs: 2500 } }).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyPackBootError);
    expect(err.message).toMatch(/packs\/silent did not start within 2500 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(isAlive(err.childPid)).toBe(false);
  });

  test("a directory without PulumiPolicy.yaml is refused before anything starts", async () => {
    await expect(evaluatePolicyPack([], { ...run, packDir: __dirname })).rejects.toThrow(/no PulumiPolicy.yaml/);
  });
});
