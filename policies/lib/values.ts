/**
 * Readers for property values as Azure reads them, not as they are spelled: enums in any case, surrounding and
 * zero-width whitespace ignored, booleans and numbers sent as strings ("false", "90") taken for what ARM's JSON
 * binding makes of them, missing values, ISO dates and durations. A check that compares a raw value with `=== true`
 * can be fooled by `"true"`; every check goes through these. Nothing here catches the preview "unknown" error:
 * reading an unknown value must keep throwing so the server reports "can't run during preview", never a pass.
 */

/** Zero-width and invisible formatting characters: not content to Azure's comparisons, easy to hide in a value. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;

/** A string as compared: invisible characters removed, surrounding whitespace trimmed. Undefined for non-strings. */
export function clean(value: unknown): string | undefined {
  return typeof value === "string" ? value.replace(INVISIBLE, "").trim() : undefined;
}

/** Case-insensitive equality for enum-like strings (ARM and the SDK disagree on case), ignoring whitespace. */
export function eqi(value: unknown, expected: string): boolean {
  const v = clean(value);
  return v !== undefined && v.toLowerCase() === expected.toLowerCase();
}

/** A boolean as ARM reads it: true / false, or the strings "true" / "false" in any case. Undefined otherwise. */
export function asBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  const v = clean(value)?.toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}

export const isTrue = (value: unknown): boolean => asBool(value) === true;
export const isFalse = (value: unknown): boolean => asBool(value) === false;

/** A number as ARM reads it: a finite number, or a string holding one ("90"). Undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const v = clean(value);
  if (v === undefined || v === "" || !/^[-+]?\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** True when `value` is one of `allowed`, ignoring case. */
export function oneOfi(value: unknown, allowed: readonly string[]): boolean {
  return allowed.some((a) => eqi(value, a));
}

export function isNonEmptyString(value: unknown): value is string {
  return (clean(value) ?? "").length > 0;
}

export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The array, or [] when the value is missing or not an array. */
export function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

export const DAY_SECONDS = 86_400;
export const DAY_MS = 86_400_000;

/**
 * An ISO 8601 duration ("P90D", "P1Y", "P3M", "P2W", "PT36H") in days. Years count 365 days and
 * months 30 days (Key Vault's own approximation). Undefined when it is not a duration.
 */
export function isoDurationDays(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(value.trim());
  if (!m || value.trim().toUpperCase() === "P" || /T$/i.test(value.trim())) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + s / 86_400;
}

/** A Go duration as azuread's `endDateRelative` takes it ("8760h", "240h30m") in days. */
export function goDurationDays(value: unknown): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const re = /(\d+(?:\.\d+)?)(h|m|s|ms)/g;
  let total = 0;
  let consumed = 0;
  for (const m of value.trim().matchAll(re)) {
    consumed += m[0].length;
    const n = Number(m[1]);
    total += m[2] === "h" ? n / 24 : m[2] === "m" ? n / 1440 : m[2] === "s" ? n / 86_400 : n / 86_400_000;
  }
  return consumed === value.trim().length ? total : undefined;
}

/** Milliseconds since epoch of an ISO date string, or undefined when it does not parse. */
export function parseIsoDate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** The last path segment of an ARM id, lower-cased (e.g. a role definition GUID). */
export function lastSegment(armId: string): string {
  const parts = armId.split("/").filter((p) => p.length > 0);
  return (parts[parts.length - 1] ?? "").toLowerCase();
}

/**
 * A value as a message shows it: short strings quoted, numbers and booleans as they are, anything else by its kind.
 * Never a long or structured value, so a message cannot carry more than the setting it judges.
 */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return "missing";
  if (typeof value === "string") return value.length <= 64 ? JSON.stringify(value) : "a long string";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "a list" : "an object";
}

/** Whole days between two instants, rounded up (a validity of 365.2 days is more than 365). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.ceil((toMs - fromMs) / DAY_MS);
}
