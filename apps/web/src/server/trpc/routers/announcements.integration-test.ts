import { cohortAnnouncements, cohortAuditLog } from "@cookbook/db/schema";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi } from "../../testing/api-client";
import { orgWithCohorts } from "../../testing/cohort-fixtures";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const setup = () => orgWithCohorts({ db, as });

const announcementsOf = (cohortId: string) => db.select().from(cohortAnnouncements).where(eq(cohortAnnouncements.cohortId, cohortId));
const auditOf = (cohortId: string) => db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, cohortId));

describe("announcements", () => {
  it("an instructor posts; staff list them, the cohort's learners see them with cohort and author, newest first", async () => {
    const { cohortA, cohortB, teacher, otherTeacher, learner, otherLearner, api } = await setup();
    const teacherApi = await api(teacher);
    setClock(() => new Date("2026-12-07T08:00:00Z"));
    const first = await teacherApi.announcements.post({ cohortId: cohortA.id, title: " Welcome ", body: "Chapter 1 opens at nine." });
    setClock(() => new Date("2026-12-08T08:00:00Z"));
    const second = await teacherApi.announcements.post({ cohortId: cohortA.id, title: "Office hours", body: "Thursday, 16:00." });
    await (await api(otherTeacher)).announcements.post({ cohortId: cohortB.id, title: "B only", body: "For cohort B." });
    expect(first).toMatchObject({ title: "Welcome", authorId: teacher.id, createdAt: new Date("2026-12-07T08:00:00Z") });

    const listed = await (await api(otherTeacher)).announcements.list({ cohortId: cohortA.id });
    expect(listed.map((a) => a.id)).toEqual([second.id, first.id]);
    expect(listed[0]?.authorName).toMatch(/^teacher /);

    const mine = await (await api(learner)).announcements.mine();
    expect(mine.map((a) => [a.title, a.cohortName])).toEqual([
      ["Office hours", cohortA.name],
      ["Welcome", cohortA.name],
    ]);
    expect(mine[0]).toMatchObject({ body: "Thursday, 16:00.", authorName: listed[0]?.authorName });
    // A learner of another cohort of the same organisation sees only theirs, and no other roster's list.
    expect((await (await api(otherLearner)).announcements.mine()).map((a) => a.title)).toEqual(["B only"]);
    await expect((await api(otherLearner)).announcements.list({ cohortId: cohortA.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect((await auditOf(cohortA.id)).map((e) => [e.action, e.actorId, (e.detail as { title: string }).title])).toEqual(
      expect.arrayContaining([
        ["announcement.posted", teacher.id, "Welcome"],
        ["announcement.posted", teacher.id, "Office hours"],
      ]),
    );
  });

  it("only the cohort's instructors or an owner post and delete", async () => {
    const { cohortA, owner, teacher, otherTeacher, learner, api } = await setup();
    const post = { cohortId: cohortA.id, title: "Hi", body: "Hello." };
    await expect((await api(otherTeacher)).announcements.post(post)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await api(learner)).announcements.post(post)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await announcementsOf(cohortA.id)).toEqual([]);

    const posted = await (await api(owner)).announcements.post(post);
    await expect((await api(otherTeacher)).announcements.delete({ announcementId: posted.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await api(learner)).announcements.delete({ announcementId: posted.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await announcementsOf(cohortA.id)).toHaveLength(1);

    setClock(() => new Date("2026-12-09T12:00:00Z"));
    expect(await (await api(teacher)).announcements.delete({ announcementId: posted.id })).toEqual({ ok: true });
    await expect((await api(teacher)).announcements.delete({ announcementId: posted.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await announcementsOf(cohortA.id)).toEqual([]);
    expect(await (await api(learner)).announcements.mine()).toEqual([]);
    const deleted = (await auditOf(cohortA.id)).filter((e) => e.action === "announcement.deleted");
    expect(deleted).toEqual([
      expect.objectContaining({
        actorId: teacher.id,
        createdAt: new Date("2026-12-09T12:00:00Z"),
        detail: { announcementId: posted.id, title: "Hi" },
      }),
    ]);
  });

  it("a retried post with the same request id adds nothing; the same id for another post is refused", async () => {
    const { cohortA, teacher, api } = await setup();
    const teacherApi = await api(teacher);
    const post = { cohortId: cohortA.id, title: "Once", body: "Only once.", requestId: randomUUID() };
    const first = await teacherApi.announcements.post(post);
    expect((await teacherApi.announcements.post(post)).id).toBe(first.id);
    await expect(teacherApi.announcements.post({ ...post, body: "Something else." })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await announcementsOf(cohortA.id)).toHaveLength(1);
    expect(await auditOf(cohortA.id)).toHaveLength(1);
  });

  it.each([
    ["an empty title", { title: "  " }],
    ["a title of 201 characters", { title: "t".repeat(201) }],
    ["an empty body", { body: "" }],
    ["a body of 5001 characters", { body: "b".repeat(5001) }],
  ])("%s: refused, nothing written", async (_, change) => {
    const { cohortA, teacher, api } = await setup();
    await expect((await api(teacher)).announcements.post({ cohortId: cohortA.id, title: "Title", body: "Body.", ...change })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await announcementsOf(cohortA.id)).toEqual([]);
    expect(await auditOf(cohortA.id)).toEqual([]);
  });
});
