import { randomUUID } from "node:crypto";
import { findLab } from "@cookbook/content/labs";
import { publishEdition } from "@cookbook/db/queries/courses";
import { labSandboxes, memberships } from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { afterAll, describe, expect, it } from "vitest";
import { loadApi, tinyCourse } from "../../testing/api-client";

// No lab-runner listens where this file's web app looks for one.
const { db, pool, as } = await loadApi();
afterAll(() => pool.end());

const found = findLab("kafka-sensor-readings");
if (!found) throw new Error("the Kafka lab is missing");
const lab = found;

/** The tiny course with the Kafka lab's lesson added to its first chapter. */
async function orgWithLabLesson() {
  const { slug, course } = tinyCourse();
  const first = course.parts[0]?.chapters[0];
  const template = first?.lessons[0];
  if (!first || !template) throw new Error("tiny course changed");
  first.lessons.push({ ...template, key: lab.lessonKey, number: "1.5", slug: "kafka", title: "Kafka", contentHash: "kafka" });
  const learner = await makeUser(db, "learner");
  const tenant = await makeTenant(db, learner.id);
  await db.insert(memberships).values({ tenantId: tenant.id, userId: (await makeUser(db, "other")).id, role: "learner" });
  const { course: row } = await publishEdition(db, { courseSlug: slug, course });
  const api = () => as(learner.id, tenant.id);
  await (await api()).courses.enable({ courseId: row.id });
  await (await api()).courses.enroll({ courseId: row.id });
  return { api, learner, tenant, courseId: row.id, slug };
}

describe("when lab-runner cannot be reached", () => {
  it("starting says so, and the lesson page still shows the lab and the sandbox Postgres knows", async () => {
    const org = await orgWithLabLesson();
    await expect((await org.api()).labs.start({ courseId: org.courseId, lessonKey: lab.lessonKey, labSlug: lab.slug })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: "The lab service is not reachable right now. Try again in a minute.",
    });
    const sandboxId = `sb-away-${randomUUID().slice(0, 8)}`;
    await db.insert(labSandboxes).values({
      id: sandboxId,
      tenantId: org.tenant.id,
      userId: org.learner.id,
      labSlug: lab.slug,
      labVersion: lab.version,
      seed: "s",
      driver: "local",
      state: "running",
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const [data] = await (await org.api()).labs.forLesson({ courseSlug: org.slug, lessonKey: lab.lessonKey });
    expect(data).toMatchObject({
      lab: { slug: lab.slug },
      sandbox: { id: sandboxId, state: "running", services: [] },
      runnerMessage: "The lab service is not reachable right now. Try again in a minute.",
    });
    await expect((await org.api()).labs.status({ sandboxId })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    await expect((await org.api()).labs.check({ sandboxId, courseId: org.courseId })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    const overview = await (await org.api()).labs.overview({ courseId: org.courseId });
    expect(overview).toMatchObject({ runnerMessage: expect.stringContaining("not reachable"), sandboxes: [{ id: sandboxId, state: "running" }] });
  });
});
