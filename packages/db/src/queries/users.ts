import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { users } from "../schema/index";

export interface NewUser {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
}

/** Returns false when the email is taken (unique violation), without throwing. */
export async function createUser(db: Executor, user: NewUser): Promise<boolean> {
  const rows = await db
    .insert(users)
    .values({ ...user, email: user.email.toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row ?? null;
}
