/**
 * `npm run bench`: plan time, memory, policy cost and deployment critical path for synthetic stacks of 1, 10, 100
 * and 300 projects (and the shipped dev stack), against the targets of issue 5. See docs/performance.md.
 *
 *   npm run bench -- [--sizes 1,10,100,300] [--runs 5] [--runs-large 3] [--parallel 8] [--with-npm-test]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CAN_SAMPLE_MEMORY, coldPlan, type ColdRun } from "./coldPlan";
import type { PhaseReport } from "./phases";
import { programLoadCosts } from "./realPath";
import { ROOT, syntheticProjectDir } from "./stack";

interface Options {
  sizes: number[];
  runs: number;
  runsLarge: number;
  parallel: number;
  withNpmTest: boolean;
}

/** Pulumi's default `--parallel` since v3.100 (pulumi/pulumi#15016): 4 × the CPUs of the machine running `pulumi up`. */
const CI_CPUS = 2;
const DEFAULT_PARALLEL = 4 * CI_CPUS;

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [1, 10, 100, 300], runs: 5, runsLarge: 3, parallel: DEFAULT_PARALLEL, withNpmTest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i] ?? "";
    if (a === "--sizes") o.sizes = next().split(",").map(Number);
    else if (a === "--runs") o.runs = Number(next());
    else if (a === "--runs-large") o.runsLarge = Number(next());
    else if (a === "--parallel") o.parallel = Number(next());
    else if (a === "--with-npm-test") o.withNpmTest = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 1) || !(o.runs >= 1) || !(o.runsLarge >= 1) || !(o.parallel >= 1)) {
    throw new Error("usage: npm run bench -- [--sizes 1,10,100,300] [--runs 5] [--runs-large 3] [--parallel 8] [--with-npm-test]");
  }
  return o;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function phases(dir: string, stack: string, parallel: number): PhaseReport {
  const r = spawnSync(process.execPath, [path.join(__dirname, "run.js"), "phases", dir, stack, String(parallel)], {
    cwd: dir, encoding: "utf8", maxBuffer: 16 * 1024 * 1024, env: { ...process.env, MLVAULT_NOW: process.env.MLVAULT_NOW ?? "2026-12-15T12:00:00Z" },
  });
  if (r.status !== 0) throw new Error(`phases ${stack} failed: ${(r.stderr || "").trim().split("\n").pop()}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as PhaseReport;
}

interface Row {
  label: string;
  projects: number;
  runs: ColdRun[];
  phase: PhaseReport;
}

const s1 = (ms: number) => (ms / 1000).toFixed(2);
const pct = (a: number, b: number) => (b === 0 ? "0%" : `${(((a - b) / b) * 100).toFixed(1)}%`);

function printTable(rows: Row[]): void {
  const header = ["stack", "resources", "plan median s (runs)", "min-max s", "peak RSS MiB", "program s", "pack boot s", "Analyze s (calls)", "AnalyzeStack s", "policy ms/res"];
  const lines = rows.map((r) => {
    const walls = r.runs.map((x) => x.wallMs);
    return [
      r.label, String(r.phase.resources), `${s1(median(walls))} (${r.runs.length})`, `${s1(Math.min(...walls))}-${s1(Math.max(...walls))}`,
      CAN_SAMPLE_MEMORY ? Math.max(...r.runs.map((x) => x.peakTreeRssMiB)).toFixed(0) : "n/a",
      s1(r.phase.programMs), s1(r.phase.packBootMs), `${s1(r.phase.analyzePhaseMs)} (${r.phase.analyzeCalls})`, s1(r.phase.analyzeStackMs),
      r.phase.policyMsPerResource.toFixed(2),
    ];
  });
  table(header, lines);
  console.log("");
  const p = rows[0]?.phase.deploy.parallel;
  const dheader = ["stack", "stack chain s (ideal)", "project chain max s (ideal)", "median", "cross-project waits", `up s @${p} (ideal)`, "vs ideal", "up s unbounded (ideal)", "vs ideal"];
  table(dheader, rows.map((r) => {
    const d = r.phase.deploy;
    return [
      r.label, `${d.stackChain} (${d.idealStackChain})`, `${d.projectChainMax} (${d.idealProjectChainMax})`, String(d.projectChainMedian), String(d.crossProjectWaits),
      `${d.upDefault} (${d.upIdeal})`, pct(d.upDefault, d.upIdeal), `${d.upUnbounded} (${d.upIdealUnbounded})`, pct(d.upUnbounded, d.upIdealUnbounded),
    ];
  }));
  const worst = rows[rows.length - 1];
  if (worst) console.log(`\nCritical path (${worst.label}, recorded dependencies): ${worst.phase.deploy.stackChainTypes.join(" → ")}`);
}

function table(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(fmt(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(fmt(l));
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "phases") {
    const { measurePhases } = require("./phases") as typeof import("./phases");
    console.log(JSON.stringify(await measurePhases(argv[1], argv[2], Number(argv[3]))));
    return 0;
  }
  const o = parseArgs(argv);
  const stacks: Record<string, { count: number; environment: "dev" | "prod" }> = {};
  for (const n of o.sizes) stacks[`bench${n}`] = { count: n, environment: "dev" };
  const dir = syntheticProjectDir(stacks);
  fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
  console.log(`mlvault bench: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load ${os.loadavg()[0].toFixed(2)}; project dir ${dir}`);
  console.log(`memory: ${CAN_SAMPLE_MEMORY ? "peak of the summed VmRSS of the CLI and its policy-pack child, sampled from /proc every 10 ms" : "not measured (no /proc)"}`);

  const rows: Row[] = [];
  const measure = async (label: string, stack: string, projects: number, runs: number) => {
    await coldPlan(dir, stack); // warm the OS file cache and the transpile cache; not counted
    const results: ColdRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await coldPlan(dir, stack));
    const row = { label, projects, runs: results, phase: phases(dir, stack, o.parallel) };
    rows.push(row);
    process.stderr.write(`  ${label}: median ${s1(median(results.map((r) => r.wallMs)))} s\n`);
    return row;
  };
  const dev = await measure("plan dev", "dev", 1, o.runs);
  const bySize = new Map<number, Row>();
  for (const n of o.sizes) bySize.set(n, await measure(`${n} projects`, `bench${n}`, n, n >= 100 ? o.runsLarge : o.runs));

  console.log("");
  printTable(rows);

  // The real CLI path: loading the program as `pulumi up` starts it (three runs each; the type-checked one is slow).
  const loads = programLoadCosts(3);
  console.log("\nProgram load under the Pulumi CLI (median of 3 fresh processes):");
  for (const l of loads) console.log(`  ${l.label.padEnd(42)} ${s1(l.ms).padStart(6)} s  ${l.maxRssMiB.toFixed(0).padStart(5)} MiB peak`);

  let npmTestMs: number | undefined;
  if (o.withNpmTest) {
    const t = Date.now();
    const r = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, stdio: "ignore" });
    npmTestMs = r.status === 0 ? Date.now() - t : NaN;
  }

  console.log("\nTargets (2-core machine):");
  const verdicts: boolean[] = [];
  const verdict = (ok: boolean | undefined, text: string) => {
    if (ok !== undefined) verdicts.push(ok);
    console.log(`  ${ok === undefined ? "SKIP" : ok ? "PASS" : "FAIL"}  ${text}`);
  };
  const med = (r: Row | undefined) => (r ? median(r.runs.map((x) => x.wallMs)) : undefined);
  const devMs = med(dev)!;
  verdict(devMs < 2000, `plan dev median ${s1(devMs)} s < 2 s`);
  const m100 = med(bySize.get(100));
  const m300 = med(bySize.get(300));
  verdict(m100 === undefined ? undefined : m100 < 10_000, `100 projects ${m100 === undefined ? "not run" : s1(m100) + " s"} < 10 s`);
  verdict(m100 === undefined || m300 === undefined ? undefined : m300 <= 3.3 * m100,
    `300 projects within 3.3x of 100: ${m100 && m300 ? (m300 / m100).toFixed(2) + "x" : "not run"}`);
  const rss300 = bySize.get(300) && Math.max(...bySize.get(300)!.runs.map((x) => x.peakTreeRssMiB));
  verdict(rss300 === undefined || !CAN_SAMPLE_MEMORY ? undefined : rss300 < 1024, `peak memory at 300 projects ${rss300 === undefined ? "not run" : rss300.toFixed(0) + " MiB"} < 1024 MiB`);
  for (const r of rows) {
    const d = r.phase.deploy;
    verdict(d.upDefault <= 1.1 * d.upIdeal && d.upUnbounded <= 1.1 * d.upIdealUnbounded && d.crossProjectWaits === 0,
      `${r.label}: simulated pulumi up within 10% of ideal (@${d.parallel}: ${pct(d.upDefault, d.upIdeal)}, unbounded: ${pct(d.upUnbounded, d.upIdealUnbounded)}, cross-project waits ${d.crossProjectWaits})`);
  }
  verdict(loads[1].ms < 2000 && loads[1].ms < loads[0].ms / 5, `the real CLI path loads the program in ${s1(loads[1].ms)} s (type-checked ts-node: ${s1(loads[0].ms)} s) < 2 s`);
  verdict(npmTestMs === undefined ? undefined : npmTestMs < 90_000, `npm test ${npmTestMs === undefined ? "not run (pass --with-npm-test)" : s1(npmTestMs) + " s"} < 90 s`);
  fs.rmSync(dir, { recursive: true, force: true });
  return verdicts.every(Boolean) ? 0 : 1;
}
