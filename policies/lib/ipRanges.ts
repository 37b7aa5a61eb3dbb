/**
 * Firewall allow-list entries that admit too much (KV-06, ST-05): the whole internet (`0.0.0.0/0`, `*`, `any`) or
 * any range wider than a configurable prefix (default /16, 65,536 addresses). Values are read as Azure reads them
 * (whitespace and zero-width characters are not content).
 */
import { asArray, clean, isRecord } from "./values";

export const WIDEST_PREFIX_SCHEMA = {
  type: "integer" as const, minimum: 0, maximum: 32, default: 16,
  description: "The widest allowed IP range prefix in a firewall allow-list (a /8 is wider than a /16).",
};

/** The prefix length of an IPv4 address or CIDR (a plain address is /32); 0 for the whole-internet spellings. */
export function prefixOf(entry: unknown): number | undefined {
  const v = clean(entry)?.toLowerCase();
  if (v === undefined || v === "") return undefined;
  if (v === "*" || v === "any" || v === "internet") return 0;
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(v);
  if (!m) return undefined;
  return m[2] === undefined ? 32 : Number(m[2]);
}

/** The entries of an IP rule list (objects with `key`) wider than `widestPrefix`. */
export function tooWide(rules: unknown, key: string, widestPrefix: number): string[] {
  return asArray(rules).flatMap((r) => {
    const value = isRecord(r) ? r[key] : r;
    const prefix = prefixOf(value);
    return prefix !== undefined && prefix < widestPrefix ? [clean(value)!] : [];
  });
}

export function describeWide(entries: string[], widestPrefix: number): string {
  const internet = entries.some((e) => prefixOf(e) === 0);
  return `${entries.join(", ")} ${internet ? "admits the whole internet" : `is wider than /${widestPrefix}`}`;
}
