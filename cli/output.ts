import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/**
 * Writes a report to a file, or to stdout for "-". A target that cannot be written (a directory, a path through a
 * file, no permission) is one `error:` line and exit 2; the file is replaced whole (written beside it, then renamed),
 * so a failure never leaves half a report.
 */
export function writeOutput(target: string, content: string, announce = true): void {
  const text = content.endsWith("\n") ? content : content + "\n";
  if (target === "-") {
    process.stdout.write(text);
    return;
  }
  const file = path.resolve(target);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError([`error: ${target}: is a directory; name a file to write`]);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new UsageError([`error: ${target}: cannot be written (${(e as NodeJS.ErrnoException).code ?? "write error"})`]);
  }
  // On stderr: stdout may be a report someone pipes, and a person still sees where each file went.
  if (announce) process.stderr.write(`wrote ${target}\n`);
}

/**
 * Writes `name` inside `dir` and nowhere else: a name that would resolve outside it (`..`, an absolute path, a
 * symlinked folder leading out) is refused. Returns the file written.
 */
export function writeInside(dir: string, name: string, content: string): string {
  const root = path.resolve(dir);
  const file = path.resolve(root, name);
  const relative = path.relative(root, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new UsageError([`error: ${name}: would be written outside ${dir}; refused`]);
  }
  fs.mkdirSync(root, { recursive: true });
  const realRoot = fs.realpathSync(root);
  const realParent = fs.realpathSync(fs.existsSync(path.dirname(file)) ? path.dirname(file) : root);
  if (path.relative(realRoot, realParent).startsWith("..") || (fs.existsSync(file) && fs.lstatSync(file).isSymbolicLink())) {
    throw new UsageError([`error: ${name}: would be written through a link outside ${dir}; refused`]);
  }
  writeOutput(file, content, false); // the caller says what it wrote, in its own words
  return file;
}

/**
 * Human output goes to stderr when a machine-readable report claims stdout. Only one report may: two documents on
 * one stream parse as neither.
 */
export function humanStream(targets: Record<string, string | undefined>): NodeJS.WriteStream {
  const onStdout = Object.entries(targets).filter(([, t]) => t === "-").map(([flag]) => flag);
  if (onStdout.length > 1) throw new UsageError([`error: ${onStdout.join(" and ")} both write to stdout ('-'); send all but one to a file`]);
  return onStdout.length === 1 ? process.stderr : process.stdout;
}
