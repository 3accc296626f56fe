/**
 * `pnpm --filter @cookbook/db run migrate`: applies the migrations and publishes the cookbook
 * editions, then exits. The Kubernetes migrations Job runs it before web and lab-runner roll out;
 * on one machine the launcher does the same at start.
 */
import { publishCookbook } from "../cookbook-catalogue";
import { openDatabase } from "../database";

const database = await openDatabase();
try {
  console.log(`[migrate] migrations applied (${database.embedded ? "embedded PostgreSQL" : "DATABASE_URL"})`);
  for (const p of await publishCookbook(database.db)) {
    console.log(`[migrate] course edition ${p.edition}: version ${p.sequence}, ${p.lessons} lessons${p.created ? " (published now)" : ""}`);
  }
} finally {
  await database.close();
}
