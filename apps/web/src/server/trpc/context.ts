import { db } from "~/server/db";
import { lucia } from "~/server/auth/lucia";
import { blankCookieHeader, isSecureRequest, readSessionId, sessionCookieHeader } from "~/server/auth/session-cookie";

export interface RequestInfo {
  headers: Headers;
  url: string;
  /** Set-Cookie and friends; server components pass a throw-away Headers (they cannot set cookies). */
  resHeaders: Headers;
}

export async function createContext({ headers, url, resHeaders }: RequestInfo) {
  const secure = isSecureRequest(headers, url);
  const sessionId = readSessionId(headers.get("cookie"));
  const { user, session } = sessionId ? await lucia.validateSession(sessionId) : { user: null, session: null };
  // Sliding expiry: lucia marks a session "fresh" when it extended it; re-send the cookie.
  if (session?.fresh) resHeaders.append("Set-Cookie", sessionCookieHeader(session.id, secure));
  if (sessionId && !session) resHeaders.append("Set-Cookie", blankCookieHeader(secure));
  const clientAddress = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
  return { db, user, session, secure, resHeaders, clientAddress };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
