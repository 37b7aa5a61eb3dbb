/**
 * Boots a policy pack the way the Pulumi CLI boots a Node.js pack (NewPolicyAnalyzer in
 * sdk/go/common/resource/plugin/analyzer_plugin.go, via the `pulumi-analyzer-policy` shim):
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> .` with the pack directory as cwd,
 * `@pulumi/pulumi` resolved from the pack (so its own copy serves), the parent environment plus
 * PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN} and PULUMI_{…}, and the gRPC port read from
 * the first line of stdout.
 *
 * The engine address: run-policy-pack shifts it off argv and never dials it, and the CLI does not
 * set PULUMI_NODEJS_ENGINE for policy packs, so nothing connects to it (a policy's `pulumi.log`
 * goes to stderr). We pass a loopback placeholder rather than run an Engine service nobody calls.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** A pack that could not be started or died; the message is one line with the stderr tail. */
export class PolicyPackBootError extends Error {
  constructor(message: string, readonly childPid?: number) {
    super(message);
    this.name = "PolicyPackBootError";
  }
}

export interface PackProcessOptions {
  packDir: string;
  stack: string;
  project: string;
  organization?: string;
  dryRun: boolean;
  bootTimeoutMs: number;
  /** Scrubs secret plaintexts out of text that leaves this module. */
  scrub: (text: string) => string;
}

const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";
const TAIL_BYTES = 4096;

// Every child still alive is killed when this process exits, so a crash never leaves an orphan.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of liveChildren) c.kill("SIGKILL");
    });
  }
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
}

/** Path of run-policy-pack from the pack's own `@pulumi/pulumi`, as the shim resolves it. */
export function resolveRunPolicyPack(packDir: string): string {
  try {
    const pulumiEntry = require.resolve("@pulumi/pulumi", { paths: [packDir] });
    return path.join(path.dirname(pulumiEntry), "cmd", "run-policy-pack");
  } catch {
    throw new PolicyPackBootError(
      `policy pack ${packDir} failed to start: @pulumi/pulumi is not installed for it (run npm install)`,
    );
  }
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching the ESC that starts an ANSI colour code is the point
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/** The informative part of a pack's stderr on one line: no stack frames, no colour codes. */
export function summarizeStderr(stderr: string): string {
  const lines = stripAnsi(stderr)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^at\s/.test(l));
  return lines.slice(-4).join(" | ").slice(-600);
}

export class PackProcess {
  private stderrTail = "";
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    readonly child: ChildProcess,
    private readonly opts: PackProcessOptions,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-TAIL_BYTES);
    });
    child.once("exit", (code, signal) => {
      this.exited = { code, signal };
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited !== null;
  }

  /** One line that says why the pack failed, safe to print. */
  describeFailure(what: string): string {
    const status = this.exited
      ? this.exited.code !== null ? ` (exit code ${this.exited.code})` : ` (killed by ${this.exited.signal})`
      : "";
    const tail = summarizeStderr(this.stderrTail);
    return this.opts.scrub(`policy pack ${this.opts.packDir} ${what}${status}${tail ? `: ${tail}` : ""}`);
  }

  /** Starts the pack and resolves with its gRPC address once it printed its port. */
  static async start(opts: PackProcessOptions): Promise<{ proc: PackProcess; address: string }> {
    const packDir = path.resolve(opts.packDir);
    if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
      throw new PolicyPackBootError(`policy pack ${packDir} failed to start: no PulumiPolicy.yaml in that directory`);
    }
    const script = resolveRunPolicyPack(packDir);
    const env: NodeJS.ProcessEnv = { ...process.env };
    const set = (k: string, v: string | undefined) => {
      if (v) env[k] = v;
    };
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
      set(`${prefix}ORGANIZATION`, opts.organization);
      set(`${prefix}PROJECT`, opts.project);
      set(`${prefix}STACK`, opts.stack);
      set(`${prefix}DRY_RUN`, String(opts.dryRun));
    }
    const child = spawn(process.execPath, [script, ENGINE_ADDRESS_PLACEHOLDER, "."], {
      cwd: packDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    trackChild(child);
    const proc = new PackProcess(child, { ...opts, packDir });

    try {
      const port = await proc.readPort(opts.bootTimeoutMs);
      return { proc, address: `127.0.0.1:${port}` };
    } catch (e) {
      await proc.kill();
      throw e;
    }
  }

  private readPort(timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let stdout = "";
      const onData = (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        const nl = stdout.indexOf("\n");
        if (nl < 0) return;
        done();
        const first = stdout.slice(0, nl).trim();
        const port = Number(first);
        if (Number.isInteger(port) && port > 0 && port < 65536) resolve(port);
        else reject(new PolicyPackBootError(this.describeFailure("printed no gRPC port on its first stdout line")));
      };
      const onExit = () => {
        done();
        // Give the stderr pipe a moment to flush its last chunk before describing the failure.
        setImmediate(() => reject(new PolicyPackBootError(this.describeFailure("failed to start"), this.pid)));
      };
      const onError = (err: Error) => {
        done();
        reject(new PolicyPackBootError(this.opts.scrub(`policy pack ${this.opts.packDir} failed to start: ${err.message}`), this.pid));
      };
      const timer = setTimeout(() => {
        done();
        reject(new PolicyPackBootError(this.describeFailure(`did not start within ${timeoutMs} ms`), this.pid));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.child.stdout?.off("data", onData);
        this.child.off("close", onExit);
        this.child.off("error", onError);
        // Keep draining stdout so a chatty policy can never block on a full pipe.
        this.child.stdout?.resume();
      };
      this.child.stdout?.on("data", onData);
      this.child.once("close", onExit);
      this.child.once("error", onError);
    });
  }

  /** Resolves when the pack has exited (stdio closed), or after `ms` if it is still running. */
  waitForExit(ms: number): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.child.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Kills the pack and waits until it is gone. Safe to call more than once. */
  async kill(): Promise<void> {
    if (this.exited || this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill("SIGKILL");
    });
  }
}
