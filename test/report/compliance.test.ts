/**
 * How a control's status is decided from the pack's verdicts: fail beats exempted beats pass; a disabled policy, or
 * one that judged no resource, is "not evaluated"; a framework control takes the worst of its controls.
 */
import type { PolicyInfo } from "../../engine/analyzerTypes";
import type { ResourceRecord, Violation } from "../../engine/types";
import { CONTROLS } from "../../policies/catalogue";
import { controlEvidence, worst } from "../../report/compliance";

const vault = { urn: "urn:pulumi:prod::p::azure-native:keyvault:Vault::kv", name: "kv", type: "azure-native:keyvault:Vault", custom: true } as ResourceRecord;
const kv02: PolicyInfo = { name: "kv-02-purge-protection", description: "", enforcementLevel: "mandatory", controls: ["KV-02"], tags: ["KV-02"] };
const violation = (over: Partial<Violation> = {}): Violation => ({ policy: kv02.name, controls: ["KV-02"], enforcementLevel: "mandatory", urn: vault.urn, message: "KV-02: Key Vaults have purge protection enabled.\nKV-02: enablePurgeProtection is missing", ...over });
const exemption = { policy: kv02.name, index: 0, resources: ["p/kv"], category: "waiver" as const, reason: "migration in progress", approvedBy: "ciso", expiresOn: "2027-01-31", status: "active" as const, daysLeft: 40 };

test.each([
  ["pass: the policy ran over the vault and found nothing", [kv02], [], "pass"],
  ["fail: a violation stands", [kv02], [violation()], "fail"],
  ["exempted: every violation is exempted", [kv02], [violation({ enforcementLevel: "advisory", exemption })], "exempted"],
  ["fail beats exempted", [kv02], [violation({ enforcementLevel: "advisory", exemption }), violation({ urn: "other" })], "fail"],
  ["not evaluated: the policy is disabled here", [{ ...kv02, enforcementLevel: "disabled" }], [], "not evaluated"],
] as const)("%s", (_name, policies, violations, status) => {
  expect(controlEvidence(CONTROLS["KV-02"], [vault], [...policies], [...violations]).status).toBe(status);
});

test("not evaluated when the policy judged no resource (no vault in the stack)", () => {
  expect(controlEvidence(CONTROLS["KV-02"], [], [kv02], []).status).toBe("not evaluated");
});

test("a framework control takes the worst status of its controls; it passes only when every one was evaluated and passed", () => {
  expect(worst(["pass", "exempted", "not evaluated"])).toBe("exempted");
  expect(worst(["pass", "fail"])).toBe("fail");
  expect(worst(["not evaluated"])).toBe("not evaluated");
  expect(worst(["pass", "not evaluated"])).toBe("not evaluated");
  expect(worst(["pass", "pass"])).toBe("pass");
});

test("an opt-in requirement that is off judges nothing: ML-03 without customer-managed keys is not evaluated, not a pass", () => {
  const workspace = { urn: "urn:pulumi:dev::p::azure-native:machinelearningservices:Workspace::w", name: "w", type: "azure-native:machinelearningservices:Workspace", custom: true, inputs: {} } as unknown as ResourceRecord;
  const ml03: PolicyInfo = { name: "ml-03-customer-managed-key", description: "", enforcementLevel: "mandatory", controls: ["ML-03"], tags: ["ML-03"] };
  expect(controlEvidence(CONTROLS["ML-03"], [workspace], [ml03], [], { "ml-03-customer-managed-key": { requireCustomerManagedKey: false } }).status).toBe("not evaluated");
  expect(controlEvidence(CONTROLS["ML-03"], [workspace], [ml03], [], { "ml-03-customer-managed-key": { requireCustomerManagedKey: true } }).status).toBe("pass");
  const optedIn = { ...workspace, inputs: { encryption: { status: "Enabled" } } } as unknown as ResourceRecord;
  expect(controlEvidence(CONTROLS["ML-03"], [optedIn], [ml03], []).status).toBe("pass");
});
