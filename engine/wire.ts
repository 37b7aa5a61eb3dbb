/**
 * Pulumi's wire form for property values (sdk/go/common/resource/sig): what the engine sends to an
 * analyzer, what the mock monitor receives, and what `pulumi stack export` writes (for secrets,
 * with `ciphertext` instead of `value` when encrypted).
 */
export const SPECIAL_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Unknown string during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Sentinels for unknowns of other types, as the engine sends them to analyzers. */
export const UNKNOWN_SENTINELS = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
]);

export interface SecretValue {
  [SPECIAL_SIG]: typeof SECRET_SIG;
  value?: unknown;
  ciphertext?: string;
}

export function isSecret(v: unknown): v is SecretValue {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SPECIAL_SIG] === SECRET_SIG;
}

export function secret(value: unknown): SecretValue {
  return { [SPECIAL_SIG]: SECRET_SIG, value } as SecretValue;
}

export function isUnknown(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}
