/** MON-01 (added by issue 8), KEY-03 and ID-05 (December 2026 catalogue additions). */
import { id05ExactFederatedSubject } from "../../policies/identity";
import { T } from "../../policies/lib/types";
import { mon01PrivateIngestion } from "../../policies/monitoring";
import { key03StrongKey } from "../../policies/secrets";
import { controlsIn, runResource } from "./harness";

describe("MON-01: monitoring ingestion only through private link", () => {
  it.each([T.logAnalytics, T.appInsights])("%s: Disabled (any case) passes; Enabled and missing fail", async (type) => {
    for (const v of ["Disabled", "disabled"]) expect((await runResource(mon01PrivateIngestion, { type, props: { publicNetworkAccessForIngestion: v } })).messages).toEqual([]);
    for (const v of ["Enabled", undefined]) {
      const out = await runResource(mon01PrivateIngestion, { type, props: v === undefined ? {} : { publicNetworkAccessForIngestion: v } });
      expect(controlsIn(out)).toEqual(["MON-01"]);
      expect(out.messages[0]).toMatch(v === undefined ? /missing \(Azure's default is Enabled\)/ : /is "Enabled"/);
    }
  });
  it("query is not its concern (ARM-API queries cannot use private link)", async () => {
    const out = await runResource(mon01PrivateIngestion, { type: T.appInsights, props: { publicNetworkAccessForIngestion: "Disabled", publicNetworkAccessForQuery: "Enabled" } });
    expect(out.messages).toEqual([]);
  });
});

describe("KEY-03: strong customer-managed keys", () => {
  const key = (properties: Record<string, unknown>) => ({ type: T.key, props: { properties } });
  it.each([
    [{ kty: "RSA-HSM", keySize: 3072 }], [{ kty: "RSA", keySize: 4096 }], [{ kty: "EC-HSM", curveName: "P-384" }], [{ kty: "ec", curveName: "p-521" }],
  ])("%j passes", async (p) => {
    expect((await runResource(key03StrongKey, key(p))).messages).toEqual([]);
  });
  it.each<[Record<string, unknown>, RegExp]>([
    [{ kty: "RSA-HSM", keySize: 2048 }, /keySize is below 3072/],
    [{ kty: "RSA-HSM" }, /missing \(Key Vault's default is 2048\)/],
    [{ kty: "EC", curveName: "P-256" }, /curveName is not P-384 or P-521/],
    [{ kty: "EC-HSM", curveName: "P-256K" }, /P-384 or P-521/],
    [{ kty: "oct-HSM" }, /kty is not RSA, RSA-HSM, EC or EC-HSM/],
    [{}, /kty is missing/],
  ])("%j fails", async (p, message) => {
    const out = await runResource(key03StrongKey, key(p));
    expect(controlsIn(out)).toEqual(["KEY-03"]);
    expect(out.messages[0]).toMatch(message);
  });
});

describe("ID-05: federated credentials trust an exact subject", () => {
  const github = "https://token.actions.githubusercontent.com";
  const types = [T.appFederatedCredential, T.identityFederatedCredential];
  it.each([
    [github, "repo:contoso/churn:ref:refs/heads/main"],
    [github, "repo:contoso/churn:environment:prod"],
    [github, "repo:contoso/churn:ref:refs/tags/v1.2.0"],
    [github, "repo:contoso/churn:pull_request"],
    ["https://gitlab.example.com", "project_path:ml/churn:ref_type:branch:ref:main"],
  ])("%s %s passes", async (issuer, subject) => {
    for (const type of types) expect((await runResource(id05ExactFederatedSubject, { type, props: { issuer, subject } })).messages).toEqual([]);
  });
  it.each<[string, string, RegExp]>([
    [github, "repo:contoso/churn:*", /wildcard/],
    [github, "repo:contoso/*:ref:refs/heads/main", /wildcard/],
    ["https://gitlab.example.com", "project_path:ml/*", /wildcard/],
    [github, "repo:contoso/churn", /does not name a branch, tag, environment or pull request/],
    [`${github}/`, "repo:contoso/churn:workflow:deploy", /does not name/],
    [github, "  ", /subject is missing/],
  ])("%s %j fails", async (issuer, subject, message) => {
    for (const type of types) {
      const out = await runResource(id05ExactFederatedSubject, { type, props: { issuer, subject } });
      expect(controlsIn(out)).toEqual(["ID-05"]);
      expect(out.messages[0]).toMatch(message);
    }
  });
});
