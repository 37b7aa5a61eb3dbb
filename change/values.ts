/**
 * Input values made comparable across the three places they come from: the offline engine's wire form (this plan),
 * an earlier `mlvault plan --json` report (secrets shown as "[secret]" with a fingerprint beside them) and a
 * `pulumi stack export` (secrets as ciphertext). A secret becomes an opaque marker: its fingerprint when one is known,
 * never its value, so comparing two plans tells a changed secret from an unchanged one and prints neither.
 */
import { createHash } from "crypto";
import { REDACTED } from "../engine/redact";
import { isSecret, isUnknown } from "../engine/wire";

/** A secret as compared: where its fingerprint comes from (two sources' fingerprints cannot be compared) and it. */
export interface SecretMarker {
  readonly secret: true;
  readonly domain: "plan" | "export";
  readonly fingerprint: string | null;
}
/** A value the provider or another resource computes: unknown until `pulumi up`. */
export interface UnknownMarker {
  readonly unknown: true;
}

export function isSecretMarker(v: unknown): v is SecretMarker {
  return typeof v === "object" && v !== null && (v as SecretMarker).secret === true && "domain" in v;
}
export function isUnknownMarker(v: unknown): v is UnknownMarker {
  return typeof v === "object" && v !== null && (v as UnknownMarker).unknown === true && Object.keys(v).length === 1;
}

/**
 * A digest of what stands in a secret offline (the ciphertext-derived placeholder of a `secure:` value, a simulated
 * provider value), for the plan report. The offline engine never holds a real secret value: plaintext secrets in
 * stack files are refused before anything runs.
 */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update("mlvault-secret\u0000" + JSON.stringify(value)).digest("hex").slice(0, 16);
}

/** Every secret's fingerprint in a wire-form value, by input path (`properties.value`): what the plan report keeps. */
export function secretFingerprints(inputs: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  walk(inputs, "", (path, v) => {
    if (!isSecret(v)) return false;
    out[path] = fingerprint(v.value);
    return true;
  });
  return out;
}

/** This plan's wire-form inputs, comparable. */
export function fromWire(value: unknown): unknown {
  if (isSecret(value)) return { secret: true, domain: "plan", fingerprint: isUnknown(value.value) ? null : fingerprint(value.value) } as SecretMarker;
  if (isUnknown(value)) return { unknown: true } as UnknownMarker;
  return mapChildren(value, fromWire);
}

/** An earlier plan report's inputs ("[secret]" with the report's fingerprints), comparable. */
export function fromReport(value: unknown, fingerprints: Record<string, string> = {}, path = ""): unknown {
  if (value === REDACTED) return { secret: true, domain: "plan", fingerprint: fingerprints[path] ?? null } as SecretMarker;
  if (Array.isArray(value)) return value.map((v, i) => fromReport(v, fingerprints, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromReport(v, fingerprints, join(path, k))]));
  }
  return value;
}

/**
 * A stack export's inputs, comparable: a secret's fingerprint is a digest of its ciphertext (Pulumi keeps the
 * ciphertext of an unchanged secret), never of a plaintext a `--show-secrets` export holds.
 */
export function fromExport(value: unknown): unknown {
  if (isSecret(value)) {
    const ciphertext = (value as { ciphertext?: unknown }).ciphertext;
    return { secret: true, domain: "export", fingerprint: typeof ciphertext === "string" ? fingerprint(ciphertext) : null } as SecretMarker;
  }
  return mapChildren(value, fromExport);
}

export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function mapChildren(value: unknown, f: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map(f);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, f(v)]));
  return value;
}

/** Visits every value by path; `visit` returning true stops the descent there. */
function walk(value: unknown, path: string, visit: (path: string, v: unknown) => boolean): void {
  if (visit(path, value)) return;
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, join(path, k), visit);
}
