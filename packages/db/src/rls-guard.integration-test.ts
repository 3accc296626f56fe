import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Executor } from "./client";
import { testDatabase } from "./testing/factories";

/*
 * The guard against a tenant table that forgot its row-level security: the tenant_id filter in
 * every query is the first wall, RLS the second, and a migration that adds a table with a
 * tenant_id column must add the second wall too (see README.md, "A new tenant table").
 */

const { db, close } = testDatabase();
afterAll(close);

/** Rolls back whatever `fn` did, keeping what it returned: the proofs below break a policy only inside it. */
class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super("rolled back on purpose");
  }
}

async function rolledBack<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new Rollback(await fn(tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error("the transaction was meant to roll back");
}

/**
 * Every base table with a tenant_id column whose rows are not confined to the current tenant:
 * RLS off, not forced (the owner would bypass it), or no policy for cookbook_tenant that filters
 * by current_tenant_id(). Each entry names the table and what it lacks.
 */
async function tenantTablesLackingRls(executor: Executor): Promise<string[]> {
  const result = await executor.execute<{ table: string; enabled: boolean; forced: boolean; policy: boolean }>(sql`
    select c.relname as table,
           c.relrowsecurity as enabled,
           c.relforcerowsecurity as forced,
           exists (
             select 1 from pg_policies p
             where p.schemaname = n.nspname and p.tablename = c.relname
               and p.permissive = 'PERMISSIVE' and p.cmd = 'ALL'
               and 'cookbook_tenant' = any (p.roles)
               and p.qual like '%current_tenant_id()%'
               and (p.with_check is null or p.with_check like '%current_tenant_id()%')
           ) as policy
    from information_schema.columns col
    join pg_namespace n on n.nspname = col.table_schema
    join pg_class c on c.relnamespace = n.oid and c.relname = col.table_name and c.relkind = 'r'
    where col.table_schema = 'public' and col.column_name = 'tenant_id'
    order by c.relname`);
  return result.rows.flatMap((row) => {
    const missing = [
      ...(row.enabled ? [] : ["row level security is not enabled"]),
      ...(row.forced ? [] : ["row level security is not forced"]),
      ...(row.policy ? [] : ["no tenant_isolation policy for cookbook_tenant on current_tenant_id()"]),
    ];
    return missing.length === 0 ? [] : [`${row.table}: ${missing.join(", ")}`];
  });
}

describe("row-level security guard", () => {
  it("finds every table with a tenant_id column confined by an enabled, forced tenant policy", async () => {
    const tables = await db.execute<{ table: string }>(
      sql`select table_name as table from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'`,
    );
    // The guard looks at the real tables: if the query found none it would pass vacuously.
    expect(tables.rows.map((r) => r.table)).toEqual(expect.arrayContaining(["memberships", "lab_sandboxes", "lab_attempts"]));
    expect(await tenantTablesLackingRls(db)).toEqual([]);
  });

  it("names a table whose row-level security is no longer forced", async () => {
    const found = await rolledBack(async (tx) => {
      await tx.execute(sql`alter table memberships no force row level security`);
      return tenantTablesLackingRls(tx);
    });
    expect(found).toEqual(["memberships: row level security is not forced"]);
  });

  it("names a table whose tenant policy was dropped or that has RLS switched off", async () => {
    const found = await rolledBack(async (tx) => {
      await tx.execute(sql`drop policy tenant_isolation on lab_attempts`);
      await tx.execute(sql`alter table enrollments disable row level security`);
      return tenantTablesLackingRls(tx);
    });
    expect(found).toEqual([
      "enrollments: row level security is not enabled",
      "lab_attempts: no tenant_isolation policy for cookbook_tenant on current_tenant_id()",
    ]);
  });

  it("names a new table with a tenant_id column and no policy", async () => {
    const found = await rolledBack(async (tx) => {
      await tx.execute(sql`create table rls_guard_probe (id int primary key, tenant_id uuid not null)`);
      return tenantTablesLackingRls(tx);
    });
    expect(found).toEqual([
      "rls_guard_probe: row level security is not enabled, row level security is not forced, no tenant_isolation policy for cookbook_tenant on current_tenant_id()",
    ]);
  });
});
