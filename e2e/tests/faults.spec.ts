import { expect, test } from "@playwright/test";
import { demo, startPlatform, type Platform } from "../support/platform";

/**
 * Faults against the platform as the Quick start runs it: a web app killed with -9 while
 * learners' progress writes are in flight loses none that it acknowledged, and the launcher
 * brings it back (naming it) while lab-runner keeps serving.
 */
let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("faults");
});
test.afterAll(async () => {
  await platform?.stop();
});

type Trpc<T> = { result?: { data: T }; error?: unknown };

async function signInCookie(): Promise<string> {
  const res = await fetch(`${platform.url}/api/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: platform.url },
    body: JSON.stringify({ email: demo.learner, password: demo.password }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("cookbook_session="));
  if (!cookie) throw new Error("no session cookie");
  return cookie.split(";")[0] as string;
}

async function call<T>(cookie: string, procedure: string, input: unknown, method: "GET" | "POST"): Promise<{ status: number; data?: T }> {
  const url = `${platform.url}/api/trpc/${procedure}${method === "GET" ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ""}`;
  const res = await fetch(url, {
    method,
    headers: { cookie, origin: platform.url, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
    body: method === "POST" ? JSON.stringify(input) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json().catch(() => ({}))) as Trpc<T>;
  return { status: res.status, data: body.result?.data };
}

interface Outline {
  course: { id: string };
  chapters: { lessons: { key: string; status: string }[] }[];
}

test("kill -9 of the web app mid-write loses no acknowledged progress, and the launcher restarts it", async () => {
  const cookie = await signInCookie();
  const outline = await call<Outline>(cookie, "courses.outline", { courseSlug: "data-engineering-cookbook" }, "GET");
  const courseId = outline.data?.course.id;
  if (!courseId) throw new Error("no course");
  await call(cookie, "courses.enroll", { courseId }, "POST");
  const keys = (outline.data?.chapters ?? []).flatMap((c) => c.lessons.map((l) => l.key)).slice(0, 120);

  const webPid = platform.childPid("web-server.ts");
  expect(webPid, "the web app's process").toBeDefined();
  const acknowledged: string[] = [];
  let killed = false;
  // Four writers at a time; the web app is killed once a dozen writes are acknowledged, while others are in flight.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < keys.length && !killed) {
        const key = keys[next++] as string;
        const res = await call(cookie, "courses.setLessonComplete", { courseId, lessonKey: key, complete: true }, "POST").catch(() => null);
        if (res?.status === 200) acknowledged.push(key);
        if (acknowledged.length >= 12 && !killed) {
          killed = true;
          process.kill(webPid as number, "SIGKILL");
        }
      }
    }),
  );
  expect(killed).toBe(true);

  // lab-runner was not touched and keeps answering while the web app is down.
  const labRunnerPort = /lab-runner ready at (http:\/\/[^\s]+)/.exec(platform.output())?.[1];
  expect(labRunnerPort).toBeDefined();
  expect((await fetch(`${labRunnerPort}/health`)).status).toBe(200);

  // The launcher names the crashed child and starts it again.
  await expect.poll(() => platform.output(), { timeout: 60_000 }).toMatch(/web app exited unexpectedly \(.*SIGKILL.*\); restarting it/);
  await expect.poll(async () => (await fetch(`${platform.url}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000 }).toBe(200);
  expect(platform.childPid("web-server.ts")).not.toBe(webPid);

  const after = await call<Outline>(cookie, "courses.outline", { courseSlug: "data-engineering-cookbook" }, "GET");
  const completed = new Set((after.data?.chapters ?? []).flatMap((c) => c.lessons.filter((l) => l.status === "completed").map((l) => l.key)));
  const lost = acknowledged.filter((key) => !completed.has(key));
  console.info(
    `${acknowledged.length} writes acknowledged before the kill, ${completed.size} lessons complete after the restart, ${lost.length} lost`,
  );
  expect(lost).toEqual([]);
});
