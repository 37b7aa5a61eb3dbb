import { DAY_SECONDS, epochSeconds } from "../components/rotation";
import type { ConfigIssue } from "../config/validate";
import { ALL_POLICIES } from "../policies/all";
import { evaluationNow } from "../policies/lib/config";
import { withStackOverrides } from "./policyOverrides";

/** The flags one onboard run was given, in the order they became the project entry's lists. */
export interface OnboardFlags {
  project: string;
  secrets: string[];
  readers: string[];
  operators: string[];
  federated: string[];
  passwordLifetimeDays?: number;
}

/**
 * A validation issue of the new project, said in terms of the flag that produced it: the user typed
 * `--secret "db-password:password:config:31/03/2027"`, not `projects[3].secrets[0].expiresOn`. Issues elsewhere in
 * the stack file (or not traceable to one flag) keep their config key.
 */
export function inFlagTerms(issue: ConfigIssue, index: number, flags: OnboardFlags): string | undefined {
  const prefix = `projects[${index}].`;
  if (!issue.key.startsWith(prefix)) return undefined;
  const rest = issue.key.slice(prefix.length);
  const listed = /^(secrets|readers|operators|servicePrincipal\.federatedCredentials)\[(\d+)\](?:\.(.+))?$/.exec(rest);
  if (listed) {
    const [, list, at, field] = listed;
    const [flag, specs] = ({
      secrets: ["--secret", flags.secrets],
      readers: ["--reader", flags.readers],
      operators: ["--operator", flags.operators],
      "servicePrincipal.federatedCredentials": ["--federated", flags.federated],
    } as Record<string, [string, string[]]>)[list];
    const spec = specs[Number(at)];
    if (spec === undefined) return undefined;
    return `${flag} "${spec}": ${field ? `${field} ` : ""}${issue.message}`;
  }
  if (rest === "servicePrincipal.passwordLifetimeDays") return `--password-lifetime-days ${flags.passwordLifetimeDays}: ${issue.message}`;
  if (rest === "name") return `project name "${flags.project}": ${issue.message}`;
  if (rest === "description") return `--description: ${issue.message}`;
  return undefined;
}

type PackConfig = Record<string, unknown>;

/** A policy's enforcement level and one setting, as the engine resolves them: the entry, then `all`, then the schema default. */
function policySetting(pack: PackConfig, policy: string, setting: string): { level: string; value: unknown; evaluationTime?: string } {
  const entry = pack[policy];
  const object = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
  const definition = ALL_POLICIES.find((p) => p.name === policy);
  const level = typeof entry === "string" ? entry : typeof object.enforcementLevel === "string" ? object.enforcementLevel : String(pack.all ?? definition?.enforcementLevel ?? "mandatory");
  const schemaDefault = definition?.configSchema?.properties?.[setting] as { default?: unknown } | undefined;
  return { level, value: object[setting] ?? schemaDefault?.default, evaluationTime: object.evaluationTime as string | undefined };
}

export interface DateFinding {
  level: "mandatory" | "advisory";
  line: string;
}

/**
 * The policy pack's date rules over the new secrets, with the pack's own settings for this environment, so that a
 * project onboard accepts is not refused by `plan` a minute later: SEC-04 (already expired) and SEC-02 (valid for
 * longer than maxValidityDays). Mandatory findings refuse the onboarding; advisory ones are warnings, as in plan.
 */
export function dateRuleFindings(basePack: PackConfig, now: string | undefined, environment: string, secrets: { spec: string; expiresOn: string }[]): DateFinding[] {
  const pack = withStackOverrides(basePack, undefined, now);
  const expired = policySetting(pack, "sec-04-secret-not-expired", "warnDays");
  const validity = policySetting(pack, "sec-02-secret-max-validity", "maxValidityDays");
  const out: DateFinding[] = [];
  for (const { spec, expiresOn } of secrets) {
    const expires = epochSeconds(expiresOn);
    if (Number.isNaN(expires)) continue; // validation names the malformed date
    const nowSeconds = evaluationNow({ evaluationTime: expired.evaluationTime }) / 1000;
    if (expired.level !== "disabled" && expires <= nowSeconds) {
      out.push({ level: expired.level as DateFinding["level"], line: `--secret "${spec}": expiresOn ${expiresOn} has already passed (SEC-04, ${expired.level}); choose a future date` });
      continue;
    }
    const maxDays = Number(validity.value);
    const days = Math.ceil((expires - nowSeconds) / DAY_SECONDS);
    if (validity.level !== "disabled" && expires - nowSeconds > maxDays * DAY_SECONDS) {
      out.push({ level: validity.level as DateFinding["level"], line: `--secret "${spec}": expiresOn ${expiresOn} is ${days} days away; at most ${maxDays} are allowed (SEC-02 maxValidityDays, ${validity.level})` });
    }
  }
  return out;
}
