import {
  deleteUserAccount,
  exportUserData,
  findPasswordHash,
  listLiveSandboxesOfUser,
  organisationsBlockingDeletion,
} from "@cookbook/db/queries/users";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { verifyPassword } from "~/server/auth/password";
import { addressKey, addressThrottle, pairKey, pairThrottle, reserve } from "~/server/auth/password-attempts";
import { blankCookieHeader } from "~/server/auth/session-cookie";
import { now } from "~/server/clock";
import { stopSandboxes } from "~/server/labs/stop-sandboxes";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const lastOwner = (organisations: string[]) =>
  new TRPCError({
    code: "PRECONDITION_FAILED",
    message: `You are the only owner of ${organisations.join(", ")}, which has other members. Make someone else an owner, or delete the organisation, first.`,
  });

/** The signed-in user's own data: download it, delete it (GDPR articles 15, 17 and 20). */
export const accountRouter = createTRPCRouter({
  /** Everything held about the caller, as JSON the account page offers as a file. */
  export: protectedProcedure.query(async ({ ctx }) => {
    const data = await exportUserData(ctx.db, { userId: ctx.user.id, currentSessionId: ctx.session.id });
    if (!data) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
    return { exportedAt: now().toISOString(), ...data };
  }),

  /**
   * Deletes the account after the password is typed again. Their progress and lab attempts are
   * removed (dashboards no longer list them); running sandboxes are stopped first. A second call
   * finds no session: UNAUTHORIZED.
   */
  delete: protectedProcedure
    .input(z.object({ password: z.string().min(1, { error: "Enter your password." }).max(256) }))
    .mutation(async ({ ctx, input }) => {
      const credentials = await findPasswordHash(ctx.db, ctx.user.id);
      if (!credentials) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
      // The same attempts as signing in with this email from this address: a stolen session cannot guess the password here.
      await reserve(ctx.db, [
        [pairKey(ctx.clientAddress, ctx.user.email), pairThrottle],
        [addressKey(ctx.clientAddress), addressThrottle],
      ]);
      if (!(await verifyPassword(credentials.passwordHash, input.password))) {
        throw new TRPCError({ code: "FORBIDDEN", message: "That is not your password." });
      }
      // Refuse before stopping anything if the account cannot go; the transaction checks again under locks.
      const blocking = await organisationsBlockingDeletion(ctx.db, ctx.user.id);
      if (blocking.length > 0) throw lastOwner(blocking);
      const sandboxes = await listLiveSandboxesOfUser(ctx.db, ctx.user.id);
      const unstopped = await stopSandboxes(sandboxes.map((s) => s.id));
      const result = await deleteUserAccount(ctx.db, { userId: ctx.user.id });
      if (result.status === "not_found") throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
      if (result.status === "last_owner") throw lastOwner(result.organisations);
      ctx.resHeaders.append("Set-Cookie", blankCookieHeader(ctx.secure));
      return { deletedOrganisations: result.deletedOrganisations, sandboxesLeftToReaper: unstopped.length };
    }),
});
