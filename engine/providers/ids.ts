import { createHash } from "crypto";

/** Deterministic fake GUID for values a provider computes (principal ids, client ids): same urn, same value. */
export function fakeGuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The fixed, obviously fake identity the offline engine answers `getClientConfig` with. */
export const OFFLINE_CLIENT = {
  subscriptionId: "00000000-0000-4000-8000-0ff11e000001",
  tenantId: "00000000-0000-4000-8000-0ff11e000002",
  clientId: "00000000-0000-4000-8000-0ff11e000003",
  objectId: "00000000-0000-4000-8000-0ff11e000004",
} as const;
