import type { StackConfig } from "../config/validate";
import { ALL_POLICIES } from "../policies/all";

/** Each override goes only to the policies whose configSchema declares it. */
function schemaProperties(policy: string): string[] {
  const p = ALL_POLICIES.find((x) => x.name === policy);
  return Object.keys(p?.configSchema?.properties ?? {});
}

function policyNames(): string[] {
  return ALL_POLICIES.map((p) => p.name);
}

type PackConfig = Record<string, unknown>;

/**
 * What a stack's own config tells the pack, on top of the environment's `policies/config/<env>.json`:
 * - `vaultAccessModel: accessPolicy` is the documented opt-in for access policies (KV-04 then defers to ID-04);
 * - `manageDefender: false` means another stack owns the subscription's Defender plan (KV-09);
 * - MLVAULT_NOW pins the clock of the time-dependent checks (SEC-02, SEC-04, ID-01), as it pins the program's.
 * Explicit entries in the environment file win over nothing: these only add properties.
 */
export function withStackOverrides(base: PackConfig, stack: StackConfig | undefined, now: string | undefined): PackConfig {
  const out: PackConfig = { ...base };
  const add = (policy: string, props: Record<string, unknown>) => {
    if (!Object.keys(props).every((k) => schemaProperties(policy).includes(k))) return;
    const current = out[policy];
    const entry = typeof current === "string" ? { enforcementLevel: current } : { ...(current as object | undefined) };
    out[policy] = { ...entry, ...props };
  };
  if (stack?.platform.vaultAccessModel === "accessPolicy") {
    for (const p of policyNames()) add(p, { allowAccessPolicyMode: true });
  }
  if (stack && !stack.platform.manageDefender) add("kv-09-defender-for-key-vault", { managedElsewhere: true });
  if (now) for (const p of policyNames()) add(p, { evaluationTime: now });
  return out;
}
