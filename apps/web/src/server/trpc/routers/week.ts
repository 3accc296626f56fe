import { listLearnerCohorts } from "@cookbook/db/queries/cohort-plan";
import { now } from "~/server/clock";
import { itemPath, memberPlan, type PlanItem } from "~/server/cohorts/learner-plan";
import { createTRPCRouter, orgProcedure } from "../trpc";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export const weekRouter = createTRPCRouter({
  /**
   * The caller's week in each of their cohorts of the active organisation. openNow: items that
   * take work now and are not overdue (done ones stay for a week, so the learner sees whether
   * they made it in time); dueSoon: not done and due within the next 7 days; overdue: not done
   * and past due.
   */
  mine: orgProcedure.query(({ ctx }) =>
    ctx.scoped(async (tx) => {
      const at = now();
      const weekAgo = at.getTime() - WEEK_MS;
      const weekAhead = at.getTime() + WEEK_MS;
      const cohorts = await listLearnerCohorts(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id });
      const weeks = [];
      for (const { member, cohort, course } of cohorts) {
        const plan = await memberPlan(tx, { tenantId: ctx.tenant.tenantId, member, cohort, now: at });
        const view = (item: PlanItem) => ({
          key: item.key,
          kind: item.kind,
          title: item.title,
          chapterNumber: item.chapterNumber,
          opensAt: item.opensAt.toISOString(),
          dueAt: item.dueAt.toISOString(),
          late: item.late,
          done: item.done,
          state: item.state,
          href: itemPath(course.slug, item),
        });
        const items = plan.items;
        weeks.push({
          cohort: { id: cohort.id, name: cohort.name, timeZone: cohort.timeZone, courseSlug: course.slug, courseTitle: course.title },
          openNow: items.filter((i) => i.state === "open" && !i.overdue && (!i.doneAt || i.doneAt.getTime() >= weekAgo)).map(view),
          dueSoon: items.filter((i) => !i.done && i.dueAt.getTime() >= at.getTime() && i.dueAt.getTime() <= weekAhead).map(view),
          overdue: items.filter((i) => i.overdue).map(view),
        });
      }
      return weeks;
    }),
  ),
});
