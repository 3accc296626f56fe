import { findLab } from "@cookbook/content/labs";
import { getOutline } from "@cookbook/db/queries/courses";
import { listCompletions } from "@cookbook/db/queries/learning";
import { labSecondsByLab, listMyAttempts, listMyEnrolledCourses } from "@cookbook/db/queries/my-progress";
import { z } from "zod";
import { now } from "~/server/clock";
import { itemPath, learnerPlan, type PlanItem } from "~/server/cohorts/learner-plan";
import { attemptInfo } from "~/server/labs/lab-views";
import { courseId, courseOrNotFound, learnerVersion } from "../course-access";
import { createTRPCRouter, notFound, orgProcedure } from "../trpc";

/** The attempt history shows this many of the newest attempts: a bounded answer however often someone checks. */
const ATTEMPT_LIMIT = 200;

const itemView = (courseSlug: string, item: PlanItem) => ({
  key: item.key,
  kind: item.kind,
  title: item.title,
  chapterNumber: item.chapterNumber,
  opensAt: item.opensAt.toISOString(),
  dueAt: item.dueAt.toISOString(),
  closesAt: item.closesAt?.toISOString() ?? null,
  state: item.state,
  done: item.done,
  late: item.late,
  overdue: item.overdue,
  extensionDays: item.extensionDays,
  path: itemPath(courseSlug, item),
});

export const myProgressRouter = createTRPCRouter({
  /**
   * The caller's own dashboard for one course (the given one, else the enrolled course they
   * visited last; `course` is null when they are enrolled in none): progress per chapter over
   * the lessons with text of the version they read, their lab attempts newest first with each
   * step's result, what is due and what was late in their cohort (null when self-paced), and
   * the time their sandboxes ran. Only ever the caller's rows: there is no user id to pass.
   */
  dashboard: orgProcedure.input(z.object({ courseId: courseId.optional() })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const me = { tenantId: ctx.tenant.tenantId, userId: ctx.user.id };
      const at = now();
      const enrolled = await listMyEnrolledCourses(tx, me);
      const courses = enrolled.map(({ id, slug, title }) => ({ id, slug, title }));
      const course = input.courseId ? (await courseOrNotFound(tx, { ...me, id: input.courseId })).course : courses[0];
      if (!course) return { courses, course: null };
      const scope = { ...me, courseId: course.id };
      const version = await learnerVersion(tx, scope);
      if (!version) throw notFound("Course");
      const outline = await getOutline(tx, version.id);
      const completed = new Set((await listCompletions(tx, scope)).map((c) => c.lessonKey));
      const chapters = outline.map((chapter) => {
        // Outline-only headings have no text to read: they are not lessons one completes.
        const withText = chapter.lessons.filter((l) => !l.outline);
        return {
          number: chapter.number,
          title: chapter.title,
          partNumber: chapter.partNumber,
          completed: withText.filter((l) => completed.has(l.key)).length,
          total: withText.length,
        };
      });
      const attempts = (await listMyAttempts(tx, { ...scope, limit: ATTEMPT_LIMIT })).map((row) => {
        const lab = findLab(row.labSlug);
        return { ...attemptInfo(row, lab), labSlug: row.labSlug, labTitle: lab?.title ?? row.labSlug, lessonKey: row.lessonKey };
      });
      const plan = await learnerPlan(tx, { ...scope, now: at });
      const labSeconds = await labSecondsByLab(tx, { ...me, now: at });
      // Rounded to whole minutes once, on the total, so it is not the sum of rounded parts.
      const minutes = (seconds: number) => Math.round(seconds / 60);
      return {
        courses,
        course: { id: course.id, slug: course.slug, title: course.title, edition: version.edition },
        chapters,
        completed: chapters.reduce((n, c) => n + c.completed, 0),
        total: chapters.reduce((n, c) => n + c.total, 0),
        attempts,
        schedule: plan
          ? {
              cohortId: plan.cohort.id,
              cohortName: plan.cohort.name,
              timeZone: plan.cohort.timeZone,
              /** Open (or closed) and not done, soonest due first; `overdue` marks those past due. */
              due: plan.items
                .filter((i) => !i.done && i.state !== "locked")
                .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
                .map((i) => itemView(course.slug, i)),
              /** Done, but after the due time (with the caller's extensions). */
              late: plan.items.filter((i) => i.done && i.late).map((i) => itemView(course.slug, i)),
            }
          : null,
        /**
         * Time in labs, over all the caller's sandboxes in this organisation (a sandbox belongs to a
         * lab, not to a course): each from its creation to its end or, if earlier, its last activity.
         */
        labTime: {
          minutes: minutes(labSeconds.reduce((n, l) => n + l.seconds, 0)),
          labs: labSeconds.map((l) => ({ labSlug: l.labSlug, title: findLab(l.labSlug)?.title ?? l.labSlug, minutes: minutes(l.seconds) })),
        },
      };
    }),
  ),
});
