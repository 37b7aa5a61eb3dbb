/**
 * The rules of the stack config, each a small named check with the message users see.
 * One place, so the program, the CLI (`plan`, `onboard`) and the docs agree.
 */
export const PROJECT_NAME = /^[a-z][a-z0-9]{1,11}$/;
export const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Azure resource id of a subnet: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>. */
export const SUBNET_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]{2,64}\/subnets\/[-\w.]{1,80}$/i;
export const PRIVATE_DNS_ZONE_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Network\/privateDnsZones\/[-\w.]{1,253}$/i;
/** Key Vault's limit on a secret value. */
export const MAX_SECRET_BYTES = 25_600;
export const GENERATED_LENGTH = { min: 16, max: 256, default: 32 } as const;
export const ROTATION_DAYS = { min: 1, max: 365 } as const;
export const LOG_RETENTION = { min: 30, max: 730, default: { dev: 30, prod: 365 } } as const;
export const PASSWORD_LIFETIME = { min: 0, max: 365, default: 90 } as const;
/** Entra federated identity credential names: 3-120 chars, letters, digits, hyphens, underscores. */
export const FEDERATED_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const messages = {
  projectName: "must be 2-12 characters: lowercase letters and digits, starting with a letter",
  secretName: "must match ^[0-9a-zA-Z-]{1,127}$ (Key Vault secret names: letters, digits and hyphens)",
  guid: "must be an Entra object id (a GUID such as 00000000-0000-0000-0000-000000000000)",
  ip: "must be an IPv4 address or CIDR range such as 203.0.113.0/24",
  subnetId: "must be a subnet resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
  dnsZoneId: "must be a private DNS zone resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>",
  isoDate: "must be an ISO 8601 date (YYYY-MM-DD) or UTC date-time (YYYY-MM-DDThh:mm:ssZ)",
  email: "must be an email address",
} as const;

export function isEmail(s: string): boolean {
  return EMAIL.test(s);
}

/** IPv4 address or CIDR range: Key Vault and storage network rules accept IPv4 only. No leading zeros (ambiguous octal). */
export function isIpv4OrCidr(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith("0")))) return false;
  return m[5] === undefined || Number(m[5]) <= 32;
}

/** Epoch milliseconds of an ISO date or UTC date-time, or undefined when it is not a real calendar date. */
export function parseIsoDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h = "0", mi = "0", se = "0"] = m.slice(1);
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
  const back = new Date(t);
  // Reject 2027-02-30 and friends: Date.UTC silently rolls them over.
  if (back.getUTCFullYear() !== +y || back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d) return undefined;
  if (+h > 23 || +mi > 59 || +se > 59) return undefined;
  return t;
}
