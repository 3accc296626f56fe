import { randomUUID } from "node:crypto";
import { findLab } from "@cookbook/content/labs";
import { publishEdition } from "@cookbook/db/queries/courses";
import { cohortInstructors, cohortMembers, cohorts, memberships, users } from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../testing/api-client";
import { insertEndedSandbox, insertGradedAttempt } from "../testing/lab-attempts";

/*
 * The CSV downloads through their route handlers, with a real session cookie. A cohort (one
 * chapter a week from Mon 7 Dec 2026, due 7 days later; read on 23 Dec) of three: Zoë did
 * chapter 1 on time and the Kafka lab (5/7 then 7/7), "=HYPERLINK(…)" did chapter 1 late and
 * the lab at 3/7, Ann nothing. The rows must read back as the gradebook procedure's values.
 */

// The routes refuse any host but the public one; the requests below name it.
process.env.PUBLIC_URL = "http://localhost:3000";
const { db, pool, as, lucia } = await loadApi();
const gradebookRoute = await import("~/app/api/export/gradebook.csv/route");
const attemptsRoute = await import("~/app/api/export/attempts.csv/route");
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const found = findLab("kafka-sensor-readings");
if (!found) throw new Error("the Kafka lab is missing");
const lab = found;
const rule: PacingRule = { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 7, skipWeekends: false, blackouts: [] };
const at = (iso: string) => setClock(() => new Date(iso));
const formulaName = '=HYPERLINK("http://evil.test","x")';

/** RFC 4180: quoted fields with doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      records.push([...record, field]);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

let tenantId: string;
let courseId: string;
let cohortId: string;
let teacher: { id: string };
let learner: { id: string };
const ids: Record<string, string> = {};

const cookieOf = async (userId: string, tenant: string | null) =>
  `${lucia.sessionCookieName}=${(await lucia.createSession(userId, { active_tenant_id: tenant })).id}`;
const get = (route: { GET: (req: Request) => Promise<Response> }, path: string, query: string, cookie?: string) =>
  route.GET(new Request(`http://localhost:3000/api/export/${path}${query}`, { headers: { host: "localhost:3000", ...(cookie ? { cookie } : {}) } }));

beforeAll(async () => {
  const owner = await makeUser(db, "owner");
  tenantId = (await makeTenant(db, owner.id)).id;
  const member = async (name: string, role: "learner" | "instructor", displayName = name) => {
    const user = await makeUser(db, name);
    await db.insert(memberships).values({ tenantId, userId: user.id, role });
    await db.update(users).set({ displayName }).where(eq(users.id, user.id));
    ids[displayName] = user.id;
    return user;
  };
  teacher = await member("teacher", "instructor");
  const zoe = await member("zoe", "learner", "Zoë");
  const formula = await member("formula", "learner", formulaName);
  const ann = await member("ann", "learner", "Ann");
  learner = ann;
  const { course: content } = tinyCourse();
  const first = content.parts[0]?.chapters[0];
  const template = first?.lessons[0];
  if (!first || !template) throw new Error("tiny course changed");
  first.lessons.push({ ...template, key: lab.lessonKey, number: "1.5", slug: "kafka", title: "Kafka", contentHash: "kafka" });
  const { course, version } = await publishEdition(db, { courseSlug: `csv-${randomUUID().slice(0, 8)}`, course: content });
  courseId = course.id;
  await (await as(owner.id, tenantId)).courses.enable({ courseId });
  const [cohort] = await db
    .insert(cohorts)
    .values({
      tenantId,
      courseId,
      courseVersionId: version.id,
      name: "Winter 2026",
      startDate: "2026-12-07",
      endDate: "2027-02-28",
      timeZone: "Europe/Berlin",
      rule,
      createdBy: owner.id,
    })
    .returning();
  if (!cohort) throw new Error("no cohort");
  cohortId = cohort.id;
  await db.insert(cohortInstructors).values({ tenantId, cohortId, userId: teacher.id });
  await db
    .insert(cohortMembers)
    .values([zoe, formula, ann].map((u) => ({ tenantId, cohortId, courseId, userId: u.id, enrolledAt: new Date("2026-12-01T10:00:00Z") })));
  for (const u of [zoe, formula, ann]) await (await as(u.id, tenantId)).courses.enroll({ courseId });
  const complete = async (userId: string, when: string) => {
    at(when);
    for (const lessonKey of ["1.1-hello", "1.2-world", lab.lessonKey])
      await (await as(userId, tenantId)).courses.setLessonComplete({ courseId, lessonKey, complete: true });
  };
  await complete(zoe.id, "2026-12-10T10:00:00Z");
  await complete(formula.id, "2026-12-15T10:00:00Z");
  const attempt = async (userId: string, when: string, score: number) => {
    const steps = [
      { stepId: "create-topic", title: "Create", passed: true, earned: 2, points: 2, checks: [], hints: [] },
      { stepId: "consume-with-group", title: "Consume", passed: score === 7, earned: score === 7 ? 5 : 0, points: 5, checks: [], hints: [] },
    ];
    await insertGradedAttempt(db, { tenantId, userId, courseId, lab, score, maxScore: 7, result: { steps }, createdAt: new Date(when) });
  };
  await attempt(zoe.id, "2026-12-11T10:00:00Z", 5);
  await attempt(zoe.id, "2026-12-12T10:00:00Z", 7);
  await attempt(formula.id, "2026-12-16T10:00:00Z", 3);
  // An attempt stored before results had steps: one row with the step columns empty.
  const sandboxId = await insertEndedSandbox(db, { tenantId, userId: formula.id, lab, expiresAt: new Date() });
  await insertGradedAttempt(db, {
    tenantId,
    userId: formula.id,
    courseId,
    lab,
    sandboxId,
    score: 0,
    maxScore: 7,
    result: {},
    createdAt: new Date("2026-12-17T10:00:00Z"),
  });
});

describe("GET /api/export/gradebook.csv", () => {
  it("streams UTF-8 with a BOM, as an attachment, whose rows read back as the gradebook's values", async () => {
    at("2026-12-23T12:00:00Z");
    const cookie = await cookieOf(teacher.id, tenantId);
    const res = await get(gradebookRoute, "gradebook.csv", `?cohortId=${cohortId}`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="gradebook-winter-2026-2026-12-23.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text).toContain("Zoë");
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(["learner", "email", "status", "Chapter 1: Start", `Lab: ${lab.title}`, "Chapter 2: Next"]);

    const book = await (await as(teacher.id, tenantId)).gradebook.cohort({ scope: { cohortId } });
    const expected = book.rows.map((r) => [
      // A cell that would start a formula is quoted with ' by the export.
      r.displayName.startsWith("=") ? `'${r.displayName}` : r.displayName,
      r.email,
      r.status,
      ...book.columns.map((c) => {
        const cell = r.cells[c.key];
        if (c.kind === "lab") return cell?.bestScore === null || cell?.bestScore === undefined ? "" : String(cell.bestScore);
        return cell?.late ? "late" : cell?.done ? "done" : "";
      }),
    ]);
    expect(rows).toEqual(expected);
    // And by hand, so the comparison above cannot pass on two wrong halves.
    expect(rows.map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual([
      [`'${formulaName}`, "behind", "late", "3", ""],
      ["Ann", "not_started", "", "", ""],
      ["Zoë", "behind", "done", "7", ""],
    ]);
  });

  it("answers 401 without a session, 403 to a learner or without an organisation, 404 for unknown or other organisations' ids, 400 to a bad query", async () => {
    const teacherCookie = await cookieOf(teacher.id, tenantId);
    expect((await get(gradebookRoute, "gradebook.csv", `?cohortId=${cohortId}`)).status).toBe(401);
    expect((await get(gradebookRoute, "gradebook.csv", `?cohortId=${cohortId}`, `${lucia.sessionCookieName}=nope`)).status).toBe(401);
    expect((await get(gradebookRoute, "gradebook.csv", `?cohortId=${cohortId}`, await cookieOf(teacher.id, null))).status).toBe(403);
    const asLearner = await get(gradebookRoute, "gradebook.csv", `?cohortId=${cohortId}`, await cookieOf(learner.id, tenantId));
    expect(asLearner.status).toBe(403);
    expect(await asLearner.json()).toEqual({ error: { message: expect.stringContaining("instructor role") } });
    expect((await get(attemptsRoute, "attempts.csv", `?cohortId=${cohortId}`, await cookieOf(learner.id, tenantId))).status).toBe(403);
    expect((await get(gradebookRoute, "gradebook.csv", `?cohortId=${randomUUID()}`, teacherCookie)).status).toBe(404);
    const stranger = await makeUser(db, "stranger");
    const theirs = await makeTenant(db, stranger.id);
    expect((await get(gradebookRoute, "gradebook.csv", `?cohortId=${cohortId}`, await cookieOf(stranger.id, theirs.id))).status).toBe(404);
    expect((await get(attemptsRoute, "attempts.csv", `?courseId=${courseId}&selfPaced=1`, await cookieOf(stranger.id, theirs.id))).status).toBe(404);
    for (const query of [
      "",
      "?cohortId=",
      "?cohortId=not-a-uuid",
      "?cohortId=%00",
      "?cohortId=%E0%A4%A",
      `?courseId=${courseId}`,
      `?courseId=${courseId}&selfPaced=yes`,
      `?cohortId=${cohortId}&courseId=${courseId}&selfPaced=1`,
      `?courseId=${"x".repeat(5000)}&selfPaced=1`,
    ]) {
      const res = await get(gradebookRoute, "gradebook.csv", query, teacherCookie);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message.length, query).toBeGreaterThan(0);
    }
  });

  it("exports a course's self-paced learners (none here: a header only)", async () => {
    const res = await get(gradebookRoute, "gradebook.csv", `?courseId=${courseId}&selfPaced=1`, await cookieOf(teacher.id, tenantId));
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, "");
    expect(parseCsv(text)).toEqual([["learner", "email", "status", "Chapter 1: Start", `Lab: ${lab.title}`, "Chapter 2: Next"]]);
  });
});

describe("GET /api/export/attempts.csv", () => {
  it("has one row per attempt and step, learners by name, attempts oldest first, ISO times", async () => {
    const res = await get(attemptsRoute, "attempts.csv", `?cohortId=${cohortId}`, await cookieOf(teacher.id, tenantId));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="attempts-winter-2026-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    expect(header).toEqual([
      "learner",
      "email",
      "lab",
      "attempt",
      "attempt_id",
      "attempted_at",
      "score",
      "max_score",
      "step",
      "step_passed",
      "step_earned",
      "step_points",
    ]);
    expect(rows.map((r) => [r[0], r[2], r[3], r[5], r[6], r[7], r[8], r[9], r[10], r[11]])).toEqual([
      [`'${formulaName}`, lab.title, "1", "2026-12-16T10:00:00.000Z", "3", "7", "create-topic", "true", "2", "2"],
      [`'${formulaName}`, lab.title, "1", "2026-12-16T10:00:00.000Z", "3", "7", "consume-with-group", "false", "0", "5"],
      [`'${formulaName}`, lab.title, "2", "2026-12-17T10:00:00.000Z", "0", "7", "", "", "", ""],
      ["Zoë", lab.title, "1", "2026-12-11T10:00:00.000Z", "5", "7", "create-topic", "true", "2", "2"],
      ["Zoë", lab.title, "1", "2026-12-11T10:00:00.000Z", "5", "7", "consume-with-group", "false", "0", "5"],
      ["Zoë", lab.title, "2", "2026-12-12T10:00:00.000Z", "7", "7", "create-topic", "true", "2", "2"],
      ["Zoë", lab.title, "2", "2026-12-12T10:00:00.000Z", "7", "7", "consume-with-group", "true", "5", "5"],
    ]);
    expect(new Set(rows.map((r) => r[1]))).toHaveLength(2);
  });
});
