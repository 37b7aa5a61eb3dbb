import * as fs from "fs";
import * as path from "path";
import {
  addProjectToStackYaml, buildProjectEntry, checkOnboardedConfig, configSetCommand, OnboardError, PROJECTS_KEY,
  type OnboardInput, type ProjectEntry,
} from "../config/onboard";
import { parseStackFile, readStackFile, StackFileError } from "../config/stackFile";
import { formatIssue } from "../config/validate";
import { EXIT, UsageError } from "./errors";
import { dateRuleFindings, inFlagTerms, type DateFinding, type OnboardFlags } from "./onboardChecks";
import { policyConfigFile, readPolicyConfig } from "./policyRun";

export interface OnboardOptions extends Omit<OnboardInput, "project"> {
  cwd: string;
  /** Comma-separated stack names, e.g. "dev,prod". */
  stacks: string;
  dryRun?: boolean;
}

interface Edit {
  stack: string;
  file: string;
  before: string;
  after: string;
  index: number;
  pendingValues: string[];
  /** `mlvault:environment` of the edited stack, as read for validation (selects the policy config). */
  environment: string;
}

/**
 * `mlvault onboard <project> --stacks dev,prod …`: add a validated project entry to each named stack file.
 * Every stack is edited in memory and validated first; files are written only when all of them pass, so a failure
 * leaves every stack file as it was. Exit 0 on success, 2 (one `error:` line per problem) otherwise.
 */
export async function onboard(project: string, opts: OnboardOptions): Promise<number> {
  const dir = path.resolve(opts.cwd);
  const stacks = [...new Set(opts.stacks.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
  const { entry, problems } = buildProjectEntry({ ...opts, project });
  const errors = problems.map((p) => `error: ${p}`);
  if (stacks.length === 0) errors.push("error: --stacks: name at least one stack, e.g. --stacks dev,prod");

  const existing: { stack: string; file: string; text: string; config: Record<string, unknown> }[] = [];
  const holders: string[] = [];
  for (const stack of stacks) {
    try {
      const { config } = readStackFile(dir, stack);
      const file = path.join(dir, `Pulumi.${stack}.yaml`);
      existing.push({ stack, file, text: fs.readFileSync(file, "utf8"), config });
      const names = Array.isArray(config[PROJECTS_KEY]) ? (config[PROJECTS_KEY] as { name?: unknown }[]).map((p) => p?.name) : [];
      if (names.includes(project)) holders.push(`Pulumi.${stack}.yaml`);
    } catch (e) {
      if (!(e instanceof StackFileError)) throw e;
      errors.push(`error: ${e.message}`);
    }
  }
  if (holders.length > 0) errors.push(`error: project "${project}" already exists in ${holders.join(", ")}: project names must be unique`);
  if (errors.length > 0) throw new UsageError(errors);

  const flags: OnboardFlags = { ...opts, project };
  const edits = existing.map((s) => edit(dir, s, entry, flags));
  // The same problem in several stacks (usually a flag) is one line naming every file.
  const failures = byIssue(edits.map((e) => ({ stack: e.stack, lines: e.issues })));
  if (failures.length > 0) throw new UsageError(failures.map((l) => `error: ${l}`));
  // Then the pack's date rules, as plan would run them: nothing is written that plan would refuse.
  const dates = edits.map((e) => ({ stack: e.stack, findings: dateRules(dir, e, entry, flags) }));
  const refused = byIssue(dates.map((d) => ({ stack: d.stack, lines: d.findings.filter((f) => f.level === "mandatory").map((f) => f.line) })));
  if (refused.length > 0) throw new UsageError(refused.map((l) => `error: ${l}`));
  for (const l of byIssue(dates.map((d) => ({ stack: d.stack, lines: d.findings.filter((f) => f.level === "advisory").map((f) => f.line) })))) {
    process.stderr.write(`warning: ${l}\n`);
  }

  const ok = edits as Edit[];
  if (opts.dryRun) {
    for (const e of ok) process.stdout.write(unifiedDiff(path.basename(e.file), maskSecretValues(e.before), maskSecretValues(e.after)));
  } else {
    writeAll(dir, ok);
  }
  process.stdout.write(summary(project, entry, ok, opts.dryRun === true).join("\n") + "\n");
  return EXIT.ok;
}

/**
 * Writes every edited stack file or none, safe against misuse: one onboard at a time (a lock file in the project
 * folder), no file changed by someone else since it was read (compared before writing), never through a link that
 * leads outside the project folder, each file replaced whole (written beside it, then renamed).
 */
function writeAll(dir: string, edits: Edit[]): void {
  const release = takeLock(dir);
  try {
    const problems = edits.flatMap((e) => {
      const name = path.basename(e.file);
      const outside = linkOutside(dir, e.file);
      if (outside) return [`error: ${name}: is a link to ${outside}, outside the project folder; onboard writes only inside it`];
      if (fs.readFileSync(e.file, "utf8") !== e.before) return [`error: ${name}: changed while onboard was running; nothing was written, run it again`];
      return [];
    });
    if (problems.length > 0) throw new UsageError(problems);
    const temps = edits.map((e) => {
      const target = fs.realpathSync(e.file);
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.onboard-${process.pid}.tmp`);
      fs.writeFileSync(temp, e.after);
      return { temp, target };
    });
    for (const { temp, target } of temps) fs.renameSync(temp, target);
  } finally {
    release();
  }
}

/** Where a link leads when that is outside `dir`; undefined for a plain file or a link that stays inside. */
function linkOutside(dir: string, file: string): string | undefined {
  if (!fs.lstatSync(file).isSymbolicLink()) return undefined;
  const real = fs.realpathSync(file);
  const relative = path.relative(fs.realpathSync(dir), real);
  return relative.startsWith("..") || path.isAbsolute(relative) ? real : undefined;
}

const LOCK_FILE = ".mlvault-onboard.lock";

/** An exclusive lock on the project folder's stack files; a lock left by a process that no longer runs is taken over. */
function takeLock(dir: string): () => void {
  const lock = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new UsageError([`error: ${LOCK_FILE}: cannot be created in ${dir} (${(e as NodeJS.ErrnoException).code})`]);
      const holder = Number(fs.readFileSync(lock, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && processRuns(holder)) {
        throw new UsageError([`error: another mlvault onboard (pid ${holder}) is editing the stack files in ${dir}; nothing was written, run it again when it ends`]);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new UsageError([`error: ${LOCK_FILE}: could not be taken in ${dir}; nothing was written`]);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The stack file text with every secret value replaced by `[secret]`, line for line: `secure:` ciphertexts and any
 * value under `mlvault:secretValues` (a plaintext value there is an error, but it must not be printed either).
 */
export function maskSecretValues(text: string): string {
  let secretsIndent: number | undefined;
  return text.split("\n").map((line) => {
    const indent = line.length - line.trimStart().length;
    if (secretsIndent !== undefined && line.trim() !== "" && indent <= secretsIndent) secretsIndent = undefined;
    const secure = /^(\s*(?:-\s+)?(?:[^:#]+:\s*)?)secure:\s*\S.*$/.exec(line);
    if (secure) return `${secure[1]}secure: [secret]`;
    const head = /^(\s*)(?:mlvault:)?secretValues:(.*)$/.exec(line);
    if (head) {
      secretsIndent = head[1].length;
      return head[2].trim() === "" ? line : `${head[1]}${line.trim().split(":")[0]}: [secret]`;
    }
    if (secretsIndent !== undefined && line.trim() !== "" && !line.trimStart().startsWith("#")) {
      const kv = /^(\s*(?:-\s+)?(?:"[^"]*"|'[^']*'|[^:#]+)):(.*)$/.exec(line);
      if (kv && kv[2].trim() !== "") return `${kv[1]}: [secret]`;
      if (!kv) return `${" ".repeat(indent)}[secret]`;
    }
    return line;
  }).join("\n");
}

/** One line per distinct problem, naming every stack file that has it. */
function byIssue(perStack: { stack: string; lines: string[] }[]): string[] {
  const files = new Map<string, string[]>();
  for (const { stack, lines } of perStack) for (const l of lines) files.set(l, [...(files.get(l) ?? []), `Pulumi.${stack}.yaml`]);
  return [...files].map(([line, names]) => `${names.join(", ")}: ${line}`);
}

/** SEC-02 and SEC-04 over the new secrets, with the policy config of the edited stack's environment. */
function dateRules(dir: string, e: Edit, entry: ProjectEntry, flags: OnboardFlags): DateFinding[] {
  const { environment } = e;
  const secrets = ((entry.secrets ?? []) as { expiresOn: string }[]).map((s, i) => ({ spec: flags.secrets[i], expiresOn: s.expiresOn }));
  // A folder without the environment's policy config (the pack lives elsewhere) gets the pack's own defaults, which
  // are its strictest settings: onboard never accepts what the shipped pack would refuse.
  const base = fs.existsSync(policyConfigFile(dir, environment)) ? readPolicyConfig(dir, environment) : {};
  return dateRuleFindings(base, process.env.MLVAULT_NOW, environment, secrets);
}

/** Edits one stack in memory and validates the result exactly as `plan` would read it. */
function edit(dir: string, s: { stack: string; file: string; text: string }, entry: ProjectEntry, flags: OnboardFlags): Edit & { issues: string[] } {
  const base = { stack: s.stack, file: s.file, before: s.text };
  let after: string;
  let index: number;
  try {
    ({ text: after, index } = addProjectToStackYaml(s.text, entry));
  } catch (e) {
    if (!(e instanceof OnboardError)) throw e;
    return { ...base, after: s.text, index: -1, pendingValues: [], environment: "", issues: [e.message] };
  }
  const config = readEdited(dir, s.stack, after);
  const { issues, pendingValues } = checkOnboardedConfig(config, index, entry);
  const environment = String(config["mlvault:environment"]);
  return { ...base, after, index, pendingValues, environment, issues: issues.map((i) => inFlagTerms(i, index, flags) ?? formatIssue(i)) };
}

/** Reads the edited text exactly as `plan` reads a stack file (project defaults, key qualification, `secure:`). */
function readEdited(dir: string, stack: string, text: string): Record<string, unknown> {
  return parseStackFile(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), text, stack).config;
}

function summary(project: string, entry: ProjectEntry, edits: Edit[], dryRun: boolean): string[] {
  const secrets = (entry.secrets ?? []) as { source: string }[];
  const bySource = ["config", "generate", "external"].map((src) => [src, secrets.filter((s) => s.source === src).length] as const)
    .filter(([, n]) => n > 0).map(([src, n]) => `${n} ${src}`);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const lines = [
    `${dryRun ? "Dry run: would onboard" : "Onboarded"} project "${project}": ${count(secrets.length, "secret")}${bySource.length ? ` (${bySource.join(", ")})` : ""}, ` +
      `${count(((entry.readers ?? []) as unknown[]).length, "reader")}, ${count(((entry.operators ?? []) as unknown[]).length, "operator")}.`,
    ...edits.map((e) => `  ${dryRun ? "would write" : "wrote"} ${path.basename(e.file)} (projects[${e.index}])`),
  ];
  const commands = edits.flatMap((e) => e.pendingValues.map((secret) => `  ${configSetCommand(e.stack, project, secret)}`));
  if (commands.length > 0) {
    lines.push(
      "Still needed: a value for each source: config secret (omit '<value>' to be prompted, which keeps it out of your shell history):",
      ...commands,
    );
  }
  lines.push(`Then check it offline: ${edits.map((e) => `npm exec -- mlvault plan ${e.stack}`).join(" && ")}`);
  return lines;
}

/** A one-hunk unified diff of the changed region (onboarding inserts one contiguous block). */
export function unifiedDiff(name: string, before: string, after: string, context = 3): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  if (start === a.length && start === b.length) return "";
  const from = Math.max(0, start - context);
  const toA = Math.min(a.length, endA + context);
  const toB = Math.min(b.length, endB + context);
  const hunk = [
    ...a.slice(from, start).map((l) => ` ${l}`),
    ...a.slice(start, endA).map((l) => `-${l}`),
    ...b.slice(start, endB).map((l) => `+${l}`),
    ...a.slice(endA, toA).map((l) => ` ${l}`),
  ];
  return [`--- a/${name}`, `+++ b/${name}`, `@@ -${from + 1},${toA - from} +${from + 1},${toB - from} @@`, ...hunk].join("\n") + "\n";
}
