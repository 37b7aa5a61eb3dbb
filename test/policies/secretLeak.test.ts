/**
 * Secret-bearing resources (Secret, Key, passwords): policies receive their values in plaintext,
 * so no violation message may quote any property value. Every policy is run over deliberately bad
 * inputs whose every value is a recognisable marker, and no marker may appear in any message.
 */
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { T } from "../../policies/lib/types";
import { runResource, runStack } from "./harness";
import { EVAL, SECRET_VALUE, VAULT_ID, vaultOutputs } from "./fixtures";

const MARK = "LEAKMARK";
const EXPIRES_MS = 1893456000123; // milliseconds where seconds belong: a violation that must not echo it
const EXPIRED_S = 1700000017;
const CONFIGS = [{ evaluationTime: EVAL }, { evaluationTime: EVAL, maxValidityDays: 1, warnDays: 100000, maxRotationDays: 1, maxPasswordLifetimeDays: 1 }];

const badSecrets = [
  { properties: { value: SECRET_VALUE, contentType: "", attributes: { expires: EXPIRES_MS } }, secretName: `${MARK}-name`, tags: { x: MARK } },
  { properties: { value: SECRET_VALUE, contentType: `${MARK}-ct`, attributes: { expires: EXPIRED_S, notBefore: 1600000011 } } },
  { properties: { value: SECRET_VALUE, attributes: { expires: 2000000023 } } },
  { properties: { value: SECRET_VALUE, contentType: "  " } },
];
const badKeys = [
  { properties: { kty: `${MARK}-kty`, attributes: { expires: EXPIRES_MS }, rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: `P${MARK}` } }] } } },
  { properties: { attributes: {}, rotationPolicy: { attributes: { expiryTime: "P7777D" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P4321D" } }] } } },
];
const badPasswords = [
  { displayName: `${MARK}-dn`, startDate: "2020-01-01T00:00:00Z", endDate: "2031-07-07T07:07:07Z", rotateWhenChanged: {} },
  { displayName: `${MARK}-dn`, endDate: `${MARK}-date` },
  { startDate: `${MARK}-start`, endDateRelative: "99999h" },
];

const forbidden = [SECRET_VALUE, MARK, String(EXPIRES_MS), String(EXPIRED_S), "2000000023", "1600000011", "P7777D", "P4321D", "2031-07-07", "2020-01-01", "99999"];

function expectNoLeak(messages: string[]): void {
  for (const m of messages) for (const f of forbidden) expect({ message: m, leaked: m.includes(f) ? f : null }).toEqual({ message: m, leaked: null });
}

const policies = ALL_POLICIES as Policy[];
const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);

describe("no violation message quotes a value of a secret-bearing resource", () => {
  const cases: [string, Record<string, any>][] = [
    ...badSecrets.map((p) => [T.secret, p] as [string, Record<string, any>]),
    ...badKeys.map((p) => [T.key, p] as [string, Record<string, any>]),
    ...badPasswords.flatMap((p) => [[T.spPassword, p], [T.appPassword, p]] as [string, Record<string, any>][]),
  ];

  it("resource policies actually report on these inputs (the test would be empty otherwise)", async () => {
    const all: string[] = [];
    for (const [type, props] of cases) for (const p of resourcePolicies) all.push(...(await runResource(p, { type, props, config: CONFIGS[1] })).messages);
    const controls = new Set(all.map((m) => m.split(":")[0]));
    for (const id of ["SEC-01", "SEC-02", "SEC-03", "SEC-04", "KEY-01", "KEY-02", "KEY-03", "ID-01", "ID-02", "TAG-01"]) expect(controls.has(id)).toBe(true);
  });

  it.each(resourcePolicies.map((p) => [p.name, p] as const))("%s", async (_name, policy) => {
    for (const [type, props] of cases) {
      for (const config of CONFIGS) expectNoLeak((await runResource(policy, { type, props, config })).messages);
    }
  });

  it.each(stackPolicies.map((p) => [p.name, p] as const))("%s (stack)", async (_name, policy) => {
    const out = await runStack(policy, [
      { type: T.vault, name: "kv", props: { ...vaultOutputs(), properties: { ...vaultOutputs().properties, enablePurgeProtection: undefined } } },
      { type: T.secret, name: "sql-password", props: { id: `${VAULT_ID}/secrets/x`, properties: { value: SECRET_VALUE, contentType: MARK, attributes: { expires: EXPIRED_S } } } },
      { type: T.secret, name: "orphan", props: { id: `${MARK}/secrets/y`, properties: { value: SECRET_VALUE } } },
    ]);
    expectNoLeak(out.messages);
  });
});
