import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";

/**
 * Static checks over GitHub Actions workflow files. Each check returns a list of problems (empty = fine) naming the
 * file and job, so a failing test says what to fix. Pure functions over the parsed YAML: the tests feed them the
 * real workflows and deliberately broken ones.
 */

export interface Workflow {
  file: string;
  doc: Record<string, any>;
  /** The file's text (comments are not in `doc`). */
  text?: string;
}

export interface RunLine {
  where: string; // "pr.yml › plan › mlvault plan dev"
  line: string; // one shell line, with ${{ matrix.* }} expanded
}

/** The CLI surface the workflows may call: command names and, per command, the flags its --help lists. */
export interface CliSurface {
  commands: Set<string>;
  flags(command: string): Set<string>;
}

/** Parses a workflow; a YAML error is thrown with the file name (the first check: the file is valid YAML). */
export function parseWorkflow(file: string, text: string): Workflow {
  const parsed = parseDocument(text, { prettyErrors: true });
  if (parsed.errors.length > 0) throw new Error(`${file}: invalid YAML: ${parsed.errors[0].message}`);
  const doc = parsed.toJS();
  if (!isMap(doc)) throw new Error(`${file}: not a YAML mapping`);
  return { file, doc, text };
}

export function loadWorkflows(dir: string): Workflow[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseWorkflow(f, fs.readFileSync(path.join(dir, f), "utf8")));
}

/** A line repeats once per matrix combination: report each problem once. */
function unique(problems: string[]): string[] {
  return [...new Set(problems)];
}

function isMap(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jobs(w: Workflow): [string, Record<string, any>][] {
  return isMap(w.doc.jobs) ? Object.entries(w.doc.jobs).filter((e): e is [string, Record<string, any>] => isMap(e[1])) : [];
}

function steps(job: Record<string, any>): Record<string, any>[] {
  return Array.isArray(job.steps) ? job.steps.filter(isMap) : [];
}

/** `on` and `jobs` present; every job runs somewhere and has steps (or calls a reusable workflow). */
export function checkShape(w: Workflow): string[] {
  const problems: string[] = [];
  if (!("on" in w.doc)) problems.push(`${w.file}: no \`on\` trigger`);
  if (!isMap(w.doc.jobs) || Object.keys(w.doc.jobs).length === 0) problems.push(`${w.file}: no \`jobs\``);
  for (const [name, job] of jobs(w)) {
    if (job.uses) continue;
    if (!job["runs-on"]) problems.push(`${w.file} › ${name}: no \`runs-on\``);
    if (steps(job).length === 0) problems.push(`${w.file} › ${name}: no steps`);
  }
  return unique(problems);
}

/** Every combination of a job's matrix (`strategy.matrix` lists only; include/exclude are not used here). */
function matrixCombinations(job: Record<string, any>): Record<string, string>[] {
  const matrix = isMap(job.strategy) && isMap(job.strategy.matrix) ? job.strategy.matrix : {};
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) continue;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
  }
  return combos;
}

function expandMatrix(text: string, combo: Record<string, string>): string {
  return text.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (whole, key: string) => combo[key] ?? whole);
}

/** Every shell line of every `run:` step, once per matrix combination. */
export function runLines(w: Workflow): RunLine[] {
  const out: RunLine[] = [];
  for (const [jobName, job] of jobs(w)) {
    for (const combo of matrixCombinations(job)) {
      for (const step of steps(job)) {
        if (typeof step.run !== "string") continue;
        const label = expandMatrix(String(step.name ?? step.run.split("\n")[0]), combo);
        for (const line of step.run.split("\n")) {
          if (line.trim() && !line.trim().startsWith("#")) {
            out.push({ where: `${w.file} › ${jobName} › ${label}`, line: expandMatrix(line, combo) });
          }
        }
      }
    }
  }
  return out;
}

/** `npm run <x>` / `npm test` / `npm start` name scripts that package.json defines. */
export function checkNpmScripts(w: Workflow, scripts: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const { where, line } of runLines(w)) {
    const named = [
      ...[...line.matchAll(/\bnpm\s+run(?:-script)?\s+([\w:.-]+)/g)].map((m) => m[1]),
      ...[...line.matchAll(/\bnpm\s+(test|start)\b/g)].map((m) => m[1]),
    ];
    for (const script of named) {
      if (!(script in scripts)) problems.push(`${where}: npm script "${script}" is not in package.json`);
    }
  }
  return unique(problems);
}

/** The words of one command, up to the first shell operator (`||`, `&&`, `;`, `|`, redirections). */
function commandWords(rest: string): string[] {
  const command = rest.split(/\s*(?:\|\||&&|;|\||[0-9]?>)\s*/)[0];
  return command.split(/\s+/).filter(Boolean);
}

/**
 * How mlvault may be invoked: the repository's own bin through npm. A bare `npx mlvault` is refused because, run
 * outside the repository (or before `npm ci`), npx falls back to the public registry for the unclaimed name.
 */
const MLVAULT_CALL =
  /\b(?:(npx)\s+(?:--no-install\s+)?mlvault|npm\s+exec\s+(?:--offline\s+)?--\s+mlvault|npm\s+exec\s+mlvault\s+--|npm\s+run\s+(?:--silent\s+|-s\s+)?mlvault\s+--)\s+(.*)/g;

/** Report flags that take no value since the stdout forms arrived; a file after them is the old form. */
const STDOUT_REPORT_FLAGS = new Set(["--json", "--sarif", "--graph"]);

/**
 * The words of one documented command: up to a shell operator or a comment. A `|` inside `[…]` or `(…)` is a
 * synopsis alternative, not a pipe, and `<stack>` is a placeholder, not a redirection.
 */
function synopsisWords(rest: string): string[] {
  const command = rest.split(/\s*(?:\|\||&&|;|\s#\s|`|\s\|\s(?![^[(]*[\])])|\s[0-9]?>\s?)\s*/)[0];
  return command.replace(/[[\]()]/g, " ").split(/\s+/).filter((w) => w && w !== "|");
}

/**
 * Each mlvault call in `lines` names a command the CLI has, with flags that command accepts, through the
 * repository's bin, and never the old `--json <file>` form.
 */
export function checkMlvaultLines(lines: RunLine[], cli: CliSurface): string[] {
  const problems: string[] = [];
  for (const { where, line } of lines) {
    for (const m of line.matchAll(MLVAULT_CALL)) {
      if (m[1] === "npx") {
        problems.push(`${where}: a bare \`npx mlvault\` can fetch the public registry's package; write \`npm exec -- mlvault\``);
      }
      const [command, ...args] = synopsisWords(m[2]);
      if (command === "…" || command === "<command>") continue; // prose naming the CLI itself, no command
      if (!command || !cli.commands.has(command)) {
        problems.push(`${where}: \`mlvault ${command ?? ""}\` is not a command of the CLI`);
        continue;
      }
      const known = cli.flags(command);
      args.forEach((arg, i) => {
        if (!arg.startsWith("--")) return;
        const flag = arg.split("=")[0];
        if (!known.has(flag)) problems.push(`${where}: \`mlvault ${command}\` has no option ${flag}`);
        const next = args[i + 1];
        if (STDOUT_REPORT_FLAGS.has(flag) && next && /\.(?:json|sarif|md)$/.test(next)) {
          problems.push(`${where}: \`${flag} ${next}\` is the old form: write \`${flag}-file ${next}\``);
        }
      });
    }
  }
  return unique(problems);
}

export function checkMlvaultCommands(w: Workflow, cli: CliSurface): string[] {
  return checkMlvaultLines(runLines(w), cli);
}

/** Every line of the Markdown files under `root` (README.md and docs/), as `file:line`. */
export function markdownLines(root: string, files: string[]): RunLine[] {
  return files.flatMap((file) =>
    fs.readFileSync(path.join(root, file), "utf8").split("\n").map((line, i) => ({ where: `${file}:${i + 1}`, line })),
  );
}

const LOCAL_PREFIX = /^(?:\.\/)?(?:policies|scripts|\.ci|bin|config|docs|test)(?:\/|$)/;

/** Repository paths the steps use (policy pack, its config, scripts they run) exist in the checkout. */
export function checkLocalPaths(w: Workflow, root: string): string[] {
  const problems: string[] = [];
  for (const { where, line } of runLines(w)) {
    const words = commandWords(line).map((t) => t.replace(/^["']|["']$/g, ""));
    const runs = words.flatMap((t, i) => (/^(?:bash|sh|node)$/.test(t) && words[i + 1] && !words[i + 1].startsWith("-") ? [words[i + 1]] : []));
    for (const token of new Set([...words.filter((t) => LOCAL_PREFIX.test(t)), ...runs])) {
      if (/\$/.test(token)) problems.push(`${where}: cannot resolve the path "${token}" (unexpanded variable)`);
      else if (!fs.existsSync(path.join(root, token))) problems.push(`${where}: "${token}" does not exist in the repository`);
    }
  }
  return unique(problems);
}

/**
 * Every `uses:` names a full commit SHA (a tag can be moved; a SHA cannot), with the version it is in a trailing
 * comment (`# v4.2.1`) for people and Dependabot.
 */
export function checkPinnedActions(w: Workflow): string[] {
  const problems: string[] = [];
  for (const [jobName, job] of jobs(w)) {
    const uses = [job.uses, ...steps(job).map((s) => s.uses)].filter((u): u is string => typeof u === "string");
    for (const u of uses) {
      if (u.startsWith("./")) continue;
      if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u)) {
        problems.push(`${w.file} › ${jobName}: \`${u}\` is not pinned to a full commit SHA`);
      } else if (w.text !== undefined && !new RegExp(`uses: ${u.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v\\d`).test(w.text)) {
        problems.push(`${w.file} › ${jobName}: \`${u}\` has no \`# v<version>\` comment`);
      }
    }
  }
  return unique(problems);
}

/** Why a job may hold a write permission: the step that needs it. A write with no such step is excess privilege. */
const WRITE_NEEDS: Record<string, (step: Record<string, any>) => boolean> = {
  "security-events": (s) => /^github\/codeql-action\/upload-sarif@/.test(s.uses ?? ""),
  "pull-requests": (s) => /^marocchino\/sticky-pull-request-comment@/.test(s.uses ?? "") || /\bgh pr comment\b/.test(s.run ?? ""),
  // OIDC: the Pulumi Cloud login action, or a pulumi command whose Azure providers sign in with ARM_USE_OIDC.
  "id-token": (s) => /^(azure\/login|pulumi\/auth-actions)@/.test(s.uses ?? "") || /\bpulumi\s+(preview|up)\b/.test(s.run ?? ""),
};

/**
 * Least privilege: permissions are declared as a map at the top (read-only) and per job; no `write-all`/`read-all`
 * shorthand; a job holds a write permission only when one of its steps needs it, and has it when a step does.
 */
export function checkPermissions(w: Workflow): string[] {
  const problems: string[] = [];
  const top = w.doc.permissions;
  if (!isMap(top)) problems.push(`${w.file}: top-level \`permissions\` must be a map (read-only), got ${JSON.stringify(top)}`);
  else {
    for (const [scope, level] of Object.entries(top)) {
      if (level === "write") problems.push(`${w.file}: top-level permission ${scope}: write; grant writes per job`);
    }
  }
  for (const [jobName, job] of jobs(w)) {
    const perms = job.permissions ?? top;
    if (perms !== undefined && !isMap(perms)) {
      problems.push(`${w.file} › ${jobName}: permissions "${perms}" is not least-privilege: list each scope`);
      continue;
    }
    const granted = isMap(perms) ? perms : {};
    for (const [scope, level] of Object.entries(granted)) {
      if (level !== "write") continue;
      const need = WRITE_NEEDS[scope];
      if (!need) problems.push(`${w.file} › ${jobName}: ${scope}: write has no known use here`);
      else if (!steps(job).some(need)) problems.push(`${w.file} › ${jobName}: ${scope}: write but no step needs it`);
    }
    for (const [scope, need] of Object.entries(WRITE_NEEDS)) {
      if (steps(job).some(need) && granted[scope] !== "write") {
        problems.push(`${w.file} › ${jobName}: a step needs ${scope}: write, which the job does not grant`);
      }
    }
  }
  return unique(problems);
}

/**
 * `pulumi preview` / `pulumi up` run with the policy pack and the policy config `mlvault plan` uses for the stack
 * they target: `--stack X --policy-pack policies --policy-pack-config policy-config-X.json`, a file the workflow writes
 * with `mlvault policy-config X --json-file policy-config-X.json`. `up` is non-interactive and applies the update plan
 * a preview saved (`--plan update-plan-X.json` after `preview --save-plan update-plan-X.json`).
 */
export function checkPulumiCommands(w: Workflow): string[] {
  const problems: string[] = [];
  const lines = runLines(w).map((l) => l.line);
  const written = (file: string, stack: string) => lines.some((l) => new RegExp(`mlvault policy-config ${stack} --json-file ${file.replace(/[.$]/g, "\\$&")}(\\s|$)`).test(l));
  const saved = (file: string) => lines.some((l) => /\bpulumi\s+preview\b/.test(l) && commandWords(l).includes(file) && commandWords(l)[commandWords(l).indexOf(file) - 1] === "--save-plan");
  for (const { where, line } of runLines(w)) {
    const m = /\bpulumi\s+(preview|up|update)\b(.*)/.exec(line);
    if (!m) continue;
    const words = commandWords(m[2]);
    const value = (flag: string) => {
      const i = words.indexOf(flag);
      return i >= 0 ? words[i + 1] : undefined;
    };
    const stack = value("--stack") ?? value("-s");
    if (!stack) problems.push(`${where}: pulumi ${m[1]} without --stack`);
    if (value("--policy-pack") !== "policies") problems.push(`${where}: pulumi ${m[1]} without --policy-pack policies`);
    const config = value("--policy-pack-config");
    if (config !== `policy-config-${stack}.json`) {
      problems.push(`${where}: pulumi ${m[1]} --stack ${stack} needs --policy-pack-config policy-config-${stack}.json (from mlvault policy-config), got ${config}`);
    } else if (!written(config, stack!)) {
      problems.push(`${where}: ${config} is never written by \`mlvault policy-config ${stack} --json-file ${config}\``);
    }
    if (m[1] !== "preview" && !words.includes("--yes") && !words.includes("-y")) problems.push(`${where}: pulumi ${m[1]} without --yes`);
    if (m[1] !== "preview") {
      const plan = value("--plan");
      if (plan !== `update-plan-${stack}.json`) problems.push(`${where}: pulumi ${m[1]} does not apply a previewed plan (--plan update-plan-${stack}.json)`);
      else if (!saved(plan)) problems.push(`${where}: ${plan} is never saved by a pulumi preview --save-plan`);
    }
  }
  return unique(problems);
}

/** Parses `mlvault --help` (commander): the names listed under "Commands:". */
export function commandsFromHelp(help: string): Set<string> {
  const section = help.split(/^Commands:\s*$/m)[1] ?? "";
  return new Set([...section.matchAll(/^ {2}([a-z][\w-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== "help"));
}

/** Parses `mlvault <cmd> --help`: every long option it lists. */
export function flagsFromHelp(help: string): Set<string> {
  const section = help.split(/^Options:\s*$/m)[1] ?? "";
  return new Set([...section.matchAll(/(?:^|[\s,])(--[a-z][\w-]*)/gm)].map((m) => m[1]));
}
