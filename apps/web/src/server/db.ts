import { createDatabase } from "@cookbook/db/client";
import { env } from "~/env";

// One pool per server process; Next may evaluate this module more than once in dev.
const globalForDb = globalThis as unknown as { cookbookDb?: ReturnType<typeof createDatabase> };
const handle = globalForDb.cookbookDb ?? createDatabase(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
globalForDb.cookbookDb = handle;

export const db = handle.db;
export const pool = handle.pool;
