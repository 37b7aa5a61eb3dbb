/**
 * `node bin/mlvault.js plan <stack>` as a cold process, as a user runs it: wall time and the peak resident memory
 * of the whole process tree (the CLI and the policy-pack process it starts), sampled from /proc every 10 ms.
 * The tree's sum matters: both processes are alive at once during the policy evaluation.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./stack";

export interface ColdRun {
  wallMs: number;
  /** Highest sampled sum of VmRSS over the CLI and its descendants, in MiB. */
  peakTreeRssMiB: number;
  exitCode: number | null;
}

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  try {
    const out: number[] = [];
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
    return out;
  } catch {
    return [];
  }
}

function treeRssKiB(root: number): number {
  let sum = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    sum += rssKiB(pid);
    stack.push(...childrenOf(pid));
  }
  return sum;
}

export const CAN_SAMPLE_MEMORY = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

export function coldPlan(dir: string, stack: string): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "mlvault.js"), "plan", stack], {
      cwd: dir,
      env: { ...process.env, MLVAULT_NOW: process.env.MLVAULT_NOW ?? "2026-12-15T12:00:00Z" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    let peak = 0;
    const sample = () => {
      if (child.pid) peak = Math.max(peak, treeRssKiB(child.pid));
    };
    const timer = CAN_SAMPLE_MEMORY ? setInterval(sample, 10) : undefined;
    child.on("error", reject);
    child.on("exit", (code) => {
      if (timer) clearInterval(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      // 0 clean, 1 mandatory violations (dev stacks have advisory ones only): anything else is a failed run.
      if (code !== 0 && code !== 1) return reject(new Error(`plan ${stack} exited ${code}: ${stderr.trim().split("\n").pop()}`));
      resolve({ wallMs, peakTreeRssMiB: peak / 1024, exitCode: code });
    });
  });
}
