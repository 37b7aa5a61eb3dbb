/**
 * Exemptions as the CLI reads them from a policy config file: validated with the same rules the pack's schema
 * states (a bad entry is an `error:` line naming the file, the policy and the field, exit 2, before anything runs),
 * listed with their status at a given time, attached to the violations they exempt, and found stale when they
 * match no violation. The verdicts come from the pack's own functions (policies/lib/exemptions.ts), so the CLI and
 * `pulumi preview` agree.
 */
import { z } from "zod";
import type { ResourceRecord, Violation } from "../engine/types";
import { reportedControl } from "../report/projects";
import {
  applies, calendarDay, covers, DEFAULT_SETTINGS, exemptionFor, judge, projectOf, settingsOf, tooBroad,
  type Exemption, type ExemptionSettings, type ExemptionStatus, type ResourceRef,
} from "../policies/lib/exemptions";

const control = z.string().regex(/^[A-Z]+-\d{2}$/, "must be a control id such as KV-02");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").refine((d) => !Number.isNaN(calendarDay(d)), "must be a real calendar day");
const exemptionSchema = z.object({
  resources: z.array(z.string().regex(/^(urn:pulumi:.+|[^/\s]+\/[^/\s]+)$/, "must be a URN or a project/name pattern")
    .refine((p) => tooBroad(p) === undefined, "is too broad: no wildcard in a project, or in a URN's stack or project")).min(1, "must name at least one resource"),
  controls: z.array(control).optional(),
  category: z.enum(["waiver", "mitigated"], { message: "must be waiver or mitigated" }),
  reason: z.string().min(10, "must say why, in at least 10 characters"),
  approvedBy: z.string().min(3, "must name who accepted the risk"),
  ticket: z.string().optional(),
  approvedOn: day.optional(),
  expiresOn: day,
}).strict();
const settingsSchema = z.object({
  reminderDays: z.number().int().min(0).optional(),
  maxDays: z.number().int().min(1).optional(),
  neverExempt: z.array(control).optional(),
}).strict();

/** Problems with the exemptions of a parsed policy config, one line each (`<policy>.exemptions[0].expiresOn: …`). */
export function exemptionProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [policy, entry] of Object.entries(config)) {
    if (typeof entry !== "object" || entry === null) continue;
    const { exemptions, exemptionSettings } = entry as Record<string, unknown>;
    if (exemptions !== undefined) {
      if (!Array.isArray(exemptions)) problems.push(`${policy}.exemptions: must be a list`);
      else exemptions.forEach((e, i) => {
        const r = exemptionSchema.safeParse(e);
        if (!r.success) for (const issue of r.error.issues) problems.push(`${policy}.exemptions[${i}]${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message}`);
      });
    }
    if (exemptionSettings !== undefined) {
      const r = settingsSchema.safeParse(exemptionSettings);
      if (!r.success) for (const issue of r.error.issues) problems.push(`${policy}.exemptionSettings${issue.path.map((p) => `.${String(p)}`).join("")}: ${issue.message}`);
    }
  }
  return problems;
}

export interface ListedExemption {
  policy: string;
  index: number;
  exemption: Exemption;
  settings: ExemptionSettings;
  status: ExemptionStatus;
  daysLeft: number;
  refusal?: string;
}

/** Every exemption of a policy config with its status at `now`. */
export function listExemptions(config: Record<string, unknown>, now: number): ListedExemption[] {
  return Object.entries(config).flatMap(([policy, entry]) => {
    if (typeof entry !== "object" || entry === null) return [];
    const e = entry as { exemptions?: Exemption[]; exemptionSettings?: Partial<ExemptionSettings> };
    const settings = settingsOf(e);
    return (e.exemptions ?? []).map((exemption, index) => {
      const v = judge(exemption, index, settings, now);
      return { policy, index, exemption, settings, status: v.status, daysLeft: v.daysLeft, ...(v.refusal ? { refusal: v.refusal } : {}) };
    });
  });
}

/** An exempted violation's exemption, as the reports show it. */
export type AppliedExemption = NonNullable<Violation["exemption"]>;


function refOf(v: Violation, byUrn: Map<string, ResourceRecord>): ResourceRef {
  const r = v.urn ? byUrn.get(v.urn) : undefined;
  return r ? { urn: r.urn, name: r.name, project: projectOf(r.name, r.inputs) } : { urn: v.urn ?? undefined };
}

/**
 * The violations with `exemption` set on those the pack exempted (it reported them at advisory level with "exempted
 * until"): another pack that knows nothing of exemptions never gets its violations marked.
 */
export function attachExemptions(violations: Violation[], records: ResourceRecord[], config: Record<string, unknown>, now: number): Violation[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  return violations.map((v) => {
    const entry = config[v.policy] as { exemptions?: Exemption[]; exemptionSettings?: Partial<ExemptionSettings> } | undefined;
    if (!entry?.exemptions || !/\bexempted until \d{4}-\d{2}-\d{2} by /.test(v.message)) return v;
    const verdict = exemptionFor(entry.exemptions, settingsOf(entry), now, reportedControl(v), refOf(v, byUrn));
    if (!verdict || !applies(verdict)) return v;
    const exemption: AppliedExemption = { ...verdict.exemption, policy: v.policy, index: verdict.index, status: verdict.status as "active" | "expiring", daysLeft: verdict.daysLeft };
    return { ...v, exemption };
  });
}

/** Exemptions that cover no violation of their policy: stale, to be removed. */
export function staleExemptions(violations: Violation[], records: ResourceRecord[], config: Record<string, unknown>, now: number): ListedExemption[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  return listExemptions(config, now).filter((l) => !violations.some((v) =>
    v.policy === l.policy && (l.exemption.controls === undefined || l.exemption.controls.includes(reportedControl(v))) && covers(l.exemption, refOf(v, byUrn))));
}

export { DEFAULT_SETTINGS };
