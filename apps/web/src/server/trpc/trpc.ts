import { getMembership } from "@cookbook/db/queries/tenants";
import type { Role } from "@cookbook/db/schema";
import { withTenant, type TenantTx } from "@cookbook/db/tenant-scope";
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import { observeProcedure } from "~/server/observability/request-scope";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const message =
      error.code === "INTERNAL_SERVER_ERROR"
        ? "Something went wrong on our side. Please try again."
        : zodError
          ? zodError.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ")
          : shape.message;
    // Never ship stack traces or driver errors to users.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : null } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// Every procedure starts here, so latency and internal errors are recorded whatever a later step refuses.
const observedProcedure = t.procedure.use(({ path, type, next }) => observeProcedure(path, type, next));

export const publicProcedure = observedProcedure;

export const protectedProcedure = observedProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  return next({ ctx: { ...ctx, user: ctx.user, session: ctx.session } });
});

const rank: Record<Role, number> = { learner: 0, instructor: 1, owner: 2 };

/**
 * The one place tenancy is resolved: the organisation comes from the caller's session, never
 * from input, and its membership decides the role. Every tenant query then runs through
 * `ctx.scoped`, inside PostgreSQL's row-level security for that tenant.
 */
export const orgProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const tenantId = ctx.session.activeTenantId;
  const membership = tenantId ? await getMembership(ctx.db, ctx.user.id, tenantId) : null;
  if (!membership) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Choose an organisation first." });
  }
  const scoped = <T>(fn: (tx: TenantTx) => Promise<T>) => withTenant(ctx.db, { tenantId: membership.tenantId, userId: ctx.user.id }, fn);
  return next({ ctx: { ...ctx, tenant: membership, scoped } });
});

/** Permission factory: the caller's role in the active organisation must be at least `min`. */
export const roleProcedure = (min: Role) =>
  orgProcedure.use(({ ctx, next }) => {
    if (rank[ctx.tenant.role] < rank[min]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${min} role in ${ctx.tenant.name}.` });
    }
    return next();
  });

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} not found.` });
