/**
 * `pulumi policy publish` ships the pack folder alone: it must boot from `policies/` with its own declared
 * dependencies and compiled JavaScript, nothing from the repository around it. Here the folder is copied alone to a
 * temporary place, compiled (`npm run build:policies`), its dependencies installed there from its package.json, and
 * the pack booted with run-policy-pack exactly as the engine boots it; it must judge the shipped stacks as the
 * repository's pack does.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateStackConfig } from "../../config/validate";
import { readStackFile } from "../../config/stackFile";
import { evaluatePolicyPack } from "../../engine/analyzer";
import { effectivePolicyConfig } from "../../cli/policyRun";
import { NOW, ROOT, runStack } from "../helpers/program";

let packDir: string;

beforeAll(() => {
  packDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlvault-published-pack-"));
  fs.cpSync(path.join(ROOT, "policies"), packDir, { recursive: true, filter: (src) => !src.includes(`${path.sep}dist`) && !src.includes("node_modules") });
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "policies", "tsconfig.build.json"), "--outDir", path.join(packDir, "dist")], { stdio: "pipe" });
  // Its own dependencies, from its own package.json (the npm cache that `npm ci` filled makes this quick).
  const npm = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: packDir, encoding: "utf8", timeout: 300_000 });
  if (npm.status !== 0) throw new Error(`npm install in the pack folder failed: ${npm.stderr}`);
}, 360_000);

afterAll(() => fs.rmSync(packDir, { recursive: true, force: true }));

test("the compiled pack needs nothing outside its folder", () => {
  const files = fs.readdirSync(path.join(packDir, "dist"), { recursive: true }).map(String).filter((f) => f.endsWith(".js"));
  expect(files.length).toBeGreaterThan(10);
  for (const f of files) {
    const text = fs.readFileSync(path.join(packDir, "dist", f), "utf8");
    for (const m of text.matchAll(/require\("(\.[^"]+)"\)/g)) {
      const target = path.resolve(path.dirname(path.join(packDir, "dist", f)), m[1]);
      expect([f, target.startsWith(packDir)]).toEqual([f, true]);
    }
  }
  // The pack's dependencies resolve inside its folder, not from the repository.
  expect(require.resolve("@pulumi/policy", { paths: [packDir] }).startsWith(packDir)).toBe(true);
});

test.each(["dev", "prod"])("booted alone with run-policy-pack, it judges the shipped %s stack as the repository's pack does", async (stack) => {
  const { records } = await runStack(stack);
  const stackConfig = validateStackConfig(readStackFile(ROOT, stack).config);
  const config = await effectivePolicyConfig(ROOT, stackConfig, NOW);
  const run = { config, stack, project: "mlvault", dryRun: false };
  const previous = process.env.MLVAULT_NOW;
  process.env.MLVAULT_NOW = NOW;
  try {
    const published = await evaluatePolicyPack(records, { ...run, packDir });
    const local = await evaluatePolicyPack(records, { ...run, packDir: path.join(ROOT, "policies") });
    expect(published.policies.map((p) => p.name)).toEqual(local.policies.map((p) => p.name));
    expect(published.violations).toEqual(local.violations);
    expect(published.policies.length).toBeGreaterThanOrEqual(40);
  } finally {
    if (previous === undefined) delete process.env.MLVAULT_NOW;
    else process.env.MLVAULT_NOW = previous;
  }
}, 120_000);
