import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema/index";

export type Database = NodePgDatabase<typeof schema>;
/** A database handle or an open transaction: query functions accept either. */
export type Executor = Pick<Database, "select" | "insert" | "update" | "delete" | "execute" | "transaction" | "query">;

const logIdleError = (error: Error) => console.error(`[db] an idle connection failed (${error.message}); the pool opens a new one on next use`);

export function createDatabase(url: string, poolSize = 10, onIdleError: (error: Error) => void = logIdleError): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client whose server went away (a PostgreSQL restart) emits 'error' on the pool;
  // unhandled, that would end the process. The pool drops the client and reconnects on demand.
  pool.on("error", onIdleError);
  const db = drizzle({ client: pool, schema, casing: "snake_case" });
  return { db, pool };
}
