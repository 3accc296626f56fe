import { accountRouter } from "./routers/account";
import { announcementsRouter } from "./routers/announcements";
import { authRouter } from "./routers/auth";
import { calendarRouter } from "./routers/calendar";
import { cohortsRouter } from "./routers/cohorts";
import { coursesRouter } from "./routers/courses";
import { extensionsRouter } from "./routers/extensions";
import { gradebookRouter } from "./routers/gradebook";
import { insightsRouter } from "./routers/insights";
import { labsRouter } from "./routers/labs";
import { myProgressRouter } from "./routers/my-progress";
import { orgsRouter } from "./routers/orgs";
import { schedulesRouter } from "./routers/schedules";
import { weekRouter } from "./routers/week";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  account: accountRouter,
  orgs: orgsRouter,
  courses: coursesRouter,
  labs: labsRouter,
  extensions: extensionsRouter,
  announcements: announcementsRouter,
  calendar: calendarRouter,
  schedules: schedulesRouter,
  cohorts: cohortsRouter,
  week: weekRouter,
  gradebook: gradebookRouter,
  insights: insightsRouter,
  myProgress: myProgressRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
