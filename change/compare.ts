/**
 * The input paths that differ between a resource's earlier inputs and this plan's, as Pulumi's detailed diff names
 * them (`properties.attributes.expires`, `logs[0].enabled`). Values are the comparable forms of change/values.ts.
 */
import { isSecretMarker, isUnknownMarker, join } from "./values";

export interface CompareOptions {
  /**
   * Strings in this plan that stand for values only Azure knows (the offline engine's fake subscription and tenant
   * ids): matched against any GUID in the earlier value, since a stack export holds the real ones.
   */
  wildcards?: readonly string[];
}

/** The paths where `before` and `after` differ; [] when they are the same. */
export function changedPaths(before: unknown, after: unknown, opts: CompareOptions = {}, path = ""): string[] {
  if (isSecretMarker(before) || isSecretMarker(after)) return secretChanged(before, after) ? [path] : [];
  if (isUnknownMarker(after)) return [path];
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return [path];
    return before.flatMap((b, i) => changedPaths(b, after[i], opts, `${path}[${i}]`));
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], opts, join(path, k)));
  }
  if (typeof before === "string" && typeof after === "string" && opts.wildcards?.some((w) => after.includes(w))) {
    return sameUpToWildcards(before, after, opts.wildcards) ? [] : [path];
  }
  return before === after || (before === undefined && after === null) || (before === null && after === undefined) ? [] : [path];
}

/**
 * Two secrets differ when both fingerprints come from the same kind of source and differ, or when only one side is
 * secret. A plan's fingerprint and an export's ciphertext digest cannot be compared: unchanged as far as anyone can
 * tell without decrypting (the report says so).
 */
function secretChanged(before: unknown, after: unknown): boolean {
  if (!isSecretMarker(before) || !isSecretMarker(after)) return true;
  if (before.domain !== after.domain || before.fingerprint === null || after.fingerprint === null) return false;
  return before.fingerprint !== after.fingerprint;
}

function sameUpToWildcards(before: string, after: string, wildcards: readonly string[]): boolean {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let pattern = escape(after);
  for (const w of wildcards) pattern = pattern.split(escape(w)).join("[0-9a-fA-F-]{36}");
  return new RegExp(`^${pattern}$`, "i").test(before);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
