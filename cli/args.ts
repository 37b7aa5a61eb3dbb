/**
 * Pulumi's command-line habits, in one place for every command: the stack as a positional or `-s/--stack`
 * (`org/project/stack` too, or a stack file's path), report flags that write to stdout when given alone and to a file
 * through `--<name>-file`, and the project folder found from the current one upward, as the Pulumi CLI finds
 * Pulumi.yaml.
 */
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/** Report flags: `--json` writes to stdout, `--json-file <f>` to a file (same for SARIF and the graph). */
export const REPORT_FLAGS = ["--json", "--sarif", "--graph"] as const;

/**
 * The form earlier versions took, `--json <file>`: it keeps working when the value can only be a file (a path or a
 * name with an extension, or "-"), with a warning naming the new flag; `plan --json dev prod` is never read as
 * "write dev". Returns the arguments rewritten and the warnings.
 */
export function legacyReportFlags(argv: string[]): { argv: string[]; warnings: string[] } {
  const out: string[] = [];
  const warnings: string[] = [];
  const looksLikeFile = (v: string) => (/[/\\]/.test(v) || /\.[A-Za-z0-9]+$/.test(v)) && !/\.ya?ml$/i.test(v);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if ((REPORT_FLAGS as readonly string[]).includes(a) && next !== undefined) {
      if (next === "-") {
        out.push(a); // the old "--json -": stdout, which --json alone now means
        i++;
        continue;
      }
      if (!next.startsWith("-") && looksLikeFile(next)) {
        out.push(`${a}-file`, next);
        warnings.push(`warning: ${a} <file> is the old form: use ${a}-file ${next} (${a} alone writes to stdout)`);
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return { argv: out, warnings };
}

export interface ResolvedStack {
  stack: string;
  /** The project folder (holds Pulumi.yaml). */
  dir: string;
}

/**
 * The stack a command works on, from the positional argument or `-s/--stack`, and the project folder. Accepts
 * `stack`, `org/project/stack` (the project must be this folder's) and a stack file path (`Pulumi.dev.yaml`, or
 * `infra/Pulumi.dev.yaml`, whose folder becomes the project folder).
 */
export function resolveStack(positional: string | undefined, flag: string | undefined, cwd: string): ResolvedStack {
  if (positional && flag && positional !== flag) {
    throw new UsageError([`error: two stacks given: "${positional}" and -s "${flag}"; name one`]);
  }
  const given = positional ?? flag;
  if (!given) throw new UsageError(["error: no stack: name it as an argument or with -s/--stack (e.g. mlvault plan dev)"]);
  const file = /^(?:.*[/\\])?Pulumi\.([^/\\]+)\.ya?ml$/.exec(given);
  if (file) {
    const dir = path.dirname(path.resolve(cwd, given));
    if (!fs.existsSync(path.resolve(cwd, given))) throw new UsageError([`error: ${given}: no such stack file`]);
    return { stack: file[1], dir: findProjectDir(dir) };
  }
  const dir = findProjectDir(cwd);
  const parts = given.split("/");
  if (parts.length === 1) return { stack: given, dir };
  if (parts.length !== 3 || parts.some((p) => p === "")) {
    throw new UsageError([`error: stack "${given}": use <stack> or <org>/<project>/<stack>`]);
  }
  const project = projectName(dir);
  if (project && parts[1] !== project) {
    throw new UsageError([`error: stack "${given}" belongs to project "${parts[1]}", but ${path.join(dir, "Pulumi.yaml")} is project "${project}"`]);
  }
  return { stack: parts[2], dir };
}

/** The nearest folder from `start` upward holding Pulumi.yaml (as the Pulumi CLI looks), or a UsageError naming where it looked. */
export function findProjectDir(start: string): string {
  const looked: string[] = [];
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    looked.push(dir);
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError([`error: no Pulumi.yaml in ${looked[0]} or any folder above it (looked in ${looked.length} folders, up to ${looked[looked.length - 1]}); run mlvault inside a Pulumi project or pass -C <dir>`]);
}

function projectName(dir: string): string | undefined {
  const text = fs.readFileSync(fs.existsSync(path.join(dir, "Pulumi.yaml")) ? path.join(dir, "Pulumi.yaml") : path.join(dir, "Pulumi.yml"), "utf8");
  return /^name:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
}

/** The stacks a project folder has (its Pulumi.<stack>.yaml files). */
export function stacksIn(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((f) => /^Pulumi\.([^.]+)\.ya?ml$/.exec(f)?.[1] ?? []).sort();
}
