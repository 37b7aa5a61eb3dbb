import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/** Writes a report to a file, or to stdout for "-". */
export function writeOutput(target: string, content: string): void {
  if (target === "-") {
    process.stdout.write(content.endsWith("\n") ? content : content + "\n");
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  fs.writeFileSync(target, content.endsWith("\n") ? content : content + "\n");
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
