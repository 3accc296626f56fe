import { createHash } from "node:crypto";

/**
 * The row id a client's request id stands for, so a retried write (same request id) meets the
 * row it already wrote. Derived, not the request id itself: the id is namespaced by the
 * organisation, the caller and the kind of row, so no request id can aim at a row of another
 * organisation or person (whose ids a caller might know). A UUID (version 8, RFC 9562) from a
 * SHA-256 of those parts.
 */
export function rowIdForRequest(input: { tenantId: string; userId: string; kind: string; requestId: string }): string {
  const hex = createHash("sha256").update(`${input.kind}\n${input.tenantId}\n${input.userId}\n${input.requestId.toLowerCase()}`).digest("hex");
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
