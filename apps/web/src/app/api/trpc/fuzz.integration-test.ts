import { labs } from "@cookbook/content/labs";
import { resetCalendarFeed } from "@cookbook/db/queries/calendar-feeds";
import { newInviteCode } from "@cookbook/db/queries/cohorts";
import {
  cohortAnnouncements,
  cohortExtensions,
  cohortMembers,
  cohortScheduleOverrides,
  cohorts,
  enrollments,
  learningEvents,
  lessonCompletions,
  memberships,
  scheduleTemplates,
} from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadApi, tinyCourse } from "~/server/testing/api-client";
import { orgWithCohorts, weeklyRule } from "~/server/testing/cohort-fixtures";
import { insertEndedSandbox, insertGradedAttempt } from "~/server/testing/lab-attempts";

/**
 * Property-based fuzzing of the whole API through the real fetch handler, signed in as the owner
 * of a seeded organisation (a course with two labs, cohorts with members, a template, overrides,
 * extensions, an announcement, lab attempts, learning events): every procedure gets inputs
 * shaped by its own zod schema, fields named like the seeded rows' ids (cohortId, userId,
 * itemKey, …) mostly get real ones so calls get past "not found", and adversarial values are
 * mixed in everywhere (NUL, lone surrogates, huge strings, wrong types, prototype keys). No
 * answer may be a 5xx or carry a stack trace or a file path, and afterwards the organisations
 * still answer their reads. The GET route handlers (calendar feed, CSV exports, xAPI) get
 * hostile paths and query strings. FUZZ_RUNS sets the total of tRPC calls (default 10,000).
 */
process.env.PUBLIC_URL = "http://localhost:3000";
// Only internal errors are worth printing among ten thousand requests.
process.env.LOG_LEVEL = "error";
const { db, lucia, as } = await loadApi();
const { GET, POST } = await import("./[trpc]/route");
const { appRouter } = await import("~/server/trpc/root");
const routes = {
  calendar: (await import("../calendar/[token]/route")).GET,
  gradebookCsv: (await import("../export/gradebook.csv/route")).GET,
  attemptsCsv: (await import("../export/attempts.csv/route")).GET,
  xapi: (await import("../xapi/statements/route")).GET,
};

const totalRuns = Number(process.env.FUZZ_RUNS ?? 10_000);
// An address of its own (as web-server.ts would forward it): the fuzzer's thousands of sign-ins lock it, not the
// "unknown" address every other in-process caller shares.
const origin = { origin: "http://localhost:3000", host: "localhost:3000", "x-forwarded-for": "203.0.113.250" };

const huge = "x".repeat(200_000);
const adversarialString = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  huge,
  "__proto__",
  "constructor",
  "' OR 1=1 --",
  "../../etc/passwd",
  "%00",
  "",
  " ",
  "💥".repeat(300),
);
const adversarial: fc.Arbitrary<unknown> = fc.oneof(
  adversarialString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, [], {}, [null], { __proto__: { admin: true } }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown),
  fc.anything({ maxDepth: 2, withNullPrototype: true }),
);

// The seeded course: the tiny course with two real labs' lessons, so the schedule has lab items.
const [firstLab, secondLab] = labs;
if (!firstLab || !secondLab) throw new Error("the fuzz test needs two labs in the catalogue");
const labA = firstLab;
const labB = secondLab;
function fuzzCourse() {
  const course = tinyCourse();
  const [first, second] = course.course.parts[0]?.chapters ?? [];
  const lesson = first?.lessons[0];
  if (!first || !second || !lesson) throw new Error("tiny course changed");
  first.lessons.push({ ...lesson, key: labA.lessonKey, number: "1.5", slug: "lab-a", title: "Lab A", contentHash: "lab-a" });
  second.lessons.push({ ...lesson, key: labB.lessonKey, number: "2.5", slug: "lab-b", title: "Lab B", contentHash: "lab-b" });
  return course;
}

/** An organisation to fuzz: the owner's session cookie and the ids its rows have, by the input field names that take them. */
type Fixture = {
  cookie: string;
  learnerCookie: string;
  ownerId: string;
  tenantId: string;
  courseId: string;
  calendarToken: string;
  eventIds: number[];
  known: Known;
};
type Known = { values: Record<string, readonly unknown[]>; lists: Record<string, readonly string[]> };

/** A graded attempt as the grader stores it; `findings: false` is an attempt from before finding codes. */
const labGrade = (slug: string, version: number, failing: string[], findings = true) => ({
  labSlug: slug,
  labVersion: version,
  score: 0,
  maxScore: 6,
  steps: ["create-topic", "produce-readings", "consume-with-group"].map((stepId) => ({
    stepId,
    title: stepId,
    passed: !failing.includes(stepId),
    earned: failing.includes(stepId) ? 0 : 2,
    points: 2,
    checks: failing.includes(stepId)
      ? [
          {
            kind: "command",
            description: `${stepId} works`,
            passed: false,
            feedback: `Expected 3 "readings", found 0 in ${stepId}.`,
            timedOut: false,
            ...(findings ? { finding: `fuzz.${stepId}` } : {}),
          },
        ]
      : [],
    // A failed step's hints, so that labs.revealHint has some to record.
    hints: failing.includes(stepId) ? [`Look at ${stepId} again.`, `The answer for ${stepId}.`] : [],
  })),
});

/**
 * orgWithCohorts (cohort A with `learner`, B with `otherLearner`, `outsider` self-paced) plus a
 * second learner in A, the owner in B, a schedule template A came from, overrides, extensions
 * (one revoked), an announcement, an invitation code, completions, sandboxes, attempts of both
 * labs (with and without finding codes, and one whose result is not a grade at all), and the
 * events those writes make, and a learner's calendar feed.
 */
async function seedOrganisation(): Promise<Fixture> {
  const org = await orgWithCohorts({ db, as }, fuzzCourse());
  const { tenant, owner, learner, otherLearner, outsider, teacher, otherTeacher, courseId, published, cohortA, cohortB } = org;
  const tenantId = tenant.id;
  const second = await org.member("fuzz-learner", "learner");
  const enrolledAt = new Date("2026-12-02T10:00:00Z");
  await db.insert(cohortMembers).values([
    { tenantId, cohortId: cohortA.id, courseId, userId: second.id, enrolledAt },
    { tenantId, cohortId: cohortB.id, courseId, userId: owner.id, enrolledAt },
  ]);
  await db
    .insert(enrollments)
    .values([learner, otherLearner, outsider, second, owner].map((u) => ({ tenantId, courseId, userId: u.id })))
    .onConflictDoNothing();
  const [template] = await db.insert(scheduleTemplates).values({ tenantId, name: "Weekly", rule: weeklyRule, createdBy: owner.id }).returning();
  if (!template) throw new Error("no template");
  const inviteCode = newInviteCode();
  await db.update(cohorts).set({ templateId: template.id, templateRevision: 1, inviteCode }).where(eq(cohorts.id, cohortA.id));
  await db.insert(cohortScheduleOverrides).values([
    { tenantId, cohortId: cohortA.id, itemKey: "chapter:2", opensDay: 7, opensTime: "09:00", dueDay: 14, dueTime: "17:00", updatedBy: owner.id },
    {
      tenantId,
      cohortId: cohortA.id,
      itemKey: `lab:${labA.slug}`,
      opensDay: 0,
      opensTime: "09:00",
      dueDay: 10,
      dueTime: "23:59",
      updatedBy: owner.id,
    },
  ]);
  const extensions = await db
    .insert(cohortExtensions)
    .values([
      { tenantId, cohortId: cohortA.id, userId: learner.id, itemKey: "chapter:1", days: 3, reason: "ill", grantedBy: owner.id },
      { tenantId, cohortId: cohortA.id, userId: second.id, itemKey: null, days: 10, reason: "travel", grantedBy: teacher.id },
      {
        tenantId,
        cohortId: cohortA.id,
        userId: second.id,
        itemKey: `lab:${labA.slug}`,
        days: 2,
        reason: "x",
        revokedAt: new Date(),
        revokedBy: owner.id,
      },
    ])
    .returning();
  const [announcement] = await db
    .insert(cohortAnnouncements)
    .values({ tenantId, cohortId: cohortA.id, authorId: owner.id, title: "Welcome", body: "Read chapter 1." })
    .returning();
  if (!announcement) throw new Error("no announcement");

  const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 11, day, hour));
  const lessonHash = Object.fromEntries(
    org.course.course.parts.flatMap((p) => p.chapters.flatMap((c) => c.lessons.map((l) => [l.key, l.contentHash]))),
  );
  const completed: [string, string, Date][] = [
    [learner.id, "1.1-hello", at(8)],
    [learner.id, "1.2-world", at(9)],
    [learner.id, labA.lessonKey, at(9)],
    [second.id, "1.1-hello", at(16)],
    [outsider.id, "1.1-hello", at(3)],
    [otherLearner.id, "2.1-streams", at(20)],
  ];
  await db.insert(lessonCompletions).values(
    completed.map(([userId, lessonKey, completedAt]) => ({
      tenantId,
      courseId,
      userId,
      lessonKey,
      contentHash: lessonHash[lessonKey] ?? "x",
      completedAt,
    })),
  );
  await db.insert(learningEvents).values([
    ...completed.map(([userId, lessonKey, occurredAt]) => ({
      tenantId,
      courseId,
      userId,
      verb: "lesson_completed" as const,
      lessonKey,
      occurredAt,
    })),
    { tenantId, courseId, userId: learner.id, verb: "lesson_viewed", lessonKey: "1.1-hello", occurredAt: at(7) },
  ]);

  const attemptIds: string[] = [];
  const attempt = async (userId: string, lab: (typeof labs)[number], day: number, failing: string[], result?: unknown) => {
    const createdAt = at(day);
    const sandboxId = await insertEndedSandbox(db, { tenantId, userId, lab, expiresAt: createdAt, endedAt: createdAt });
    const score = 6 - 2 * failing.length;
    const row = await insertGradedAttempt(db, {
      tenantId,
      userId,
      courseId,
      lab,
      sandboxId,
      score,
      maxScore: 6,
      result: result ?? labGrade(lab.slug, lab.version, failing, day % 2 === 0),
      createdAt,
    });
    attemptIds.push(row.id);
    const event = { tenantId, courseId, userId, lessonKey: lab.lessonKey, labSlug: lab.slug, occurredAt: createdAt };
    await db
      .insert(learningEvents)
      .values([
        { ...event, verb: "lab_started" },
        { ...event, verb: "lab_checked", attemptId: row.id, score, maxScore: 6 },
        ...(score === 6 ? [{ ...event, verb: "lab_passed" as const, attemptId: row.id, score, maxScore: 6 }] : []),
      ]);
    return sandboxId;
  };
  const sandboxIds = [
    await attempt(learner.id, labA, 8, ["consume-with-group"]),
    await attempt(learner.id, labA, 9, []),
    await attempt(second.id, labA, 12, ["produce-readings", "consume-with-group"]),
    await attempt(second.id, labA, 13, ["consume-with-group"]),
    await attempt(second.id, labB, 14, [], { unexpected: "shape" }),
    await attempt(outsider.id, labB, 4, ["create-topic"]),
    await attempt(owner.id, labA, 15, ["create-topic"]),
  ];
  const events = await db.select({ id: learningEvents.id }).from(learningEvents).where(eq(learningEvents.tenantId, tenantId));
  const { token: calendarToken } = await resetCalendarFeed(db, { userId: learner.id, now: new Date() });
  const session = async (userId: string) => `${lucia.sessionCookieName}=${(await lucia.createSession(userId, { active_tenant_id: tenantId })).id}`;

  const members = [learner.id, second.id, otherLearner.id, outsider.id, teacher.id, otherTeacher.id, owner.id];
  const staff = [owner.id, teacher.id, otherTeacher.id];
  const dates = ["2026-12-07", "2026-12-14", "2026-12-31", "2027-01-31", "2027-03-29"];
  const times = ["09:00", "00:00", "23:59", "02:30"];
  const labSlugs = [labA.slug, labB.slug];
  return {
    cookie: await session(owner.id),
    learnerCookie: await session(learner.id),
    ownerId: owner.id,
    tenantId,
    courseId,
    calendarToken,
    eventIds: events.map((e) => e.id),
    known: {
      values: {
        cohortId: [cohortA.id, cohortA.id, cohortB.id],
        templateId: [template.id],
        extensionId: extensions.map((e) => e.id),
        announcementId: [announcement.id],
        // Mostly cohort A's learners: the procedures about one learner need one of the cohort's.
        userId: [learner.id, second.id, learner.id, second.id, ...members],
        courseId: [courseId],
        versionId: [published.version.id],
        courseSlug: [org.course.slug],
        lessonKey: ["1.1-hello", "1.2-world", "2.1-streams", labA.lessonKey, labB.lessonKey],
        itemKey: ["chapter:1", "chapter:2", `lab:${labA.slug}`, `lab:${labB.slug}`, "chapter:3", "lab:nope"],
        labSlug: labSlugs,
        failedLab: labSlugs,
        chapterNumber: [1, 2, 3],
        code: [inviteCode],
        sandboxId: sandboxIds,
        attemptId: attemptIds,
        stepId: ["create-topic", "produce-readings", "consume-with-group"],
        hintIndex: [0, 1, 2],
        confirmName: [cohortA.name, cohortB.name, tenant.name],
        tenantId: [tenantId],
        // Plain text where plain text is wanted, so the call reaches what comes after validation.
        reason: ["Ill for a week.", "Travelling"],
        title: ["Week 2", "Change of plan"],
        body: ["Chapter 2 is due on Friday.", "No session on Monday."],
        // Two fixed ones, so that retries (with other payloads) meet the row an earlier call wrote.
        requestId: ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"],
        startDate: dates,
        endDate: dates,
        opensDate: dates,
        dueDate: dates,
        from: dates,
        to: dates,
        time: times,
        opensTime: times,
        dueTime: times,
        timeZone: ["Europe/Berlin", "America/New_York", "Pacific/Chatham", "UTC", "europe/berlin"],
      },
      lists: { userIds: members, instructorIds: staff },
    },
  };
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Inside the schema's bounds most of the time: out-of-range numbers stop at validation, in-range ones reach the procedure. */
function numberFor(schema: z.ZodType): fc.Arbitrary<number> {
  const { minValue, maxValue, isInt } = schema as unknown as { minValue: number | null; maxValue: number | null; isInt?: boolean };
  const min = Math.max(minValue ?? -5, -1_000_000);
  const max = Math.min(maxValue ?? 20_000, 1_000_000);
  const inRange = isInt || Number.isInteger(min) ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
  return fc.oneof({ weight: 3, arbitrary: inRange }, fc.constantFrom(min - 1, max + 1), fc.double({ noNaN: true }));
}

/**
 * An arbitrary for values of the schema's shape, each leaf sometimes replaced by an adversarial
 * value; an object's field named like a seeded row's id is that id three times in four.
 */
function arbitraryFor(schema: z.ZodType, known: Known, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (s: unknown) => arbitraryFor(s as z.ZodType, known, depth + 1);
  const field = (key: string, s: z.ZodType): fc.Arbitrary<unknown> => {
    const value = known.values[key];
    const list = known.lists[key];
    const real = value?.length ? fc.constantFrom(...value) : list?.length ? fc.subarray([...list], { minLength: 1 }) : undefined;
    return real ? fc.oneof({ weight: 3, arbitrary: real }, { weight: 1, arbitrary: inner(s) }) : inner(s);
  };
  const shaped = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case "object": {
        const shape = def.shape as Record<string, z.ZodType>;
        return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, field(k, v)])), { requiredKeys: Object.keys(shape) });
      }
      case "string": {
        const format = (schema as unknown as { format?: string }).format;
        if (format === "email") return fc.emailAddress();
        if (format === "uuid") return fc.uuid();
        // Free text is where NUL and broken Unicode hurt: half of it is adversarial.
        return fc.oneof(fc.string({ maxLength: 120 }), adversarialString);
      }
      case "number":
      case "int":
        return numberFor(schema);
      case "boolean":
        return fc.boolean();
      case "enum":
        return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
      case "literal":
        return fc.constantFrom(...(def.values as unknown[]));
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
        return fc.option(inner(def.innerType), { nil: undefined });
      case "array":
        return fc.array(inner(def.element), { maxLength: 4 });
      case "union":
        return fc.oneof(...(def.options as z.ZodType[]).map(inner));
      case "pipe":
        return inner(def.in);
      default:
        return fc.anything({ maxDepth: 1 });
    }
  })();
  return depth > 4 ? shaped : fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: adversarial });
}

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures).filter(
  ([, p]) => p._def.type !== "subscription",
);

/** Procedures that end the caller's session, account or organisation: a new caller (with nothing seeded) each time. */
const endsTheCaller = new Set(["auth.signOut", "account.delete", "orgs.delete"]);
/**
 * Procedures whose success takes the seeded rows away from every later call (deleting, removing,
 * revoking, disabling the course, a new invitation code) or moves the session to another
 * organisation: an organisation of their own, so the others keep theirs.
 */
const isolated = /\.(delete|remove|revoke|clear|resetInviteLink|enable|create|switch|acceptInvitation|changeRole)/;

/**
 * Cohort and dashboard procedures that only answer 200 for a real cohort, learner, item or course
 * of the caller's organisation, and whose inputs are few enough that a run always gets some
 * through (writes with many fields, such as cohorts.update or extensions.grant, succeed in only
 * some runs: the summary line counts them).
 */
const reachesTheData = [
  "cohorts.get",
  "cohorts.roster",
  "cohorts.previewJoin",
  "cohorts.versionDiff",
  "schedules.forCohort",
  "extensions.list",
  "extensions.auditLog",
  "announcements.list",
  "gradebook.cohort",
  "gradebook.learner",
  "gradebook.atRisk",
  "insights.labFailures",
  "myProgress.dashboard",
];
const reachedSometimes = [
  "cohorts.update",
  "cohorts.addMembers",
  "schedules.setOverride",
  "schedules.applyTemplate",
  "extensions.grant",
  "announcements.post",
  "gradebook.setThresholds",
  "labs.revealHint",
];

async function signedInOwner() {
  const owner = await makeUser(db, "fuzz-owner");
  const tenant = await makeTenant(db, owner.id);
  const { id } = await lucia.createSession(owner.id, { active_tenant_id: tenant.id });
  return `${lucia.sessionCookieName}=${id}`;
}

function call(path: string, type: "query" | "mutation", input: unknown, cookie: string): Promise<Response> {
  const encoded = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  if (type === "query") return GET(new Request(`http://localhost:3000/api/trpc/${path}${encoded}`, { headers: { ...origin, cookie } }));
  return POST(
    new Request(`http://localhost:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { ...origin, cookie, "content-type": "application/json" },
      body: input === undefined ? "" : JSON.stringify(input),
    }),
  );
}

// Stack frames ("at fn (file:1:2)"), and paths of our sources or dependencies.
const leak = /\bat [^\s"]+ \(|\bat (?:file:|node:|\/)|\/work\/|node_modules|\.tsx?:\d+/;
/** Lab calls reach no lab-runner here; saying so is the one 5xx a valid input may get (labs-unavailable tests). */
const labsUnavailable = "The lab service is not reachable right now. Try again in a minute.";

async function expectSafe(what: string, res: Response, allowed5xx = false) {
  const body = await res.text();
  if ((res.status >= 500 && !allowed5xx) || leak.test(body)) throw new Error(`${what} answered ${res.status}: ${body.slice(0, 500)}`);
  return { status: res.status, body };
}

/** The reads an organisation's staff pages make, for every cohort it still has: none may fail, whatever the fuzzed writes left. */
async function expectReadable(fixture: Fixture) {
  // orgs.changeRole may have handed the organisation to another owner: read as one who is one now.
  const [owner] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, fixture.tenantId), eq(memberships.role, "owner")));
  if (!owner) throw new Error(`organisation ${fixture.tenantId} has no owner left`);
  const api = await as(owner.userId, fixture.tenantId);
  const { staff, cohorts: list } = await api.cohorts.list();
  expect(staff).toBe(true);
  for (const { id: cohortId } of list) {
    await api.cohorts.get({ cohortId });
    await api.cohorts.roster({ cohortId });
    await api.schedules.forCohort({ cohortId });
    await api.gradebook.cohort({ scope: { cohortId } });
    await api.gradebook.atRisk({ scope: { cohortId } });
    await api.insights.labFailures({ scope: { cohortId } });
  }
  return list.length;
}

/** A path segment as a client would send it; a lone surrogate (no URL can hold one) goes as the bytes a broken client would send. */
const encodeSegment = (segment: string) =>
  segment
    .split(/(\p{Surrogate})/u)
    .map((part) => (/^\p{Surrogate}$/u.test(part) ? "%ED%A0%80" : encodeURIComponent(part)))
    .join("");

describe("the API under fuzzed input", () => {
  const fixtures: Fixture[] = [];
  let shared: Fixture;

  it(`answers ${totalRuns} fuzzed calls over ${procedures.length} procedures with no 5xx and no stack trace`, { timeout: 300_000 }, async () => {
    const started = performance.now();
    const perProcedure = Math.ceil(totalRuns / procedures.length);
    let calls = 0;
    shared = await seedOrganisation();
    fixtures.push(shared);
    const durations: [string, number][] = [];
    const succeeded = new Map<string, number>();
    async function fuzz([path, procedure]: (typeof procedures)[number]) {
      const began = performance.now();
      const fixture = isolated.test(path) && !endsTheCaller.has(path) ? await seedOrganisation() : shared;
      if (fixture !== shared) fixtures.push(fixture);
      const schema = procedure._def.inputs[0];
      const input = fc.oneof(
        { weight: 6, arbitrary: schema ? arbitraryFor(schema, fixture.known) : fc.constant(undefined) },
        { weight: 1, arbitrary: adversarial },
      );
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          calls++;
          const cookie = endsTheCaller.has(path) ? await signedInOwner() : fixture.cookie;
          const res = await call(path, procedure._def.type as "query" | "mutation", value, cookie);
          const body = await res.text();
          if (res.status === 200) succeeded.set(path, (succeeded.get(path) ?? 0) + 1);
          const allowed5xx = path.startsWith("labs.") && res.status === 503 && body.includes(labsUnavailable);
          if ((res.status >= 500 && !allowed5xx) || leak.test(body)) {
            throw new Error(`${path} answered ${res.status} for ${JSON.stringify(value)?.slice(0, 300)}: ${body.slice(0, 500)}`);
          }
        }),
        { numRuns: perProcedure },
      );
      durations.push([path, (performance.now() - began) / 1000]);
    }
    // A few procedures at a time: requests wait on PostgreSQL more than on the CPU.
    const queue = [...procedures];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await fuzz(next);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.info(`fuzz: ${calls} calls over ${procedures.length} procedures (${fixtures.length} seeded organisations) in ${seconds.toFixed(1)} s`);
    console.info(`answered 200: ${[...reachesTheData, ...reachedSometimes].map((p) => `${p} ${succeeded.get(p) ?? 0}`).join(", ")}`);
    const slowest = durations.sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.info(`slowest: ${slowest.map(([p, s]) => `${p} ${s.toFixed(1)} s`).join(", ")}`);
    expect(calls).toBeGreaterThanOrEqual(totalRuns);
    // The seeded ids must get calls past "not found": each of these answered some call with its data.
    expect(reachesTheData.filter((path) => !succeeded.get(path))).toEqual([]);
  });

  it("leaves every seeded organisation answering its cohort and gradebook reads", { timeout: 120_000 }, async () => {
    expect(fixtures.length).toBeGreaterThan(1);
    // The shared organisation's cohorts cannot have been deleted (cohorts.delete has its own): its reads must find them.
    expect(await expectReadable(shared)).toBeGreaterThanOrEqual(2);
    for (const fixture of fixtures.slice(1)) await expectReadable(fixture);
    const api = await as(shared.ownerId, shared.tenantId);
    await api.gradebook.cohort({ scope: { courseId: shared.courseId, selfPaced: true } });
    await api.insights.organisation();
    await api.myProgress.dashboard({});
  });

  it("answers hostile paths and query strings on the GET route handlers with no 5xx", { timeout: 120_000 }, async () => {
    const fixture = shared ?? (await seedOrganisation());
    const runs = Math.max(100, Math.ceil(totalRuns / 40));
    const hostile = fc.oneof(adversarialString, fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 20 }));
    const cookie = fc.constantFrom(fixture.cookie, fixture.cookie, fixture.cookie, fixture.learnerCookie, "");
    const get = (route: (req: Request) => Promise<Response>, url: string, withCookie: string) =>
      route(new Request(url, { headers: withCookie ? { ...origin, cookie: withCookie } : origin }));

    // The calendar feed: the real token (with and without .ics) answers the calendar, anything else a 404.
    const token = fixture.calendarToken;
    const segment = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(token, `${token}.ics`) },
      fc.constantFrom(`${token}.ICS`, `${token}x`, token.slice(1), `${token}.ics.ics`, `${token.slice(0, -1)}%`, token.toUpperCase()),
      hostile,
    );
    let feeds = 0;
    await fc.assert(
      fc.asyncProperty(segment, async (seg) => {
        const { status, body } = await expectSafe(
          `calendar ${JSON.stringify(seg).slice(0, 80)}`,
          await get(routes.calendar, `http://localhost:3000/api/calendar/${encodeSegment(seg)}`, ""),
        );
        if (status === 200) {
          feeds++;
          expect(body.startsWith("BEGIN:VCALENDAR")).toBe(true);
        } else expect(status).toBe(404);
      }),
      { numRuns: runs },
    );
    expect(feeds).toBeGreaterThan(0);

    // The exports: real ids, hostile values, repeated and unknown keys, raw (badly encoded) query strings.
    const { values } = fixture.known;
    const scopeValue = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(values.cohortId as string[]), fixture.courseId) },
      fc.uuid(),
      fc.constantFrom("1", "true", "0", "yes", ""),
      hostile,
    );
    const entry = fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom("cohortId", "courseId", "selfPaced") }, fc.constantFrom("__proto__", "cohortid", "")),
      scopeValue,
    );
    const query = fc.oneof(
      { weight: 4, arbitrary: fc.array(entry, { maxLength: 4 }).map((entries) => new URLSearchParams(entries).toString()) },
      fc.string({ maxLength: 80 }).map((raw) => raw.replace(/#/g, "")),
      fc.constantFrom("cohortId=%ZZ", "cohortId=%00", "courseId=%E0%A4%A&selfPaced=1", "&&&==", `cohortId=${"a".repeat(100_000)}`),
    );
    let exported = 0;
    for (const [name, route] of [
      ["gradebook.csv", routes.gradebookCsv],
      ["attempts.csv", routes.attemptsCsv],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(query, cookie, async (q, c) => {
          const { status } = await expectSafe(`${name}?${q.slice(0, 200)}`, await get(route, `http://localhost:3000/api/export/${name}?${q}`, c));
          if (status === 200) exported++;
        }),
        { numRuns: runs },
      );
    }
    expect(exported).toBeGreaterThan(0);

    // xAPI: since and limit as numbers in and out of range, in other notations, and not numbers at all.
    const number = fc.oneof(
      fc.constantFrom(
        ...fixture.eventIds.map(String),
        "0",
        "1",
        "1000",
        "1001",
        "-1",
        "1e3",
        "0x10",
        "1.5",
        "9".repeat(400),
        "Infinity",
        "NaN",
        " 1",
        "",
      ),
      fc.integer().map(String),
      hostile,
    );
    const xapiQuery = fc.oneof(
      { weight: 4, arbitrary: fc.record({ since: number, limit: number }, { requiredKeys: [] }).map((q) => new URLSearchParams(q).toString()) },
      fc.string({ maxLength: 80 }).map((raw) => raw.replace(/#/g, "")),
    );
    let statements = 0;
    await fc.assert(
      fc.asyncProperty(xapiQuery, cookie, async (q, c) => {
        const { status } = await expectSafe(`xapi?${q.slice(0, 200)}`, await get(routes.xapi, `http://localhost:3000/api/xapi/statements?${q}`, c));
        if (status === 200) statements++;
      }),
      { numRuns: runs },
    );
    expect(statements).toBeGreaterThan(0);
  });
});
