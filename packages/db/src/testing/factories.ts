import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createDatabase, type Database } from "../client";
import { createUser } from "../queries/users";
import { createTenantWithOwner } from "../queries/tenants";
import "./provided-context";

/** Who a test connects as: the owner (factories, publication) or one of the apps' own roles. */
export type TestRole = "owner" | "web" | "labRunner";
const urlKeys = { owner: "databaseUrl", web: "webDatabaseUrl", labRunner: "labRunnerDatabaseUrl" } as const;

export const testDatabaseUrl = (role: TestRole = "owner") => inject(urlKeys[role]);

/** One pool per test file against the run's migrated database. */
export function testDatabase(role: TestRole = "owner"): { db: Database; close: () => Promise<void> } {
  const { db, pool } = createDatabase(testDatabaseUrl(role), 4);
  return { db, close: () => pool.end() };
}

const unique = () => randomUUID().slice(0, 8);

export async function makeUser(db: Database, name = "user") {
  const id = randomUUID();
  const email = `${name}-${unique()}@example.test`;
  // A syntactically valid argon2 hash is not needed here: these users never sign in by password.
  await createUser(db, { id, email, displayName: `${name} ${unique()}`, passwordHash: "not-a-password-hash" });
  return { id, email };
}

export async function makeTenant(db: Database, ownerId: string) {
  const slug = `org-${unique()}`;
  const tenant = await createTenantWithOwner(db, { slug, name: `Org ${slug}`, ownerId });
  if (!tenant) throw new Error("tenant slug collision");
  return tenant;
}
