import {
  key01KeyExpiry, key02KeyRotation, sec01SecretExpiry, sec02SecretMaxValidity, sec03SecretContentType,
  sec04SecretNearExpiry, sec04SecretNotExpired, sec05SecretInCompliantVault,
} from "../../policies/secrets";
import { T } from "../../policies/lib/types";
import { controlsIn, runResource, runStack, StackInput, UNKNOWN } from "./harness";
import { DAY, EVAL, EVAL_S, keyInputs, RG, secretInputs, VAULT_ID, vaultOutputs } from "./fixtures";

const NOW = { evaluationTime: EVAL };

function secret(attrs: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): Record<string, any> {
  const s = secretInputs();
  if (attrs === undefined) delete s.properties.attributes;
  else s.properties.attributes = attrs;
  Object.assign(s.properties, extra);
  return s;
}
const runSecret = (policy: Parameters<typeof runResource>[0], props: Record<string, any>, config: Record<string, unknown> = NOW) =>
  runResource(policy, { type: T.secret, props, config });

describe("sec-01-secret-expiry / key-01-key-expiry", () => {
  it("pass with expires", async () => {
    expect((await runSecret(sec01SecretExpiry, secretInputs())).messages).toEqual([]);
    expect((await runResource(key01KeyExpiry, { type: T.key, props: keyInputs() })).messages).toEqual([]);
  });
  it("fail missing attributes, missing expires, milliseconds, non-numbers; unknown in preview", async () => {
    expect(controlsIn(await runSecret(sec01SecretExpiry, secret(undefined)))).toEqual(["SEC-01"]);
    expect(controlsIn(await runSecret(sec01SecretExpiry, secret({ enabled: true })))).toEqual(["SEC-01"]);
    expect((await runSecret(sec01SecretExpiry, secret({ expires: (EVAL_S + DAY) * 1000 }))).messages).toEqual([expect.stringMatching(/milliseconds/)]);
    expect(controlsIn(await runSecret(sec01SecretExpiry, secret({ expires: "2027-01-01" })))).toEqual(["SEC-01"]);
    expect((await runSecret(sec01SecretExpiry, secret({ expires: UNKNOWN.number }))).unknown).toBeDefined();
    const key = keyInputs();
    delete key.properties.attributes.expires;
    expect(controlsIn(await runResource(key01KeyExpiry, { type: T.key, props: key }))).toEqual(["KEY-01"]);
    expect((await runResource(sec01SecretExpiry, { type: T.key, props: key })).messages).toEqual([]);
  });
});

describe("sec-02-secret-max-validity", () => {
  it("measures from notBefore, else from now (evaluationTime)", async () => {
    expect((await runSecret(sec02SecretMaxValidity, secretInputs())).messages).toEqual([]);
    expect(controlsIn(await runSecret(sec02SecretMaxValidity, secret({ notBefore: EVAL_S, expires: EVAL_S + 400 * DAY })))).toEqual(["SEC-02"]);
    // Without notBefore: 300 days from EVAL passes, but the same secret evaluated 100 days earlier fails.
    const noStart = secret({ expires: EVAL_S + 300 * DAY });
    expect((await runSecret(sec02SecretMaxValidity, noStart)).messages).toEqual([]);
    expect(controlsIn(await runSecret(sec02SecretMaxValidity, noStart, { evaluationTime: "2026-08-01T00:00:00Z" }))).toEqual(["SEC-02"]);
  });
  it("maxValidityDays changes the outcome; missing expires is left to SEC-01", async () => {
    expect(controlsIn(await runSecret(sec02SecretMaxValidity, secretInputs(), { ...NOW, maxValidityDays: 90 }))).toEqual(["SEC-02"]);
    expect((await runSecret(sec02SecretMaxValidity, secret({ notBefore: EVAL_S })))).toMatchObject({ messages: [], unknown: undefined });
    expect((await runSecret(sec02SecretMaxValidity, secret({ expires: UNKNOWN.number }))).unknown).toBeDefined();
  });
});

describe("sec-03-secret-content-type", () => {
  it("passes a content type, fails missing / blank, unknown in preview", async () => {
    expect((await runSecret(sec03SecretContentType, secretInputs())).messages).toEqual([]);
    expect(controlsIn(await runSecret(sec03SecretContentType, secret(secretInputs().properties.attributes, { contentType: undefined })))).toEqual(["SEC-03"]);
    expect(controlsIn(await runSecret(sec03SecretContentType, secret(secretInputs().properties.attributes, { contentType: "  " })))).toEqual(["SEC-03"]);
    expect((await runSecret(sec03SecretContentType, secret(secretInputs().properties.attributes, { contentType: UNKNOWN.string }))).unknown).toBeDefined();
  });
});

describe("sec-04 expired (mandatory) and near expiry (advisory)", () => {
  it("declares its levels", () => {
    expect(sec04SecretNotExpired.enforcementLevel).toBe("mandatory");
    expect(sec04SecretNearExpiry.enforcementLevel).toBe("advisory");
  });
  it("expired secrets fail", async () => {
    expect(controlsIn(await runSecret(sec04SecretNotExpired, secret({ expires: EVAL_S - 1 })))).toEqual(["SEC-04"]);
    expect(controlsIn(await runSecret(sec04SecretNotExpired, secret({ expires: EVAL_S })))).toEqual(["SEC-04"]);
    expect((await runSecret(sec04SecretNotExpired, secret({ expires: EVAL_S + 1 }))).messages).toEqual([]);
    expect((await runSecret(sec04SecretNearExpiry, secret({ expires: EVAL_S - 1 }))).messages).toEqual([]);
  });
  it("near expiry warns within warnDays", async () => {
    expect(controlsIn(await runSecret(sec04SecretNearExpiry, secret({ expires: EVAL_S + 10 * DAY })))).toEqual(["SEC-04"]);
    expect((await runSecret(sec04SecretNearExpiry, secret({ expires: EVAL_S + 40 * DAY }))).messages).toEqual([]);
    expect(controlsIn(await runSecret(sec04SecretNearExpiry, secret({ expires: EVAL_S + 40 * DAY }), { ...NOW, warnDays: 60 }))).toEqual(["SEC-04"]);
    expect((await runSecret(sec04SecretNearExpiry, secret({ expires: UNKNOWN.number }))).unknown).toBeDefined();
  });
});

describe("key-02-key-rotation", () => {
  function key(rotationPolicy: unknown): Record<string, any> {
    const k = keyInputs();
    if (rotationPolicy === undefined) delete k.properties.rotationPolicy;
    else k.properties.rotationPolicy = rotationPolicy;
    return k;
  }
  const rotate = (trigger: Record<string, string>, type = "rotate") => ({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [{ action: { type }, trigger }] });
  const runKey = (props: Record<string, any>, config?: Record<string, unknown>) => runResource(key02KeyRotation, { type: T.key, props, config });
  it("passes rotate within the limit (timeAfterCreate or expiry minus timeBeforeExpiry), any case", async () => {
    expect((await runKey(keyInputs())).messages).toEqual([]);
    expect((await runKey(key(rotate({ timeAfterCreate: "P3M" }, "Rotate")))).messages).toEqual([]);
    expect((await runKey(key(rotate({ timeBeforeExpiry: "P300D" })))).messages).toEqual([]);
  });
  it("fails missing policy, notify-only, too late; maxRotationDays changes the outcome", async () => {
    expect(controlsIn(await runKey(key(undefined)))).toEqual(["KEY-02"]);
    expect(controlsIn(await runKey(key(rotate({ timeAfterCreate: "P30D" }, "notify"))))).toEqual(["KEY-02"]);
    expect(controlsIn(await runKey(key(rotate({ timeAfterCreate: "P1Y" }))))).toEqual(["KEY-02"]);
    expect(controlsIn(await runKey(key(rotate({ timeAfterCreate: "garbage" }))))).toEqual(["KEY-02"]);
    expect((await runKey(key(rotate({ timeAfterCreate: "P1Y" })), { maxRotationDays: 365 })).messages).toEqual([]);
    expect(controlsIn(await runKey(keyInputs(), { maxRotationDays: 30 }))).toEqual(["KEY-02"]);
    expect((await runKey(key(rotate({ timeAfterCreate: UNKNOWN.string })))).unknown).toBeDefined();
  });
});

describe("sec-05-secret-in-compliant-vault", () => {
  const VAULT: StackInput = { type: T.vault, name: "kv", props: vaultOutputs() };
  const secretOut = (vaultId = VAULT_ID, extra: Partial<StackInput> = {}): StackInput => ({ type: T.secret, name: "sql-password",
    props: { id: `${vaultId}/secrets/sql-password`, name: "sql-password", type: "Microsoft.KeyVault/vaults/secrets", properties: { contentType: "password", secretUri: "https://x" } }, ...extra });
  const weakVault = (patch: Record<string, unknown>): StackInput => ({ ...VAULT, props: { ...vaultOutputs(), properties: { ...vaultOutputs().properties, ...patch } } });

  it("passes a secret in a compliant vault, linked by its id (never by propertyDependencies.vaultName)", async () => {
    expect((await runStack(sec05SecretInCompliantVault, [VAULT, secretOut()])).messages).toEqual([]);
    const preview = await runStack(sec05SecretInCompliantVault, [{ ...VAULT, props: { ...vaultOutputs(), id: UNKNOWN.string } },
      secretOut(VAULT_ID, { props: { id: UNKNOWN.string }, propertyDependencies: { vaultName: ["kv"] } })]);
    expect(preview).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
  it("fails a secret outside the stack's vaults and vaults failing KV-01 / KV-02 / KV-04", async () => {
    expect((await runStack(sec05SecretInCompliantVault, [VAULT, secretOut(`${RG}/providers/Microsoft.KeyVault/vaults/elsewhere`)])).messages)
      .toEqual([expect.stringMatching(/^SEC-05: .*not linked/)]);
    expect((await runStack(sec05SecretInCompliantVault, [weakVault({ enablePurgeProtection: undefined }), secretOut()])).messages).toEqual([expect.stringContaining("fails KV-02")]);
    expect((await runStack(sec05SecretInCompliantVault, [weakVault({ enableSoftDelete: false }), secretOut()])).messages).toEqual([expect.stringContaining("fails KV-01")]);
    expect((await runStack(sec05SecretInCompliantVault, [weakVault({ enableRbacAuthorization: false }), secretOut()])).messages).toEqual([expect.stringContaining("fails KV-04")]);
    // An access policy belongs to the vault its id is nested under ("<vault id>/accessPolicy/<objectId>").
    const withAccessPolicy: StackInput = { type: T.accessPolicy, name: "ap", props: { id: `${VAULT_ID}/accessPolicy/33333333-3333-3333-3333-333333333333`, policy: {} } };
    expect((await runStack(sec05SecretInCompliantVault, [VAULT, withAccessPolicy, secretOut()])).messages).toEqual([expect.stringContaining("fails KV-04")]);
  });
  it("config: requiredVaultControls (dev drops KV-02), allowAccessPolicyMode", async () => {
    expect((await runStack(sec05SecretInCompliantVault, [weakVault({ enablePurgeProtection: undefined }), secretOut()], { requiredVaultControls: ["KV-01", "KV-04"] })).messages).toEqual([]);
    expect((await runStack(sec05SecretInCompliantVault, [weakVault({ enableRbacAuthorization: false }), secretOut()], { allowAccessPolicyMode: true })).messages).toEqual([]);
  });
  it("never passes on an unknown vault property", async () => {
    const out = await runStack(sec05SecretInCompliantVault, [weakVault({ enablePurgeProtection: UNKNOWN.bool }), secretOut()]);
    expect(out).toMatchObject({ messages: [], unknown: expect.any(String) });
  });
});
