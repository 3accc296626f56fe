import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";

/**
 * The browser opens the terminal WebSocket straight to lab-runner (Next.js route handlers cannot
 * upgrade), so the web app hands it a short-lived token signed with the shared secret instead of
 * the secret itself: it names one sandbox and one user and is useless after `exp`.
 */
const payloadSchema = z.object({ sid: z.string(), uid: z.string(), exp: z.number() });
export type TerminalGrant = { sandboxId: string; userId: string; expiresAt: Date };

const sign = (body: string, secret: string) => createHmac("sha256", secret).update(body).digest("base64url");

export function signTerminalToken(grant: TerminalGrant, secret: string): string {
  const body = Buffer.from(JSON.stringify({ sid: grant.sandboxId, uid: grant.userId, exp: Math.floor(grant.expiresAt.getTime() / 1000) })).toString(
    "base64url",
  );
  return `${body}.${sign(body, secret)}`;
}

/** null for anything but an intact, unexpired token for this sandbox. */
export function verifyTerminalToken(token: string, sandboxId: string, secret: string, now = new Date()): TerminalGrant | null {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed: z.infer<typeof payloadSchema>;
  try {
    parsed = payloadSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  if (parsed.sid !== sandboxId || parsed.exp * 1000 <= now.getTime()) return null;
  return { sandboxId: parsed.sid, userId: parsed.uid, expiresAt: new Date(parsed.exp * 1000) };
}
