import * as path from "path";
import { encodeConfigMap } from "../config/fromPulumi";
import { readStackFile, StackFileError, type StackFile } from "../config/stackFile";
import { ConfigError, formatIssue, validateStackConfig, type StackConfig } from "../config/validate";
import { runProgram, type ProgramResult } from "../engine/runProgram";
import { stacksIn } from "./args";
import { UsageError } from "./errors";

/** A stack file read and validated: what every command that plans a stack starts from. */
export interface LoadedStack {
  /** Absolute project folder (holds Pulumi.yaml). */
  dir: string;
  stack: string;
  file: StackFile;
  config: StackConfig;
}

/**
 * Reads and validates `Pulumi.<stack>.yaml`. An invalid config or a missing/broken file is a UsageError (exit 2)
 * with one `error:` line per problem, each naming its key; nothing is run from an invalid config.
 */
export function loadStack(cwd: string, stack: string): LoadedStack {
  const dir = path.resolve(cwd);
  try {
    const file = readStackFile(dir, stack);
    return { dir, stack, file, config: validateStackConfig(file.config, { stack, plaintextSecretValues: file.plaintextSecretValues }) };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.issues.map((i) => `error: Pulumi.${stack}.yaml: ${formatIssue(i)}`));
    if (e instanceof StackFileError) {
      // An unknown stack: say which stacks this project has.
      const known = /no such stack file/.test(e.message) ? stacksIn(dir) : [];
      const hint = /no such stack file/.test(e.message) ? ` (stacks in ${dir}: ${known.length > 0 ? known.join(", ") : "none"})` : "";
      throw new UsageError([`error: ${e.message}${hint}`]);
    }
    throw e;
  }
}

/** Runs the real program of a loaded stack under the offline engine (no cloud, no Pulumi CLI). */
export function planStack(loaded: LoadedStack, opts: { preview: boolean; onRegister?: (count: number) => void }): Promise<ProgramResult> {
  return runProgram({
    programDir: loaded.dir,
    project: loaded.file.project,
    stack: loaded.stack,
    config: encodeConfigMap(loaded.file.config),
    secretKeys: loaded.file.secretKeys,
    preview: opts.preview,
    onRegister: opts.onRegister,
  });
}
