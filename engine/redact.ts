import { isSecret } from "./wire";

/** What every report shows in place of a secret value. */
export const REDACTED = "[secret]";

/**
 * The one redaction function every output path uses (tree, JSON, SARIF, hand-off, errors):
 * replaces each wire-form secret, at any depth, with "[secret]". Never mutates its input.
 */
export function redact(value: unknown): unknown {
  if (isSecret(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v);
    return out;
  }
  return value;
}

/** True when the value holds a secret anywhere inside it. */
export function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}
