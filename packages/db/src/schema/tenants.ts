import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { userRef } from "./auth";
import { createdAt, tenantId } from "./columns";

export const roles = ["owner", "instructor", "learner"] as const;
export type Role = (typeof roles)[number];
export const roleEnum = pgEnum("role", roles);

export const tenants = pgTable("tenants", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  createdAt: createdAt(),
});

/** The tenant a row belongs to (row-level security filters on it); the row goes with the tenant. */
export const tenantRef = () => tenantId().references(() => tenants.id, { onDelete: "cascade" });

export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantRef(),
    userId: userRef(),
    role: roleEnum().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index().on(t.userId)],
);

/**
 * A shareable link that makes whoever opens it a member with `role`, until it expires, is
 * revoked or has been used `maxUses` times (null: a class-wide link, unlimited until it expires).
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    /** sha256 of the token in the link: a leaked database does not leak usable links. */
    tokenHash: text().notNull().unique(),
    role: roleEnum().notNull(),
    createdBy: userRef(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
    maxUses: integer(),
    /** People who joined through the link; counted in the same statement that checks `maxUses`. */
    uses: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.tenantId),
    check("invitations_uses_within_max", sql`${t.uses} >= 0 and (${t.maxUses} is null or (${t.maxUses} >= 1 and ${t.uses} <= ${t.maxUses}))`),
  ],
);
