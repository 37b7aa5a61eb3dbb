/** policies/config/{dev,prod}.json: valid for the pack, and the per-environment strictness the spec asks for. */
import type { Policy } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { controlIdsFromTags } from "../../policies/catalogue";
import dev from "../../policies/config/dev.json";
import prod from "../../policies/config/prod.json";

const policies = ALL_POLICIES as Policy[];
const byName = new Map(policies.map((p) => [p.name, p]));
type Config = Record<string, string | Record<string, unknown>>;

/** Effective level per policy, as the CLI reconciles it: own level, then `all`, then the named entry. */
function levels(config: Config): Map<string, string> {
  const result = new Map<string, string>();
  for (const p of policies) {
    const entry = config[p.name];
    const named = typeof entry === "string" ? entry : (entry?.enforcementLevel as string | undefined);
    result.set(p.name, named ?? (config.all as string | undefined) ?? p.enforcementLevel ?? "advisory");
  }
  return result;
}

const ADVISORY_IN_DEV = ["KV-05", "KV-07", "ML-01", "ML-02", "ML-06", "ST-05", "KV-02", "KV-11"];
/** Dev keeps public monitoring ingestion on purpose (no private network in dev): MON-01 is off there. */
const DISABLED_IN_DEV = ["MON-01"];
const NEAR_EXPIRY = "sec-04-secret-near-expiry";

describe.each([["dev", dev as Config], ["prod", prod as Config]])("%s.json", (_env, config) => {
  it("names only policies of the pack, with properties their schema declares, of the declared type", () => {
    for (const [key, entry] of Object.entries(config)) {
      if (key === "all") { expect(entry).toBe("mandatory"); continue; }
      const policy = byName.get(key);
      expect(policy).toBeDefined();
      if (typeof entry === "string") continue;
      const { enforcementLevel, ...props } = entry;
      if (enforcementLevel !== undefined) expect(["advisory", "mandatory", "disabled"]).toContain(enforcementLevel);
      for (const [prop, value] of Object.entries(props)) {
        const schema = policy!.configSchema!.properties[prop];
        expect(schema).toBeDefined();
        const type = schema.type === "integer" ? "number" : schema.type === "array" ? "object" : schema.type;
        expect(typeof value).toBe(type);
      }
    }
  });
});

describe("environment strictness", () => {
  it("prod: every policy mandatory except the near-expiry warning; log retention >= 365", () => {
    const l = levels(prod as Config);
    for (const [name, level] of l) expect([name, level]).toEqual([name, name === NEAR_EXPIRY ? "advisory" : "mandatory"]);
    expect((prod as Config)["log-01-log-retention"]).toMatchObject({ minRetentionDays: 365 });
    expect((prod as Config)["kv-03-soft-delete-retention"]).toMatchObject({ minRetentionDays: 90 });
  });
  it("dev: network isolation and purge protection advisory, the rest mandatory; log retention >= 30", () => {
    const l = levels(dev as Config);
    for (const p of policies) {
      const advisory = p.name === NEAR_EXPIRY || controlIdsFromTags(p.tags).some((id) => ADVISORY_IN_DEV.includes(id));
      const disabled = controlIdsFromTags(p.tags).some((id) => DISABLED_IN_DEV.includes(id));
      expect([p.name, l.get(p.name)]).toEqual([p.name, disabled ? "disabled" : advisory ? "advisory" : "mandatory"]);
    }
    expect((dev as Config)["log-01-log-retention"]).toMatchObject({ minRetentionDays: 30 });
  });
});
