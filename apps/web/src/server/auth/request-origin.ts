import type { RequestSource } from "./request-source";

const hostSyntax = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** `Host: Example.org:443` names https://example.org; anything with user info, paths or odd characters names nothing. */
export function hostMatches(host: string | null, publicUrl: URL): boolean {
  if (!host || !hostSyntax.test(host)) return false;
  try {
    return new URL(`${publicUrl.protocol}//${host}`).host === publicUrl.host;
  } catch {
    return false;
  }
}

/**
 * Why the API refuses a request, or null. Every request must be addressed to the public host
 * (a page on a rebound DNS name reaches us with its own Host); a mutation must also carry
 * exactly the public origin, scheme, host and port, as browsers send it (CSRF). The raw header
 * is compared, not a parsed URL, so `http://evil.test@127.0.0.1:3000` is not our origin.
 */
export function originRefusal(req: { method: string; headers: Headers }, source: RequestSource, publicUrl: URL): string | null {
  const mutation = req.method !== "GET" && req.method !== "HEAD";
  if ((mutation || source.host !== null) && !hostMatches(source.host, publicUrl)) return "Unknown host.";
  if (mutation && req.headers.get("origin") !== publicUrl.origin) return "Cross-site request refused.";
  return null;
}
