import { acceptInvitation, createInvitation, findUsableInvitation, listInvitations, revokeInvitation } from "@cookbook/db/queries/invitations";
import { changeMemberRole, listMembers, removeMember, type MemberChange } from "@cookbook/db/queries/members";
import { setActiveTenant } from "@cookbook/db/queries/sessions";
import { listLiveSandboxes } from "@cookbook/db/queries/labs";
import {
  clearActiveTenant,
  createTenantWithOwner,
  deleteTenant,
  exportTenantData,
  getMembership,
  listMembershipsOfUser,
} from "@cookbook/db/queries/tenants";
import { roles } from "@cookbook/db/schema";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { now } from "~/server/clock";
import { withTenant } from "@cookbook/db/tenant-scope";
import { stopSandboxes } from "~/server/labs/stop-sandboxes";
import { createTRPCRouter, notFound, orgProcedure, protectedProcedure, publicProcedure, roleProcedure } from "../trpc";

const slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, { error: "Use at least 3 characters." })
  .max(40)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "Use lowercase letters, digits and single hyphens." });
const token = z.string().min(16).max(100);
const role = z.enum(roles);
/** 1: a personal invitation; a number: that many people; null: a class-wide link, unlimited until it expires. */
const maxUses = z.int().min(1).max(10_000).nullable().default(1);

const invitationGone = () => notFound("Invitation (it may have expired or been revoked)");
const invitationUsedUp = () =>
  new TRPCError({ code: "PRECONDITION_FAILED", message: "This invitation link has been used as many times as it allows. Ask for a new one." });

function memberChangeResult(result: MemberChange) {
  if (result === "not_found") throw notFound("Member");
  if (result === "last_owner") throw new TRPCError({ code: "PRECONDITION_FAILED", message: "An organisation needs at least one owner." });
  return { ok: true as const };
}

export const orgsRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => ({
    memberships: await listMembershipsOfUser(ctx.db, ctx.user.id),
    activeTenantId: ctx.session.activeTenantId,
  })),

  create: protectedProcedure
    .input(z.object({ slug, name: z.string().trim().min(2, { error: "Use at least 2 characters." }).max(80) }))
    .mutation(async ({ ctx, input }) => {
      const tenant = await createTenantWithOwner(ctx.db, { ...input, ownerId: ctx.user.id });
      if (!tenant) throw new TRPCError({ code: "CONFLICT", message: `The address "${input.slug}" is taken. Choose another.` });
      await setActiveTenant(ctx.db, ctx.session.id, tenant.id);
      return { id: tenant.id, slug: tenant.slug };
    }),

  switch: protectedProcedure.input(z.object({ tenantId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const membership = await getMembership(ctx.db, { tenantId: input.tenantId, userId: ctx.user.id });
    if (!membership) throw notFound("Organisation");
    await setActiveTenant(ctx.db, ctx.session.id, membership.tenantId);
    return membership;
  }),

  current: orgProcedure.query(({ ctx }) => ctx.tenant),

  previewInvitation: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const invitation = await findUsableInvitation(ctx.db, input.token, now());
    if (!invitation) throw invitationGone();
    return { name: invitation.name, role: invitation.role, usedUp: invitation.usedUp };
  }),

  acceptInvitation: protectedProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    const result = await acceptInvitation(ctx.db, { token: input.token, userId: ctx.user.id, now: now() });
    if (result.status === "not_found") throw invitationGone();
    if (result.status === "used_up") throw invitationUsedUp();
    await setActiveTenant(ctx.db, ctx.session.id, result.invitation.tenantId);
    return { tenantId: result.invitation.tenantId, name: result.invitation.name };
  }),

  members: roleProcedure("instructor").query(({ ctx }) => ctx.scoped((tx) => listMembers(tx, { tenantId: ctx.tenant.tenantId }))),

  changeRole: roleProcedure("owner")
    .input(z.object({ userId: z.string().min(1).max(64), role }))
    .mutation(async ({ ctx, input }) =>
      memberChangeResult(await ctx.scoped((tx) => changeMemberRole(tx, { tenantId: ctx.tenant.tenantId, ...input }))),
    ),

  removeMember: roleProcedure("owner")
    .input(z.object({ userId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) =>
      memberChangeResult(await ctx.scoped((tx) => removeMember(tx, { tenantId: ctx.tenant.tenantId, userId: input.userId }))),
    ),

  invitations: roleProcedure("instructor").query(({ ctx }) => ctx.scoped((tx) => listInvitations(tx, { tenantId: ctx.tenant.tenantId }))),

  createInvitation: roleProcedure("instructor")
    .input(z.object({ role, maxUses }))
    .mutation(async ({ ctx, input }) => {
      // Instructors run cohorts: they may invite learners; only owners hand out staff roles.
      if (ctx.tenant.role !== "owner" && input.role !== "learner") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Only owners can invite owners and instructors." });
      }
      return ctx.scoped((tx) =>
        createInvitation(tx, {
          tenantId: ctx.tenant.tenantId,
          role: input.role,
          maxUses: input.maxUses,
          createdBy: ctx.user.id,
          ttlMs: env.INVITATION_DAYS * 86_400_000,
          now: now(),
        }),
      );
    }),

  /** The organisation's data as JSON, for its owners (the team page offers it as a file). */
  export: roleProcedure("owner").query(async ({ ctx }) => {
    const data = await ctx.scoped((tx) => exportTenantData(tx, { tenantId: ctx.tenant.tenantId }));
    if (!data) throw notFound("Organisation");
    return { exportedAt: now().toISOString(), ...data };
  }),

  /**
   * Deletes the organisation and every row of it, in one transaction, once an owner types its
   * name. The organisation is named in the input (so a stale tab cannot delete the one another
   * tab switched to) and must be one the caller owns; anyone else's, or one already deleted,
   * is NOT_FOUND. Its running sandboxes are stopped first.
   */
  delete: protectedProcedure
    .input(z.object({ tenantId: z.uuid(), confirmName: z.string().trim().min(1, { error: "Type the organisation's name." }).max(80) }))
    .mutation(async ({ ctx, input }) => {
      const membership = await getMembership(ctx.db, { tenantId: input.tenantId, userId: ctx.user.id });
      if (!membership) throw notFound("Organisation");
      if (membership.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: `Only owners can delete ${membership.name}.` });
      if (input.confirmName !== membership.name.trim()) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `Type the organisation's name, ${membership.name}, to confirm.` });
      }
      const live = await withTenant(ctx.db, membership.tenantId, (tx) => listLiveSandboxes(tx, { tenantId: membership.tenantId }));
      const unstopped = await stopSandboxes(live.map((s) => s.id));
      const deleted = await withTenant(ctx.db, membership.tenantId, (tx) => deleteTenant(tx, { tenantId: membership.tenantId }));
      if (!deleted) throw notFound("Organisation");
      await clearActiveTenant(ctx.db, { tenantId: membership.tenantId });
      return { ok: true as const, sandboxesLeftToReaper: unstopped.length };
    }),

  revokeInvitation: roleProcedure("instructor")
    .input(z.object({ invitationId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await ctx.scoped((tx) => revokeInvitation(tx, { tenantId: ctx.tenant.tenantId, invitationId: input.invitationId, now: now() }));
      if (!revoked) throw notFound("Invitation");
      return { ok: true as const };
    }),
});
