import type { Block } from "@cookbook/content";
import { boolean, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/** Courses and their versions are platform content, shared by every tenant (no tenant_id). */
export const courses = pgTable("courses", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  title: text().notNull(),
  createdAt: createdAt(),
});

/** A required reference to a course; the row goes when the course does. */
export const courseRef = () =>
  uuid()
    .notNull()
    .references(() => courses.id, { onDelete: "cascade" });

export const courseVersions = pgTable(
  "course_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    courseId: courseRef(),
    edition: text().notNull(),
    /** 1, 2, ...: the highest is the current version. */
    sequence: integer().notNull(),
    publishedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.courseId, t.edition), unique().on(t.courseId, t.sequence)],
);

export const chapters = pgTable(
  "chapters",
  {
    id: uuid().primaryKey().defaultRandom(),
    courseVersionId: uuid()
      .notNull()
      .references(() => courseVersions.id, { onDelete: "cascade" }),
    partNumber: integer().notNull(),
    partTitle: text().notNull(),
    number: integer().notNull(),
    title: text().notNull(),
    slug: text().notNull(),
    intro: jsonb().$type<Block[]>().notNull(),
  },
  (t) => [unique().on(t.courseVersionId, t.number)],
);

export const lessons = pgTable(
  "lessons",
  {
    id: uuid().primaryKey().defaultRandom(),
    courseVersionId: uuid()
      .notNull()
      .references(() => courseVersions.id, { onDelete: "cascade" }),
    chapterNumber: integer().notNull(),
    /** Order of the lesson in the whole course. */
    position: integer().notNull(),
    key: text().notNull(),
    number: text().notNull(),
    title: text().notNull(),
    depth: integer().notNull(),
    outline: boolean().notNull(),
    blocks: jsonb().$type<Block[]>().notNull(),
    contentHash: text().notNull(),
  },
  (t) => [unique().on(t.courseVersionId, t.key), unique().on(t.courseVersionId, t.position)],
);
