import { timestamp, uuid } from "drizzle-orm/pg-core";

export const createdAt = () => timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow();

/** Every tenant-owned table carries this column; row-level security filters on it. */
export const tenantId = () => uuid().notNull();
