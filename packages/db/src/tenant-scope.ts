import { sql } from "drizzle-orm";
import type { Database } from "./client";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

declare const tenantScoped: unique symbol;
/**
 * A transaction confined to one tenant by `withTenant`. The brand exists only in the types, so
 * a plain connection or transaction cannot be handed to a tenant query by mistake: the only way
 * to get one is `withTenant`.
 */
export type TenantTx = Transaction & { readonly [tenantScoped]: true };

/** Whose request a tenant-scoped transaction serves: the organisation, and the signed-in user when there is one. */
export interface TenantScope {
  tenantId: string;
  userId?: string;
}

/**
 * Runs `fn` in a transaction that PostgreSQL itself confines to one tenant: the role
 * `cookbook_tenant` cannot bypass row-level security and `app.tenant_id` selects the rows.
 * `app.user_id` is the acting user: rows that belong to one user (lab attempts) can only be
 * written for that user; without a user id no such row can be written at all.
 * Query functions still filter by tenant id; this is the second wall.
 */
export function withTenant<T>(db: Database, scope: string | TenantScope, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  const { tenantId, userId } = typeof scope === "string" ? { tenantId: scope, userId: undefined } : scope;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId ?? ""}, true)`);
    await tx.execute(sql`set local role cookbook_tenant`);
    // The one place a transaction becomes a TenantTx: the two statements above confined it.
    return fn(tx as TenantTx);
  });
}
