import { randomUUID } from "node:crypto";
import type { Course } from "@cookbook/content";
import { findLab } from "@cookbook/content/labs";
import { readLabScript } from "@cookbook/content/labs/attempts";
import { publishEdition } from "@cookbook/db/queries/courses";
import { labAttempts, labSandboxes, memberships } from "@cookbook/db/schema";
import { makeTenant, makeUser, testDatabase } from "@cookbook/db/testing/factories";
import { verifyTerminalToken } from "@cookbook/lab-runner-api/terminal-token";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { loadApi, testLabRunnerSecret } from "../../testing/api-client";
import { startTestLabRunner } from "../../testing/lab-runner";

/*
 * The labs API against real PostgreSQL and the real lab-runner with the local driver: a learner
 * starts the Kafka lab of lesson 21.5, fails a check, loses and restarts the broker, does the
 * reference solution through the terminal URL the API hands out, passes, and the lesson counts.
 */

const labDb = testDatabase("labRunner");
const runner = await startTestLabRunner(labDb.db, testLabRunnerSecret, "web-labs");
const { db, pool, as } = await loadApi({ url: runner.url, secret: testLabRunnerSecret });
afterAll(async () => {
  await runner.stop();
  await labDb.close();
  await pool.end();
});

function labNamed(slug: string) {
  const lab = findLab(slug);
  if (!lab) throw new Error(`lab ${slug} is missing from @cookbook/content/labs`);
  return lab;
}
const kafkaLab = labNamed("kafka-sensor-readings");
const hdfsLab = labNamed("hdfs-blocks-and-replication");
const solution = readLabScript(kafkaLab.slug, "solution.sh");
const withoutLab = "21.1-why-a-message-queue-tool";

/** A course with the lessons the first labs are attached to, and one without a lab. */
function labCourse(): { slug: string; course: Course } {
  const lesson = (key: string, title: string) => {
    const number = key.split("-")[0] ?? key;
    return {
      key,
      number,
      title,
      slug: key.slice(number.length + 1),
      depth: number.split(".").length - 1,
      outline: false,
      blocks: [{ kind: "paragraph" as const, inlines: [{ kind: "text" as const, text: title }] }],
      contentHash: `hash:${key}`,
    };
  };
  return {
    slug: `labs-${randomUUID().slice(0, 8)}`,
    course: {
      edition: "labs-1",
      title: "Lab Course",
      parts: [
        {
          number: 1,
          title: "Labs",
          chapters: [
            { number: 19, title: "Databases", slug: "databases", intro: [], lessons: [lesson(hdfsLab.lessonKey, "Document store HDFS")] },
            {
              number: 21,
              title: "Apache Kafka",
              slug: "apache-kafka",
              intro: [],
              lessons: [lesson(withoutLab, "Why a message queue tool"), lesson(kafkaLab.lessonKey, "How to produce and consume messages")],
            },
          ],
        },
      ],
    },
  };
}

async function orgWithLabCourse() {
  const course = labCourse();
  const [owner, instructor, learner, classmate] = await Promise.all(["owner", "instructor", "learner", "classmate"].map((n) => makeUser(db, n)));
  if (!owner || !instructor || !learner || !classmate) throw new Error("users");
  const tenant = await makeTenant(db, owner.id);
  await db.insert(memberships).values([
    { tenantId: tenant.id, userId: instructor.id, role: "instructor" },
    { tenantId: tenant.id, userId: learner.id, role: "learner" },
    { tenantId: tenant.id, userId: classmate.id, role: "learner" },
  ]);
  const { course: row } = await publishEdition(db, { courseSlug: course.slug, course: course.course });
  await (await as(owner.id, tenant.id)).courses.enable({ courseId: row.id });
  const learnerApi = () => as(learner.id, tenant.id);
  await (await learnerApi()).courses.enroll({ courseId: row.id });
  return {
    tenant,
    learner,
    courseId: row.id,
    courseSlug: course.slug,
    learnerApi,
    instructorApi: () => as(instructor.id, tenant.id),
    classmateApi: () => as(classmate.id, tenant.id),
  };
}

type Org = Awaited<ReturnType<typeof orgWithLabCourse>>;

async function untilReady(org: Org, sandboxId: string) {
  await expect
    .poll(
      async () => {
        const { sandbox } = await (await org.learnerApi()).labs.status({ sandboxId });
        return `${sandbox.state} ${sandbox.services.map((s) => `${s.name}:${s.state}`).join(",")} ${sandbox.message ?? ""}`.trim();
      },
      { timeout: 180_000, interval: 1000 },
    )
    .toBe("running kafka:ready");
}

/**
 * Types `lines` into the terminal at `url` once the shell shows its prompt (as a person would),
 * and resolves with everything it printed once the shell exits.
 */
function terminalSession(url: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let output = "";
    let typed = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`terminal timed out:\n${output}`));
    }, 150_000);
    ws.on("message", (data: Buffer) => {
      output += data.toString();
      if (typed || !output.includes("$ ")) return;
      typed = true;
      const keys = lines.map((line) => `${line.replace(/\n/g, "\r")}\r`).join("");
      ws.send(JSON.stringify({ type: "input", data: keys }));
    });
    ws.on("close", (code) => {
      clearTimeout(timer);
      if (code === 1000) resolve(output);
      else reject(new Error(`terminal closed with ${code}:\n${output}`));
    });
    ws.on("error", reject);
  });
}

describe("a lesson's lab", () => {
  let org: Org;
  beforeAll(async () => {
    org = await orgWithLabCourse();
  });

  it("is an empty list on a lesson without one, and shows no checks and no hints before a check", async () => {
    const api = await org.learnerApi();
    expect(await api.labs.forLesson({ courseSlug: org.courseSlug, lessonKey: withoutLab })).toEqual([]);
    const labs = await api.labs.forLesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey });
    expect(labs).toHaveLength(1);
    const [data] = labs;
    expect(data).toMatchObject({
      courseId: org.courseId,
      enrolled: true,
      sandbox: null,
      lastAttempt: null,
      bestAttempt: null,
      attemptCount: 0,
      stepsPassed: 0,
      lab: { slug: kafkaLab.slug, version: kafkaLab.version, title: kafkaLab.title, services: ["kafka"], maxScore: 8 },
    });
    expect(data?.lab.steps[0]).toEqual({
      id: "create-topic",
      title: kafkaLab.steps[0]?.title,
      instructions: kafkaLab.steps[0]?.instructions,
      points: 2,
    });
    const json = JSON.stringify(data);
    for (const hint of kafkaLab.steps.flatMap((s) => s.hints)) expect(json).not.toContain(JSON.stringify(hint).slice(1, -1));
    expect(json).not.toContain('"checks"');
  });

  it("is not found on an unknown lesson, and needs an enrolment to start", async () => {
    const api = await org.learnerApi();
    await expect(api.labs.forLesson({ courseSlug: org.courseSlug, lessonKey: "99.9-nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.labs.start({ courseId: org.courseId, lessonKey: withoutLab, labSlug: kafkaLab.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Lab not found.",
    });
    await expect(api.labs.start({ courseId: org.courseId, lessonKey: "99.9-nope", labSlug: kafkaLab.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // A real lab, and a lesson of the course with a lab, but not that lab's lesson.
    for (const labSlug of [hdfsLab.slug, "no-such-lab"]) {
      await expect(api.labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug })).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: "Lab not found.",
      });
    }
    await expect(api.labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: "Not A Lab" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("labSlug"),
    });
    const classmate = await org.classmateApi();
    expect((await classmate.labs.forLesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey }))[0]?.enrolled).toBe(false);
    await expect(classmate.labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: kafkaLab.slug })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "Enroll in the course to do its labs.",
    });
    await expect(api.labs.status({ sandboxId: "Not A Sandbox" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("sandboxId"),
    });
    expect(await db.select().from(labSandboxes).where(eq(labSandboxes.tenantId, org.tenant.id))).toEqual([]);
  });

  describe("on real Kafka", () => {
    let sandboxId: string;

    it("starts, reports its services until ready, and a second start returns the same sandbox", async () => {
      const api = await org.learnerApi();
      const first = await api.labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: kafkaLab.slug });
      expect(first).toMatchObject({ created: true, sandbox: { state: "provisioning", labSlug: kafkaLab.slug, message: null } });
      sandboxId = first.sandbox.id;
      const again = await api.labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: kafkaLab.slug });
      expect(again).toMatchObject({ created: false, sandbox: { id: sandboxId } });
      await untilReady(org, sandboxId);
      const [data] = await (await org.learnerApi()).labs.forLesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey });
      expect(data?.sandbox).toMatchObject({ id: sandboxId, state: "running", services: [{ name: "kafka", state: "ready" }] });
      expect(Date.parse(data?.sandbox?.endsAt ?? "") - Date.now()).toBeGreaterThan(25 * 60_000);
    }, 240_000);

    it("refuses a second lab over the learner's limit with lab-runner's message", async () => {
      const api = await org.learnerApi();
      await expect(api.labs.start({ courseId: org.courseId, lessonKey: hdfsLab.lessonKey, labSlug: hdfsLab.slug })).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining(kafkaLab.slug),
      });
    });

    it("is the learner's alone: instructors may only look, classmates do not see it", async () => {
      const instructor = await org.instructorApi();
      expect(await instructor.labs.status({ sandboxId })).toMatchObject({ mine: false, sandbox: { id: sandboxId, state: "running" } });
      for (const call of [
        () => instructor.labs.check({ sandboxId, courseId: org.courseId }),
        () => instructor.labs.stop({ sandboxId }),
        () => instructor.labs.terminal({ sandboxId }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only the learner who started this lab can use it." });
      }
      const overview = await instructor.labs.overview({ courseId: org.courseId });
      expect(overview.sandboxes).toEqual([
        expect.objectContaining({
          id: sandboxId,
          learner: expect.objectContaining({ userId: org.learner.id }),
          state: "running",
          labTitle: kafkaLab.title,
        }),
      ]);
      expect(overview.sandboxes[0]?.services).toEqual([{ name: "kafka", state: "ready", reason: null, logTail: null }]);

      const classmate = await org.classmateApi();
      for (const call of [
        () => classmate.labs.status({ sandboxId }),
        () => classmate.labs.check({ sandboxId, courseId: org.courseId }),
        () => classmate.labs.stop({ sandboxId }),
        () => classmate.labs.terminal({ sandboxId }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
      }
      await expect(classmate.labs.overview({ courseId: org.courseId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("grades untouched work as failing every step, stores the attempt, and shows hints for the failed steps", async () => {
      const api = await org.learnerApi();
      const result = await api.labs.check({ sandboxId, courseId: org.courseId });
      expect(result).toMatchObject({ lessonCompleted: false, attempt: { score: 0, maxScore: 8, labVersion: kafkaLab.version, sandboxId } });
      expect(result.attempt.steps.map((s) => [s.stepId, s.passed])).toEqual(kafkaLab.steps.map((s) => [s.id, false]));
      for (const step of result.attempt.steps) {
        expect(step.hints.length).toBeGreaterThan(0);
        expect(step.checks.every((c) => c.feedback.length > 0)).toBe(true);
      }
      const [row] = await db.select().from(labAttempts).where(eq(labAttempts.sandboxId, sandboxId));
      expect(row).toMatchObject({
        userId: org.learner.id,
        lessonKey: kafkaLab.lessonKey,
        labSlug: kafkaLab.slug,
        labVersion: kafkaLab.version,
        score: 0,
      });
      const [data] = await (await org.learnerApi()).labs.forLesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey });
      expect(data).toMatchObject({ attemptCount: 1, stepsPassed: 0, lastAttempt: { id: row?.id, score: 0 } });
      expect(data?.lastAttempt?.steps[0]?.hints).toEqual(kafkaLab.steps[0]?.hints);
      expect((await api.courses.lesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey })).status).toBe("not_started");
    }, 120_000);

    it("shows a killed broker as down, and starting again brings it back", async () => {
      runner.killBroker(sandboxId);
      await expect
        .poll(async () => (await (await org.learnerApi()).labs.status({ sandboxId })).sandbox.services[0]?.state, { timeout: 20_000 })
        .toMatch(/^(failed|stopped)$/);
      const restarted = await (await org.learnerApi()).labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: kafkaLab.slug });
      expect(restarted).toMatchObject({ created: false, sandbox: { id: sandboxId } });
      await untilReady(org, sandboxId);
    }, 240_000);

    it("hands its learner a two-minute terminal URL, in which the reference solution passes every step", async () => {
      const api = await org.learnerApi();
      const before = Date.now();
      const terminal = await api.labs.terminal({ sandboxId });
      const url = new URL(terminal.url);
      expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(`${runner.url.replace("http:", "ws:")}/v1/sandboxes/${sandboxId}/terminal`);
      const grant = verifyTerminalToken(url.searchParams.get("token") ?? "", sandboxId, testLabRunnerSecret);
      expect(grant?.userId).toBe(org.learner.id);
      expect(Date.parse(terminal.expiresAt) - before).toBeLessThanOrEqual(120_000 + 1000);

      const output = await terminalSession(terminal.url, ["bash <<'SOLUTION'", solution, "SOLUTION", "exit"]);
      expect(output).not.toContain("command not found");
      expect(output).toContain("Created topic sensor-readings.");
      expect(output).toMatch(/sensor-analytics\s+sensor-readings\s+\d/);

      const result = await (await org.learnerApi()).labs.check({ sandboxId, courseId: org.courseId });
      expect(result).toMatchObject({ lessonCompleted: true, attempt: { score: 8, maxScore: 8 } });
      expect(result.attempt.steps.every((s) => s.passed && s.hints.length === 0)).toBe(true);

      const after = await org.learnerApi();
      expect((await after.courses.lesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey })).status).toBe("completed");
      expect(await after.labs.forLesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey })).toMatchObject([
        { attemptCount: 2, stepsPassed: 3, bestAttempt: { score: 8 }, lastAttempt: { score: 8 } },
      ]);
      const instructor = await org.instructorApi();
      expect((await instructor.labs.overview({ courseId: org.courseId })).scores).toEqual([
        expect.objectContaining({ userId: org.learner.id, labSlug: kafkaLab.slug, labTitle: kafkaLab.title, bestScore: 8, maxScore: 8, attempts: 2 }),
      ]);
      const progress = await instructor.courses.progress({ courseId: org.courseId });
      expect(progress.members.find((m) => m.userId === org.learner.id)?.completed).toBe(1);
    }, 300_000);

    it("stops, after which checking and the terminal say why not", async () => {
      const api = await org.learnerApi();
      expect((await api.labs.stop({ sandboxId })).sandbox).toMatchObject({
        state: "ended",
        endedReason: "stopped",
        message: "This lab was stopped.",
      });
      expect((await (await org.learnerApi()).labs.stop({ sandboxId })).sandbox).toMatchObject({ state: "ended", endedReason: "stopped" });
      await expect((await org.learnerApi()).labs.check({ sandboxId, courseId: org.courseId })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
        message: "This lab was stopped. Start the lab again to check your work.",
      });
      await expect((await org.learnerApi()).labs.terminal({ sandboxId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect((await (await org.instructorApi()).labs.overview({ courseId: org.courseId })).sandboxes).toEqual([]);
      expect(await runner.driver.list()).toEqual([]);
    });

    it("expires: a check on the expired sandbox says so, and the lab can be started again", async () => {
      const api = await org.learnerApi();
      const { sandbox } = await api.labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: kafkaLab.slug });
      expect(sandbox.id).not.toBe(sandboxId);
      await untilReady(org, sandbox.id);
      await runner.manager.reap(new Date(Date.now() + 3 * 3_600_000));
      const status = await (await org.learnerApi()).labs.status({ sandboxId: sandbox.id });
      expect(status.sandbox).toMatchObject({ state: "ended", endedReason: "expired", message: "This lab reached its time limit and was removed." });
      await expect((await org.learnerApi()).labs.check({ sandboxId: sandbox.id, courseId: org.courseId })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
        message: expect.stringMatching(/time limit.*Start the lab again/),
      });
      const [data] = await (await org.learnerApi()).labs.forLesson({ courseSlug: org.courseSlug, lessonKey: kafkaLab.lessonKey });
      expect(data?.sandbox).toMatchObject({ id: sandbox.id, state: "ended", endedReason: "expired" });
      expect(await runner.driver.list()).toEqual([]);
    }, 240_000);
  });
});

describe("the organisation's limit", () => {
  it("answers TOO_MANY_REQUESTS with lab-runner's message, starting nothing", async () => {
    const org = await orgWithLabCourse();
    // Ten live sandboxes of other members fill the organisation (rows of a driver this lab-runner leaves alone).
    const others = await Promise.all(Array.from({ length: 10 }, () => makeUser(db, "busy")));
    await db.insert(memberships).values(others.map((u) => ({ tenantId: org.tenant.id, userId: u.id, role: "learner" as const })));
    await db.insert(labSandboxes).values(
      others.map((u, i) => ({
        id: `sb-busy-${i}-${randomUUID().slice(0, 8)}`,
        tenantId: org.tenant.id,
        userId: u.id,
        labSlug: kafkaLab.slug,
        labVersion: kafkaLab.version,
        seed: "busy",
        driver: "elsewhere",
        state: "running" as const,
        expiresAt: new Date(Date.now() + 3_600_000),
      })),
    );
    try {
      await expect(
        (await org.learnerApi()).labs.start({ courseId: org.courseId, lessonKey: kafkaLab.lessonKey, labSlug: kafkaLab.slug }),
      ).rejects.toMatchObject({
        code: "TOO_MANY_REQUESTS",
        message: expect.stringMatching(/limit/i),
      });
      const mine = await db.select().from(labSandboxes).where(eq(labSandboxes.userId, org.learner.id));
      expect(mine).toEqual([]);
    } finally {
      await db
        .update(labSandboxes)
        .set({ state: "ended", endedReason: "stopped", endedAt: new Date() })
        .where(eq(labSandboxes.tenantId, org.tenant.id));
    }
  });
});
