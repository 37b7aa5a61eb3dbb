import { isSecret, SPECIAL_SIG } from "../../engine/wire";
import { redact } from "../../engine/redact";
import { inProject, one, ofType, props, runConfig, runStack } from "../helpers/program";
import { MAXIMAL_SECRET_VALUE, maximalConfig } from "../fixtures/maximal";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../config/stackFile";
import { EXTERNAL_PLACEHOLDER } from "../../components/secrets";

const epoch = (d: string) => Math.floor(Date.parse(d) / 1000);

describe("per-environment secrets", () => {
  test("every Key Vault secret value is a Pulumi secret in the inputs, even without the engine's additionalSecretOutputs", async () => {
    const { records } = await runConfig(maximalConfig(), { applyAdditionalSecretOutputs: false });
    const secrets = ofType(records, "azure-native:keyvault:Secret");
    expect(secrets.length).toBe(6); // fraudscoring 3, churn 1, and the client secret of the two projects with a password
    for (const s of secrets) expect(isSecret(props(s).value)).toBe(true);
  });

  test("the plaintext of a config secret appears only inside secret wrappers, never in redacted reports or stack outputs", async () => {
    const { records, stackOutputs } = await runConfig(maximalConfig(), { applyAdditionalSecretOutputs: false });
    const all = JSON.stringify(records.map((r) => r.inputs));
    expect(all).toContain(MAXIMAL_SECRET_VALUE); // it is there (as a secret): the test can fail
    const unwrapped = JSON.stringify(records.map((r) => stripSecrets(r.inputs)));
    expect(unwrapped).not.toContain(MAXIMAL_SECRET_VALUE);
    expect(JSON.stringify(redact(records.map((r) => r.inputs)))).not.toContain(MAXIMAL_SECRET_VALUE);
    expect(JSON.stringify(stackOutputs)).not.toContain(MAXIMAL_SECRET_VALUE);
  });

  test("content type, expiry and activation dates are epoch seconds from config; enabled flag honoured", async () => {
    const { records } = await runConfig(maximalConfig());
    const fraud = inProject(records, "fraudscoring");
    const db = props(one(fraud, "azure-native:keyvault:Secret", "fraudscoring-secrets-db-password"));
    expect(db.contentType).toBe("password");
    expect(db.attributes).toEqual({ enabled: true, expires: epoch("2027-06-30T00:00:00Z"), notBefore: epoch("2026-12-01T00:00:00Z") });
    const signing = one(fraud, "random:index/randomPassword:RandomPassword");
    expect(signing.inputs.length).toBe(256);
    const vendor = one(fraud, "azure-native:keyvault:Secret", "fraudscoring-secrets-vendor-api-key");
    expect(props(vendor).attributes.expires).toBe(epoch("2027-06-30T12:00:00Z"));
  });

  test("generated secrets use RandomPassword; its result reaches the vault only as a secret", async () => {
    const { records } = await runStack("dev", { applyAdditionalSecretOutputs: false });
    const rp = one(records, "random:index/randomPassword:RandomPassword");
    expect(rp.inputs.length).toBe(48);
    const token = one(records, "azure-native:keyvault:Secret", "churn-secrets-feature-token");
    expect(token.propertyDependencies.properties).toContain(rp.urn);
    expect(isSecret(props(token).value)).toBe(true);
    expect((props(token).value as any).value).toBe(rp.outputs.result);
  });

  test("external secrets: created once, disabled, with a marker value, then ignored so the real value is never overwritten", async () => {
    const { records } = await runStack("dev");
    const ext = one(records, "azure-native:keyvault:Secret", "churn-secrets-partner-api-key");
    expect(props(ext).attributes.enabled).toBe(false);
    expect((props(ext).value as any).value).toBe(EXTERNAL_PLACEHOLDER);
    expect(props(ext).contentType).toBe("api-key");
  });

  test("offline, encrypted config values stay opaque secrets", async () => {
    const { records } = await runStack("dev");
    const sql = one(records, "azure-native:keyvault:Secret", "churn-secrets-sql-password");
    expect(props(sql).value).toEqual({ [SPECIAL_SIG]: expect.any(String), value: expect.stringMatching(new RegExp(`^${OFFLINE_SECRET_PLACEHOLDER.slice(0, -1).replace(/[[\]]/g, "\\$&")} #[0-9a-f]{12}\\]$`)) });
  });
});

function stripSecrets(v: unknown): unknown {
  if (isSecret(v)) return "[removed]";
  if (Array.isArray(v)) return v.map(stripSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripSecrets(x)]));
  return v;
}
