import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

/** The web server's configuration, parsed once on first use; the launcher validates it at start. */
export const env = createEnv({
  server: {
    DATABASE_URL: z.url(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Force the Secure cookie attribute; otherwise it follows the request's scheme (X-Forwarded-Proto). */
    COOKIE_SECURE: z.enum(["auto", "always", "never"]).default("auto"),
    SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    INVITATION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** lab-runner's internal API, as this server reaches it. */
    LAB_RUNNER_URL: z.url().default("http://127.0.0.1:4100"),
    /** lab-runner as the learner's browser reaches it, for the terminal WebSocket; defaults to LAB_RUNNER_URL. */
    LAB_RUNNER_PUBLIC_URL: z.url().optional(),
    /** Shared with lab-runner: authenticates this server's calls and signs terminal tokens. */
    LAB_RUNNER_SECRET: z.string().min(32, { error: "LAB_RUNNER_SECRET must be at least 32 characters" }),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
});
