/**
 * The real CLI path: what loading the program costs when `pulumi up` / `pulumi preview` starts it. Measured in a fresh
 * Node process each time, as the Pulumi CLI starts one:
 * - `ts-node, type-checked`: what @pulumi/pulumi's cmd/run does for `runtime.options.typescript: true` (the project's
 *   TypeScript with the SDK's vendored ts-node, type-checking on, the tsconfig's options), with an empty ts-node cache
 *   as on a fresh CI runner;
 * - `bin/program.js`: what mlvault's Pulumi.yaml runs (`main: bin/program.js`, `typescript: false`): the
 *   transpile-only hook, then index.ts.
 */
import { spawnSync } from "child_process";
import { ROOT } from "./stack";

export interface LoadCost { label: string; ms: number; maxRssMiB: number }

const TSNODE = `
const path = require("path");
const t0 = process.hrtime.bigint();
const tsutils = require("@pulumi/pulumi/tsutils");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(path.resolve("tsconfig.json"));
// A fresh cache, as on a CI runner: ts-node 7 otherwise reuses compiled output from an earlier run in os.tmpdir().
const cacheDirectory = require("fs").mkdtempSync(path.join(require("os").tmpdir(), "mlvault-bench-tsnode-"));
require(tsnodeRequire).register({ compiler: typescriptRequire, transpileOnly: undefined, project: path.resolve("tsconfig.json"), skipProject: false, cacheDirectory,
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions } });
const program = require(path.resolve("index.ts"));
require("fs").rmSync(cacheDirectory, { recursive: true, force: true });
if (typeof program !== "function") throw new Error("index.ts exports no program");
console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

const FAST = `
const path = require("path");
const t0 = process.hrtime.bigint();
const program = require(path.resolve("bin/program.js"));
if (typeof program !== "function") throw new Error("bin/program.js exports no program");
console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

function once(code: string): { ms: number; maxRssMiB: number } {
  const r = spawnSync(process.execPath, ["-e", code], { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`program load failed: ${(r.stderr || "").trim().split("\n").pop()}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median wall time and peak memory of loading the program, `runs` times each way. */
export function programLoadCosts(runs: number): LoadCost[] {
  return [["ts-node, type-checked (typescript: true)", TSNODE], ["bin/program.js (mlvault's Pulumi.yaml)", FAST]].map(([label, code]) => {
    const results = Array.from({ length: runs }, () => once(code));
    return { label, ms: medianOf(results.map((r) => r.ms)), maxRssMiB: Math.max(...results.map((r) => r.maxRssMiB)) };
  });
}
