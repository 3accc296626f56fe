import { authRouter } from "./routers/auth";
import { coursesRouter } from "./routers/courses";
import { orgsRouter } from "./routers/orgs";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  orgs: orgsRouter,
  courses: coursesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
