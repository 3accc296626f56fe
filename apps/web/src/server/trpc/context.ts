import { env } from "~/env";
import { db } from "~/server/db";
import { lucia } from "~/server/auth/lucia";
import { requestSource } from "~/server/auth/request-source";
import { blankCookieHeader, isSecureRequest, readSessionId, sessionCookieHeader } from "~/server/auth/session-cookie";

export interface RequestInfo {
  headers: Headers;
  url: string;
  /** Set-Cookie and friends; server components pass a throw-away Headers (they cannot set cookies). */
  resHeaders: Headers;
  /** This call shares its HTTP request with other calls (a batch of more than one). */
  batched?: boolean;
}

export async function createContext({ headers, url, resHeaders, batched = false }: RequestInfo) {
  const source = requestSource(headers, env.TRUSTED_PROXIES);
  const secure = isSecureRequest(source, url);
  const sessionId = readSessionId(headers.get("cookie"));
  const { user, session } = sessionId ? await lucia.validateSession(sessionId) : { user: null, session: null };
  // Sliding expiry: lucia marks a session "fresh" when it extended it; re-send the cookie.
  if (session?.fresh) resHeaders.append("Set-Cookie", sessionCookieHeader(session.id, secure));
  if (sessionId && !session) resHeaders.append("Set-Cookie", blankCookieHeader(secure));
  return { db, user, session, secure, resHeaders, clientAddress: source.clientAddress, batched };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
