/**
 * `mlvault exemptions [--env dev|prod]`: every exemption of the policy configs with its status (active, expiring,
 * expired, refused) and the days it has left, as a table or as JSON, so a reviewer sees what risks are accepted and
 * which ones need a decision before they lapse. Exit 0; 2 when a config cannot be read or holds a malformed exemption.
 */
import { listExemptions, type ListedExemption } from "./exemptionConfig";
import { programClock } from "../components/rotation";
import { EXIT, UsageError } from "./errors";
import { writeOutput } from "./output";
import * as path from "path";
import { readConfigFile, readPolicyConfig } from "./policyRun";

export interface ExemptionsOptions {
  root: string;
  env?: string;
  json?: string;
  /** List this policy config file's exemptions instead (an organisation's own, or `mlvault policy-config` output). */
  policyPackConfig?: string;
}

const ENVIRONMENTS = ["dev", "prod"];

export async function exemptions(opts: ExemptionsOptions): Promise<number> {
  if (opts.env !== undefined && !ENVIRONMENTS.includes(opts.env)) throw new UsageError([`error: --env: must be one of: ${ENVIRONMENTS.join(", ")} (got "${opts.env}")`]);
  const now = programClock().getTime();
  const sources = opts.policyPackConfig
    ? [{ env: opts.env ?? opts.policyPackConfig, config: readConfigFile(opts.root, path.resolve(opts.policyPackConfig)) }]
    : (opts.env ? [opts.env] : ENVIRONMENTS).map((env) => ({ env, config: readPolicyConfig(opts.root, env) }));
  const rows = sources.flatMap(({ env, config }) => listExemptions(config, now).map((l) => ({ env, ...l })));
  if (opts.json) {
    writeOutput(opts.json, JSON.stringify({
      schemaVersion: 1,
      evaluatedAt: new Date(now).toISOString(),
      exemptions: rows.map((r) => ({
        env: r.env, policy: r.policy, index: r.index, ...r.exemption, status: r.status, daysLeft: r.daysLeft, ...(r.refusal ? { refusal: r.refusal } : {}),
        settings: r.settings,
      })),
    }, null, 2));
  } else {
    process.stdout.write(renderTable(rows) + "\n");
  }
  return EXIT.ok;
}

function renderTable(rows: (ListedExemption & { env: string })[]): string {
  if (rows.length === 0) return "No exemptions in the policy configs.";
  const header = ["ENV", "POLICY", "RESOURCES", "CATEGORY", "APPROVED BY", "EXPIRES", "STATUS", "DAYS LEFT"];
  const cells = rows.map((r) => [
    r.env, `${r.policy}[${r.index}]`, r.exemption.resources.join(", "), r.exemption.category,
    `${r.exemption.approvedBy}${r.exemption.ticket ? ` (${r.exemption.ticket})` : ""}`, r.exemption.expiresOn,
    r.status === "refused" ? `refused: ${r.refusal}` : r.status, String(r.daysLeft),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
  const counts = ["active", "expiring", "expired", "refused"].map((s) => `${rows.filter((r) => r.status === s).length} ${s}`).join(", ");
  return [line(header), ...cells.map(line), "", `${rows.length} exemption(s): ${counts}.`].join("\n");
}
