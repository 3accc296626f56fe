import { sql } from "drizzle-orm";
import type { Database } from "./client";

export type TenantTx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Runs `fn` in a transaction that PostgreSQL itself confines to one tenant: the role
 * `cookbook_tenant` cannot bypass row-level security and `app.tenant_id` selects the rows.
 * Query functions still filter by tenant id; this is the second wall.
 */
export function withTenant<T>(db: Database, tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    await tx.execute(sql`set local role cookbook_tenant`);
    return fn(tx);
  });
}
