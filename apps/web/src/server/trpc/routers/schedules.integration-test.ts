import { findLab } from "@cookbook/content/labs";
import { publishEdition } from "@cookbook/db/queries/courses";
import { cohortAuditLog, cohortInstructors, cohortScheduleOverrides, cohorts, memberships, scheduleTemplates } from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const kafkaLab = findLab("kafka-sensor-readings");
if (!kafkaLab) throw new Error("the catalogue has no kafka-sensor-readings lab");
const labKey = `lab:${kafkaLab.slug}`;

/** Every Monday at 09:00, one chapter a week, due 6 days later. */
const weekly: PacingRule = { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 6, skipWeekends: false, blackouts: [] };
const twiceWeekly: PacingRule = { ...weekly, chaptersPerWeek: 2 };

let tenantId: string;
let ownerId: string;
let teacherId: string;
let courseId: string;
let versionId: string;
type Api = Awaited<ReturnType<typeof as>>;
let owner: Api;
/** An instructor of the cohorts made below. */
let teacher: Api;
/** An instructor of the organisation who teaches none of them. */
let otherInstructor: Api;
let learner: Api;

beforeAll(async () => {
  ownerId = (await makeUser(db, "owner")).id;
  tenantId = (await makeTenant(db, ownerId)).id;
  teacherId = (await makeUser(db, "teacher")).id;
  const otherId = (await makeUser(db, "other-instructor")).id;
  const learnerId = (await makeUser(db, "learner")).id;
  await db.insert(memberships).values([
    { tenantId, userId: teacherId, role: "instructor" },
    { tenantId, userId: otherId, role: "instructor" },
    { tenantId, userId: learnerId, role: "learner" },
  ]);
  // Chapters 1 and 2 of the tiny course, and chapter 21 whose one lesson carries the Kafka lab.
  const { slug, course } = tinyCourse();
  const part = course.parts[0];
  const template = part?.chapters[1]?.lessons[0];
  if (!part || !template) throw new Error("tinyCourse changed shape");
  part.chapters.push({
    number: 21,
    title: "Kafka",
    slug: "kafka",
    intro: [],
    lessons: [{ ...template, key: kafkaLab.lessonKey, number: "21.5", title: "Produce and consume", slug: "produce-and-consume" }],
  });
  const published = await publishEdition(db, { courseSlug: slug, course });
  courseId = published.course.id;
  versionId = published.version.id;
  [owner, teacher, otherInstructor, learner] = await Promise.all([
    as(ownerId, tenantId),
    as(teacherId, tenantId),
    as(otherId, tenantId),
    as(learnerId, tenantId),
  ]);
});

let cohortCount = 0;
/** A cohort inserted directly (the cohorts router is not under test here), taught by `teacher`. */
async function makeCohort(opts: { rule?: PacingRule; startDate?: string; endDate?: string; template?: { id: string; revision: number } } = {}) {
  cohortCount += 1;
  const [row] = await db
    .insert(cohorts)
    .values({
      tenantId,
      courseId,
      courseVersionId: versionId,
      name: `Cohort ${cohortCount} ${Date.now().toString(36)}`,
      startDate: opts.startDate ?? "2026-03-02",
      endDate: opts.endDate ?? "2026-06-30",
      timeZone: "Europe/Berlin",
      rule: opts.rule ?? weekly,
      templateId: opts.template?.id ?? null,
      templateRevision: opts.template?.revision ?? null,
    })
    .returning();
  if (!row) throw new Error("cohort insert returned nothing");
  await db.insert(cohortInstructors).values({ tenantId, cohortId: row.id, userId: teacherId });
  return row;
}

const auditOf = (cohortId: string) =>
  db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, cohortId)).orderBy(asc(cohortAuditLog.createdAt));
const overridesOf = (cohortId: string) => db.select().from(cohortScheduleOverrides).where(eq(cohortScheduleOverrides.cohortId, cohortId));
const cohortRow = async (cohortId: string) => (await db.select().from(cohorts).where(eq(cohorts.id, cohortId)))[0];
const uniqueName = (base: string) => `${base} ${Math.random().toString(36).slice(2, 8)}`;

describe("schedule templates", () => {
  it("are created, listed with their cohorts, renamed, revised only when the rule changes, and deleted without touching cohorts' rules", async () => {
    const name = uniqueName("Weekly");
    const created = await teacher.schedules.createTemplate({ name: `  ${name} `, rule: weekly });
    expect(created).toMatchObject({ name, revision: 1, rule: weekly });
    await expect(owner.schedules.createTemplate({ name, rule: twiceWeekly })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `There is already a template called "${name}". Choose another name.`,
    });

    const fromIt = await makeCohort({ template: { id: created.id, revision: 1 } });
    const listed = (await teacher.schedules.templates()).find((t) => t.id === created.id);
    expect(listed).toMatchObject({ name, revision: 1, cohortCount: 1, rule: weekly });

    // A rename is not a new revision: nothing to re-apply.
    const renamed = await teacher.schedules.updateTemplate({ templateId: created.id, name: `${name} (renamed)` });
    expect(renamed).toEqual({ template: expect.objectContaining({ name: `${name} (renamed)`, revision: 1 }), cohortsToReapply: [] });

    const revised = await teacher.schedules.updateTemplate({ templateId: created.id, rule: twiceWeekly });
    expect(revised.template.revision).toBe(2);
    expect(revised.cohortsToReapply).toEqual([{ id: fromIt.id, name: fromIt.name }]);
    // The same rule sent again (the database reorders jsonb keys) is no change.
    const again = await teacher.schedules.updateTemplate({ templateId: created.id, rule: { ...twiceWeekly } });
    expect(again.template.revision).toBe(2);
    // The cohort kept the rule it copied.
    expect((await cohortRow(fromIt.id))?.rule).toEqual(weekly);

    const other = await teacher.schedules.createTemplate({ name: uniqueName("Other"), rule: weekly });
    await expect(teacher.schedules.updateTemplate({ templateId: other.id, name: `${name} (renamed)` })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await db.select().from(scheduleTemplates).where(eq(scheduleTemplates.id, other.id)))[0]?.name).toBe(other.name);

    await teacher.schedules.deleteTemplate({ templateId: created.id });
    expect((await teacher.schedules.templates()).map((t) => t.id)).not.toContain(created.id);
    expect(await cohortRow(fromIt.id)).toMatchObject({ templateId: null, rule: weekly });
    await expect(teacher.schedules.deleteTemplate({ templateId: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(teacher.schedules.updateTemplate({ templateId: created.id, name: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(teacher.schedules.updateTemplate({ templateId: other.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Change the name, the rule or both."),
    });
  });

  it("refuses a rule the format does not allow, and learners", async () => {
    await expect(
      teacher.schedules.createTemplate({ name: uniqueName("Weekend"), rule: { ...weekly, weekday: "sat", skipWeekends: true } }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Chapters cannot open on a weekend when weekends are skipped."),
    });
    await expect(learner.schedules.templates()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(learner.schedules.createTemplate({ name: uniqueName("Mine"), rule: weekly })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("applying a template", () => {
  it("copies the rule and revision, keeps or clears the overrides as asked, and logs it", async () => {
    setClock(() => new Date("2026-02-20T12:00:00Z"));
    const template = await owner.schedules.createTemplate({ name: uniqueName("Twice"), rule: twiceWeekly });
    const cohort = await makeCohort();
    await teacher.schedules.setOverride({
      cohortId: cohort.id,
      itemKey: "chapter:2",
      mode: "fixed",
      opensDate: "2026-03-04",
      opensTime: "10:00",
      dueDate: "2026-03-05",
      dueTime: "18:00",
    });

    const kept = await teacher.schedules.applyTemplate({ cohortId: cohort.id, templateId: template.id, keepOverrides: true });
    expect(kept).toMatchObject({ templateId: template.id, templateRevision: 1, clearedOverrides: [], changed: true });
    expect(await cohortRow(cohort.id)).toMatchObject({ rule: twiceWeekly, templateId: template.id, templateRevision: 1 });
    expect(await overridesOf(cohort.id)).toHaveLength(1);

    // The template changes; the cohort is offered to re-apply it, and re-applying clears the hand edit.
    const revised = await owner.schedules.updateTemplate({ templateId: template.id, rule: { ...twiceWeekly, time: "08:30" } });
    expect(revised.cohortsToReapply).toEqual([{ id: cohort.id, name: cohort.name }]);
    const warnings = (await teacher.schedules.forCohort({ cohortId: cohort.id })).warnings.map((w) => w.code);
    expect(warnings).toContain("template_changed");
    const cleared = await teacher.schedules.applyTemplate({ cohortId: cohort.id, templateId: template.id, keepOverrides: false });
    expect(cleared).toMatchObject({ templateRevision: 2, clearedOverrides: ["chapter:2"], changed: true });
    expect(await overridesOf(cohort.id)).toEqual([]);
    expect((await cohortRow(cohort.id))?.rule.time).toBe("08:30");
    expect((await owner.schedules.updateTemplate({ templateId: template.id, name: `${template.name}!` })).cohortsToReapply).toEqual([]);

    // Applying it once more changes nothing and logs nothing.
    expect((await teacher.schedules.applyTemplate({ cohortId: cohort.id, templateId: template.id, keepOverrides: false })).changed).toBe(false);
    const audit = await auditOf(cohort.id);
    expect(audit.map((a) => a.action)).toEqual(["schedule.override_set", "schedule.template_applied", "schedule.template_applied"]);
    expect(audit[2]).toMatchObject({
      actorId: teacherId,
      createdAt: new Date("2026-02-20T12:00:00Z"),
      detail: { templateId: template.id, revision: 2, clearedOverrides: ["chapter:2"], before: { templateId: template.id, templateRevision: 1 } },
    });
  });

  it("of another cohort's instructor is FORBIDDEN, an unknown template NOT_FOUND, and neither writes anything", async () => {
    const template = await owner.schedules.createTemplate({ name: uniqueName("Forbidden"), rule: twiceWeekly });
    const cohort = await makeCohort();
    await expect(
      otherInstructor.schedules.applyTemplate({ cohortId: cohort.id, templateId: template.id, keepOverrides: true }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: `Only ${cohort.name}'s instructors or an owner can change it.`,
    });
    await expect(
      teacher.schedules.applyTemplate({ cohortId: cohort.id, templateId: "00000000-0000-4000-8000-000000000000", keepOverrides: true }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await cohortRow(cohort.id)).toMatchObject({ rule: weekly, templateId: null });
    expect(await auditOf(cohort.id)).toEqual([]);
  });
});

describe("a cohort's own rule", () => {
  it("is edited in place, stays linked to its template, and each real change is logged with before and after", async () => {
    const template = await owner.schedules.createTemplate({ name: uniqueName("Linked"), rule: weekly });
    const cohort = await makeCohort({ template: { id: template.id, revision: 1 } });
    expect(await teacher.schedules.setRule({ cohortId: cohort.id, rule: { ...weekly, dueAfterDays: 3 } })).toMatchObject({ changed: true });
    expect(await teacher.schedules.setRule({ cohortId: cohort.id, rule: { ...weekly, dueAfterDays: 3 } })).toMatchObject({ changed: false });
    expect(await cohortRow(cohort.id)).toMatchObject({ rule: { ...weekly, dueAfterDays: 3 }, templateId: template.id, templateRevision: 1 });
    const audit = await auditOf(cohort.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "schedule.rule_edited", detail: { before: weekly, after: { ...weekly, dueAfterDays: 3 } } });
    await expect(otherInstructor.schedules.setRule({ cohortId: cohort.id, rule: twiceWeekly })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // An owner may change any cohort.
    expect(await owner.schedules.setRule({ cohortId: cohort.id, rule: twiceWeekly })).toMatchObject({ changed: true });
  });
});

describe("the cohort's computed schedule", () => {
  it("fixed mode: every item's dates from the start date in the cohort's zone, labs with their chapter, and items due after the end", async () => {
    setClock(() => new Date("2026-02-20T12:00:00Z"));
    const cohort = await makeCohort({ endDate: "2026-03-10" });
    const schedule = await otherInstructor.schedules.forCohort({ cohortId: cohort.id });
    expect(schedule).toMatchObject({ mode: "fixed", rule: weekly, anchor: { date: "2026-03-02" }, template: null, orphanOverrides: [] });
    expect(schedule.anchor.description).toContain("count from the cohort's start date");
    expect(schedule.items.map((i) => [i.key, i.opensAt, i.dueAt, i.overridden])).toEqual([
      // Berlin is UTC+1 in March before the 29th.
      ["chapter:1", "2026-03-02T08:00:00.000Z", "2026-03-08T08:00:00.000Z", false],
      ["chapter:2", "2026-03-09T08:00:00.000Z", "2026-03-15T08:00:00.000Z", false],
      ["chapter:21", "2026-03-16T08:00:00.000Z", "2026-03-22T08:00:00.000Z", false],
      [labKey, "2026-03-16T08:00:00.000Z", "2026-03-22T08:00:00.000Z", false],
    ]);
    expect(schedule.items[0]).toMatchObject({
      kind: "chapter",
      title: "Start",
      opens: { local: "Mon 2 Mar, 09:00", date: "2026-03-02", time: "09:00", day: 0 },
      due: { local: "Sun 8 Mar, 09:00", date: "2026-03-08", time: "09:00", day: 6 },
    });
    expect(schedule.items[3]).toMatchObject({ kind: "lab", chapterNumber: 21, title: kafkaLab.title });
    expect(schedule.warnings).toEqual([{ code: "due_after_end", message: "3 items are due after the cohort's end date (2026-03-10)." }]);
  });

  it("relative mode: the same computation, shown for a learner who enrolled on the start date", async () => {
    const cohort = await makeCohort({ rule: { ...weekly, mode: "relative" }, endDate: "2026-03-20" });
    const schedule = await teacher.schedules.forCohort({ cohortId: cohort.id });
    expect(schedule.mode).toBe("relative");
    expect(schedule.anchor).toEqual({ date: "2026-03-02", description: expect.stringContaining("for a learner who enrolled on the start date") });
    expect(schedule.items[0]).toMatchObject({ key: "chapter:1", opensAt: "2026-03-02T08:00:00.000Z" });
    expect(schedule.warnings).toEqual([
      { code: "due_after_end", message: "2 items are due after the cohort's end date (2026-03-20) for a learner who enrolled on the start date." },
    ]);
  });

  it("is NOT_FOUND for a learner and for an unknown cohort", async () => {
    const cohort = await makeCohort();
    await expect(learner.schedules.forCohort({ cohortId: cohort.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.schedules.forCohort({ cohortId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("item overrides", () => {
  it("fixed mode: local dates in the cohort's zone replace the rule's for the item and its lab; the same edit again writes nothing", async () => {
    setClock(() => new Date("2026-02-21T07:30:00Z"));
    const cohort = await makeCohort();
    const edit = {
      cohortId: cohort.id,
      itemKey: "chapter:21",
      mode: "fixed",
      opensDate: "2026-03-04",
      opensTime: "10:00",
      dueDate: "2026-03-05",
      dueTime: "18:00",
    } as const;
    const set = await teacher.schedules.setOverride(edit);
    expect(set).toMatchObject({
      changed: true,
      item: { key: "chapter:21", opensAt: "2026-03-04T09:00:00.000Z", dueAt: "2026-03-05T17:00:00.000Z", overridden: true },
    });
    expect(await overridesOf(cohort.id)).toEqual([
      expect.objectContaining({ itemKey: "chapter:21", opensDay: 2, opensTime: "10:00", dueDay: 3, dueTime: "18:00", updatedBy: teacherId }),
    ]);
    const lab = (await teacher.schedules.forCohort({ cohortId: cohort.id })).items.find((i) => i.key === labKey);
    expect(lab).toMatchObject({ opensAt: "2026-03-04T09:00:00.000Z", dueAt: "2026-03-05T17:00:00.000Z" });

    expect((await teacher.schedules.setOverride(edit)).changed).toBe(false);
    const audit = await auditOf(cohort.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "schedule.override_set",
      actorId: teacherId,
      createdAt: new Date("2026-02-21T07:30:00Z"),
      detail: {
        itemKey: "chapter:21",
        before: { opensAt: "2026-03-16T08:00:00.000Z", dueAt: "2026-03-22T08:00:00.000Z", overridden: false },
        after: { opensAt: "2026-03-04T09:00:00.000Z", dueAt: "2026-03-05T17:00:00.000Z", overridden: true },
      },
    });

    await teacher.schedules.clearOverride({ cohortId: cohort.id, itemKey: "chapter:21" });
    expect(await overridesOf(cohort.id)).toEqual([]);
    expect(await teacher.schedules.clearOverride({ cohortId: cohort.id, itemKey: "chapter:21" })).toEqual({ cleared: false });
    const actions = (await auditOf(cohort.id)).map((a) => a.action);
    expect(actions).toEqual(["schedule.override_set", "schedule.override_cleared"]);
    expect((await auditOf(cohort.id))[1]?.detail).toMatchObject({ after: { opensAt: "2026-03-16T08:00:00.000Z", overridden: false } });
  });

  it("relative mode: days after the learner's anchor date", async () => {
    const cohort = await makeCohort({ rule: { ...weekly, mode: "relative" } });
    const set = await teacher.schedules.setOverride({
      cohortId: cohort.id,
      itemKey: "chapter:1",
      mode: "relative",
      opensDay: 1,
      opensTime: "07:00",
      dueDay: 10,
      dueTime: "23:59",
    });
    expect(set.item).toMatchObject({ opensAt: "2026-03-03T06:00:00.000Z", dueAt: "2026-03-12T22:59:00.000Z", opens: { day: 1 }, due: { day: 10 } });
    // A page still showing fixed dates is refused, not reinterpreted.
    await expect(
      teacher.schedules.setOverride({
        cohortId: cohort.id,
        itemKey: "chapter:1",
        mode: "fixed",
        opensDate: "2026-03-04",
        opensTime: "10:00",
        dueDate: "2026-03-05",
        dueTime: "18:00",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("relative mode") });
    expect(await overridesOf(cohort.id)).toEqual([expect.objectContaining({ opensDay: 1, dueDay: 10 })]);
  });

  it("a due time before (or at) the opening is refused with a clear message and nothing is written", async () => {
    const cohort = await makeCohort();
    const base = { cohortId: cohort.id, itemKey: "chapter:1", mode: "fixed" } as const;
    for (const dates of [
      { opensDate: "2026-03-05", opensTime: "10:00", dueDate: "2026-03-04", dueTime: "18:00" },
      { opensDate: "2026-03-05", opensTime: "10:00", dueDate: "2026-03-05", dueTime: "09:59" },
      { opensDate: "2026-03-05", opensTime: "10:00", dueDate: "2026-03-05", dueTime: "10:00" },
    ]) {
      await expect(teacher.schedules.setOverride({ ...base, ...dates })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "The due time must be after the opening time.",
      });
    }
    await expect(
      teacher.schedules.setOverride({ ...base, opensDate: "2026-03-01", opensTime: "10:00", dueDate: "2026-03-05", dueTime: "10:00" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "An item cannot open before the cohort's start date (2026-03-02)." });
    await expect(
      teacher.schedules.setOverride({ ...base, opensDate: "2026-03-03", opensTime: "10:00", dueDate: "2036-12-01", dueTime: "10:00" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "An item can be due at most 3660 days after the cohort's start date." });
    await expect(
      teacher.schedules.setOverride({
        ...base,
        itemKey: "chapter:99",
        opensDate: "2026-03-03",
        opensTime: "10:00",
        dueDate: "2026-03-05",
        dueTime: "10:00",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(teacher.schedules.clearOverride({ cohortId: cohort.id, itemKey: "chapter:99" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await overridesOf(cohort.id)).toEqual([]);
    expect(await auditOf(cohort.id)).toEqual([]);
  });

  it("an instructor not teaching the cohort can read it but not change it; a learner gets NOT_FOUND", async () => {
    const cohort = await makeCohort();
    const edit = {
      cohortId: cohort.id,
      itemKey: "chapter:1",
      mode: "fixed",
      opensDate: "2026-03-03",
      opensTime: "10:00",
      dueDate: "2026-03-05",
      dueTime: "10:00",
    } as const;
    await expect(otherInstructor.schedules.setOverride(edit)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(otherInstructor.schedules.clearOverride({ cohortId: cohort.id, itemKey: "chapter:1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await otherInstructor.schedules.forCohort({ cohortId: cohort.id })).items).toHaveLength(4);
    await expect(learner.schedules.setOverride(edit)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(learner.schedules.clearOverride({ cohortId: cohort.id, itemKey: "chapter:1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(learner.schedules.setRule({ cohortId: cohort.id, rule: twiceWeekly })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await overridesOf(cohort.id)).toEqual([]);
    // The owner may.
    expect((await owner.schedules.setOverride(edit)).changed).toBe(true);
  });

  it("an override of an item the pinned version no longer has is reported and can be cleared", async () => {
    const cohort = await makeCohort();
    await db
      .insert(cohortScheduleOverrides)
      .values({ tenantId, cohortId: cohort.id, itemKey: "chapter:7", opensDay: 0, opensTime: "09:00", dueDay: 2, dueTime: "09:00" });
    const schedule = await teacher.schedules.forCohort({ cohortId: cohort.id });
    expect(schedule.orphanOverrides).toEqual(["chapter:7"]);
    expect(schedule.warnings).toContainEqual({ code: "orphan_overrides", message: expect.stringContaining("chapter:7") });
    expect(await teacher.schedules.clearOverride({ cohortId: cohort.id, itemKey: "chapter:7" })).toEqual({ cleared: true });
    expect(await auditOf(cohort.id)).toEqual([
      expect.objectContaining({
        action: "schedule.override_cleared",
        detail: expect.objectContaining({ itemKey: "chapter:7", before: null, after: null }),
      }),
    ]);
  });
});
