import { toSarif, SARIF_VERSION } from "../../report/sarif";
import type { PolicyEvaluation } from "../../engine/analyzer";

const OPTS = { toolVersion: "0.1.0", category: "prod", controlsDocUrl: "https://github.com/contoso/mlvault/blob/main/docs/controls.md", informationUri: "https://github.com/contoso/mlvault" };

type Json = Record<string, any>;

/**
 * The SARIF 2.1.0 schema's required properties and value constraints for what toSarif emits
 * (sarif-schema-2.1.0.json: sarifLog, run, tool, toolComponent, reportingDescriptor,
 * multiformatMessageString, result, message, location, physicalLocation, artifactLocation, region,
 * reportingConfiguration), plus GitHub's `security-severity`. Returns every problem found.
 */
function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, what: string) => {
    if (!cond) problems.push(what);
  };
  const isStr = (v: unknown) => typeof v === "string" && v.length > 0;
  const levels = ["none", "note", "warning", "error"];
  const message = (m: Json | undefined, where: string) => need(!!m && (isStr(m.text) || isStr(m.id)), `${where}: message needs text or id`);

  need(log.version === "2.1.0", "sarifLog.version must be 2.1.0");
  need(isStr(log.$schema), "sarifLog.$schema should name the schema");
  need(Array.isArray(log.runs), "sarifLog.runs must be an array");
  for (const [ri, run] of (log.runs ?? []).entries()) {
    const driver = run?.tool?.driver;
    need(!!driver, `runs[${ri}].tool.driver is required`);
    need(isStr(driver?.name), `runs[${ri}].tool.driver.name is required`);
    const rules: Json[] = driver?.rules ?? [];
    const ids = rules.map((r) => r.id);
    need(new Set(ids).size === ids.length, `runs[${ri}] rule ids must be unique`);
    for (const [i, rule] of rules.entries()) {
      const where = `rules[${i}]`;
      need(isStr(rule.id), `${where}.id is required`);
      for (const key of ["shortDescription", "fullDescription", "help"]) {
        if (rule[key] !== undefined) need(isStr(rule[key].text), `${where}.${key}.text is required`);
      }
      const cfg = rule.defaultConfiguration;
      if (cfg) need(levels.includes(cfg.level), `${where}.defaultConfiguration.level invalid`);
      const props = rule.properties ?? {};
      if (props.tags !== undefined) need(Array.isArray(props.tags) && props.tags.every(isStr), `${where}.properties.tags must be strings`);
      if (props["security-severity"] !== undefined) {
        const n = Number(props["security-severity"]);
        need(typeof props["security-severity"] === "string" && n >= 0 && n <= 10, `${where} security-severity must be "0.0".."10.0"`);
      }
    }
    need(Array.isArray(run.results), `runs[${ri}].results must be an array`);
    for (const [i, result] of (run.results ?? []).entries()) {
      const where = `results[${i}]`;
      message(result.message, where);
      need(isStr(result.ruleId), `${where}.ruleId is required here`);
      need(levels.includes(result.level), `${where}.level invalid`);
      need(Number.isInteger(result.ruleIndex) && rules[result.ruleIndex]?.id === result.ruleId, `${where}.ruleIndex must point at its rule`);
      need(Array.isArray(result.locations) && result.locations.length > 0, `${where}.locations needed for code scanning`);
      for (const loc of result.locations ?? []) {
        const phys = loc.physicalLocation;
        need(!!phys?.artifactLocation && isStr(phys.artifactLocation.uri), `${where} physicalLocation.artifactLocation.uri required`);
        if (phys?.region) need(Number.isInteger(phys.region.startLine) && phys.region.startLine >= 1, `${where} region.startLine >= 1`);
        for (const ll of loc.logicalLocations ?? []) need(isStr(ll.fullyQualifiedName) || isStr(ll.name), `${where} logicalLocation needs a name`);
      }
    }
  }
  return problems;
}

const VAULT_URN = "urn:pulumi:prod::demo::azure-native:keyvault:Vault::kv";

const evaluation: PolicyEvaluation = {
  packName: "mlvault-baseline",
  packVersion: "0.1.0",
  policies: [
    {
      name: "kv-purge-protection",
      displayName: "Key Vault purge protection",
      description: "Key Vaults must have purge protection enabled.",
      enforcementLevel: "mandatory",
      controls: ["KV-02"],
      tags: ["KV-02", "azure-policy:0b60c0b2", "checkov:CKV_AZURE_110"],
      severity: "high",
      remediationSteps: "Set properties.enablePurgeProtection to true.",
      url: "https://example.invalid/KV-02",
    },
    {
      name: "kv-public-network",
      description: "Key Vault public network access must be disabled.",
      enforcementLevel: "advisory",
      controls: ["KV-05"],
      tags: ["KV-05"],
    },
    { name: "tags-required", description: "Tags.", enforcementLevel: "disabled", controls: ["TAG-01"], tags: ["TAG-01"], severity: "critical" },
  ],
  violations: [
    { policy: "kv-purge-protection", controls: ["KV-02"], enforcementLevel: "mandatory", urn: VAULT_URN, message: "Key Vaults must have purge protection enabled.\nSet it." },
    { policy: "kv-public-network", controls: ["KV-05"], enforcementLevel: "advisory", urn: VAULT_URN, message: "Disable public network access." },
    { policy: "kv-audit-logs", controls: ["KV-08"], enforcementLevel: "mandatory", urn: null, message: "No vault sends audit logs." },
  ],
};

describe("toSarif", () => {
  const log = toSarif(evaluation, { ...OPTS, artifactUri: "Pulumi.prod.yaml" }) as Json;
  const run = log.runs[0];

  test("is structurally valid SARIF 2.1.0", () => {
    expect(log.version).toBe(SARIF_VERSION);
    expect(sarifProblems(log)).toEqual([]);
  });

  test("the structural check itself catches broken logs", () => {
    const broken = JSON.parse(JSON.stringify(log));
    broken.version = "2.0.0";
    delete broken.runs[0].tool.driver.name;
    broken.runs[0].results[0].ruleIndex = 2;
    broken.runs[0].results[1].message = {};
    broken.runs[0].tool.driver.rules[0].properties["security-severity"] = 8;
    expect(sarifProblems(broken)).toHaveLength(5);
  });

  test("one rule per policy with control IDs, anchors, severity, level and help", () => {
    const rules: Json[] = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(["kv-purge-protection", "kv-public-network", "tags-required", "kv-audit-logs"]);
    const [purge, network, tags, synthesized] = rules;
    expect(purge.shortDescription.text).toBe("Key Vault purge protection");
    // The full description is not a copy of the short one: the control, the check and the remediation.
    expect(purge.fullDescription.text).toBe("KV-02 Key Vault purge protection enabled. Key Vaults must have purge protection enabled. Remediation: Set properties.enablePurgeProtection to true.");
    expect(purge.fullDescription.text).not.toBe(purge.shortDescription.text);
    // A policy's own URL wins; otherwise its first control's section of docs/controls.md.
    expect(purge.helpUri).toBe("https://example.invalid/KV-02");
    for (const r of rules.filter((x: Json) => x.properties.controls.length > 0)) {
      const policy = evaluation.policies.find((p) => p.name === r.id);
      if (!policy?.url) expect(r.helpUri).toBe(`https://github.com/contoso/mlvault/blob/main/docs/controls.md#${r.properties.controls[0].toLowerCase()}`);
    }
    expect(purge.properties.azurePolicyDefinitions).toEqual(["/providers/Microsoft.Authorization/policyDefinitions/0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"]);
    expect(purge.help.text).toContain("Controls: KV-02");
    expect(purge.help.text).toContain("Anchors: azure-policy:0b60c0b2, checkov:CKV_AZURE_110");
    expect(purge.help.text).toContain("Remediation: Set properties.enablePurgeProtection to true.");
    expect(purge.help.markdown).toContain("**Controls:** KV-02");
    expect(purge.helpUri).toBe("https://example.invalid/KV-02");
    expect(purge.properties.tags).toEqual(["KV-02", "azure-policy:0b60c0b2", "checkov:CKV_AZURE_110", "security"]);
    expect(purge.properties["security-severity"]).toBe("8.0");
    expect(purge.defaultConfiguration).toEqual({ level: "error", enabled: true });
    expect(network.defaultConfiguration.level).toBe("warning");
    expect(network.properties["security-severity"]).toBeUndefined();
    expect(tags.defaultConfiguration).toEqual({ level: "none", enabled: false });
    expect(tags.properties["security-severity"]).toBe("9.5");
    // A violation under a name the pack did not declare still resolves to a rule.
    expect(synthesized.properties.tags).toEqual(["KV-08", "security"]);
  });

  test("one result per violation, located on the artifact with the urn as logical location", () => {
    const [purge, network, stackLevel] = run.results as Json[];
    expect(purge).toMatchObject({ ruleId: "kv-purge-protection", ruleIndex: 0, level: "error" });
    expect(purge.message.text).toBe(`Key Vaults must have purge protection enabled.\nSet it. [KV-02] (${VAULT_URN})`);
    expect(purge.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: "Pulumi.prod.yaml" }, region: { startLine: 1 } },
      logicalLocations: [{ name: "kv", fullyQualifiedName: VAULT_URN, kind: "resource" }],
    });
    expect(network.level).toBe("warning");
    expect(stackLevel).toMatchObject({ ruleId: "kv-audit-logs", ruleIndex: 3, level: "error" });
    expect(stackLevel.locations[0].logicalLocations).toBeUndefined();
    // Different resources or policies never share an alert identity.
    expect(purge.partialFingerprints.primaryLocationLineHash).not.toBe(network.partialFingerprints.primaryLocationLineHash);
  });

  test("an empty evaluation still has every rule and an empty result list", () => {
    const empty = toSarif({ ...evaluation, violations: [] }, { ...OPTS, artifactUri: "export.json" }) as Json;
    expect(sarifProblems(empty)).toEqual([]);
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toHaveLength(3);
  });
});
