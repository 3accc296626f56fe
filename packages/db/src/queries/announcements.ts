import { and, desc, eq } from "drizzle-orm";
import { cohortAnnouncements, cohortMembers, cohorts, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

export type AnnouncementRow = typeof cohortAnnouncements.$inferSelect;

const listed = {
  id: cohortAnnouncements.id,
  cohortId: cohortAnnouncements.cohortId,
  title: cohortAnnouncements.title,
  body: cohortAnnouncements.body,
  authorName: users.displayName,
  createdAt: cohortAnnouncements.createdAt,
};

/**
 * Adds the announcement; `created: false` when a row with the given id already existed (a
 * retry), returned as it is, or null when that id is taken by a row this tenant cannot see.
 */
export async function insertAnnouncement(
  tx: TenantTx,
  input: { tenantId: string; id?: string; cohortId: string; authorId: string; title: string; body: string; createdAt: Date },
): Promise<{ created: boolean; row: AnnouncementRow | null }> {
  const [created] = await tx.insert(cohortAnnouncements).values(input).onConflictDoNothing({ target: cohortAnnouncements.id }).returning();
  if (created) return { created: true, row: created };
  if (input.id === undefined) throw new Error("announcement insert returned nothing");
  return { created: false, row: await findAnnouncement(tx, { tenantId: input.tenantId, announcementId: input.id }) };
}

export async function findAnnouncement(tx: TenantTx, input: { tenantId: string; announcementId: string }): Promise<AnnouncementRow | null> {
  const [row] = await tx
    .select()
    .from(cohortAnnouncements)
    .where(and(eq(cohortAnnouncements.tenantId, input.tenantId), eq(cohortAnnouncements.id, input.announcementId)));
  return row ?? null;
}

/** Removes it; false when it was already gone (a repeated delete). */
export async function deleteAnnouncement(tx: TenantTx, input: { tenantId: string; announcementId: string }): Promise<boolean> {
  const gone = await tx
    .delete(cohortAnnouncements)
    .where(and(eq(cohortAnnouncements.tenantId, input.tenantId), eq(cohortAnnouncements.id, input.announcementId)))
    .returning({ id: cohortAnnouncements.id });
  return gone.length === 1;
}

/** One cohort's announcements, newest first, with the author's name (null once that account is gone). */
export async function listAnnouncements(tx: TenantTx, input: { tenantId: string; cohortId: string }) {
  return tx
    .select(listed)
    .from(cohortAnnouncements)
    .leftJoin(users, eq(users.id, cohortAnnouncements.authorId))
    .where(and(eq(cohortAnnouncements.tenantId, input.tenantId), eq(cohortAnnouncements.cohortId, input.cohortId)))
    .orderBy(desc(cohortAnnouncements.createdAt), desc(cohortAnnouncements.id));
}

/** The announcements of every cohort the user is a learner in, newest first, with the cohort's name. */
export async function listLearnerAnnouncements(tx: TenantTx, input: { tenantId: string; userId: string; limit: number }) {
  return tx
    .select({ ...listed, cohortName: cohorts.name })
    .from(cohortAnnouncements)
    .innerJoin(
      cohortMembers,
      and(
        eq(cohortMembers.tenantId, cohortAnnouncements.tenantId),
        eq(cohortMembers.cohortId, cohortAnnouncements.cohortId),
        eq(cohortMembers.userId, input.userId),
      ),
    )
    .innerJoin(cohorts, eq(cohorts.id, cohortAnnouncements.cohortId))
    .leftJoin(users, eq(users.id, cohortAnnouncements.authorId))
    .where(eq(cohortAnnouncements.tenantId, input.tenantId))
    .orderBy(desc(cohortAnnouncements.createdAt), desc(cohortAnnouncements.id))
    .limit(input.limit);
}
