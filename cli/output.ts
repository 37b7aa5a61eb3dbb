import * as fs from "fs";
import * as path from "path";

/** Writes a report to a file, or to stdout for "-". */
export function writeOutput(target: string, content: string): void {
  if (target === "-") {
    process.stdout.write(content.endsWith("\n") ? content : content + "\n");
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  fs.writeFileSync(target, content.endsWith("\n") ? content : content + "\n");
}

/** Human output goes to stderr when a machine-readable report claims stdout. */
export function humanStream(targets: (string | undefined)[]): NodeJS.WriteStream {
  return targets.includes("-") ? process.stderr : process.stdout;
}
