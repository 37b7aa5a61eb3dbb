/**
 * Exemptions as the platform team uses them: written into the policy config `pulumi preview --policy-pack-config`
 * gets (here: `mlvault policy-config prod` output plus exemptions), judged by the pack itself (an exempted violation
 * comes back at advisory level) and shown by `plan` in the tree, JSON and SARIF. A prod secret valid for too long
 * (SEC-02, mandatory) is the violation; each case changes only the exemption.
 */
import "@microsoft/jest-sarif";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_SETTINGS, judge, type Exemption } from "../../policies/lib/exemptions";
import { linkedProject, ROOT, runCli, type CliResult } from "./runCli";

const NOW = Date.parse("2026-12-15T12:00:00Z"); // runCli pins MLVAULT_NOW to it
const day = (offset: number) => new Date(NOW + offset * 86_400_000).toISOString().slice(0, 10);
const POLICY = "sec-02-secret-max-validity";
const SECRET = "churn-secrets-sql-password";

let dir: string;
let baseConfig: Record<string, any>;

beforeAll(() => {
  dir = linkedProject();
  const prod = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
  const far = prod.replace(/(name: sql-password[\s\S]*?expiresOn: )"?[\d-]+"?/, '$1"2029-03-31"');
  expect(far).not.toBe(prod);
  fs.rmSync(path.join(dir, "Pulumi.prod.yaml"), { force: true });
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), far);
  expect(runCli(["policy-config", "prod", "-C", dir, "--json-file", path.join(dir, "base.json")]).status).toBe(0);
  baseConfig = JSON.parse(fs.readFileSync(path.join(dir, "base.json"), "utf8"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function exemption(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { resources: [`churn/${SECRET}`], category: "waiver", reason: "vendor contract pins this credential until the migration", approvedBy: "ciso@contoso.com", ticket: "SEC-1234", expiresOn: day(60), ...over };
}

function planWith(entry: Record<string, unknown>, ...extra: string[]): { r: CliResult; file: string } {
  const config = JSON.parse(JSON.stringify(baseConfig));
  config[POLICY] = { ...(config[POLICY] ?? {}), ...entry };
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return { r: runCli(["plan", "prod", "-C", dir, "--policy-pack-config", file, ...extra]), file };
}

test("without an exemption the violation is mandatory: exit 1", () => {
  const { r } = planWith({});
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/\[mandatory\] sec-02-secret-max-validity \[SEC-02\] churn-secrets-sql-password/);
});

test("an active exemption: reported as exempted (advisory, not counted), with until when, by whom and why; JSON and SARIF carry it", () => {
  const json = path.join(dir, "exempted.json");
  const sarif = path.join(dir, "exempted.sarif");
  const { r } = planWith({ exemptions: [exemption()] }, "--json-file", json, "--sarif-file", sarif);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^ {4}exempted \(1\):$/m);
  expect(r.stdout.replace(/\s+/g, " ")).toContain(`exempted until ${day(60)} by ciso@contoso.com, SEC-1234: vendor contract pins this credential until the migration (waiver)`);
  const report = JSON.parse(fs.readFileSync(json, "utf8"));
  const v = report.violations.find((x: any) => x.policy === POLICY);
  expect(v).toMatchObject({ level: "advisory", exempted: { policy: POLICY, index: 0, category: "waiver", approvedBy: "ciso@contoso.com", ticket: "SEC-1234", expiresOn: day(60), status: "active" } });
  expect(report.summary.mandatory).toBe(0);
  const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
  expect(log).toBeValidSarifLog();
  const result = log.runs[0].results.find((x: any) => x.ruleId === POLICY);
  // "note": GitHub code scanning does not dismiss on `suppressions` (github/codeql-action#1230).
  expect(result.level).toBe("note");
  expect(result.suppressions).toEqual([{ kind: "external", status: "accepted", justification: expect.stringContaining("waiver: vendor contract") }]);
}, 90_000);

test("inside the reminder window it still exempts, and says it expires soon", () => {
  const { r } = planWith({ exemptions: [exemption({ expiresOn: day(5) })] });
  expect(r.status).toBe(0);
  expect(r.stdout.replace(/\s+/g, " ")).toMatch(/it expires in 5 day\(s\): renew it or fix the finding/);
});

test.each([
  ["expired", { expiresOn: day(-3) }, {}, /expired on \d{4}-\d{2}-\d{2}, 3 day\(s\) ago: this counts again/],
  ["longer than the maximum", { expiresOn: day(400) }, {}, /refused: it runs 400 days from now, longer than the maximum of 180/],
  ["a control that can never be exempted", {}, { exemptionSettings: { neverExempt: ["SEC-02"] } }, /refused: SEC-02 can never be exempted/],
  ["longer than the maximum counted from its approval (it cannot become acceptable by waiting)", { approvedOn: day(-200), expiresOn: day(10) }, {}, /refused: it runs 210 days from its approval on \d{4}-\d{2}-\d{2}, longer than the maximum of 180/],
])("%s: the violation counts again (exit 1) and says why", (_name, over, settings, why) => {
  const { r } = planWith({ exemptions: [exemption(over)], ...settings });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/\[mandatory\] sec-02-secret-max-validity/);
  expect(r.stdout.replace(/\s+/g, " ")).toMatch(why);
});

test("an exemption that matches nothing is stale: a warning naming it", () => {
  const { r } = planWith({ exemptions: [exemption(), exemption({ resources: ["churn/no-such-secret"] })] });
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(`warning: exemption ${POLICY}.exemptions[1] (churn/no-such-secret, approved by ciso@contoso.com) matches no violation: it is stale; remove it`);
  expect(r.stderr).not.toContain(`${POLICY}.exemptions[0]`);
});

test("a malformed exemption is refused before anything runs: exit 2, the field named", () => {
  const { r } = planWith({ exemptions: [exemption({ expiresOn: "31/03/2027", approvedBy: undefined })] });
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^error: .*: ${POLICY}\\.exemptions\\[0\\]\\.expiresOn: must be YYYY-MM-DD$`)),
    expect.stringMatching(new RegExp(`^error: .*: ${POLICY}\\.exemptions\\[0\\]\\.approvedBy: `)),
  ]));
  expect(r.stdout).toBe("");
});

test.each([
  ["a wildcard project", { resources: ["*/churn-secrets-sql-password"] }, /exemptions\[0\]\.resources\[0\]: is too broad/],
  ["a wildcard stack in a URN", { resources: ["urn:pulumi:*::mlvault::*"] }, /exemptions\[0\]\.resources\[0\]: is too broad/],
  ["a day that does not exist", { expiresOn: "2027-02-30" }, /exemptions\[0\]\.expiresOn: must be a real calendar day/],
])("%s is refused before anything runs (exit 2)", (_name, over, why) => {
  const { r } = planWith({ exemptions: [exemption(over)] });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(why);
});

test("the pack refuses a too broad exemption on its own too (pulumi preview gets no CLI check)", () => {
  const v = judge(exemption({ resources: ["*/*"] }) as unknown as Exemption, 0, DEFAULT_SETTINGS, NOW, "SEC-02");
  expect([v.status, v.refusal]).toEqual(["refused", '"*/*" has a wildcard in its project: name the project']);
  expect(judge(exemption({ expiresOn: "2027-02-30" }) as unknown as Exemption, 0, DEFAULT_SETTINGS, NOW).status).toBe("refused");
});

test("mlvault exemptions lists each with its status and days left (table and JSON)", () => {
  const config = JSON.parse(JSON.stringify(baseConfig));
  config[POLICY] = { exemptions: [exemption(), exemption({ expiresOn: day(5) }), exemption({ expiresOn: day(-1) }), exemption({ expiresOn: day(365) })] };
  const file = path.join(dir, "listed.json");
  fs.writeFileSync(file, JSON.stringify(config));
  const table = runCli(["exemptions", "--policy-pack-config", file, "--env", "prod"]);
  expect(table.status).toBe(0);
  expect(table.stdout).toMatch(/^ENV +POLICY +RESOURCES +CATEGORY +APPROVED BY +EXPIRES +STATUS +DAYS LEFT$/m);
  expect(table.stdout).toContain("4 exemption(s): 1 active, 1 expiring, 1 expired, 1 refused.");
  const json = JSON.parse(runCli(["exemptions", "--policy-pack-config", file, "--env", "prod", "--json"]).stdout);
  expect(json.exemptions.map((e: any) => [e.status, e.daysLeft])).toEqual([["active", 60], ["expiring", 5], ["expired", -1], ["refused", 365]]);
  expect(runCli(["exemptions", "--env", "staging"]).status).toBe(2);
});

test("compliance evidence shows the exempted control as exempted, with the exemption as evidence", () => {
  const { file } = planWith({ exemptions: [exemption()] });
  const r = runCli(["compliance", "prod", "-C", dir, "--policy-pack-config", file, "--json"]);
  expect(r.status).toBe(0);
  const report = JSON.parse(r.stdout);
  const sec02 = report.frameworks.flatMap((f: any) => f.controls.flatMap((c: any) => c.controls)).filter((m: any) => m.id === "SEC-02");
  expect(sec02.length).toBeGreaterThan(0);
  for (const m of sec02) {
    expect(m.status).toBe("exempted");
    expect(m.violations[0].exempted).toEqual({ approvedBy: "ciso@contoso.com", expiresOn: day(60), reason: "vendor contract pins this credential until the migration" });
  }
}, 90_000);
