import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

export const users = pgTable("users", {
  id: text().primaryKey(),
  /** Stored lower-cased so sign-in is case-insensitive and unique. */
  email: text().notNull().unique(),
  displayName: text().notNull(),
  passwordHash: text().notNull(),
  createdAt: createdAt(),
});

/** A required reference to a user; the row goes when the user does. */
export const userRef = () =>
  text()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" });

/** Lucia's session table; `activeTenantId` is the organisation the user last switched to. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: userRef(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    activeTenantId: uuid(),
  },
  (t) => [index().on(t.userId)],
);

/** Failed sign-ins per key (an email or a client address) within a sliding window. */
export const loginThrottle = pgTable("login_throttle", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  lockedUntil: timestamp({ withTimezone: true, mode: "date" }),
});
