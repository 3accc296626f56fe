import type { Cookie } from "lucia";
import { env, publicUrl } from "~/env";
import { lucia } from "./lucia";
import type { RequestSource } from "./request-source";

/**
 * Secure when configured so, when the public URL is https, or when the request reached us over
 * TLS: directly, or as a trusted proxy says (a client's own X-Forwarded-Proto is not believed).
 */
export function isSecureRequest(source: RequestSource, url: string): boolean {
  if (env.COOKIE_SECURE !== "auto") return env.COOKIE_SECURE === "always";
  if (publicUrl.protocol === "https:") return true;
  return (source.forwardedProto ?? new URL(url).protocol.replace(":", "")) === "https";
}

function serialize(cookie: Cookie, secure: boolean): string {
  cookie.attributes.secure = secure;
  return cookie.serialize();
}

export const sessionCookieHeader = (sessionId: string, secure: boolean) => serialize(lucia.createSessionCookie(sessionId), secure);
export const blankCookieHeader = (secure: boolean) => serialize(lucia.createBlankSessionCookie(), secure);

/** lucia's session ids are lower-case base32; anything else (`%00`, a huge value) is no session, not a query. */
const sessionIdSyntax = /^[a-z0-9]{1,128}$/;

export function readSessionId(cookieHeader: string | null): string | null {
  let id: string | null;
  try {
    id = lucia.readSessionCookie(cookieHeader ?? "");
  } catch {
    // A cookie that does not decode (`%E0%A4%A`) is as good as none.
    return null;
  }
  return id !== null && sessionIdSyntax.test(id) ? id : null;
}
