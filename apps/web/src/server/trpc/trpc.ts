import { getMembership } from "@cookbook/db/queries/tenants";
import type { Role } from "@cookbook/db/schema";
import { withTenant, type TenantTx } from "@cookbook/db/tenant-scope";
import { formatZodError } from "@cookbook/lab-runner-api/vocabulary";
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
          ? formatZodError(zodError)
          : shape.message;
    // Never ship stack traces or driver errors to users.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : null } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * PostgreSQL's text cannot hold U+0000, and a lone surrogate is not text at all: such input is
 * refused as bad input for every procedure before any schema or query sees it. Iterative, so a
 * deeply nested body cannot overflow the stack.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this rejects (PostgreSQL's text cannot hold it).
const notText = /\u0000|\p{Cs}/u;
function badTextPath(input: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value: input, path: "" }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path } = item;
    if (typeof value === "string") {
      if (notText.test(value)) return path || "input";
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (notText.test(key)) return childPath;
        pending.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}

export const publicProcedure = t.procedure
  // Outermost, so latency and internal errors are recorded whatever a later step refuses.
  .use(({ path, type, next }) => observeProcedure(path, type, next))
  .use(async ({ getRawInput, next }) => {
    const path = badTextPath(await getRawInput());
    if (path) throw new TRPCError({ code: "BAD_REQUEST", message: `${path}: remove the NUL character or broken Unicode from this text.` });
    return next();
  });

/** Sign-in and sign-up each need a request of their own, so the throttle sees every attempt as one request. */
export const unbatchedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.batched) throw new TRPCError({ code: "BAD_REQUEST", message: "Send this request on its own, not in a batch." });
  return next();
});

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
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
  const membership = tenantId ? await getMembership(ctx.db, { tenantId, userId: ctx.user.id }) : null;
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
