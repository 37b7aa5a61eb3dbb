/**
 * The tree and the findings as a person reads them: Pulumi's type simplification, columns fitted to the terminal,
 * colour only where it is wanted (NO_COLOR / FORCE_COLOR, https://no-color.org), prose wrapped, --summary.
 */
import type { ResourceRecord, Violation } from "../../engine/types";
import { displayOf, paint, truncate, wrap } from "../../report/terminal";
import { renderTree, renderViolations, simplifyType } from "../../report/tree";

function record(type: string, name: string, parent: string | null, custom = true): ResourceRecord {
  return { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, parent, custom, protect: false } as ResourceRecord;
}

const stack = record("pulumi:pulumi:Stack", "p-dev", null, false);
const records = [
  stack,
  record("azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential", "fraud-identity-federated-github-actions-main", stack.urn),
  record("azure-native:keyvault:Vault", "fraud-keyvault-vault", stack.urn),
];
const violation: Violation = {
  policy: "kv-02-purge-protection", controls: ["KV-02"], enforcementLevel: "mandatory", urn: records[2].urn,
  message: "KV-02: Key Vaults have purge protection enabled.\nKV-02: enablePurgeProtection is missing; set properties.enablePurgeProtection to true (Azure rejects an explicit false: omit it where it must stay off).",
} as Violation;
const advisory: Violation = { ...violation, policy: "kv-05-public-network-disabled", controls: ["KV-05"], enforcementLevel: "advisory" } as Violation;

describe("Pulumi's type simplification", () => {
  test.each([
    ["azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential", "azuread:index:ApplicationFederatedIdentityCredential"],
    ["random:index/randomPassword:RandomPassword", "random:index:RandomPassword"],
    ["time:index/sleep:Sleep", "time:index:Sleep"],
    ["azure-native:keyvault:Vault", "azure-native:keyvault:Vault"],
    ["pulumi:pulumi:Stack", "pulumi:pulumi:Stack"],
    ["aws:s3/bucket:BucketV2", "aws:s3/bucket:BucketV2"],
  ])("%s reads %s", (type, shown) => expect(simplifyType(type)).toBe(shown));
});

describe("the tree fits the display", () => {
  test.each([40, 60, 80, 120])("at %i columns no line is longer (a wide display shows every cell whole)", (width) => {
    const tree = renderTree(records, "title", { display: { width, color: false } });
    for (const line of tree.split("\n")) expect(line.length).toBeLessThanOrEqual(Math.max(width, 60));
    if (width >= 120) {
      expect(tree).toContain("azuread:index:ApplicationFederatedIdentityCredential");
      expect(tree).toContain("fraud-identity-federated-github-actions-main");
    }
  });

  test("at 80 columns the long type and name are cut with …, the short ones stay whole", () => {
    const tree = renderTree(records, "title", { display: { width: 80, color: false } });
    expect(tree).toMatch(/azuread:index:ApplicationFed\S*…/);
    expect(tree).toMatch(/fraud-identity-federated\S*…/);
    expect(tree).toContain("azure-native:keyvault:Vault ");
    expect(tree).toContain("fraud-keyvault-vault ");
  });

  test("--summary keeps the title and the counts, no rows", () => {
    const tree = renderTree(records, "title", { summaryOnly: true });
    expect(tree).toBe("title\n\nResources:\n    + 3 to create (2 cloud resources, 1 components)");
  });
});

describe("colour", () => {
  const tty = { isTTY: true, columns: 100 };
  const pipe = { isTTY: false };
  test.each([
    ["a terminal", tty, {}, true, 100],
    ["a pipe", pipe, {}, false, 80],
    ["a terminal with NO_COLOR", tty, { NO_COLOR: "1" }, false, 100],
    ["a pipe with FORCE_COLOR", pipe, { FORCE_COLOR: "1" }, true, 80],
    ["FORCE_COLOR=0 on a terminal", tty, { FORCE_COLOR: "0" }, false, 100],
    ["NO_COLOR beats FORCE_COLOR", pipe, { NO_COLOR: "1", FORCE_COLOR: "1" }, false, 80],
    ["an empty NO_COLOR is not set (no-color.org)", tty, { NO_COLOR: "" }, true, 100],
    ["a dumb terminal", tty, { TERM: "dumb" }, false, 100],
  ])("%s", (_name, stream, env, color, width) => expect(displayOf(stream, env as NodeJS.ProcessEnv)).toEqual({ color, width }));

  test("mandatory findings are red, advisories yellow; without colour there is no escape code at all", () => {
    const coloured = renderViolations([violation, advisory], undefined, { display: { width: 80, color: true } });
    expect(coloured).toContain("\u001b[31m[mandatory]\u001b[0m");
    expect(coloured).toContain("\u001b[33m[advisory]\u001b[0m");
    expect(coloured).toContain("\u001b[31mmandatory (1)\u001b[0m");
    const plain = renderViolations([violation, advisory], undefined, { display: { width: 80, color: false } });
    expect(plain).not.toContain("\u001b[");
    expect(paint({ color: true }, "red", "")).toBe("");
  });

  test("created rows are green as in pulumi preview", () => {
    expect(renderTree(records, "t", { display: { width: 80, color: true } })).toContain("\u001b[32m +   pulumi:pulumi:Stack");
  });
});

describe("prose fits too", () => {
  test("a finding's message wraps at the display's width; --summary drops it", () => {
    const text = renderViolations([violation], () => `Pulumi.dev.yaml:21 projects[0]`, { display: { width: 60, color: false } });
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    expect(text.replace(/\s+/g, " ")).toContain("set properties.enablePurgeProtection to true (Azure rejects an explicit false");
    const summary = renderViolations([violation], () => "Pulumi.dev.yaml:21 projects[0]", { summaryOnly: true });
    expect(summary).toContain("from Pulumi.dev.yaml:21 projects[0]");
    expect(summary).not.toContain("enablePurgeProtection");
  });

  test("wrap and truncate", () => {
    expect(wrap("aaa bbb ccc", 27, "      ")).toEqual(["      aaa bbb ccc"]);
    expect(wrap("a ".repeat(30).trim(), 26, "  ")).toEqual(["  a a a a a a a a a a a a", "  a a a a a a a a a a a a", "  a a a a a a"]);
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });
});
