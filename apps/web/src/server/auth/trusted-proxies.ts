import { BlockList, isIP } from "node:net";

/** The proxies whose forwarded headers are believed (TRUSTED_PROXIES). */
export interface TrustedProxies {
  /** As configured, for messages. */
  readonly entries: readonly string[];
  includes(address: string): boolean;
}

/** "10.0.0.0/8, 192.168.1.7, fd00::/8" → a matcher; throws with the bad entry named. */
export function parseTrustedProxies(value: string): TrustedProxies {
  const blocks = new BlockList();
  const entries = value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = "", bits, ...rest] = entry.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? null : Number(bits);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= maxBits))) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === null) blocks.addAddress(address, type);
    else blocks.addSubnet(address, prefix, type);
  }
  return {
    entries,
    includes(raw) {
      const address = normalizeAddress(raw);
      const family = isIP(address);
      return family !== 0 && blocks.check(address, family === 6 ? "ipv6" : "ipv4");
    },
  };
}

/** A socket's "::ffff:127.0.0.1" is the IPv4 address 127.0.0.1. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}
