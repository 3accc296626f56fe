import { clearLoginFailures, releaseAttempt } from "@cookbook/db/queries/login-throttle";
import { listMembershipsOfUser } from "@cookbook/db/queries/tenants";
import { createUser, findUserByEmail } from "@cookbook/db/queries/users";
import { TRPCError } from "@trpc/server";
import { generateIdFromEntropySize } from "lucia";
import { z } from "zod";
import { lucia } from "~/server/auth/lucia";
import { decoyHash, hashPassword, verifyPassword } from "~/server/auth/password";
import { blankCookieHeader, sessionCookieHeader } from "~/server/auth/session-cookie";
import { addressKey, addressThrottle, pairKey, pairThrottle, reserve } from "~/server/auth/password-attempts";
import { recordLoginFailure } from "~/server/observability/metrics";
import { createTRPCRouter, protectedProcedure, publicProcedure, unbatchedProcedure } from "../trpc";

const email = z.email({ error: "Enter a valid email address." }).max(254).trim().toLowerCase();
const password = z.string().min(10, { error: "Use at least 10 characters." }).max(256);

export const authRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) =>
    ctx.user
      ? { id: ctx.user.id, email: ctx.user.email, displayName: ctx.user.displayName, activeTenantId: ctx.session?.activeTenantId ?? null }
      : null,
  ),

  signUp: unbatchedProcedure
    .input(z.object({ email, password, displayName: z.string().trim().min(1, { error: "Enter your name." }).max(100) }))
    .mutation(async ({ ctx, input }) => {
      // Sign-ups share the address throttle with sign-ins so the form cannot be used to probe emails in bulk;
      // only a taken email keeps its attempt.
      const address = addressKey(ctx.clientAddress);
      await reserve(ctx.db, [[address, addressThrottle]]);
      const id = generateIdFromEntropySize(10);
      const created = await createUser(ctx.db, {
        id,
        email: input.email,
        displayName: input.displayName,
        passwordHash: await hashPassword(input.password),
      });
      if (!created) throw new TRPCError({ code: "CONFLICT", message: "An account with this email cannot be created. Try signing in instead." });
      await releaseAttempt(ctx.db, address);
      const session = await lucia.createSession(id, { active_tenant_id: null });
      ctx.resHeaders.append("Set-Cookie", sessionCookieHeader(session.id, ctx.secure));
      return { ok: true as const };
    }),

  signIn: unbatchedProcedure.input(z.object({ email, password: z.string().min(1).max(256) })).mutation(async ({ ctx, input }) => {
    // Reserved before the password check: concurrent attempts are counted in order, and a failure
    // needs no further write (it keeps its reservation).
    const pair = pairKey(ctx.clientAddress, input.email);
    const address = addressKey(ctx.clientAddress);
    await reserve(ctx.db, [
      [pair, pairThrottle],
      [address, addressThrottle],
    ]);

    const user = await findUserByEmail(ctx.db, input.email);
    // Unknown email and wrong password take the same path and give the same answer.
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
    if (!user || !valid) {
      recordLoginFailure();
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Email or password is incorrect." });
    }
    await clearLoginFailures(ctx.db, pair);
    await releaseAttempt(ctx.db, address);
    // Resume in the organisation the user last worked in, else their first one.
    const previous = (await lucia.getUserSessions(user.id)).find((s) => s.activeTenantId)?.activeTenantId;
    const first = previous ? null : (await listMembershipsOfUser(ctx.db, user.id))[0]?.tenantId;
    const session = await lucia.createSession(user.id, { active_tenant_id: previous ?? first ?? null });
    ctx.resHeaders.append("Set-Cookie", sessionCookieHeader(session.id, ctx.secure));
    return { ok: true as const };
  }),

  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    await lucia.invalidateSession(ctx.session.id);
    ctx.resHeaders.append("Set-Cookie", blankCookieHeader(ctx.secure));
    return { ok: true as const };
  }),
});
