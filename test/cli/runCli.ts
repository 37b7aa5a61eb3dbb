import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root: the shipped Pulumi.yaml and stack files live here. */
export const ROOT = path.resolve(__dirname, "../..");
/** Pinned clock: rotation windows and expiry dates are reproducible. */
export const NOW = "2026-12-15T12:00:00Z";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/mlvault.js <args>` as a real process from the repository root, as a user would. */
export function runCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, MLVAULT_NOW: NOW };
  delete env.MLVAULT_DEBUG; // the no-stack-trace assertions hold for the default, not the debug mode
  // Jest's workers inherit FORCE_COLOR from a colour terminal: output must not depend on who launched the tests.
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  Object.assign(env, extraEnv);
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "mlvault.js"), ...args], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mlvault-${prefix}-`));
}

/** A project folder holding only Pulumi.yaml: enough for every failure that happens before the program runs. */
export function configOnlyProject(): string {
  const dir = tempDir("config-only");
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  return dir;
}

/** Everything `plan` needs to run the real program from another folder, linked (not copied) to the repository. */
const PROGRAM_ENTRIES = ["Pulumi.yaml", "index.ts", "change", "components", "config", "engine", "policies", "bin", "cli", "report", "package.json", "node_modules"];

/** A project folder that runs the real program, so a temp stack file can be planned end to end. */
export function linkedProject(): string {
  const dir = tempDir("linked");
  for (const entry of PROGRAM_ENTRIES) fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  return dir;
}

/** Lines that look like a JavaScript stack frame. */
export function stackFrames(text: string): string[] {
  return text.split("\n").filter((l) => /^\s+at /.test(l));
}
