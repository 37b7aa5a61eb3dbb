import { rotationPlan, currentWindow, programClock } from "../../components/rotation";
import { inProject, one, ofType, props, runConfig, runStack } from "../helpers/program";
import { maximalConfig } from "../fixtures/maximal";

const DAY = 86_400_000;

describe("rotation windows (two overlapping credentials)", () => {
  test("one valid credential always exists: at every hour across a year, some slot is valid and the current one is freshest", () => {
    for (const lifetime of [1, 2, 7, 90, 91, 365]) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 6 * 3_600_000) {
        const plan = rotationPlan(lifetime, new Date(t));
        const valid = plan.slots.filter((s) => s.start.getTime() <= t && t < s.end.getTime());
        expect(valid.length).toBeGreaterThanOrEqual(1);
        expect(plan.current.window).toBe(Math.max(...plan.slots.map((s) => s.window)));
        for (const s of plan.slots) expect(s.end.getTime() - s.start.getTime()).toBe(lifetime * DAY);
      }
    }
  });

  test("inside a window nothing changes; at the boundary exactly one slot rotates", () => {
    const w = currentWindow(45, new Date("2026-12-15T00:00:00Z"));
    const inside = rotationPlan(90, new Date(w.start.getTime() + DAY));
    const sameWindow = rotationPlan(90, new Date(w.start.getTime() + 44 * DAY));
    expect(sameWindow).toEqual(inside);
    const next = rotationPlan(90, new Date(w.start.getTime() + 45 * DAY));
    const changed = next.slots.filter((s, i) => s.window !== inside.slots[i].window);
    expect(changed).toHaveLength(1);
    expect(next.current.slot).toBe(changed[0].slot);
  });

  test("MLVAULT_NOW pins the clock; a bad value is a clear error", () => {
    expect(programClock({ MLVAULT_NOW: "2027-01-01T00:00:00Z" }).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(() => programClock({ MLVAULT_NOW: "soon" })).toThrow(/MLVAULT_NOW/);
  });
});

describe("service principal credentials in the program", () => {
  test("two application passwords within the lifetime; the vault holds the current one; it expires with it", async () => {
    const { records } = await runStack("dev");
    const passwords = ofType(records, "azuread:index/applicationPassword:ApplicationPassword");
    expect(passwords).toHaveLength(2);
    for (const p of passwords) {
      const days = (Date.parse(p.inputs.endDate as string) - Date.parse(p.inputs.startDate as string)) / DAY;
      expect(days).toBe(90);
      expect(p.inputs.rotateWhenChanged).toEqual({ window: expect.stringMatching(/^\d+$/) });
    }
    const current = passwords.reduce((a, b) => (Number((a.inputs.rotateWhenChanged as any).window) > Number((b.inputs.rotateWhenChanged as any).window) ? a : b));
    const secret = one(records, "azure-native:keyvault:Secret", "churn-identity-client-secret");
    expect(secret.propertyDependencies.properties).toEqual([current.urn]);
    expect(props(secret).attributes.expires).toBe(Date.parse(current.inputs.endDate as string) / 1000);
    expect((secret.inputs.tags as any)["credential-slot"]).toBe(current.name.slice(-1));
  });

  test("passwordLifetimeDays 0: no password, no client secret, federated credentials only", async () => {
    const { records } = await runStack("prod");
    expect(ofType(records, "azuread:index/applicationPassword:ApplicationPassword")).toHaveLength(0);
    expect(ofType(records, "azure-native:keyvault:Secret").map((s) => s.inputs.secretName)).not.toContain("sp-client-secret");
    const fic = one(records, "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential");
    expect(fic.inputs).toMatchObject({ issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/churn:environment:prod", audiences: ["api://AzureADTokenExchange"] });
  });
});

describe("generated secrets rotate on a period or an explicit counter", () => {
  test("keepers carry the counter and the window; expiry is two periods from the window start, capped by expiresOn", async () => {
    const { records } = await runConfig(maximalConfig(), { now: "2026-12-15T00:00:00Z" });
    const rp = one(inProject(records, "fraudscoring"), "random:index/randomPassword:RandomPassword");
    const w = currentWindow(30, new Date("2026-12-15T00:00:00Z"));
    expect(rp.inputs.keepers).toEqual({ rotation: "2", window: String(w.index) });
    const s = one(records, "azure-native:keyvault:Secret", "fraudscoring-secrets-signing-key");
    expect(props(s).attributes.expires).toBe(w.start.getTime() / 1000 + 60 * 86_400);
    const late = await runConfig(maximalConfig(), { now: "2027-06-20T00:00:00Z" });
    const capped = one(late.records, "azure-native:keyvault:Secret", "fraudscoring-secrets-signing-key");
    expect(props(capped).attributes.expires).toBe(Date.parse("2027-06-30T00:00:00Z") / 1000);
  });

  test("bumping rotation replaces the value (a keeper changes); nothing else in the project changes", async () => {
    const base = maximalConfig();
    const bumped = maximalConfig();
    (bumped["mlvault:projects"] as any)[0].secrets[1].rotation = 3;
    const a = await runConfig(base);
    const b = await runConfig(bumped);
    const diff = a.records.filter((r, i) => JSON.stringify(r.inputs) !== JSON.stringify(b.records[i].inputs));
    expect(diff.map((r) => r.type)).toEqual(["random:index/randomPassword:RandomPassword"]);
  });
});
