/**
 * Secret and key controls SEC-01…SEC-05, KEY-01, KEY-02. Secrets and keys are secret-bearing:
 * messages describe what is wrong ("expires is missing") and never quote a property value.
 * `attributes.expires` / `notBefore` are integer epoch SECONDS.
 */
import type { Policies, PolicyConfigSchema } from "@pulumi/policy";
import { EVALUATION_TIME_SCHEMA, evaluationNow } from "./lib/config";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { linkedVaultsCheck, VAULT_BASELINE_SCHEMA, type VaultBaselineConfig } from "./lib/linkedVaults";
import { ofType, parentIdBefore } from "./lib/links";
import { T } from "./lib/types";
import { asArray, asBool, asNumber, DAY_SECONDS, daysBetween, eqi, isNonEmptyString, isoDurationDays, isRecord } from "./lib/values";

const NO_CONFIG = { properties: {} };

/**
 * A secret mlvault retired (`retired: true`): disabled and tagged `lifecycle: retired`. Key Vault refuses to read a
 * disabled secret, so its expiry no longer matters; the expiry controls skip it (a retired expired secret must not
 * block the change that retires it). Disabled alone is not enough: external secrets start disabled.
 */
function isRetired(props: Record<string, any>): boolean {
  return attributes(props).enabled === false && isRecord(props.tags) && Object.entries(props.tags).some(([k, v]) => eqi(k, "lifecycle") && eqi(v, "retired"));
}

/**
 * A secret's or key's attributes as ARM reads them: `expires` / `notBefore` as numbers even when sent as numeric
 * strings, `enabled` as a boolean even when sent as "false". Unreadable values stay as they are (then reported).
 */
function attributes(props: Record<string, any>): Record<string, any> {
  const p = isRecord(props.properties) ? props.properties : {};
  const a = isRecord(p.attributes) ? p.attributes : {};
  const out: Record<string, any> = { ...a };
  for (const k of ["expires", "notBefore"]) if (a[k] !== undefined && a[k] !== null) out[k] = asNumber(a[k]) ?? a[k];
  if (a.enabled !== undefined && a.enabled !== null) out.enabled = asBool(a.enabled) ?? a.enabled;
  return out;
}

/** Epoch seconds above this are almost certainly milliseconds (year 5138 in seconds). */
const MAX_PLAUSIBLE_EPOCH_SECONDS = 1e11;

/** The problem with an `expires` attribute, without quoting it; undefined when it is usable. */
function expiresProblem(expires: unknown): string | undefined {
  if (expires === undefined || expires === null) return "properties.attributes.expires is missing";
  if (typeof expires !== "number" || !Number.isFinite(expires)) return "properties.attributes.expires is not a number of epoch seconds";
  if (expires > MAX_PLAUSIBLE_EPOCH_SECONDS) return "properties.attributes.expires looks like milliseconds; it must be epoch seconds";
  return undefined;
}

function expiryPolicy(name: string, control: "SEC-01" | "KEY-01", type: string, noun: string) {
  return resourcePolicy({
    name,
    controls: [control],
    summary: `Key Vault ${noun}s have an expiration date.`,
    types: [type],
    configSchema: NO_CONFIG,
    check(props, { report }) {
      const problem = expiresProblem(attributes(props).expires);
      if (problem) report(control, `${problem}; set an expiration date (epoch seconds) on the ${noun}.`);
    },
  });
}

export const sec01SecretExpiry = expiryPolicy("sec-01-secret-expiry", "SEC-01", T.secret, "secret");
export const key01KeyExpiry = expiryPolicy("key-01-key-expiry", "KEY-01", T.key, "key");

interface ValidityConfig { maxValidityDays: number; evaluationTime?: string }
export const sec02SecretMaxValidity = resourcePolicy<ValidityConfig>({
  name: "sec-02-secret-max-validity",
  controls: ["SEC-02"],
  summary: "Secrets are valid for a bounded period: from activation (or now) to expiry at most the configured maximum (default 365 days).",
  types: [T.secret],
  configSchema: {
    properties: {
      maxValidityDays: { type: "integer", minimum: 1, default: 365, description: "Longest allowed validity period of a secret, in days." },
      evaluationTime: EVALUATION_TIME_SCHEMA,
    },
  },
  check(props, { config, report }) {
    const attrs = attributes(props);
    if (expiresProblem(attrs.expires)) return; // SEC-01 reports it.
    const notBefore = attrs.notBefore;
    // A secret that only becomes valid after it expires can never be used: a validity period below zero.
    if (typeof notBefore === "number" && notBefore >= attrs.expires) {
      report("SEC-02", "properties.attributes.notBefore (activation) is not before expires; the secret could never be read. Move the activation date before the expiry.");
      return;
    }
    const start = typeof notBefore === "number" ? notBefore : evaluationNow(config) / 1000;
    if (attrs.expires - start > config.maxValidityDays * DAY_SECONDS) {
      // Counts, never the dates themselves: a secret-bearing resource's values stay out of messages.
      const from = typeof notBefore === "number" ? "its activation date" : "now";
      report("SEC-02", `the secret is valid for ${daysBetween(start * 1000, attrs.expires * 1000)} days from ${from} to its expiry, more than the maximum of ${config.maxValidityDays} days; bring properties.attributes.expires closer.`);
    }
  },
});

export const sec03SecretContentType = resourcePolicy({
  name: "sec-03-secret-content-type",
  controls: ["SEC-03"],
  summary: "Secrets declare a content type.",
  types: [T.secret],
  configSchema: NO_CONFIG,
  check(props, { report }) {
    const p = isRecord(props.properties) ? props.properties : {};
    if (!isNonEmptyString(p.contentType)) {
      report("SEC-03", `properties.contentType ${p.contentType === undefined || p.contentType === null ? "is missing" : "is empty"}; set it (e.g. "password", "api-key").`);
    }
  },
});

interface ExpiryConfig { warnDays: number; evaluationTime?: string }
const EXPIRY_SCHEMA: PolicyConfigSchema = {
  properties: {
    warnDays: { type: "integer", minimum: 0, default: 30, description: "Warn when a secret expires within this many days." },
    evaluationTime: EVALUATION_TIME_SCHEMA,
  },
};

export const sec04SecretNotExpired = resourcePolicy<ExpiryConfig>({
  name: "sec-04-secret-not-expired",
  controls: ["SEC-04"],
  summary: "Secrets are not already expired.",
  types: [T.secret],
  configSchema: EXPIRY_SCHEMA,
  check(props, { config, report }) {
    const expires = attributes(props).expires;
    if (expiresProblem(expires) || isRetired(props)) return;
    if (expires * 1000 <= evaluationNow(config)) {
      report("SEC-04", `the secret expired ${daysBetween(expires * 1000, evaluationNow(config))} day(s) ago; rotate it and move properties.attributes.expires into the future.`);
    }
  },
});

/** The near-expiry half of SEC-04 is a warning by definition: advisory in every environment. */
export const sec04SecretNearExpiry = resourcePolicy<ExpiryConfig>({
  name: "sec-04-secret-near-expiry",
  controls: ["SEC-04"],
  summary: "Secrets expiring soon are flagged (advisory; the warning window defaults to 30 days).",
  types: [T.secret],
  enforcementLevel: "advisory",
  configSchema: EXPIRY_SCHEMA,
  check(props, { config, report }) {
    const expires = attributes(props).expires;
    if (expiresProblem(expires) || isRetired(props)) return;
    const now = evaluationNow(config);
    const ms = expires * 1000;
    if (ms > now && ms <= now + config.warnDays * DAY_SECONDS * 1000) {
      report("SEC-04", `the secret expires in ${daysBetween(now, ms)} day(s), within the warning window of ${config.warnDays} days; rotate it and extend properties.attributes.expires.`);
    }
  },
});

const SECRET_ID_MARKER = /\/secrets\/[^/]+$/i;
export const sec05SecretInCompliantVault = stackPolicy<VaultBaselineConfig>({
  name: "sec-05-secret-in-compliant-vault",
  evidenceTypes: [T.secret],
  controls: ["SEC-05"],
  summary: "Every secret lives in a vault of the same stack that passes KV-01, KV-02 and KV-04.",
  configSchema: VAULT_BASELINE_SCHEMA,
  check(resources, { config, report }) {
    linkedVaultsCheck(resources, ofType(resources, T.secret), {
      targetIds: (s) => parentIdBefore(s.props.id, SECRET_ID_MARKER),
    }, config, (secret, problem) =>
      report("SEC-05", `secret "${secret.name}" ${problem}; keep secrets in a vault of this stack with soft delete, purge protection and RBAC.`, secret.urn));
  },
});

interface RotationConfig { maxRotationDays: number }
export const key02KeyRotation = resourcePolicy<RotationConfig>({
  name: "key-02-key-rotation",
  controls: ["KEY-02"],
  summary: "Keys have an automatic rotation policy that rotates within the configured number of days of creation (default 90).",
  types: [T.key],
  configSchema: {
    properties: {
      maxRotationDays: { type: "integer", minimum: 1, default: 90, description: "Rotate a key at most this many days after creation." },
    },
  },
  check(props, { config, report }) {
    const p = isRecord(props.properties) ? props.properties : {};
    const policy = isRecord(p.rotationPolicy) ? p.rotationPolicy : undefined;
    if (!policy) {
      report("KEY-02", `properties.rotationPolicy is missing; add a lifetime action of type "rotate" with timeAfterCreate within ${config.maxRotationDays} days.`);
      return;
    }
    const expiryDays = isoDurationDays(isRecord(policy.attributes) ? policy.attributes.expiryTime : undefined);
    const rotates = asArray(policy.lifetimeActions).filter((a) => isRecord(a) && isRecord(a.action) && eqi(a.action.type, "rotate"));
    const withinLimit = rotates.some((a) => {
      const trigger = isRecord(a.trigger) ? a.trigger : {};
      const afterCreate = isoDurationDays(trigger.timeAfterCreate);
      if (afterCreate !== undefined) return afterCreate <= config.maxRotationDays;
      // "Rotate N before expiry" rotates at expiryTime - N after creation.
      const beforeExpiry = isoDurationDays(trigger.timeBeforeExpiry);
      return beforeExpiry !== undefined && expiryDays !== undefined && expiryDays - beforeExpiry <= config.maxRotationDays;
    });
    if (!withinLimit) {
      report("KEY-02", rotates.length === 0
        ? "properties.rotationPolicy has no lifetime action of type \"rotate\"; add one."
        : `no "rotate" lifetime action triggers within ${config.maxRotationDays} days of creation (${rotationAfter(rotates, expiryDays)}); shorten timeAfterCreate.`);
    }
  },
});

/** When the earliest rotate action fires, in days after creation, for the message (a count, never the raw value). */
function rotationAfter(rotates: Record<string, any>[], expiryDays: number | undefined): string {
  const days = rotates.flatMap((a) => {
    const trigger = isRecord(a.trigger) ? a.trigger : {};
    const afterCreate = isoDurationDays(trigger.timeAfterCreate);
    if (afterCreate !== undefined) return [afterCreate];
    const beforeExpiry = isoDurationDays(trigger.timeBeforeExpiry);
    return beforeExpiry !== undefined && expiryDays !== undefined ? [expiryDays - beforeExpiry] : [];
  });
  return days.length > 0 ? `the earliest rotates ${Math.ceil(Math.min(...days))} days after creation` : "no trigger is a valid ISO 8601 duration";
}

const STRONG_CURVES = ["P-384", "P-521"];
const MIN_RSA_BITS = 3072;
/** Keys are secret-bearing: messages say what is wrong, never the value that was sent. */
export const key03StrongKey = resourcePolicy({
  name: "key-03-strong-key",
  controls: ["KEY-03"],
  summary: `Keys are RSA with at least ${MIN_RSA_BITS} bits or EC on curve P-384 or P-521.`,
  types: [T.key],
  configSchema: { properties: {} },
  check(props, { report }) {
    const p = isRecord(props.properties) ? props.properties : {};
    const kty = typeof p.kty === "string" ? p.kty.trim().toUpperCase() : undefined;
    if (kty === "RSA" || kty === "RSA-HSM") {
      const size = typeof p.keySize === "number" ? p.keySize : Number(p.keySize);
      if (p.keySize === undefined) report("KEY-03", `properties.keySize is missing (Key Vault's default is 2048); set it to ${MIN_RSA_BITS} or 4096.`);
      else if (!Number.isFinite(size) || size < MIN_RSA_BITS) report("KEY-03", `properties.keySize is below ${MIN_RSA_BITS}; set it to ${MIN_RSA_BITS} or 4096.`);
    } else if (kty === "EC" || kty === "EC-HSM") {
      if (!STRONG_CURVES.some((c) => eqi(p.curveName, c))) {
        report("KEY-03", `properties.curveName is ${p.curveName === undefined ? "missing" : "not P-384 or P-521"}; use P-384 or P-521.`);
      }
    } else {
      report("KEY-03", `properties.kty is ${p.kty === undefined ? "missing" : "not RSA, RSA-HSM, EC or EC-HSM"}; use RSA-HSM (keySize >= ${MIN_RSA_BITS}) or EC-HSM (P-384 / P-521).`);
    }
  },
});

export const SECRET_POLICIES: Policies = [
  sec01SecretExpiry, sec02SecretMaxValidity, sec03SecretContentType, sec04SecretNotExpired,
  sec04SecretNearExpiry, sec05SecretInCompliantVault, key01KeyExpiry, key02KeyRotation, key03StrongKey,
];
