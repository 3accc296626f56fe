import { labs } from "@cookbook/content/labs";
import { appendAuditEntry } from "@cookbook/db/queries/cohort-audit";
import { listLearnerCohorts } from "@cookbook/db/queries/cohort-plan";
import {
  type CohortPatch,
  type CohortRow,
  cohortNameConstraint,
  cohortsOfCourseFor,
  countCohortMembers,
  deleteCohort,
  deleteCohortMember,
  deleteOverridesExcept,
  findCohortByInviteCode,
  findCourseVersion,
  insertCohort,
  insertCohortMembers,
  isUniqueViolation,
  joinCohortByCode,
  listCohortInstructors,
  listCohorts,
  listRoster,
  listVersionLessons,
  membersAmong,
  newInviteCode,
  oneCohortPerCourseConstraint,
  replaceCohortInstructors,
  retryingLostRace,
  staffAmong,
  updateCohort,
} from "@cookbook/db/queries/cohorts";
import { getCurrentVersion, getOutline } from "@cookbook/db/queries/courses";
import { enroll } from "@cookbook/db/queries/learning";
import { findTemplate } from "@cookbook/db/queries/schedules";
import { setActiveTenant } from "@cookbook/db/queries/sessions";
import { latePolicies, type Role } from "@cookbook/db/schema";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { scheduleItems } from "@cookbook/schedule/compute-schedule";
import { isoDate, pacingRuleSchema } from "@cookbook/schedule/pacing-rule";
import { canonicalTimeZone, isValidTimeZone, localDateOf } from "@cookbook/schedule/zoned-time";
import { TRPCError } from "@trpc/server";
import { diffLines } from "diff";
import { z } from "zod";
import { now } from "~/server/clock";
import { managedCohortOrNotFound, staffCohortOrNotFound } from "~/server/cohorts/cohort-access";
import { cohortId, userId } from "~/server/cohorts/inputs";
import { rosterStatuses } from "~/server/cohorts/learner-plan";
import { lessonPlainText } from "~/server/cohorts/lesson-text";
import { courseId, courseOrNotFound } from "../course-access";
import { createTRPCRouter, notFound, orgProcedure, protectedProcedure, roleProcedure } from "../trpc";

const cohortName = z.string().trim().min(2, { error: "Use at least 2 characters." }).max(80);
const timeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { error: "Unknown time zone: use a name such as Europe/Berlin or America/New_York." })
  .transform(canonicalTimeZone);
const seatLimit = z.int().min(1, { error: "A seat limit is at least 1." }).max(100_000);
const latePolicy = z.enum(latePolicies);
const closeAfterDays = z.int().min(0).max(365);
/** A cohort's invitation code: 24 random bytes as base64url. */
const inviteCode = z.string().min(16).max(100);

const datesOutOfOrder = () => new TRPCError({ code: "BAD_REQUEST", message: "The end date must be on or after the start date." });
const nameTaken = (name: string) =>
  new TRPCError({ code: "CONFLICT", message: `This organisation already has a cohort called "${name}". Choose another name.` });
const inviteGone = () => notFound("Cohort invitation (the link may have been reset or switched off)");

/** close_after needs its number of days; accept_late has none. */
function latePolicyColumns(policy: (typeof latePolicies)[number], days: number | null | undefined) {
  if (policy === "accept_late") return { latePolicy: policy, closeAfterDays: null };
  if (days === undefined || days === null) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Say after how many days past the due time work is no longer accepted." });
  }
  return { latePolicy: policy, closeAfterDays: days };
}

type Ctx = { user: { id: string }; tenant: { tenantId: string; role: Role } };

/** Every one of `userIds` must be an instructor or owner of the organisation. */
async function requireStaff(tx: TenantTx, ctx: Ctx, userIds: readonly string[]) {
  const staff = await staffAmong(tx, { tenantId: ctx.tenant.tenantId, userIds });
  const others = userIds.filter((id) => !staff.has(id));
  if (others.length > 0) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Every instructor of a cohort must be an instructor or owner of the organisation." });
  }
}

function audit(tx: TenantTx, ctx: Ctx, cohort: CohortRow, action: string, detail: Record<string, unknown>) {
  return appendAuditEntry(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, actorId: ctx.user.id, action, detail, createdAt: now() });
}

/** Runs a write that may hit the cohort-name uniqueness (a race the up-front check lost) and says so clearly. */
async function refusingDuplicateName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (name !== undefined && isUniqueViolation(error, cohortNameConstraint)) throw nameTaken(name);
    throw error;
  }
}

const uniqueIds = (ids: readonly string[]) => [...new Set(ids)];

export const cohortsRouter = createTRPCRouter({
  /**
   * Staff see every cohort of the organisation with seats and instructors; a learner sees only
   * the cohorts they are in, without anything about the other learners.
   */
  list: orgProcedure.query(({ ctx }) =>
    ctx.scoped(async (tx) => {
      if (ctx.tenant.role === "learner") {
        const mine = await listLearnerCohorts(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id });
        return {
          staff: false as const,
          cohorts: mine.map(({ cohort, course, member }) => ({
            id: cohort.id,
            name: cohort.name,
            courseId: course.id,
            courseTitle: course.title,
            startDate: cohort.startDate,
            endDate: cohort.endDate,
            timeZone: cohort.timeZone,
            enrolledAt: member.enrolledAt,
          })),
        };
      }
      return { staff: true as const, cohorts: await listCohorts(tx, { tenantId: ctx.tenant.tenantId }) };
    }),
  ),

  /** One cohort for its staff: instructors, the pinned edition (and whether a newer one exists), its rule and template. */
  get: orgProcedure.input(z.object({ cohortId })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      const scope = { tenantId: ctx.tenant.tenantId, cohortId: cohort.id };
      const { course } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, id: cohort.courseId });
      const pinned = await findCourseVersion(tx, { courseId: cohort.courseId, versionId: cohort.courseVersionId });
      const current = await getCurrentVersion(tx, cohort.courseId);
      if (!pinned || !current) throw notFound("Course version");
      const template = cohort.templateId ? await findTemplate(tx, { tenantId: ctx.tenant.tenantId, templateId: cohort.templateId }) : null;
      const instructors = await listCohortInstructors(tx, scope);
      return {
        id: cohort.id,
        name: cohort.name,
        course: { id: course.id, slug: course.slug, title: course.title },
        startDate: cohort.startDate,
        endDate: cohort.endDate,
        timeZone: cohort.timeZone,
        seatLimit: cohort.seatLimit,
        memberCount: await countCohortMembers(tx, scope),
        rule: cohort.rule,
        latePolicy: cohort.latePolicy,
        closeAfterDays: cohort.closeAfterDays,
        instructors,
        canManage: ctx.tenant.role === "owner" || instructors.some((i) => i.userId === ctx.user.id),
        version: { id: pinned.id, edition: pinned.edition },
        newerVersion: current.sequence > pinned.sequence ? { id: current.id, edition: current.edition } : null,
        template: template ? { id: template.id, name: template.name, revision: template.revision } : null,
        /** The template was edited after its rule was applied to this cohort: offer to re-apply it. */
        templateChanged: template !== null && template.revision !== cohort.templateRevision,
      };
    }),
  ),

  /**
   * Creates a cohort on the course's current version, its rule taken from a template (which it
   * remembers, with the template's revision) or given as is. Staff only; the creator teaches it
   * unless an owner names other instructors.
   */
  create: roleProcedure("instructor")
    .input(
      z
        .object({
          name: cohortName,
          courseId,
          startDate: isoDate,
          endDate: isoDate,
          timeZone,
          seatLimit: seatLimit.nullish(),
          rule: pacingRuleSchema.optional(),
          templateId: z.uuid().optional(),
          latePolicy: latePolicy.default("accept_late"),
          closeAfterDays: closeAfterDays.nullish(),
          instructorIds: z.array(userId).min(1, { error: "A cohort needs at least one instructor." }).max(20).optional(),
        })
        .refine((c) => c.endDate >= c.startDate, { error: "The end date must be on or after the start date.", path: ["endDate"] })
        .refine((c) => (c.rule === undefined) !== (c.templateId === undefined), {
          error: "Give either a pacing rule or a schedule template, not both.",
          path: ["rule"],
        }),
    )
    .mutation(({ ctx, input }) =>
      refusingDuplicateName(input.name, () =>
        ctx.scoped(async (tx) => {
          const tenantId = ctx.tenant.tenantId;
          const { course, version } = await courseOrNotFound(tx, { tenantId, id: input.courseId });
          const template = input.templateId ? await findTemplate(tx, { tenantId, templateId: input.templateId }) : null;
          if (input.templateId && !template) throw notFound("Schedule template");
          const rule = template?.rule ?? input.rule;
          if (!rule) throw new TRPCError({ code: "BAD_REQUEST", message: "Give either a pacing rule or a schedule template." });
          const instructorIds = uniqueIds(input.instructorIds ?? [ctx.user.id]);
          // An instructor who left themselves out could not change the cohort they just made.
          if (ctx.tenant.role !== "owner" && !instructorIds.includes(ctx.user.id)) {
            throw new TRPCError({
              code: "BAD_REQUEST",
              message: "Include yourself among the instructors: only a cohort's instructors or an owner can change it.",
            });
          }
          await requireStaff(tx, ctx, instructorIds);
          const cohort = await insertCohort(tx, {
            tenantId,
            courseId: course.id,
            courseVersionId: version.id,
            name: input.name,
            startDate: input.startDate,
            endDate: input.endDate,
            timeZone: input.timeZone,
            seatLimit: input.seatLimit ?? null,
            rule,
            templateId: template?.id ?? null,
            templateRevision: template?.revision ?? null,
            ...latePolicyColumns(input.latePolicy, input.closeAfterDays),
            inviteCode: newInviteCode(),
            createdBy: ctx.user.id,
          });
          if (!cohort) throw nameTaken(input.name);
          await replaceCohortInstructors(tx, { tenantId, cohortId: cohort.id, userIds: instructorIds });
          await audit(tx, ctx, cohort, "cohort.created", {
            name: cohort.name,
            courseId: course.id,
            edition: version.edition,
            templateId: cohort.templateId,
            instructorIds,
          });
          return { id: cohort.id, name: cohort.name, inviteCode: cohort.inviteCode };
        }),
      ),
    ),

  /** Changes the cohort's name, dates, zone, seats or late policy; only what is given changes. */
  update: orgProcedure
    .input(
      z.object({
        cohortId,
        name: cohortName.optional(),
        startDate: isoDate.optional(),
        endDate: isoDate.optional(),
        timeZone: timeZone.optional(),
        seatLimit: seatLimit.nullable().optional(),
        latePolicy: latePolicy.optional(),
        closeAfterDays: closeAfterDays.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      refusingDuplicateName(input.name, () =>
        ctx.scoped(async (tx) => {
          const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
          const scope = { tenantId: ctx.tenant.tenantId, cohortId: cohort.id };
          const patch: CohortPatch = {};
          if (input.name !== undefined) patch.name = input.name;
          if (input.startDate !== undefined) patch.startDate = input.startDate;
          if (input.endDate !== undefined) patch.endDate = input.endDate;
          if (input.timeZone !== undefined) patch.timeZone = input.timeZone;
          if ((patch.endDate ?? cohort.endDate) < (patch.startDate ?? cohort.startDate)) throw datesOutOfOrder();
          if (input.latePolicy !== undefined || input.closeAfterDays !== undefined) {
            const days = input.closeAfterDays !== undefined ? input.closeAfterDays : cohort.closeAfterDays;
            Object.assign(patch, latePolicyColumns(input.latePolicy ?? cohort.latePolicy, days));
          }
          if (input.seatLimit !== undefined) {
            // The cohort is locked (managedCohortOrNotFound), so no one joins between counting and lowering the limit.
            const members = await countCohortMembers(tx, scope);
            if (input.seatLimit !== null && input.seatLimit < members) {
              throw new TRPCError({
                code: "BAD_REQUEST",
                message: `${cohort.name} already has ${members} learners: the seat limit cannot be lower than that.`,
              });
            }
            patch.seatLimit = input.seatLimit;
          }
          if (Object.keys(patch).length === 0) return { ok: true as const };
          const updated = await updateCohort(tx, { ...scope, patch });
          if (!updated) throw notFound("Cohort");
          await audit(tx, ctx, cohort, "cohort.updated", { ...patch });
          return { ok: true as const };
        }),
      ),
    ),

  /** Deletes the cohort with its roster, schedule edits, extensions and announcements, once its name is typed. */
  delete: orgProcedure
    .input(z.object({ cohortId, confirmName: z.string().trim().min(1, { error: "Type the cohort's name." }).max(80) }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
        if (input.confirmName !== cohort.name.trim()) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `Type the cohort's name, ${cohort.name}, to confirm.` });
        }
        // Its audit log goes with it (the entries reference the cohort); the learners keep their progress.
        if (!(await deleteCohort(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id }))) throw notFound("Cohort");
        return { ok: true as const };
      }),
    ),

  /** Makes exactly these organisation instructors or owners the cohort's instructors. */
  setInstructors: orgProcedure
    .input(z.object({ cohortId, userIds: z.array(userId).min(1, { error: "A cohort needs at least one instructor." }).max(20) }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
        const userIds = uniqueIds(input.userIds);
        await requireStaff(tx, ctx, userIds);
        await replaceCohortInstructors(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, userIds });
        await audit(tx, ctx, cohort, "instructors.set", { userIds });
        return { ok: true as const };
      }),
    ),

  /** The cohort's learners with their standing against the schedule: on track, behind (N items overdue) or not started. */
  roster: orgProcedure.input(z.object({ cohortId })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      const members = await listRoster(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id });
      const statuses = new Map((await rosterStatuses(tx, { tenantId: ctx.tenant.tenantId, cohort, now: now() })).map((s) => [s.userId, s]));
      return members.map((member) => {
        const standing = statuses.get(member.userId);
        return {
          ...member,
          status: standing?.status ?? ("not_started" as const),
          overdue: standing?.overdue ?? 0,
          done: standing?.done ?? 0,
          late: standing?.late ?? 0,
          total: standing?.total ?? 0,
        };
      });
    }),
  ),

  /**
   * Puts existing organisation members in the cohort and enrolls them in its course, all or
   * none. Someone already in this cohort is left as they are; someone in another cohort of the
   * same course is refused, naming it. The seat limit is checked under the cohort's row lock.
   */
  addMembers: orgProcedure.input(z.object({ cohortId, userIds: z.array(userId).min(1).max(500) })).mutation(({ ctx, input }) =>
    // One of them put in another cohort of the course at the same moment: the second run refuses, naming it.
    retryingLostRace(oneCohortPerCourseConstraint, () =>
      ctx.scoped(async (tx) => {
        const tenantId = ctx.tenant.tenantId;
        // Locked: of two requests filling the last seats, the second counts the first's members.
        const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
        const scope = { tenantId, cohortId: cohort.id };
        const userIds = uniqueIds(input.userIds);
        const members = await membersAmong(tx, { tenantId, userIds });
        if (userIds.some((id) => !members.has(id))) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: "Only members of the organisation can be added; invite the others with the cohort's link.",
          });
        }
        const placed = await cohortsOfCourseFor(tx, { tenantId, courseId: cohort.courseId, userIds });
        const elsewhere = placed.find((p) => p.cohortId !== cohort.id);
        if (elsewhere) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `One of them is already in ${elsewhere.cohortName} for this course.` });
        }
        const already = new Set(placed.map((p) => p.userId));
        const added = userIds.filter((id) => !already.has(id));
        if (added.length === 0) return { added: 0 };
        const taken = await countCohortMembers(tx, scope);
        if (cohort.seatLimit !== null && taken + added.length > cohort.seatLimit) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `${cohort.name} has ${Math.max(cohort.seatLimit - taken, 0)} of ${cohort.seatLimit} seats left; you tried to add ${added.length}.`,
          });
        }
        const enrolledAt = now();
        for (const id of added) await enroll(tx, { tenantId, courseId: cohort.courseId, userId: id });
        await insertCohortMembers(tx, { ...scope, courseId: cohort.courseId, userIds: added, enrolledAt, addedBy: ctx.user.id });
        await audit(tx, ctx, cohort, "members.added", { userIds: added });
        return { added: added.length };
      }),
    ),
  ),

  /** Takes a learner out of the cohort; they stay in the organisation and keep their progress, self-paced. */
  removeMember: orgProcedure.input(z.object({ cohortId, userId })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      const removed = await deleteCohortMember(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, userId: input.userId });
      if (removed) await audit(tx, ctx, cohort, "member.removed", { userId: input.userId });
      return { removed };
    }),
  ),

  /** The cohort's join code, or null while its invitation link is switched off. */
  inviteLink: orgProcedure
    .input(z.object({ cohortId }))
    .query(({ ctx, input }) => ctx.scoped(async (tx) => ({ code: (await managedCohortOrNotFound(tx, ctx, input.cohortId)).inviteCode }))),

  /** A new join code (the old link stops working), or, with `enabled: false`, no link at all. */
  resetInviteLink: orgProcedure.input(z.object({ cohortId, enabled: z.boolean() })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      const code = input.enabled ? newInviteCode() : null;
      await updateCohort(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, patch: { inviteCode: code } });
      await audit(tx, ctx, cohort, input.enabled ? "invite_link.reset" : "invite_link.disabled", {});
      return { code };
    }),
  ),

  /** What a cohort invitation link leads to, for the page that offers to join; no organisation needed. */
  previewJoin: protectedProcedure.input(z.object({ code: inviteCode })).query(async ({ ctx, input }) => {
    const found = await findCohortByInviteCode(ctx.db, input.code);
    if (!found) throw inviteGone();
    const seatsLeft = found.seatLimit === null ? null : Math.max(found.seatLimit - found.memberCount, 0);
    const ended = localDateOf(now(), found.timeZone) > found.endDate;
    return {
      cohortName: found.cohortName,
      orgName: found.orgName,
      courseTitle: found.courseTitle,
      startDate: found.startDate,
      endDate: found.endDate,
      seatsLeft,
      full: seatsLeft === 0,
      ended,
    };
  }),

  /**
   * Joins the cohort behind an invitation link: organisation learner (if not a member yet),
   * enrolled in the course, a seat in the cohort, all in one transaction; then the session
   * switches to the cohort's organisation. Opening the link again changes nothing.
   */
  join: protectedProcedure.input(z.object({ code: inviteCode })).mutation(async ({ ctx, input }) => {
    const result = await joinCohortByCode(ctx.db, { code: input.code, userId: ctx.user.id, now: now() });
    if (result.status === "not_found") throw inviteGone();
    if (result.status === "full") throw new TRPCError({ code: "BAD_REQUEST", message: "This cohort is full." });
    if (result.status === "ended") {
      throw new TRPCError({ code: "BAD_REQUEST", message: `This cohort ended on ${result.cohort.endDate}; it takes no new learners.` });
    }
    if (result.status === "in_other_cohort") {
      throw new TRPCError({ code: "BAD_REQUEST", message: `You are already in ${result.otherCohortName} for this course.` });
    }
    await setActiveTenant(ctx.db, ctx.session.id, result.cohort.tenantId);
    return { tenantId: result.cohort.tenantId, cohortId: result.cohort.id, cohortName: result.cohort.name, joined: result.status === "joined" };
  }),

  /**
   * What changed between the cohort's pinned version and the course's current one: lessons
   * added, removed, and changed (a different content hash), each with a line diff of its text.
   */
  versionDiff: orgProcedure.input(z.object({ cohortId })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      const pinned = await findCourseVersion(tx, { courseId: cohort.courseId, versionId: cohort.courseVersionId });
      const current = await getCurrentVersion(tx, cohort.courseId);
      if (!pinned || !current) throw notFound("Course version");
      const before = await listVersionLessons(tx, pinned.id);
      const after = await listVersionLessons(tx, current.id);
      const oldByKey = new Map(before.map((l) => [l.key, l]));
      const newKeys = new Set(after.map((l) => l.key));
      const changed = after.flatMap((lesson) => {
        const old = oldByKey.get(lesson.key);
        if (!old || old.contentHash === lesson.contentHash) return [];
        const diff = diffLines(lessonPlainText(old.blocks), lessonPlainText(lesson.blocks)).map((part) => ({
          kind: part.added ? ("added" as const) : part.removed ? ("removed" as const) : ("same" as const),
          text: part.value,
        }));
        return [{ key: lesson.key, number: lesson.number, oldTitle: old.title, newTitle: lesson.title, diff }];
      });
      const header = (l: (typeof after)[number]) => ({ key: l.key, number: l.number, title: l.title });
      return {
        from: { id: pinned.id, edition: pinned.edition },
        to: { id: current.id, edition: current.edition },
        upToDate: pinned.id === current.id,
        added: after.filter((l) => !oldByKey.has(l.key)).map(header),
        removed: before.filter((l) => !newKeys.has(l.key)).map(header),
        changed,
      };
    }),
  ),

  /**
   * Moves the cohort to a newer version of its course. Progress is keyed by lesson key, so it
   * carries over as it is; hand-edited dates of items the new version no longer has are
   * deleted and listed in the answer.
   */
  moveVersion: orgProcedure.input(z.object({ cohortId, versionId: z.uuid() })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      // Locked: of two moves at once the second sees the first's version and is refused, not logged twice.
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      const scope = { tenantId: ctx.tenant.tenantId, cohortId: cohort.id };
      const target = await findCourseVersion(tx, { courseId: cohort.courseId, versionId: input.versionId });
      if (!target) throw notFound("Course version");
      const pinned = await findCourseVersion(tx, { courseId: cohort.courseId, versionId: cohort.courseVersionId });
      if (!pinned) throw notFound("Course version");
      if (target.sequence <= pinned.sequence) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `${cohort.name} is on ${pinned.edition}: it can only move to a newer edition.` });
      }
      const items = scheduleItems(await getOutline(tx, target.id), labs);
      const droppedOverrides = await deleteOverridesExcept(tx, { ...scope, keepItemKeys: items.map((i) => i.key) });
      await updateCohort(tx, { ...scope, patch: { courseVersionId: target.id } });
      await audit(tx, ctx, cohort, "version.moved", { from: pinned.edition, to: target.edition, droppedOverrides });
      return { edition: target.edition, droppedOverrides };
    }),
  ),
});
