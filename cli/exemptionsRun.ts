/**
 * After the pack has run: each exempted violation gets its exemption (for the tree, JSON and SARIF), and every
 * exemption that covers no violation is a `warning:` line on stderr (stale: the finding is fixed or the pattern
 * names nothing, so the accepted risk no longer exists and the entry should go).
 */
import type { PolicyEvaluation } from "../engine/analyzer";
import type { ResourceRecord } from "../engine/types";
import { programClock } from "../components/rotation";
import { attachExemptions, staleExemptions } from "./exemptionConfig";

export function withExemptions(evaluation: PolicyEvaluation, records: ResourceRecord[], config: Record<string, unknown>): PolicyEvaluation {
  const now = programClock().getTime();
  const violations = attachExemptions(evaluation.violations, records, config, now);
  for (const stale of staleExemptions(violations, records, config, now)) {
    process.stderr.write(`warning: exemption ${stale.policy}.exemptions[${stale.index}] (${stale.exemption.resources.join(", ")}, approved by ${stale.exemption.approvedBy}) matches no violation: it is stale; remove it\n`);
  }
  return { ...evaluation, violations };
}
