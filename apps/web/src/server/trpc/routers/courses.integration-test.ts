import { editions, loadEdition } from "@cookbook/content";
import { publishEdition } from "@cookbook/db/queries/courses";
import { memberships } from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadApi, tinyCourse } from "../../testing/api-client";

const { db, pool, as, session } = await loadApi();
afterAll(() => pool.end());

async function orgWithCourse(course = tinyCourse()) {
  const owner = await makeUser(db, "owner");
  const learner = await makeUser(db, "learner");
  const tenant = await makeTenant(db, owner.id);
  await db.insert(memberships).values({ tenantId: tenant.id, userId: learner.id, role: "learner" });
  const { course: row } = await publishEdition(db, { courseSlug: course.slug, course: course.course });
  const ownerApi = await as(owner.id, tenant.id);
  await ownerApi.courses.enable({ courseId: row.id });
  await ownerApi.courses.enable({ courseId: row.id });
  return { owner, learner, tenant, courseId: row.id, slug: course.slug, ownerApi, learnerApi: await as(learner.id, tenant.id) };
}

describe("self-paced progress", () => {
  it("enrolls, completes idempotently, and continues where the learner left off", async () => {
    const { learnerApi, courseId, slug } = await orgWithCourse();
    expect((await learnerApi.courses.list())[0]).toMatchObject({ enrolled: false, total: 3 });
    await expect(learnerApi.courses.setLessonComplete({ courseId, lessonKey: "1.1-hello", complete: true })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await learnerApi.courses.enroll({ courseId });
    await learnerApi.courses.enroll({ courseId });

    expect((await learnerApi.courses.outline({ courseSlug: slug })).continueKey).toBe("1.1-hello");
    await learnerApi.courses.setLessonComplete({ courseId, lessonKey: "1.1-hello", complete: true });
    await learnerApi.courses.setLessonComplete({ courseId, lessonKey: "1.1-hello", complete: true });
    let outline = await learnerApi.courses.outline({ courseSlug: slug });
    expect(outline).toMatchObject({ completed: 1, total: 3, percent: 33 });
    expect(outline.chapters.map((c) => `${c.completed}/${c.total}`)).toEqual(["1/2", "0/1"]);
    expect(outline.continueKey).toBe("1.2-world");

    await learnerApi.courses.visit({ courseId, lessonKey: "2.1-streams" });
    outline = await learnerApi.courses.outline({ courseSlug: slug });
    expect(outline.continueKey).toBe("2.1-streams");

    const lesson = await learnerApi.courses.lesson({ courseSlug: slug, lessonKey: "1.2-world" });
    expect(lesson).toMatchObject({ status: "not_started", previous: { key: "1.1-hello" }, next: { key: "2.1-streams" } });
    expect(lesson.chapterLessons.map((l) => [l.key, l.done])).toEqual([
      ["1.1-hello", true],
      ["1.2-world", false],
    ]);

    await learnerApi.courses.setLessonComplete({ courseId, lessonKey: "1.1-hello", complete: false });
    expect((await learnerApi.courses.outline({ courseSlug: slug })).completed).toBe(0);
  });

  it("serves a chapter's introduction with its lessons", async () => {
    const { learnerApi, slug } = await orgWithCourse();
    const chapter = await learnerApi.courses.chapter({ courseSlug: slug, chapterNumber: 1 });
    expect(chapter.chapter.intro).toEqual([{ kind: "paragraph", inlines: [{ kind: "text", text: "Why streams matter." }] }]);
    expect(chapter.lessons.map((l) => l.key)).toEqual(["1.1-hello", "1.2-world"]);
    expect((await learnerApi.courses.outline({ courseSlug: slug })).chapters.map((c) => c.hasIntro)).toEqual([true, false]);
    await expect(learnerApi.courses.chapter({ courseSlug: slug, chapterNumber: 7 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers NOT_FOUND for a lesson key the course does not have", async () => {
    const { learnerApi, courseId, slug } = await orgWithCourse();
    await learnerApi.courses.enroll({ courseId });
    await expect(learnerApi.courses.lesson({ courseSlug: slug, lessonKey: "99.9-nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(learnerApi.courses.setLessonComplete({ courseId, lessonKey: "99.9-nope", complete: true })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("shows instructors every member's progress and keeps learners out", async () => {
    const { ownerApi, learnerApi, courseId, learner } = await orgWithCourse();
    await learnerApi.courses.enroll({ courseId });
    await learnerApi.courses.setLessonComplete({ courseId, lessonKey: "2.1-streams", complete: true });
    const report = await ownerApi.courses.progress({ courseId });
    expect(report.total).toBe(3);
    expect(report.members.find((m) => m.userId === learner.id)).toMatchObject({ enrolled: true, completed: 1 });
    await expect(learnerApi.courses.progress({ courseId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(learnerApi.courses.enable({ courseId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("content versions", () => {
  it("keeps progress across a new version and flags lessons whose text changed", async () => {
    const v1 = tinyCourse("v1", "Original text.");
    const { learnerApi, courseId, slug } = await orgWithCourse(v1);
    await learnerApi.courses.enroll({ courseId });
    for (const lessonKey of ["1.1-hello", "1.2-world"]) await learnerApi.courses.setLessonComplete({ courseId, lessonKey, complete: true });

    const v2 = tinyCourse("v2", "Rewritten text.");
    const published = await publishEdition(db, { courseSlug: slug, course: v2.course });
    expect(published.version.sequence).toBe(2);
    expect((await publishEdition(db, { courseSlug: slug, course: v2.course })).created).toBe(false);

    const outline = await learnerApi.courses.outline({ courseSlug: slug });
    expect(outline.edition).toBe("v2");
    const status = Object.fromEntries(outline.chapters.flatMap((c) => c.lessons.map((l) => [l.key, l.status])));
    expect(status).toEqual({ "1.1-hello": "completed", "1.2-world": "updated", "2.1-streams": "not_started" });
    expect(outline.completed).toBe(2);

    // Re-reading and completing the updated lesson clears the flag.
    await learnerApi.courses.setLessonComplete({ courseId, lessonKey: "1.2-world", complete: true });
    expect((await learnerApi.courses.lesson({ courseSlug: slug, lessonKey: "1.2-world" })).status).toBe("completed");
  });

  it("publishing the 2019-05-21 cookbook after 2019-05-18 keeps progress and marks the corrected lessons", async () => {
    const [older, newer] = editions.map((e) => loadEdition(e.id));
    if (!older || !newer) throw new Error("two editions expected");
    const slug = `cookbook-${randomUUID().slice(0, 8)}`;
    const { learnerApi, courseId } = await orgWithCourse({ slug, course: older });
    await learnerApi.courses.enroll({ courseId });
    const lessonsOld = older.parts.flatMap((p) => p.chapters.flatMap((c) => c.lessons));
    const lessonsNew = new Map(newer.parts.flatMap((p) => p.chapters.flatMap((c) => c.lessons)).map((l) => [l.key, l]));
    for (const lesson of lessonsOld) await learnerApi.courses.setLessonComplete({ courseId, lessonKey: lesson.key, complete: true });

    await publishEdition(db, { courseSlug: slug, course: newer });
    const outline = await learnerApi.courses.outline({ courseSlug: slug });
    expect(outline.edition).toBe("2019-05-21");
    const status = new Map(outline.chapters.flatMap((c) => c.lessons.map((l) => [l.key, l.status])));
    const surviving = lessonsOld.filter((l) => lessonsNew.has(l.key));
    const changed = surviving.filter((l) => lessonsNew.get(l.key)?.contentHash !== l.contentHash);
    expect(changed.length).toBeGreaterThan(0);
    for (const lesson of surviving) expect(status.get(lesson.key)).toBe(changed.includes(lesson) ? "updated" : "completed");
    expect(outline.completed).toBe(surviving.length);
  });
});

describe("organisations and invitations", () => {
  it("invites by link with a role; accepting twice changes nothing and never demotes", async () => {
    const { ownerApi, tenant, owner } = await orgWithCourse();
    const invite = await ownerApi.orgs.createInvitation({ role: "instructor" });
    const newcomer = await makeUser(db, "newcomer");
    const api = await as(newcomer.id, null);
    expect(await api.orgs.previewInvitation({ token: invite.token })).toMatchObject({ role: "instructor" });
    await api.orgs.acceptInvitation({ token: invite.token });
    await api.orgs.acceptInvitation({ token: invite.token });
    expect((await api.orgs.list()).memberships).toEqual([expect.objectContaining({ tenantId: tenant.id, role: "instructor" })]);

    const learnerInvite = await ownerApi.orgs.createInvitation({ role: "learner" });
    await (await as(owner.id, null)).orgs.acceptInvitation({ token: learnerInvite.token });
    expect((await ownerApi.orgs.current()).role).toBe("owner");
  });

  it("refuses revoked links, and instructors may invite learners only", async () => {
    const { ownerApi, tenant } = await orgWithCourse();
    const invite = await ownerApi.orgs.createInvitation({ role: "learner" });
    await ownerApi.orgs.revokeInvitation({ invitationId: invite.id });
    const someone = await as((await makeUser(db, "someone")).id, null);
    await expect(someone.orgs.acceptInvitation({ token: invite.token })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const instructorInvite = await ownerApi.orgs.createInvitation({ role: "instructor" });
    const instructor = await makeUser(db, "instructor");
    await (await as(instructor.id, null)).orgs.acceptInvitation({ token: instructorInvite.token });
    const instructorApi = await as(instructor.id, tenant.id);
    await expect(instructorApi.orgs.createInvitation({ role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await instructorApi.orgs.createInvitation({ role: "learner" })).token).toHaveLength(32);
  });

  it("creates organisations with unique slugs, switches between them, and keeps one owner", async () => {
    const user = await makeUser(db, "founder");
    const request = await session(user.id, null);
    await expect((await request()).orgs.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const slug = `team-${randomUUID().slice(0, 6)}`;
    const first = await (await request()).orgs.create({ slug, name: "First team" });
    await expect((await request()).orgs.create({ slug, name: "Copy" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect((await request()).orgs.create({ slug: "Bad Slug!", name: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const second = await (await request()).orgs.create({ slug: `${slug}-2`, name: "Second team" });
    expect((await (await request()).orgs.list()).activeTenantId).toBe(second.id);
    await (await request()).orgs.switch({ tenantId: first.id });
    const api = await request();
    expect((await api.orgs.current()).name).toBe("First team");
    await expect(api.orgs.changeRole({ userId: user.id, role: "learner" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(api.orgs.removeMember({ userId: user.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });
});
