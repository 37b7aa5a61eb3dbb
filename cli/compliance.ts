/**
 * `mlvault compliance <stack>` (the offline plan of the stack files) and `mlvault compliance --export <file> --env
 * <env>` (the deployed state): the policy pack's verdicts, exemptions applied, turned into evidence per regulatory
 * framework (report/compliance.ts), written as a summary on the terminal and as JSON, Markdown or a self-contained
 * HTML page. Exit codes as `plan`: 1 when a mandatory violation stands (exempted ones do not count).
 */
import type { PolicyEvaluation } from "../engine/analyzer";
import type { ResourceRecord } from "../engine/types";
import { buildCompliance, type ComplianceReport } from "../report/compliance";
import { renderComplianceHtml } from "../report/complianceHtml";
import { renderComplianceMarkdown } from "../report/complianceMd";
import { EXIT, UsageError } from "./errors";
import { programClock } from "../components/rotation";
import { evaluateExport } from "./audit";
import { humanStream, writeOutput } from "./output";
import { loadStack, planStack } from "./planRun";
import { beginEvaluation } from "./policyRun";

export interface ComplianceOptions {
  cwd: string;
  root: string;
  export?: string;
  env?: string;
  json?: string;
  md?: string;
  html?: string;
  /** As in pulumi and `plan`: another pack, or a policy config used as is (an organisation's, with its exemptions). */
  policyPack?: string;
  policyPackConfig?: string;
}

export async function compliance(stack: string | undefined, opts: ComplianceOptions): Promise<number> {
  const out = humanStream({ "--json": opts.json, "--md-file": opts.md, "--html-file": opts.html });
  const { records, evaluation, source, policyConfig } = opts.export ? await fromExport(opts) : await fromPlan(stack, opts);
  const report = buildCompliance({ source, records, policies: evaluation.policies, violations: evaluation.violations, now: programClock().getTime(), policyConfig });
  out.write(renderSummary(report) + "\n");
  if (opts.json) writeOutput(opts.json, JSON.stringify(report, null, 2));
  if (opts.md) writeOutput(opts.md, renderComplianceMarkdown(report));
  if (opts.html) writeOutput(opts.html, renderComplianceHtml(report));
  return evaluation.violations.some((v) => v.enforcementLevel === "mandatory" && !v.exemption) ? EXIT.violations : EXIT.ok;
}

type Evaluated = { records: ResourceRecord[]; evaluation: PolicyEvaluation; source: ComplianceReport["source"]; policyConfig: Record<string, unknown> };

async function fromPlan(stack: string | undefined, opts: ComplianceOptions): Promise<Evaluated> {
  if (!stack) throw new UsageError(["error: no stack: name it (mlvault compliance prod) or pass --export <file> --env <env>"]);
  if (opts.env) throw new UsageError(["error: --env goes with --export; a stack's environment comes from its config"]);
  const loaded = loadStack(opts.cwd, stack);
  const pending = beginEvaluation(loaded.dir, {
    stackConfig: loaded.config, stack, project: loaded.file.project, environment: loaded.config.environment, dryRun: false,
    packDir: opts.policyPack, configFile: opts.policyPackConfig,
  });
  let records;
  try {
    ({ records } = await planStack(loaded, { preview: false }));
  } catch (e) {
    await pending.cancel();
    throw e;
  }
  const evaluation = await pending.finish(records);
  return { records, evaluation, policyConfig: await pending.config, source: { kind: "plan", stack, environment: loaded.config.environment } };
}

async function fromExport(opts: ComplianceOptions): Promise<Evaluated> {
  if (opts.env !== "dev" && opts.env !== "prod") throw new UsageError([`error: --env: must be dev or prod with --export (got ${opts.env === undefined ? "nothing" : `"${opts.env}"`})`]);
  const { records, evaluation, policyConfig, identity } = await evaluateExport(opts.export!, {
    root: opts.root, environment: opts.env, unnamedStack: "export", packDir: opts.policyPack, configFile: opts.policyPackConfig,
  });
  return { records, evaluation, policyConfig, source: { kind: "export", stack: identity.stack, environment: opts.env, file: opts.export } };
}

function renderSummary(report: ComplianceReport): string {
  const width = Math.max(...report.frameworks.map((f) => f.displayName.length), 9);
  const lines = [
    `Compliance evidence of stack '${report.source.stack}' (${report.source.environment}, ${report.source.kind === "plan" ? "offline plan" : `export ${report.source.file}`})`,
    "",
    `  ${"Framework".padEnd(width)}  pass  fail  exempted  not evaluated`,
    ...report.frameworks.map((f) => `  ${f.displayName.padEnd(width)}  ${String(f.summary.pass).padStart(4)}  ${String(f.summary.fail).padStart(4)}  ${String(f.summary.exempted).padStart(8)}  ${String(f.summary["not evaluated"]).padStart(13)}`),
    "",
    `${report.unmapped.length} controls have no built-in equivalent (listed in the reports). Framework controls from ${report.data.release}.`,
  ];
  return lines.join("\n");
}
