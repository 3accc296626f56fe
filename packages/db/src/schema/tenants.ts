import { index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
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

export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index().on(t.userId)],
);

/** A shareable link that makes whoever opens it a member with `role`, until it expires or is revoked. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    /** sha256 of the token in the link: a leaked database does not leak usable links. */
    tokenHash: text().notNull().unique(),
    role: roleEnum().notNull(),
    createdBy: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.tenantId)],
);
