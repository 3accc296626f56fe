import type { Course } from "@cookbook/content";
import { randomUUID } from "node:crypto";
import { testDatabase, testDatabaseUrl } from "@cookbook/db/testing/factories";

/** The secret tests share with the lab-runner they start (at least 32 characters, as in production). */
export const testLabRunnerSecret = "test-lab-runner-secret-0123456789abcdef";

/**
 * Loads the web server's modules against the test run's database and hands out tRPC callers
 * that go through the real context and middleware, with a real lucia session cookie. Lab
 * procedures talk to the lab-runner at `labRunner.url`.
 */
export async function loadApi(labRunner: { url?: string; secret?: string } = {}) {
  // The web modules connect as the web app's own role, as under the launcher; the returned `db` is the owner's, for factories.
  process.env.DATABASE_URL = testDatabaseUrl("web");
  // Without a lab-runner of its own, a test file points at a port where none listens.
  process.env.LAB_RUNNER_URL = labRunner.url ?? "http://127.0.0.1:9";
  process.env.LAB_RUNNER_SECRET = labRunner.secret ?? testLabRunnerSecret;
  const [{ createContext }, { createCaller }, { lucia }, web] = await Promise.all([
    import("~/server/trpc/context"),
    import("~/server/trpc/root"),
    import("~/server/auth/lucia"),
    import("~/server/db"),
  ]);
  const owner = testDatabase();

  async function callerFor(opts: { cookie?: string; address?: string } = {}) {
    const headers = new Headers({ "x-forwarded-for": opts.address ?? `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
    if (opts.cookie) headers.set("cookie", opts.cookie);
    const resHeaders = new Headers();
    const ctx = await createContext({ headers, url: "http://localhost/", resHeaders });
    return { api: createCaller(ctx), resHeaders };
  }

  /** One browser session: each call of the returned function is a new request with its cookie. */
  async function session(userId: string, tenantId: string | null) {
    const { id } = await lucia.createSession(userId, { active_tenant_id: tenantId });
    return async () => (await callerFor({ cookie: `${lucia.sessionCookieName}=${id}` })).api;
  }

  /** A caller signed in as `userId`, with `tenantId` as the active organisation. */
  const as = async (userId: string, tenantId: string | null) => (await session(userId, tenantId))();

  const pool = { end: () => Promise.all([web.pool.end(), owner.close()]) };
  return { db: owner.db, pool, callerFor, as, session, lucia };
}

/** A two-chapter course with a unique slug, so test files never share catalogue rows. */
export function tinyCourse(edition = "test-1", changedText = "Original text."): { slug: string; course: Course } {
  const lesson = (number: string, title: string, text: string) => ({
    key: `${number}-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
    number,
    title,
    slug: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    depth: number.split(".").length - 1,
    outline: false,
    blocks: [{ kind: "paragraph" as const, inlines: [{ kind: "text" as const, text }] }],
    contentHash: `${number}:${text}`,
  });
  return {
    slug: `course-${randomUUID().slice(0, 8)}`,
    course: {
      edition,
      title: "Tiny Course",
      parts: [
        {
          number: 1,
          title: "Basics",
          chapters: [
            {
              number: 1,
              title: "Start",
              slug: "start",
              intro: [{ kind: "paragraph", inlines: [{ kind: "text", text: "Why streams matter." }] }],
              lessons: [lesson("1.1", "Hello", "Hello."), lesson("1.2", "World", changedText)],
            },
            { number: 2, title: "Next", slug: "next", intro: [], lessons: [lesson("2.1", "Streams", "Streams.")] },
          ],
        },
      ],
    },
  };
}
