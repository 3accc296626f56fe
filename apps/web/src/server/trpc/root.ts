import { accountRouter } from "./routers/account";
import { authRouter } from "./routers/auth";
import { coursesRouter } from "./routers/courses";
import { labsRouter } from "./routers/labs";
import { orgsRouter } from "./routers/orgs";
import { schedulesRouter } from "./routers/schedules";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  account: accountRouter,
  orgs: orgsRouter,
  courses: coursesRouter,
  labs: labsRouter,
  schedules: schedulesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
