/**
 * The replacement data (change/data/replacement.json) covers every type the program creates, in every shape of stack
 * the tests make, and every entry says why and where that is documented. A new resource type in the program fails
 * here until its rules are added with their source.
 */
import * as fs from "fs";
import * as path from "path";
import { knownTypes, rulesOf } from "../../change/rules";
import data from "../../change/data/replacement.json";
import { loadPlans } from "../azure/plan";

test("every custom resource type of every plan has replacement data", async () => {
  const types = new Set<string>();
  for (const plan of await loadPlans()) for (const r of plan.records) if (r.custom) types.add(r.type);
  expect(types.size).toBeGreaterThan(25);
  const missing = [...types].filter((t) => rulesOf(t) === undefined).sort();
  expect(missing).toEqual([]);
}, 180_000);

test("every rule says why and cites a public source; azure-native types name their API version", () => {
  for (const type of knownTypes()) {
    const rules = rulesOf(type)!;
    if (type.startsWith("azure-native:") && !type.endsWith(":AccessPolicy")) expect([type, rules.apiVersion]).toEqual([type, expect.stringMatching(/^\d{4}-\d{2}-\d{2}(-preview)?$/)]);
    for (const rule of [...rules.replaceOn, ...rules.immutable, ...rules.ignored]) {
      expect({ type, path: rule.path, why: rule.why.length > 10, source: rule.source }).toEqual({ type, path: expect.stringMatching(/^[A-Za-z][\w.]*$/), why: true, source: expect.stringMatching(/^https:\/\//) });
      if (rule.only) expect(["true->false", "false->true"]).toContain(rule.only);
    }
  }
  expect(data.providers["azure-native"]).toBe(require("@pulumi/azure-native/package.json").version);
});

test("the azure-native API versions are the ones the installed SDK uses (Uses Azure REST API version … in its .d.ts)", () => {
  const sdk = path.dirname(require.resolve("@pulumi/azure-native/package.json"));
  for (const type of knownTypes().filter((t) => t.startsWith("azure-native:") && rulesOf(t)!.apiVersion)) {
    const [, module, name] = type.split(":");
    const dts = fs.readFileSync(path.join(sdk, module, `${name[0].toLowerCase()}${name.slice(1)}.d.ts`), "utf8");
    const used = /Uses Azure REST API version ([\w-]+)/.exec(dts)?.[1];
    expect([type, rulesOf(type)!.apiVersion]).toEqual([type, used]);
  }
});
