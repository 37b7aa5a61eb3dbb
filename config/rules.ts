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
/** Azure Monitor Private Link Scope id: /subscriptions/<guid>/resourceGroups/<rg>/providers/microsoft.insights/privateLinkScopes/<name>. */
export const PRIVATE_LINK_SCOPE_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/microsoft\.insights\/privateLinkScopes\/([-\w.()]{1,255})$/i;
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
  privateLinkScopeId: "must be an Azure Monitor Private Link Scope resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/privateLinkScopes/<name>",
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

/**
 * Why a firewall allow-list entry cannot be sent to Azure, or undefined when it can. Key Vault and Storage take
 * public IPv4 rules only; Storage also refuses /31 and /32 ranges ("Configure these ranges by using individual IP
 * address rules") and private ranges ("IP address ranges reserved for private networks (as defined in RFC 1918)
 * aren't allowed in IP rules"): Azure Storage docs, storage-network-security-ip-address-range.md.
 */
export function ipRuleProblem(s: string): string | undefined {
  if (!isIpv4OrCidr(s)) return messages.ip;
  const [address, prefixText] = s.split("/");
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  const value = ipv4ToNumber(address);
  if (prefix === 31) return `${s}: /31 ranges are not accepted by Azure Storage; list the two addresses separately`;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if (((value & mask) >>> 0) !== value) {
    return `${s}: the address has bits set beyond the /${prefix} prefix; write the range as ${numberToIpv4((value & mask) >>> 0)}/${prefix}`;
  }
  const reserved = NON_PUBLIC_RANGES.find((r) => within(value, prefix, r));
  if (reserved) return `${s}: ${reserved.why}; IP rules admit public addresses only (use the address your traffic leaves from)`;
  return undefined;
}

/** A single address goes to Azure Storage without a prefix: it refuses `/32`. */
export function storageIpRule(range: string): string {
  return range.endsWith("/32") ? range.slice(0, -3) : range;
}

interface ReservedRange { base: number; prefix: number; why: string }
const reservedRange = (cidr: string, why: string): ReservedRange => {
  const [a, p] = cidr.split("/");
  return { base: ipv4ToNumber(a), prefix: Number(p), why };
};
/** Ranges no public client comes from. RFC 1918 is refused by Azure Storage; the rest could never match. */
const NON_PUBLIC_RANGES: ReservedRange[] = [
  reservedRange("10.0.0.0/8", "in a private (RFC 1918) range, which Azure Storage refuses"),
  reservedRange("172.16.0.0/12", "in a private (RFC 1918) range, which Azure Storage refuses"),
  reservedRange("192.168.0.0/16", "in a private (RFC 1918) range, which Azure Storage refuses"),
  reservedRange("0.0.0.0/8", "in 0.0.0.0/8 (\"this network\", RFC 1122)"),
  reservedRange("100.64.0.0/10", "in a carrier-grade NAT range (RFC 6598)"),
  reservedRange("127.0.0.0/8", "in a loopback range"),
  reservedRange("169.254.0.0/16", "in a link-local range"),
  reservedRange("224.0.0.0/3", "in a multicast or reserved range"),
];

/** The range lies inside `r`. (Ranges wider than a reserved one, e.g. 0.0.0.0/0, are the policies' concern.) */
function within(value: number, prefix: number, r: ReservedRange): boolean {
  if (prefix < r.prefix) return false;
  const mask = (0xffffffff << (32 - r.prefix)) >>> 0;
  return ((value & mask) >>> 0) === r.base;
}

function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
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
