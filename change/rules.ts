/**
 * Which input changes the providers replace, which Azure refuses after creation, and which nobody applies: the data in
 * change/data/replacement.json, each entry with its source (the REST spec of the API version azure-native uses, the
 * provider's source, Microsoft docs or an issue). A type the program creates but the data lacks fails a test
 * (test/change/rules.test.ts), so a new resource type cannot slip into the preview unjudged.
 */
import data from "./data/replacement.json";

export interface Rule {
  path: string;
  why: string;
  source: string;
  /** Only this direction of a boolean change is refused ("true->false"). */
  only?: string;
}

export interface TypeRules {
  apiVersion: string | null;
  replaceOn: Rule[];
  immutable: Rule[];
  ignored: Rule[];
}

const TYPES = data.types as unknown as Record<string, TypeRules>;

/** The rules of a type, or undefined when the data has none (the preview then says so rather than guess). */
export function rulesOf(type: string): TypeRules | undefined {
  return TYPES[type];
}

export function knownTypes(): string[] {
  return Object.keys(TYPES);
}

/**
 * Whether a changed input path falls under a rule's path: the same path, a path inside it (`encryption.status` under
 * `encryption`), or a whole object that holds it (`properties` changed as a whole, e.g. computed, holds
 * `properties.softDeleteRetentionInDays`).
 */
export function covers(rulePath: string, changed: string): boolean {
  return inside(rulePath, changed) || inside(changed, rulePath);
}

/** `inner` is `outer` or a path within it (`encryption.status` within `encryption`; `logs[0]` within `logs`). */
export function inside(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/** Rules whose path one of the changed paths falls under. */
export function matching(rules: Rule[], changed: string[]): Rule[] {
  return rules.filter((rule) => changed.some((c) => covers(rule.path, c)));
}
