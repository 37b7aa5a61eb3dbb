/**
 * Exemptions: a documented, approved, expiring exception to one policy for named resources, declared in the policy
 * config files the platform team owns (`"<policy>": { "exemptions": [ … ] }`), so they travel with
 * `--policy-pack-config` to `pulumi preview` / `up` and to a published pack. CrossGuard has no per-resource
 * exemption (pulumi/pulumi-policy#225, #438); Azure Policy's exemptions have a category and an expiry; Checkov's skip
 * comments have neither. Here:
 *
 * - an active exemption turns a violation into an exempted one: still reported, at advisory level (the policy SDK
 *   takes a per-violation level, server.js makeReportViolationFun), its message saying until when, by whom and why;
 * - within `reminderDays` of its expiry it says so; once expired the violation counts again and says since when;
 * - one that runs longer than `maxDays` from now, or that names a control in `neverExempt`, is refused: the
 *   violation counts, and says why the exemption did not apply.
 *
 * The CLI uses the same functions to list exemptions (`mlvault exemptions`), to attach each exempted violation's
 * exemption to the reports and to find the ones that match nothing.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

export interface Exemption {
  /** URNs or `project/name` patterns (`*` matches any run of characters). */
  resources: string[];
  /** Only these of the policy's controls (all of them when absent). */
  controls?: string[];
  category: "waiver" | "mitigated";
  reason: string;
  approvedBy: string;
  ticket?: string;
  /** YYYY-MM-DD, the day it was approved: its length (maxDays) is counted from here. */
  approvedOn?: string;
  /** YYYY-MM-DD, the last day it applies (UTC). */
  expiresOn: string;
}

export interface ExemptionSettings {
  reminderDays: number;
  maxDays: number;
  neverExempt: string[];
}

export const DEFAULT_SETTINGS: ExemptionSettings = { reminderDays: 14, maxDays: 180, neverExempt: [] };

type JsonSchema = PolicyConfigSchema["properties"][string];

export const EXEMPTIONS_SCHEMA: JsonSchema = {
  type: "array",
  description: "Approved, expiring exceptions to this policy for named resources (docs/exemptions.md).",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["resources", "category", "reason", "approvedBy", "expiresOn"],
    properties: {
      resources: {
        type: "array", minItems: 1,
        items: { type: "string", pattern: "^(urn:pulumi:.+|[^/\\s]+/[^/\\s]+)$" },
        description: "URNs or project/name patterns (* matches anything).",
      },
      controls: { type: "array", items: { type: "string", pattern: "^[A-Z]+-\\d{2}$" }, description: "Only these controls (default: all of the policy's)." },
      category: { type: "string", enum: ["waiver", "mitigated"], description: "As Azure Policy's exemption categories." },
      reason: { type: "string", minLength: 10, description: "Why, and what mitigates the risk." },
      approvedBy: { type: "string", minLength: 3, description: "Who accepted the risk." },
      ticket: { type: "string", description: "Where the decision is recorded." },
      approvedOn: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Day of approval (YYYY-MM-DD): maxDays counts from it (from today when absent)." },
      expiresOn: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Last day it applies (YYYY-MM-DD, UTC)." },
    },
  },
};

export const EXEMPTION_SETTINGS_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  description: "How this policy treats exemptions.",
  properties: {
    reminderDays: { type: "integer", minimum: 0, default: DEFAULT_SETTINGS.reminderDays, description: "Remind this many days before an exemption expires." },
    maxDays: { type: "integer", minimum: 1, default: DEFAULT_SETTINGS.maxDays, description: "Refuse an exemption that runs longer than this from now." },
    neverExempt: { type: "array", items: { type: "string", pattern: "^[A-Z]+-\\d{2}$" }, default: DEFAULT_SETTINGS.neverExempt, description: "Controls no exemption may cover." },
  },
};

/** The resource a violation concerns, as exemptions match it. */
export interface ResourceRef {
  urn?: string;
  name?: string;
  /** The mlvault project (its `project` tag, or the name's first segment). */
  project?: string;
}

export type ExemptionStatus = "active" | "expiring" | "expired" | "refused";

export interface ExemptionVerdict {
  exemption: Exemption;
  /** Its place in the policy's list, for messages. */
  index: number;
  status: ExemptionStatus;
  /** Whole days until it expires (negative once expired). */
  daysLeft: number;
  /** Why it was refused. */
  refusal?: string;
}

const DAY_MS = 86_400_000;

/** Milliseconds of a real calendar day (YYYY-MM-DD, UTC midnight), or NaN: "2026-02-30" is not a day. */
export function calendarDay(day: unknown): number {
  if (typeof day !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return NaN;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day ? t : NaN;
}

/**
 * A resource pattern too broad to be an exception: a wildcard in the project (`*\/…`), or in a URN's stack or project
 * (one entry would cover dev and prod, or every program). A whole named project (`churn/*`) is allowed.
 */
export function tooBroad(pattern: string): string | undefined {
  if (pattern.startsWith("urn:pulumi:")) {
    const stackAndProject = pattern.slice("urn:pulumi:".length).split("::").slice(0, 2).join("::");
    return stackAndProject.includes("*") ? `"${pattern}" has a wildcard in its stack or project` : undefined;
  }
  return pattern.split("/")[0].includes("*") ? `"${pattern}" has a wildcard in its project` : undefined;
}

/** How an exemption stands at `now`, under `settings`, for a violation of `control` (or any control when absent). */
export function judge(exemption: Exemption, index: number, settings: ExemptionSettings, now: number, control?: string): ExemptionVerdict {
  const end = calendarDay(exemption.expiresOn) + DAY_MS - 1;
  const daysLeft = Number.isNaN(end) ? -Infinity : Math.floor((end - now) / DAY_MS);
  const base = { exemption, index, daysLeft };
  const never = (exemption.controls ?? (control ? [control] : [])).filter((c) => settings.neverExempt.includes(c));
  const broad = exemption.resources.map(tooBroad).find((b) => b !== undefined);
  const approved = exemption.approvedOn === undefined ? now : calendarDay(exemption.approvedOn);
  if (Number.isNaN(end)) return { ...base, status: "refused", refusal: `expiresOn "${exemption.expiresOn}" is not a calendar day (YYYY-MM-DD)` };
  if (Number.isNaN(approved)) return { ...base, status: "refused", refusal: `approvedOn "${exemption.approvedOn}" is not a calendar day (YYYY-MM-DD)` };
  if (broad) return { ...base, status: "refused", refusal: `${broad}: name the project` };
  if (never.length > 0) return { ...base, status: "refused", refusal: `${never.join(", ")} can never be exempted` };
  if (end < now) return { ...base, status: "expired" };
  // Counted from the approval when it is given, so an exemption cannot become acceptable just by waiting.
  const length = Math.floor((end - approved) / DAY_MS);
  if (length > settings.maxDays) {
    return { ...base, status: "refused", refusal: `it runs ${length} days from ${exemption.approvedOn ? `its approval on ${exemption.approvedOn}` : "now"}, longer than the maximum of ${settings.maxDays}` };
  }
  return { ...base, status: daysLeft <= settings.reminderDays ? "expiring" : "active" };
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Whether an exemption names this resource. */
export function covers(exemption: Exemption, resource: ResourceRef): boolean {
  return exemption.resources.some((pattern) => {
    if (pattern.startsWith("urn:pulumi:")) return resource.urn !== undefined && glob(pattern).test(resource.urn);
    const [project, name] = pattern.split("/");
    return resource.project !== undefined && resource.name !== undefined && glob(project).test(resource.project) && glob(name).test(resource.name);
  });
}

/**
 * The exemption that decides a violation of `control` on `resource`: the first that covers it and the control, the
 * applicable (active or expiring) ones before the others, so one live exemption wins over an expired one.
 */
export function exemptionFor(
  exemptions: Exemption[] | undefined, settings: ExemptionSettings, now: number, control: string, resource: ResourceRef,
): ExemptionVerdict | undefined {
  const verdicts = (exemptions ?? [])
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => (e.controls === undefined || e.controls.includes(control)) && covers(e, resource))
    .map(({ e, i }) => judge(e, i, settings, now, control));
  return verdicts.find((v) => v.status === "active" || v.status === "expiring") ?? verdicts[0];
}

/** True when the verdict turns the violation into an exempted one. */
export function applies(v: ExemptionVerdict | undefined): boolean {
  return v !== undefined && (v.status === "active" || v.status === "expiring");
}

/** What the violation's message says about its exemption. */
export function exemptionNote(v: ExemptionVerdict): string {
  const e = v.exemption;
  const who = `${e.approvedBy}${e.ticket ? `, ${e.ticket}` : ""}`;
  switch (v.status) {
    case "active":
      return `exempted until ${e.expiresOn} by ${who}: ${e.reason} (${e.category})`;
    case "expiring":
      return `exempted until ${e.expiresOn} by ${who}: ${e.reason} (${e.category}); it expires in ${v.daysLeft} day(s): renew it or fix the finding`;
    case "expired":
      return `the exemption approved by ${who} expired on ${e.expiresOn}, ${-v.daysLeft} day(s) ago: this counts again`;
    case "refused":
      return `the exemption approved by ${who} is refused: ${v.refusal}`;
  }
}

/** The settings in a policy's config, with defaults. */
export function settingsOf(config: { exemptionSettings?: Partial<ExemptionSettings> }): ExemptionSettings {
  return { ...DEFAULT_SETTINGS, ...(config.exemptionSettings ?? {}) };
}

/** The project a resource belongs to: its `project` tag, else the first segment of its name (mlvault's naming). */
export function projectOf(name: string | undefined, props: Record<string, unknown> | undefined): string | undefined {
  const tags = props && typeof props.tags === "object" && props.tags !== null ? (props.tags as Record<string, unknown>) : {};
  const tag = Object.entries(tags).find(([k]) => k.toLowerCase() === "project")?.[1];
  if (typeof tag === "string" && tag !== "") return tag;
  return name?.split("-")[0];
}
