/**
 * Property values as the Pulumi engine marshals them for an analyzer (plugin.MarshalProperties with
 * KeepUnknowns, KeepSecrets, SkipInternalKeys and no KeepResources / KeepOutputValues):
 * - secrets stay `{sig: secret, value}` and unknowns stay sentinel strings, so the pack's own
 *   deserializer unwraps secrets and its proxy turns unknown reads into "can't run during preview";
 * - keys starting with `__` (bridged providers' `__defaults`, `__meta`) are dropped at every level;
 * - resource references are downgraded to their id (custom) or urn (component);
 * - output values are downgraded to their value, an unknown, or a secret of either.
 * One deliberate difference: an encrypted secret from a stack export (`ciphertext`, no `value`) is
 * sent as a secret whose value is unknown. The CLI would decrypt it; we cannot and must not, and a
 * secret with no value crashes the pack's deserializer. A policy reading it reports "can't run".
 */
import { RESOURCE_REFERENCE_SIG, SECRET_SIG, SPECIAL_SIG, UNKNOWN, isSecret } from "./wire";

/** Signature of an output value (sdk/go/common/resource/sig: OutputValueSig). */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function wireSecret(value: Json): Json {
  return { [SPECIAL_SIG]: SECRET_SIG, value };
}

/** Converts one property value to the form the engine puts on the wire for analyzers. */
export function toAnalyzerValue(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((v) => toAnalyzerValue(v) ?? null);
  if (typeof value !== "object") return null;

  const obj = value as Record<string, unknown>;
  if (isSecret(value)) {
    const inner = "value" in obj && obj.value !== undefined ? toAnalyzerValue(obj.value) : UNKNOWN;
    return wireSecret(inner ?? null);
  }
  const sig = obj[SPECIAL_SIG];
  if (sig === RESOURCE_REFERENCE_SIG) {
    const id = obj.id;
    return typeof id === "string" && id !== "" ? id : typeof obj.urn === "string" ? obj.urn : UNKNOWN;
  }
  if (sig === OUTPUT_VALUE_SIG) {
    const known = "value" in obj && obj.value !== undefined;
    const inner = known ? (toAnalyzerValue(obj.value) ?? null) : UNKNOWN;
    return obj.secret === true ? wireSecret(inner) : inner;
  }
  return toAnalyzerProperties(obj);
}

/** Converts a property map, dropping internal (`__`) keys and undefined values. */
export function toAnalyzerProperties(props: Record<string, unknown> | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (!props) return out;
  for (const [key, raw] of Object.entries(props)) {
    if (key.startsWith("__")) continue;
    const v = toAnalyzerValue(raw);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * Collects the plaintext strings held inside secrets (at any depth), so that anything the pack
 * sends back — violation messages, error text, stderr — can be scrubbed of them. Policies receive
 * secrets as plaintext and cannot tell; this is the analyzer's defence in depth.
 */
export function collectSecretStrings(value: unknown, into: Set<string>, insideSecret = false): void {
  if (typeof value === "string") {
    // Very short strings would turn ordinary words into "[secret]"; they are not worth guarding.
    if (insideSecret && value.length >= 4) into.add(value);
    return;
  }
  if (typeof value === "number") {
    if (insideSecret && String(value).length >= 4) into.add(String(value));
    return;
  }
  if (typeof value === "boolean") return; // "true" in a message reveals nothing worth hiding
  if (Array.isArray(value)) {
    for (const v of value) collectSecretStrings(v, into, insideSecret);
    return;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const nowSecret = insideSecret || isSecret(value) || (obj[SPECIAL_SIG] === OUTPUT_VALUE_SIG && obj.secret === true);
    for (const [k, v] of Object.entries(value)) {
      if (k === "ciphertext") continue; // opaque, and never sent to the pack
      collectSecretStrings(v, into, nowSecret);
    }
  }
}

/**
 * Replaces every known secret plaintext in text with "[secret]". Secrets are added per stack as
 * resources are analyzed; the longest are replaced first so a secret containing another is whole.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];

  /** Remembers every secret plaintext inside these property values. */
  addFrom(value: unknown): void {
    const before = this.secrets.size;
    collectSecretStrings(value, this.secrets);
    if (this.secrets.size !== before) this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  readonly scrub = (text: string): string => {
    let out = text;
    for (const s of this.ordered) if (out.includes(s)) out = out.split(s).join("[secret]");
    return out;
  };
}
