import { inProject, one, ofType, runConfig, runStack } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";

describe("expiry and access alerts", () => {
  test("one action group per environment mailing platform.alertEmails", async () => {
    const { records } = await runStack("prod");
    const ag = one(records, "azure-native:monitor:ActionGroup");
    expect(ag.inputs.emailReceivers).toEqual([
      { name: "email-0", emailAddress: "secops@contoso.com", useCommonAlertSchema: true },
      { name: "email-1", emailAddress: "ml-platform-oncall@contoso.com", useCommonAlertSchema: true },
    ]);
    expect(ag.inputs.enabled).toBe(true);
  });

  test("denied access above the threshold and deletions: log queries over the vault audit logs, each linking its runbook", async () => {
    const { records } = await runConfig(maximalConfig());
    const law = one(records, "azure-native:operationalinsights:Workspace");
    const ag = one(records, "azure-native:monitor:ActionGroup");
    const rules = ofType(records, "azure-native:monitor:ScheduledQueryRule");
    expect(rules).toHaveLength(2);
    const denied = rules.find((r) => String(r.inputs.ruleName).endsWith("kv-denied-access"))!;
    const crit = (denied.inputs.criteria as any).allOf[0];
    expect(crit.query).toMatch(/AZKVAuditLogs/);
    expect(crit.query).toMatch(/403/);
    expect(crit.threshold).toBe(10);
    expect(crit.operator).toBe("GreaterThan");
    const deletions = rules.find((r) => String(r.inputs.ruleName).endsWith("kv-deletions"))!;
    expect((deletions.inputs.criteria as any).allOf[0].query).toMatch(/SecretDelete.*SecretPurge/);
    for (const r of rules) {
      expect(r.inputs.scopes).toEqual([law.id]);
      expect((r.inputs.actions as any).actionGroups).toEqual([ag.id]);
      expect((r.inputs.actions as any).customProperties.runbook).toMatch(/^https:\/\/github\.com\/contoso\/mlvault\/blob\/main\/docs\/runbooks\/[a-z-]+\.md$/);
      expect(r.inputs.description).toMatch(/Runbook: https:/);
    }
  });

  test("vault and lock deletion attempts: an activity log alert at subscription scope", async () => {
    const { records } = await runStack("prod");
    const alert = one(records, "azure-native:monitor:ActivityLogAlert");
    expect(alert.inputs.scopes).toEqual([expect.stringMatching(/^\/subscriptions\/[0-9a-f-]{36}$/)]);
    expect(JSON.stringify(alert.inputs.condition)).toContain("Microsoft.KeyVault/vaults/delete");
    expect(JSON.stringify(alert.inputs.condition)).toContain("Microsoft.Authorization/locks/delete");
    expect(alert.inputs.description).toMatch(/docs\/runbooks\/recover-soft-deleted\.md/);
  });

  test("near-expiry and expired events: an Event Grid system topic per vault, delivered as Azure Monitor alerts", async () => {
    const { records } = await runConfig(maximalConfig());
    const ag = one(records, "azure-native:monitor:ActionGroup");
    for (const project of ["fraudscoring", "ab", "churn"]) {
      const mine = inProject(records, project);
      const vault = one(mine, "azure-native:keyvault:Vault");
      const topic = one(mine, "azure-native:eventgrid:SystemTopic");
      expect(topic.inputs).toMatchObject({ source: vault.id, topicType: "Microsoft.KeyVault.vaults" });
      const sub = one(mine, "azure-native:eventgrid:SystemTopicEventSubscription");
      expect(sub.inputs.eventDeliverySchema).toBe("CloudEventSchemaV1_0");
      expect((sub.inputs.filter as any).includedEventTypes).toEqual(expect.arrayContaining(["Microsoft.KeyVault.SecretNearExpiry", "Microsoft.KeyVault.SecretExpired"]));
      expect((sub.inputs.destination as any)).toMatchObject({ endpointType: "MonitorAlert", actionGroups: [ag.id] });
    }
  });

  test("no alert emails (allowed in dev): no action group and no alert rules", async () => {
    const cfg = maximalConfig({ "mlvault:environment": "dev" });
    (cfg["mlvault:platform"] as any).alertEmails = [];
    const { records } = await runConfig(cfg);
    for (const t of ["ActionGroup", "ScheduledQueryRule", "ActivityLogAlert"]) expect(ofType(records, `azure-native:monitor:${t}`)).toHaveLength(0);
    expect(ofType(records, "azure-native:eventgrid:SystemTopic")).toHaveLength(0);
  });
});
