import type { Cookie } from "lucia";
import { env } from "~/env";
import { lucia } from "./lucia";

/** Secure when configured so, or when the request reached us over TLS (directly or via a proxy). */
export function isSecureRequest(headers: Headers, url: string): boolean {
  if (env.COOKIE_SECURE !== "auto") return env.COOKIE_SECURE === "always";
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? new URL(url).protocol.replace(":", "")) === "https";
}

function serialize(cookie: Cookie, secure: boolean): string {
  cookie.attributes.secure = secure;
  return cookie.serialize();
}

export const sessionCookieHeader = (sessionId: string, secure: boolean) => serialize(lucia.createSessionCookie(sessionId), secure);
export const blankCookieHeader = (secure: boolean) => serialize(lucia.createBlankSessionCookie(), secure);

export function readSessionId(cookieHeader: string | null): string | null {
  return lucia.readSessionCookie(cookieHeader ?? "");
}
