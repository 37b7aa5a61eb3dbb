/**
 * Issue 10: the same verdicts everywhere. `mlvault plan` and `pulumi preview --policy-pack policies
 * --policy-pack-config <file>` must agree for stacks whose own config changes what the pack should accept. The
 * workflows hand `pulumi` the file `mlvault policy-config <stack>` writes; here the pack is driven exactly as the
 * Pulumi CLI drives it (run-policy-pack, ConfigureStack, Configure with that file's content, Analyze, AnalyzeStack)
 * and its verdicts are compared with `mlvault plan --json` for the same stack.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { readStackFile } from "../../config/stackFile";
import { evaluatePolicyPack } from "../../engine/analyzer";
import type { Violation } from "../../engine/types";
import { NOW, runConfig } from "../helpers/program";
import { linkedProject, ROOT, runCli } from "./runCli";

const verdicts = (vs: Violation[]) => vs.map((v) => `${v.enforcementLevel} ${v.policy} ${v.urn}`).sort();

function variant(dir: string, stack: string, from: string, edit: (platform: Record<string, any>) => void): void {
  const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${from}.yaml`), "utf8"));
  edit(doc.config["mlvault:platform"]);
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), JSON.stringify(doc));
}

describe.each([
  ["an access-policy stack", "accesspolicy", "dev", (p: Record<string, any>) => (p.vaultAccessModel = "accessPolicy")],
  ["a stack that does not own Defender", "nodefender", "prod", (p: Record<string, any>) => (p.manageDefender = false)],
])("%s", (_name, stack, from, edit) => {
  let dir: string;
  beforeAll(() => {
    dir = linkedProject();
    variant(dir, stack, from, edit);
  });

  test("the pack, configured from `mlvault policy-config`, gives exactly the verdicts of `mlvault plan`", async () => {
    const configFile = path.join(dir, `policy-config-${stack}.json`);
    const written = runCli(["policy-config", stack, "-C", dir, "--json-file", configFile]);
    expect(written.status).toBe(0);
    const config = JSON.parse(fs.readFileSync(configFile, "utf8"));

    const planned = runCli(["plan", stack, "-C", dir, "--json", "-"]);
    expect(planned.status).toBe(0);
    const planVerdicts = verdicts(JSON.parse(planned.stdout).violations);

    const file = readStackFile(dir, stack);
    const { records } = await runConfig(file.config, { stack, secretKeys: file.secretKeys, now: NOW });
    const previous = process.env.MLVAULT_NOW;
    process.env.MLVAULT_NOW = NOW;
    try {
      const evaluation = await evaluatePolicyPack(records, { packDir: path.join(ROOT, "policies"), config, stack, project: "mlvault", dryRun: false });
      expect(verdicts(evaluation.violations)).toEqual(planVerdicts);
    } finally {
      if (previous === undefined) delete process.env.MLVAULT_NOW;
      else process.env.MLVAULT_NOW = previous;
    }
  }, 90_000);

  test("without the stack's settings (the environment file alone) the verdicts differ: the file is what makes them agree", async () => {
    const file = readStackFile(dir, stack);
    const { records } = await runConfig(file.config, { stack, secretKeys: file.secretKeys, now: NOW });
    const envOnly = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${from}.json`), "utf8"));
    const evaluation = await evaluatePolicyPack(records, { packDir: path.join(ROOT, "policies"), config: envOnly, stack, project: "mlvault", dryRun: false });
    const mandatory = evaluation.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy);
    expect(mandatory).toEqual(expect.arrayContaining([stack === "accesspolicy" ? "kv-04-rbac-authorization" : "kv-09-defender-for-key-vault"]));
  }, 90_000);
});
