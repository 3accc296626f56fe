import { cohortAuditLog, cohortExtensions } from "@cookbook/db/schema";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { orgWithCohorts } from "../../testing/cohort-fixtures";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const setup = (course?: ReturnType<typeof tinyCourse>) => orgWithCohorts({ db, as }, course);

const extensionsOf = (cohortId: string) => db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, cohortId));
const auditOf = (cohortId: string) => db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, cohortId));

describe("extensions", () => {
  it("a cohort's instructor grants one; list and the audit log say who, what and when", async () => {
    const { cohortA, teacher, learner, api } = await setup();
    const at = new Date("2026-12-10T12:00:00Z");
    setClock(() => at);
    const teacherApi = await api(teacher);
    const granted = await teacherApi.extensions.grant({
      cohortId: cohortA.id,
      userId: learner.id,
      itemKey: "chapter:1",
      days: 3,
      reason: " Was ill. ",
    });
    expect(granted).toMatchObject({ created: true, itemKey: "chapter:1", itemTitle: "Start", days: 3, reason: "Was ill.", grantedBy: teacher.id });
    expect(granted.createdAt).toEqual(at);

    const listed = await teacherApi.extensions.list({ cohortId: cohortA.id });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: granted.id,
      userId: learner.id,
      itemKey: "chapter:1",
      itemTitle: "Start",
      days: 3,
      reason: "Was ill.",
      revokedAt: null,
    });
    expect(listed[0]?.learnerName).toMatch(/^learner /);
    expect(listed[0]?.grantedByName).toMatch(/^teacher /);

    const [entry, ...more] = await teacherApi.extensions.auditLog({ cohortId: cohortA.id });
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ action: "extension.granted", actorId: teacher.id, createdAt: at });
    expect(entry?.actorName).toMatch(/^teacher /);
    expect(entry?.detail).toMatchObject({
      extensionId: granted.id,
      learner: { id: learner.id, name: listed[0]?.learnerName },
      item: { key: "chapter:1", title: "Start" },
      days: 3,
      reason: "Was ill.",
    });
  });

  it("a grant on every item has no item key; the learner sees their own", async () => {
    const { cohortA, teacher, learner, otherLearner, courseId, api } = await setup();
    await (await api(teacher)).extensions.grant({ cohortId: cohortA.id, userId: learner.id, itemKey: null, days: 2, reason: "Travel." });
    const mine = await (await api(learner)).extensions.mine({ courseId });
    expect(mine).toEqual([
      expect.objectContaining({ cohortId: cohortA.id, cohortName: cohortA.name, itemKey: null, itemTitle: null, days: 2, reason: "Travel." }),
    ]);
    expect(await (await api(learner)).extensions.mine({ courseId: randomUUID() })).toEqual([]);
    expect(await (await api(otherLearner)).extensions.mine({})).toEqual([]);
  });

  it("a retried grant with the same request id adds nothing; the same id for another grant is refused", async () => {
    const { cohortA, teacher, learner, api } = await setup();
    const teacherApi = await api(teacher);
    const requestId = randomUUID();
    const grant = { cohortId: cohortA.id, userId: learner.id, itemKey: "chapter:2", days: 1, reason: "Retry me.", requestId };
    const first = await teacherApi.extensions.grant(grant);
    const again = await teacherApi.extensions.grant(grant);
    expect(first).toMatchObject({ created: true });
    expect(again).toMatchObject({ id: first.id, created: false, days: 1 });
    await expect(teacherApi.extensions.grant({ ...grant, days: 5 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await extensionsOf(cohortA.id)).toHaveLength(1);
    expect(await auditOf(cohortA.id)).toHaveLength(1);
  });

  it("a request id is the caller's own: the same one in another organisation grants there, touching nothing here", async () => {
    const here = await setup();
    const there = await setup();
    const requestId = randomUUID();
    const grant = (org: typeof here) => ({ cohortId: org.cohortA.id, userId: org.learner.id, itemKey: null, days: 1, reason: "Same id.", requestId });
    const mine = await (await here.api(here.teacher)).extensions.grant(grant(here));
    // Even an id the other caller knows (this extension's) does not reach this organisation's row.
    const theirs = await (await there.api(there.teacher)).extensions.grant({ ...grant(there), requestId: mine.id });
    const theirsByRequest = await (await there.api(there.teacher)).extensions.grant(grant(there));
    expect(theirs.created && theirsByRequest.created).toBe(true);
    expect(new Set([mine.id, theirs.id, theirsByRequest.id]).size).toBe(3);
    expect(await extensionsOf(here.cohortA.id)).toEqual([expect.objectContaining({ id: mine.id, reason: "Same id.", revokedAt: null })]);
  });

  it("two identical retries at once still write one extension and one audit entry", async () => {
    const { cohortA, teacher, learner, api } = await setup();
    const grant = { cohortId: cohortA.id, userId: learner.id, itemKey: null, days: 1, reason: "Double click.", requestId: randomUUID() };
    const results = await Promise.all([(await api(teacher)).extensions.grant(grant), (await api(teacher)).extensions.grant(grant)]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(await extensionsOf(cohortA.id)).toHaveLength(1);
    expect(await auditOf(cohortA.id)).toHaveLength(1);
  });

  it("a lab of the pinned version is an item, with the lab's title", async () => {
    const course = tinyCourse();
    const chapter2 = course.course.parts[0]?.chapters[1];
    const lesson = chapter2?.lessons[0];
    if (!lesson) throw new Error("tiny course changed");
    // The Kafka lab belongs to the lesson with this key, wherever it is.
    lesson.key = "21.5-how-to-produce-and-consume-messages";
    const { cohortA, teacher, learner, api } = await setup(course);
    const granted = await (await api(teacher)).extensions.grant({
      cohortId: cohortA.id,
      userId: learner.id,
      itemKey: "lab:kafka-sensor-readings",
      days: 2,
      reason: "Cluster was down.",
    });
    expect(granted).toMatchObject({ itemKey: "lab:kafka-sensor-readings", itemTitle: "Produce and consume sensor readings with Kafka" });
    const [entry] = await auditOf(cohortA.id);
    expect(entry?.detail).toMatchObject({ item: { key: "lab:kafka-sensor-readings", title: "Produce and consume sensor readings with Kafka" } });
  });

  it("only the cohort's instructors or an owner grant; a learner does not even see the cohort", async () => {
    const { cohortA, owner, otherTeacher, learner, api } = await setup();
    const grant = { cohortId: cohortA.id, userId: learner.id, itemKey: null, days: 1, reason: "Because." };
    await expect((await api(otherTeacher)).extensions.grant(grant)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: `Only ${cohortA.name}'s instructors or an owner can change it.`,
    });
    await expect((await api(learner)).extensions.grant(grant)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await api(learner)).extensions.list({ cohortId: cohortA.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await api(learner)).extensions.auditLog({ cohortId: cohortA.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await extensionsOf(cohortA.id)).toEqual([]);
    expect(await auditOf(cohortA.id)).toEqual([]);
    // Another instructor may still read the cohort; an owner may change it.
    expect(await (await api(otherTeacher)).extensions.list({ cohortId: cohortA.id })).toEqual([]);
    await (await api(owner)).extensions.grant(grant);
    expect(await extensionsOf(cohortA.id)).toHaveLength(1);
  });

  it.each([
    ["0 days", { days: 0 }, "BAD_REQUEST"],
    ["366 days", { days: 366 }, "BAD_REQUEST"],
    ["1.5 days", { days: 1.5 }, "BAD_REQUEST"],
    ["an empty reason", { reason: "   " }, "BAD_REQUEST"],
    ["a reason of 501 characters", { reason: "x".repeat(501) }, "BAD_REQUEST"],
    ["a chapter with nothing of the cohort's version", { itemKey: "chapter:9" }, "BAD_REQUEST"],
    ["a lab the course does not have", { itemKey: "lab:kafka-sensor-readings" }, "BAD_REQUEST"],
    ["a learner of another cohort", { userId: "other" }, "NOT_FOUND"],
    ["no learner at all", { userId: "nobody" }, "NOT_FOUND"],
  ] as const)("%s: refused, nothing written", async (_, change, code) => {
    const { cohortA, teacher, learner, otherLearner, api } = await setup();
    const userId = "userId" in change ? (change.userId === "other" ? otherLearner.id : randomUUID()) : learner.id;
    const input = { cohortId: cohortA.id, itemKey: "chapter:1" as string | null, days: 2, reason: "Fine.", ...change, userId };
    const error = await (await api(teacher)).extensions.grant(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    if (code === "BAD_REQUEST" && "itemKey" in change)
      expect(error).toMatchObject({ message: `"${change.itemKey}" is not an item of ${cohortA.name}'s schedule.` });
    expect(await extensionsOf(cohortA.id)).toEqual([]);
    expect(await auditOf(cohortA.id)).toEqual([]);
  });

  it("revoking keeps the first revocation's time and person, and is audited once", async () => {
    const { cohortA, owner, teacher, otherTeacher, learner, courseId, api } = await setup();
    const teacherApi = await api(teacher);
    const granted = await teacherApi.extensions.grant({ cohortId: cohortA.id, userId: learner.id, itemKey: "chapter:1", days: 4, reason: "Ill." });
    await expect((await api(otherTeacher)).extensions.revoke({ extensionId: granted.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await api(learner)).extensions.revoke({ extensionId: granted.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(teacherApi.extensions.revoke({ extensionId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const first = new Date("2026-12-11T08:00:00Z");
    setClock(() => first);
    expect(await teacherApi.extensions.revoke({ extensionId: granted.id })).toEqual({ id: granted.id, revokedAt: first, alreadyRevoked: false });
    setClock(() => new Date("2026-12-12T08:00:00Z"));
    expect(await (await api(owner)).extensions.revoke({ extensionId: granted.id })).toEqual({
      id: granted.id,
      revokedAt: first,
      alreadyRevoked: true,
    });

    const [row] = await extensionsOf(cohortA.id);
    expect(row).toMatchObject({ revokedAt: first, revokedBy: teacher.id });
    const log = await teacherApi.extensions.auditLog({ cohortId: cohortA.id });
    expect(log.map((e) => e.action)).toEqual(["extension.revoked", "extension.granted"]);
    expect(log[0]).toMatchObject({
      actorId: teacher.id,
      createdAt: first,
      detail: { extensionId: granted.id, learner: { id: learner.id }, item: { key: "chapter:1", title: "Start" }, days: 4 },
    });
    // A revoked extension no longer counts for the learner.
    expect(await (await api(learner)).extensions.mine({ courseId })).toEqual([]);
    expect((await teacherApi.extensions.list({ cohortId: cohortA.id, userId: learner.id }))[0]?.revokedAt).toEqual(first);
  });

  it("the audit log is newest first and honours its limit", async () => {
    const { cohortA, teacher, learner, api } = await setup();
    const teacherApi = await api(teacher);
    for (const [i, day] of ["2026-12-08", "2026-12-09", "2026-12-10"].entries()) {
      setClock(() => new Date(`${day}T10:00:00Z`));
      await teacherApi.extensions.grant({ cohortId: cohortA.id, userId: learner.id, itemKey: null, days: i + 1, reason: `Day ${i + 1}.` });
    }
    const log = await teacherApi.extensions.auditLog({ cohortId: cohortA.id, limit: 2 });
    expect(log.map((e) => (e.detail as { days: number }).days)).toEqual([3, 2]);
    await expect(teacherApi.extensions.auditLog({ cohortId: cohortA.id, limit: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
