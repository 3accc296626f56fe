import { publishEdition } from "@cookbook/db/queries/courses";
import { enableCourse } from "@cookbook/db/queries/learning";
import { cohortInstructors, cohortMembers, cohorts, memberships } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../testing/api-client";

const { db, pool, as, callerFor } = await loadApi();
// After loadApi: the route's modules read the database address it sets.
const { GET } = await import("~/app/api/calendar/[token]/route");
const { learnerPlan } = await import("./learner-plan");
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const weekly: PacingRule = { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 6, skipWeekends: false, blackouts: [] };
const today = new Date("2026-12-09T12:00:00Z");

/** An organisation whose owner teaches one cohort of a tiny course, with `learner` in it. */
async function orgWithCohort(learner: { id: string }, timeZone: string, course = tinyCourse()) {
  const owner = await makeUser(db, "owner");
  const tenant = await makeTenant(db, owner.id);
  await db.insert(memberships).values({ tenantId: tenant.id, userId: learner.id, role: "learner" });
  const { course: courseRow, version } = await publishEdition(db, { courseSlug: course.slug, course: course.course });
  await withTenant(db, tenant.id, (tx) => enableCourse(tx, { tenantId: tenant.id, courseId: courseRow.id, enabledBy: owner.id }));
  const [cohort] = await db
    .insert(cohorts)
    .values({
      tenantId: tenant.id,
      courseId: courseRow.id,
      courseVersionId: version.id,
      name: `Cohort ${randomUUID().slice(0, 6)}`,
      startDate: "2026-12-07",
      endDate: "2027-01-31",
      timeZone,
      rule: weekly,
    })
    .returning();
  if (!cohort) throw new Error("no cohort");
  await db.insert(cohortInstructors).values({ tenantId: tenant.id, cohortId: cohort.id, userId: owner.id });
  await db.insert(cohortMembers).values({ tenantId: tenant.id, cohortId: cohort.id, courseId: courseRow.id, userId: learner.id, enrolledAt: today });
  return { tenant, owner, cohort, courseId: courseRow.id, courseSlug: course.slug, ownerApi: await as(owner.id, tenant.id) };
}

type Event = Record<string, string>;

/** Enough of RFC 5545 for these files: unfolds lines and reads each VEVENT's properties (parameters dropped). */
function parseEvents(ics: string): Event[] {
  const lines = ics.replace(/\r\n[ \t]/g, "").split("\r\n");
  expect(lines[0]).toBe("BEGIN:VCALENDAR");
  expect(lines.filter(Boolean).at(-1)).toBe("END:VCALENDAR");
  const events: Event[] = [];
  let current: Event | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT" && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon).split(";")[0] ?? ""] = line.slice(colon + 1);
    }
  }
  return events;
}

/** 20261213T080000Z → the instant. */
const icsInstant = (value: string | undefined) =>
  new Date(String(value).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));

async function fetchFeed(url: string) {
  const response = await GET(new Request(url));
  return { response, text: await response.text() };
}

async function planOf(org: { tenant: { id: string }; courseId: string }, userId: string) {
  const plan = await withTenant(db, { tenantId: org.tenant.id, userId }, (tx) =>
    learnerPlan(tx, { tenantId: org.tenant.id, courseId: org.courseId, userId, now: today }),
  );
  if (!plan) throw new Error("no plan");
  return plan;
}

let learner: { id: string };
let berlin: Awaited<ReturnType<typeof orgWithCohort>>;
let newYork: Awaited<ReturnType<typeof orgWithCohort>>;
beforeAll(async () => {
  learner = await makeUser(db, "learner");
  berlin = await orgWithCohort(learner, "Europe/Berlin");
  newYork = await orgWithCohort(learner, "America/New_York");
});

describe("personal calendar feed", () => {
  it("lists every cohort's due dates across organisations, as the learner's plan has them, and follows an extension", async () => {
    setClock(() => today);
    const api = await as(learner.id, berlin.tenant.id);
    expect(await api.calendar.feed()).toEqual({ exists: false, createdAt: null });
    const { url, createdAt } = await api.calendar.resetFeed();
    expect(url).toMatch(/^http:\/\/[^/]+\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(createdAt).toEqual(today);
    // The address is shown once: asking again says only that there is one.
    const asked = await api.calendar.feed();
    expect(asked).toEqual({ exists: true, createdAt: today });

    const { response, text } = await fetchFeed(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("private, max-age=300");
    const events = parseEvents(text);
    const expected = [
      ...(await planOf(berlin, learner.id)).items.map((item) => ({ org: berlin, item })),
      ...(await planOf(newYork, learner.id)).items.map((item) => ({ org: newYork, item })),
    ];
    expect(expected).toHaveLength(4);
    expect(events).toHaveLength(4);
    for (const { org, item } of expected) {
      const event = events.find((e) => e.SUMMARY === `Due: ${item.title}` && e.URL?.includes(org.courseSlug));
      expect(event, item.key).toBeDefined();
      expect(icsInstant(event?.DTSTART)).toEqual(item.dueAt);
      expect(event?.URL).toBe(`${new URL(url).origin}/courses/${org.courseSlug}/chapters/${item.chapterNumber}`);
      expect(event?.DESCRIPTION).toContain(`(${org.cohort.timeZone})`);
    }
    // Chapter 1 of the Berlin cohort: opens Mon 7 Dec 09:00, due six days later at 09:00 Berlin (08:00 UTC).
    const berlinStart = events.find((e) => e.SUMMARY === "Due: Start" && e.URL?.includes(berlin.courseSlug));
    expect(berlinStart?.DTSTART).toBe("20261213T080000Z");
    expect(new Set(events.map((e) => e.UID)).size).toBe(4);

    await berlin.ownerApi.extensions.grant({ cohortId: berlin.cohort.id, userId: learner.id, itemKey: "chapter:1", days: 3, reason: "Ill." });
    const after = parseEvents((await fetchFeed(url)).text);
    const moved = after.find((e) => e.UID === berlinStart?.UID);
    expect(moved?.DTSTART).toBe("20261216T080000Z");
    expect(icsInstant(moved?.DTSTART)).toEqual((await planOf(berlin, learner.id)).chapter(1)?.dueAt);
    expect(moved?.DESCRIPTION).toContain("extension of 3 days");
    // Everything else stays where it was.
    expect(after.filter((e) => e.UID !== berlinStart?.UID)).toEqual(events.filter((e) => e.UID !== berlinStart?.UID));
    // The same address without .ics works too.
    expect((await fetchFeed(url.replace(/\.ics$/, ""))).response.status).toBe(200);
  });

  it("a lab's event links to the lab's lesson", async () => {
    const labLearner = await makeUser(db, "lab-learner");
    const course = tinyCourse();
    const lesson = course.course.parts[0]?.chapters[1]?.lessons[0];
    if (!lesson) throw new Error("tiny course changed");
    // The Kafka lab belongs to the lesson with this key, wherever it is.
    lesson.key = "21.5-how-to-produce-and-consume-messages";
    const org = await orgWithCohort(labLearner, "Europe/Berlin", course);
    setClock(() => today);
    const { url } = await (await as(labLearner.id, null)).calendar.resetFeed();
    const events = parseEvents((await fetchFeed(url)).text);
    expect(events.map((e) => e.SUMMARY)).toEqual(["Due: Start", "Due: Next", "Due: Produce and consume sensor readings with Kafka"]);
    const lab = events[2];
    expect(lab?.URL).toBe(`${new URL(url).origin}/courses/${org.courseSlug}/21.5-how-to-produce-and-consume-messages`);
    // Labs are due with their chapter.
    expect(lab?.DTSTART).toBe(events[1]?.DTSTART);
  });

  it("resetting makes the old address unknown; deleting makes the feed go", async () => {
    const user = await makeUser(db, "resetter");
    const api = await as(user.id, null);
    const old = (await api.calendar.resetFeed()).url;
    const renewed = (await api.calendar.resetFeed()).url;
    expect(renewed).not.toBe(old);
    const gone = await fetchFeed(old);
    expect(gone.response.status).toBe(404);
    expect(gone.text).toBe("Unknown calendar address.");
    const fresh = await fetchFeed(renewed);
    expect(fresh.response.status).toBe(200);
    // Someone in no cohort gets a valid, empty calendar.
    expect(parseEvents(fresh.text)).toEqual([]);

    expect(await api.calendar.deleteFeed()).toEqual({ deleted: true });
    expect(await api.calendar.deleteFeed()).toEqual({ deleted: false });
    expect((await fetchFeed(renewed)).response.status).toBe(404);
    expect(await api.calendar.feed()).toEqual({ exists: false, createdAt: null });
  });

  it.each([
    ["a well-formed token nobody has", randomBytes(32).toString("base64url")],
    ["a short token", "abc.ics"],
    ["a very long token", "a".repeat(10_000)],
    ["a NUL byte", "%00"],
    ["broken percent-encoding", "%E0%A4%A"],
    ["a path climb", "..%2F..%2Fetc%2Fpasswd"],
    ["a token with a second suffix", `${randomBytes(32).toString("base64url")}.ics.ics`],
    ["nothing", ""],
  ])("%s: 404, never an error", async (_, token) => {
    const { response, text } = await fetchFeed(`http://localhost:3000/api/calendar/${token}`);
    expect(response.status).toBe(404);
    expect(text).toBe("Unknown calendar address.");
  });

  it("needs a signed-in user", async () => {
    const anonymous = (await callerFor()).api;
    await expect(anonymous.calendar.resetFeed()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anonymous.calendar.feed()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
