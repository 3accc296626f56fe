import { isIP } from "node:net";
import { normalizeAddress, type TrustedProxies } from "./trusted-proxies";

/** Who sent a request, as far as the socket and the trusted proxies in front of us tell. */
export interface RequestSource {
  /** The client's IP address, or "unknown" when no server in front of the app said (in-process callers). */
  clientAddress: string;
  /** The request reached our HTTP server from a trusted proxy, so its X-Forwarded-Host/-Proto are believed. */
  viaTrustedProxy: boolean;
  /** The host the browser asked for: X-Forwarded-Host from a trusted proxy, else Host. */
  host: string | null;
  /** "https" or "http" as a trusted proxy reported it; null when none did. */
  forwardedProto: string | null;
}

/** Headers a client may use to claim another address, host or scheme; only trusted proxies may send them. */
export const forwardedHeaders = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "forwarded"] as const;

const first = (value: string | null) => value?.split(",")[0]?.trim() || null;

/**
 * Reads a request as our HTTP server (web-server.ts) hands it on: X-Forwarded-For always ends
 * with the socket's peer, which the server appended (trusted proxy) or wrote alone (anyone else,
 * whose own forwarded headers it deleted). The client is the right-most address that is not a
 * trusted proxy, so a client cannot shift it by prepending values.
 */
export function requestSource(headers: Headers, trusted: TrustedProxies): RequestSource {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map(normalizeAddress)
    .filter((a) => isIP(a) !== 0);
  const peer = chain.at(-1);
  const viaTrustedProxy = peer !== undefined && trusted.includes(peer);
  const client = [...chain].reverse().find((a) => !trusted.includes(a)) ?? chain[0] ?? "unknown";
  return {
    clientAddress: client,
    viaTrustedProxy,
    host: (viaTrustedProxy ? first(headers.get("x-forwarded-host")) : null) ?? headers.get("host"),
    forwardedProto: viaTrustedProxy ? (first(headers.get("x-forwarded-proto"))?.toLowerCase() ?? null) : null,
  };
}
