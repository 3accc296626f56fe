/**
 * `pnpm --filter @cookbook/db run migrate`: applies the migrations and publishes the cookbook
 * editions, then exits. The Kubernetes migrations Job runs it before web and lab-runner roll out;
 * on one machine the launcher does the same at start.
 */
import { publishCookbook } from "../cookbook-catalogue";
import { openDatabase } from "../database";
import { EmbeddedPostgresError } from "../embedded";

const database = await openDatabase().catch((error: unknown) => {
  if (!(error instanceof EmbeddedPostgresError)) throw error;
  console.error(`[migrate] ${error.message}`);
  process.exit(1);
});
try {
  console.log(`[migrate] migrations applied (${database.description})`);
  for (const p of await publishCookbook(database.db)) {
    console.log(`[migrate] course edition ${p.edition}: version ${p.sequence}, ${p.lessons} lessons${p.created ? " (published now)" : ""}`);
  }
} finally {
  await database.close();
}
