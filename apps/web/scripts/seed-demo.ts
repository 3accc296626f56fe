import { describeCheck, findLab, type Lab, labs } from "@cookbook/content/labs";
import type { Database } from "@cookbook/db/client";
import { appendAuditEntry } from "@cookbook/db/queries/cohort-audit";
import { insertExtension } from "@cookbook/db/queries/cohort-extensions";
import { getOutline } from "@cookbook/db/queries/courses";
import { recordAttempt } from "@cookbook/db/queries/labs";
import { completeLesson, enableCourse, enroll } from "@cookbook/db/queries/learning";
import { type LearningEventInput, recordEvents } from "@cookbook/db/queries/learning-events";
import { listOverrides, upsertOverride } from "@cookbook/db/queries/schedules";
import { createTenantWithOwner, getMembership } from "@cookbook/db/queries/tenants";
import { createUser, findUserByEmail } from "@cookbook/db/queries/users";
import {
  cohortAnnouncements,
  cohortInstructors,
  cohortMembers,
  cohorts,
  courseVersions,
  enrollments,
  labSandboxes,
  memberships,
  scheduleTemplates,
  tenants,
} from "@cookbook/db/schema";
import { type TenantTx, withTenant } from "@cookbook/db/tenant-scope";
import { type LabGradeView, labGradeSchema } from "@cookbook/lab-runner-api/contract";
import { computeSchedule, scheduleItems } from "@cookbook/schedule/compute-schedule";
import { chapterItemKey, type ItemOverride, labItemKey, type PacingRule } from "@cookbook/schedule/pacing-rule";
import { addDays, localDateOf, weekdayOf } from "@cookbook/schedule/zoned-time";
import { and, asc, eq } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { generateIdFromEntropySize } from "lucia";
import { hashPassword } from "../src/server/auth/password";
import { now } from "../src/server/clock";

export const DEMO_ORG = { slug: "demo", name: "Demo Data Team" };
const people = [
  { role: "owner", email: "owner@demo.test", displayName: "Olivia Owner" },
  { role: "instructor", email: "instructor@demo.test", displayName: "Ivan Instructor" },
  { role: "learner", email: "learner@demo.test", displayName: "Lea Learner" },
] as const;

async function ensureUser(db: Database, person: { email: string; displayName: string }, passwordHash: () => Promise<string>) {
  const existing = await findUserByEmail(db, person.email);
  if (existing) return existing.id;
  const id = generateIdFromEntropySize(10);
  await createUser(db, { id, email: person.email, displayName: person.displayName, passwordHash: await passwordHash() });
  return id;
}

/**
 * The demo organisation a newcomer signs into. Idempotent: existing users keep their password
 * and progress; missing pieces are added.
 */
export async function seedDemo(db: Database, input: { courseId: string; password: string }) {
  // One hash for every demo account (they share the printed password): argon2 costs ~50 ms a hash, and the seed runs at every start.
  let hashed: Promise<string> | undefined;
  const passwordHash = () => {
    hashed ??= hashPassword(input.password);
    return hashed;
  };
  const ids = new Map<string, string>();
  for (const person of people) ids.set(person.role, await ensureUser(db, person, passwordHash));
  const ownerId = ids.get("owner") ?? "";
  const tenant =
    (await createTenantWithOwner(db, { ...DEMO_ORG, ownerId })) ?? (await db.select().from(tenants).where(eq(tenants.slug, DEMO_ORG.slug)))[0];
  if (!tenant) throw new Error("demo organisation could not be created");
  for (const person of people) {
    const userId = ids.get(person.role) ?? "";
    if (!(await getMembership(db, { tenantId: tenant.id, userId }))) {
      await db.insert(memberships).values({ tenantId: tenant.id, userId, role: person.role }).onConflictDoNothing();
    }
  }
  await withTenant(db, tenant.id, async (tx) => {
    await enableCourse(tx, { tenantId: tenant.id, courseId: input.courseId, enabledBy: ownerId });
    await enroll(tx, { tenantId: tenant.id, courseId: input.courseId, userId: ids.get("learner") ?? "" });
    await seedBootcamp(tx, {
      tenantId: tenant.id,
      courseId: input.courseId,
      ownerId,
      instructorId: ids.get("instructor") ?? "",
      learnerId: ids.get("learner") ?? "",
    });
  });
  await seedClassmates(db, { tenantId: tenant.id, courseId: input.courseId, instructorId: ids.get("instructor") ?? "", passwordHash });
  return { tenant, logins: people.map((p) => ({ role: p.role, email: p.email, password: input.password })) };
}

export const DEMO_COHORT = "Data Engineering Bootcamp, weekly";
const DEMO_TEMPLATE = "Two chapters a week";
const bootcampRule: PacingRule = {
  mode: "fixed",
  chaptersPerWeek: 2,
  weekday: "mon",
  time: "09:00",
  dueAfterDays: 7,
  skipWeekends: true,
  blackouts: [{ from: "2026-12-24", to: "2027-01-01" }],
};

/**
 * A running cohort a newcomer sees at once: it started on the Monday two weeks ago, on the
 * oldest edition (so the instructor is offered the move to the newer one), with the demo
 * instructor teaching it and the demo learner in it. Left alone once it exists.
 */
async function seedBootcamp(tx: TenantTx, input: { tenantId: string; courseId: string; ownerId: string; instructorId: string; learnerId: string }) {
  const existing = await tx
    .select({ id: cohorts.id })
    .from(cohorts)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.name, DEMO_COHORT)));
  if (existing.length > 0) return;
  const [oldest] = await tx
    .select()
    .from(courseVersions)
    .where(eq(courseVersions.courseId, input.courseId))
    .orderBy(asc(courseVersions.sequence))
    .limit(1);
  if (!oldest) throw new Error("the demo course has no version");
  const timeZone = "Europe/Berlin";
  const today = localDateOf(now(), timeZone);
  let startDate = addDays(today, -14);
  while (weekdayOf(startDate) !== "mon") startDate = addDays(startDate, -1);
  const [template] = await tx
    .insert(scheduleTemplates)
    .values({ tenantId: input.tenantId, name: DEMO_TEMPLATE, rule: bootcampRule, createdBy: input.ownerId })
    .onConflictDoUpdate({ target: [scheduleTemplates.tenantId, scheduleTemplates.name], set: { name: DEMO_TEMPLATE } })
    .returning();
  const [cohort] = await tx
    .insert(cohorts)
    .values({
      tenantId: input.tenantId,
      courseId: input.courseId,
      courseVersionId: oldest.id,
      name: DEMO_COHORT,
      startDate,
      endDate: addDays(startDate, 7 * 16),
      timeZone,
      seatLimit: 30,
      rule: bootcampRule,
      templateId: template?.id ?? null,
      templateRevision: template?.revision ?? null,
      latePolicy: "accept_late",
      inviteCode: randomBytes(24).toString("base64url"),
      createdBy: input.ownerId,
    })
    .returning();
  if (!cohort) throw new Error("the demo cohort could not be created");
  // Kafka early: the instructor moved chapter 21 and its lab to weeks 2 and 3, so the cohort has a lab open from its second
  // week, with chapter 12 (Stream Processing) as its reading; the README's first tour (read 12.2, do the Kafka lab) is open.
  const kafka = findLab(kafkaLabSlug);
  const outline = await getOutline(tx, oldest.id);
  const kafkaChapter = outline.find((c) => c.lessons.some((l) => l.key === kafka?.lessonKey));
  const streamChapter = outline.find((c) => c.number === 12);
  const early = [
    ...(kafka && kafkaChapter ? [chapterItemKey(kafkaChapter.number), labItemKey(kafka.slug)] : []),
    ...(streamChapter ? [chapterItemKey(streamChapter.number)] : []),
  ];
  for (const itemKey of early) {
    const override: ItemOverride = { itemKey, opensDay: 7, opensTime: "09:00", dueDay: 21, dueTime: "09:00" };
    await upsertOverride(tx, { tenantId: input.tenantId, cohortId: cohort.id, override, updatedBy: input.instructorId, now: now() });
  }
  await tx.insert(cohortInstructors).values({ tenantId: input.tenantId, cohortId: cohort.id, userId: input.instructorId });
  await tx.insert(cohortMembers).values({
    tenantId: input.tenantId,
    cohortId: cohort.id,
    courseId: input.courseId,
    userId: input.learnerId,
    enrolledAt: now(),
    addedBy: input.instructorId,
  });
  await tx.insert(cohortAnnouncements).values({
    tenantId: input.tenantId,
    cohortId: cohort.id,
    authorId: input.instructorId,
    title: "Welcome to the bootcamp",
    body: "Two chapters open every Monday at 09:00 (Berlin time) and are due a week later. Ask for more time on the cohort page if you need it.",
  });
}

/*
 * Classmates of the demo learner, so the dashboards a newcomer opens first show real patterns:
 * each has a history placed on the cohort's own schedule (due dates) and on the clock, written
 * as the app would have written it (completions, lab attempts with the grader's results, and
 * the learning events of both). Sign-in works with the demo password; only the three main
 * logins are printed.
 */
const kafkaLabSlug = "kafka-sensor-readings";

type ChapterPlan = { number: number; title: string; lessons: { key: string; contentHash: string }[]; opensAt: Date; dueAt: Date };
/** What one check of a step found wrong, in the grader's words (its finding within the check's kind, and the detail). */
type Failure = { finding: string; detail: string };
type Attempt = { at: Date; failures: Partial<Record<string, Failure>> };
type History = {
  enrolledAt: Date;
  /** Completes the chapter's first `lessons` lessons with text (all by default), the last at `at`. */
  completions: { chapter: ChapterPlan; at: Date; lessons?: number }[];
  views: { lessonKey: string; at: Date }[];
  /** Sandboxes of the Kafka lab, each with the checks made in it. */
  labSessions: { startedAt: Date; endedReason: "stopped" | "idle"; attempts: Attempt[] }[];
  extension?: { chapter: ChapterPlan; days: number; reason: string; grantedAt: Date };
};
/** The cohort's schedule as the histories use it: the rule's weeks of chapters (overridden items apart), and the Kafka lab. */
type Timeline = {
  weeks: ChapterPlan[][];
  kafka: { lab: Lab; opensAt: Date; lessonKey: string; contentHash: string; chapterOpensAt: Date } | null;
  now: Date;
};

const hour = 60 * 60 * 1000;
const plus = (at: Date, hours: number) => new Date(at.getTime() + hours * hour);

/** The grader's words for a passed step of the Kafka lab (apps/lab-runner/src/grader/checks). */
const kafkaPassed: Record<string, string> = {
  "create-topic": "Topic sensor-readings exists with 3 partitions.",
  "produce-readings": "Topic sensor-readings holds all 96 readings of your dataset.",
  "consume-with-group": "Consumer group sensor-analytics has committed offsets for all 96 messages in topic sensor-readings.",
};
/** The mistakes the Kafka lab sees most, worded as the grader words them. */
const kafkaMistakes = {
  onePartition: {
    finding: "wrong-partitions",
    detail: "Topic sensor-readings has 1 partition; this step asks for 3.",
  },
  valueAsString: {
    finding: "not-a-reading",
    detail:
      'Topic sensor-readings holds 0 of the 96 readings of your dataset (96 messages in all); this step asks for at least 96. 96 messages in the topic do not count. The message at partition 0, offset 0 has no string "timestamp" and number "value" to compare with your dataset: "{"timestamp":"2016-05-01 00:07:12","value":"21.37"}".',
  },
  tooFewReadings: {
    finding: "too-few-messages",
    detail:
      "Topic sensor-readings holds 40 of the 96 readings of your dataset (40 messages in all); this step asks for at least 96. Missing, for example: 2016-05-01 10:00:00 (23.18).",
  },
  noGroup: {
    finding: "no-committed-offsets",
    detail: "Consumer group sensor-analytics has not committed any offset on topic sensor-readings. Groups that exist: console-consumer-48213.",
  },
} satisfies Record<string, Failure>;

const classmates: { email: string; displayName: string; history: (t: Timeline) => History }[] = [
  {
    // Ahead of the schedule: every week done early, the Kafka lab passed at the second check, the current week begun.
    email: "ada@demo.test",
    displayName: "Ada Analyst",
    history: ({ weeks: [w1 = [], w2 = [], w3 = []], now }) => ({
      enrolledAt: plus(w1[0]?.opensAt ?? now, -72),
      completions: [
        ...w1.map((chapter, i) => ({ chapter, at: plus(chapter.opensAt, 26 + 4 * i) })),
        ...w2.map((chapter, i) => ({ chapter, at: plus(chapter.opensAt, 25 + 24 * i) })),
        ...w3.slice(0, 1).flatMap((chapter) => (plus(chapter.opensAt, 12) < now ? [{ chapter, at: plus(now, -8) }] : [])),
      ],
      views: [],
      labSessions: [
        {
          startedAt: plus(now, -50),
          endedReason: "stopped",
          attempts: [
            { at: plus(now, -49.3), failures: { "consume-with-group": kafkaMistakes.noGroup } },
            { at: plus(now, -48.9), failures: {} },
          ],
        },
      ],
    }),
  },
  {
    // On track, still working on the Kafka lab: first too few readings, then a consumer without its group.
    email: "ben@demo.test",
    displayName: "Ben Builder",
    history: ({ weeks: [w1 = [], w2 = []], now }) => ({
      enrolledAt: plus(w1[0]?.opensAt ?? now, -120),
      completions: [
        ...w1.map((chapter, i) => ({ chapter, at: plus(chapter.opensAt, 82 + 23 * i) })),
        ...w2.map((chapter, i) => ({ chapter, at: plus(chapter.dueAt, -50 + 24 * i) })),
      ],
      views: [],
      labSessions: [
        {
          startedAt: plus(now, -28),
          endedReason: "idle",
          attempts: [
            { at: plus(now, -27.2), failures: { "produce-readings": kafkaMistakes.tooFewReadings, "consume-with-group": kafkaMistakes.noGroup } },
            { at: plus(now, -26.6), failures: { "consume-with-group": kafkaMistakes.noGroup } },
          ],
        },
      ],
    }),
  },
  {
    // Late in the first week (both chapters after their due time), on time since; the Kafka lab at the first try.
    email: "chloe@demo.test",
    displayName: "Chloé Dubois",
    history: ({ weeks: [w1 = [], w2 = []], now }) => ({
      enrolledAt: plus(w1[0]?.opensAt ?? now, -24),
      completions: [
        ...w1.map((chapter, i) => ({ chapter, at: plus(chapter.dueAt, 30 + 22 * i) })),
        ...w2.map((chapter, i) => ({ chapter, at: plus(chapter.dueAt, -30 + 8 * i) })),
      ],
      views: [],
      labSessions: [{ startedAt: plus(now, -46), endedReason: "stopped", attempts: [{ at: plus(now, -45.1), failures: {} }] }],
    }),
  },
  {
    // Behind: the first chapter, half of the second, a look at the next week; stuck on the topic's partitions in the lab.
    email: "dan@demo.test",
    displayName: "Dan Debugger",
    history: ({ weeks: [w1 = [], w2 = []], now }) => ({
      enrolledAt: plus(w1[0]?.opensAt ?? now, -48),
      completions: [
        ...w1.slice(0, 1).map((chapter) => ({ chapter, at: plus(chapter.opensAt, 58) })),
        ...w1.slice(1, 2).map((chapter) => ({ chapter, at: plus(chapter.opensAt, 104), lessons: 2 })),
      ],
      views: w2.slice(0, 1).flatMap((c) => (c.lessons[0] ? [{ lessonKey: c.lessons[0].key, at: plus(c.opensAt, 72) }] : [])),
      labSessions: [
        {
          startedAt: plus(now, -74),
          endedReason: "stopped",
          attempts: [
            {
              at: plus(now, -73.3),
              failures: {
                "create-topic": kafkaMistakes.onePartition,
                "produce-readings": kafkaMistakes.valueAsString,
                "consume-with-group": kafkaMistakes.noGroup,
              },
            },
            { at: plus(now, -72.7), failures: { "create-topic": kafkaMistakes.onePartition, "consume-with-group": kafkaMistakes.noGroup } },
          ],
        },
        {
          startedAt: plus(now, -26),
          endedReason: "idle",
          attempts: [{ at: plus(now, -25.4), failures: { "create-topic": kafkaMistakes.onePartition } }],
        },
      ],
    }),
  },
  {
    // Inactive: started well in the first days, then nothing for more than ten days.
    email: "eve@demo.test",
    displayName: "Eve Evans",
    history: ({ weeks: [w1 = []], now }) => ({
      enrolledAt: plus(w1[0]?.opensAt ?? now, -72),
      completions: w1.slice(0, 1).map((chapter) => ({ chapter, at: plus(chapter.opensAt, 36) })),
      views: w1.slice(1, 2).flatMap((c) => (c.lessons[0] ? [{ lessonKey: c.lessons[0].key, at: plus(c.opensAt, 59) }] : [])),
      labSessions: [],
    }),
  },
  {
    // An extension: three more days for the second chapter (done within them, so not late), on time otherwise.
    email: "finn@demo.test",
    displayName: "Finn Fischer",
    history: ({ weeks: [w1 = [], w2 = []], now }) => {
      const extended = w1[1];
      const lastLesson = w2.at(-1)?.lessons.at(-1);
      return {
        enrolledAt: plus(w1[0]?.opensAt ?? now, -96),
        completions: [
          ...w1.slice(0, 1).map((chapter) => ({ chapter, at: plus(chapter.opensAt, 32) })),
          ...(extended ? [{ chapter: extended, at: plus(extended.dueAt, 46) }] : []),
          ...w2.map((chapter, i) => ({ chapter, at: plus(chapter.opensAt, 74 + 3 * i) })),
        ],
        views: lastLesson ? [{ lessonKey: lastLesson.key, at: plus(now, -5) }] : [],
        labSessions: [],
        ...(extended && {
          extension: {
            chapter: extended,
            days: 3,
            reason: "Moving house this week, without internet until Tuesday.",
            grantedAt: plus(extended.dueAt, -70),
          },
        }),
      };
    },
  },
];

/** A LabGrade as lab-runner returns it: each check with its finding code, its description and the lab's wording of the detail. */
function labGrade(lab: Lab, failures: Attempt["failures"]): LabGradeView {
  const steps = lab.steps.map((step) => {
    const failure = failures[step.id];
    const checks = step.checks.map((check) => {
      const description = describeCheck(check);
      const detail = failure?.detail ?? kafkaPassed[step.id] ?? `${description}.`;
      const template = failure ? check.feedback?.fail : check.feedback?.pass;
      const feedback = template
        ? template.replace(/\{(detail|description)\}/g, (_, name: string) => (name === "detail" ? detail : description))
        : detail;
      return { kind: check.kind, description, passed: !failure, finding: `${check.kind}.${failure?.finding ?? "passed"}`, feedback, timedOut: false };
    });
    return {
      stepId: step.id,
      title: step.title,
      passed: !failure,
      earned: failure ? 0 : step.points,
      points: step.points,
      checks,
      hints: failure ? [...step.hints] : [],
    };
  });
  // Parsed, so a drift of the contract fails the seed here rather than a dashboard later.
  return labGradeSchema.parse({
    labSlug: lab.slug,
    labVersion: lab.version,
    score: steps.reduce((sum, s) => sum + s.earned, 0),
    maxScore: steps.reduce((sum, s) => sum + s.points, 0),
    steps,
  });
}

/** The demo cohort's schedule (rule, overrides, the pinned version's lessons), or null when there is no demo cohort. */
async function demoTimeline(tx: TenantTx, input: { tenantId: string }) {
  const [cohort] = await tx
    .select()
    .from(cohorts)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.name, DEMO_COHORT)));
  if (!cohort) return null;
  const outline = await getOutline(tx, cohort.courseVersionId);
  const items = scheduleItems(outline, labs);
  const overrides = await listOverrides(tx, { tenantId: input.tenantId, cohortId: cohort.id });
  const dates = new Map(
    computeSchedule({ rule: cohort.rule, items, anchorDate: cohort.startDate, timeZone: cohort.timeZone, overrides }).map((d) => [d.key, d]),
  );
  const chapters = new Map(
    outline.map((c) => [
      c.number,
      { number: c.number, title: c.title, lessons: c.lessons.filter((l) => !l.outline).map((l) => ({ key: l.key, contentHash: l.contentHash })) },
    ]),
  );
  const weeks = new Map<number, ChapterPlan[]>();
  for (const item of items) {
    const at = dates.get(item.key);
    const chapter = chapters.get(item.chapterNumber);
    if (item.kind !== "chapter" || !at || at.overridden || !chapter) continue;
    weeks.set(at.opensAt.getTime(), [...(weeks.get(at.opensAt.getTime()) ?? []), { ...chapter, opensAt: at.opensAt, dueAt: at.dueAt }]);
  }
  const lab = findLab(kafkaLabSlug);
  const labDates = dates.get(labItemKey(kafkaLabSlug));
  const lesson = outline.flatMap((c) => c.lessons.map((l) => ({ ...l, chapterNumber: c.number }))).find((l) => l.key === lab?.lessonKey);
  const chapterDates = lesson && dates.get(chapterItemKey(lesson.chapterNumber));
  const kafka =
    lab && labDates && lesson && chapterDates
      ? { lab, opensAt: labDates.opensAt, lessonKey: lesson.key, contentHash: lesson.contentHash, chapterOpensAt: chapterDates.opensAt }
      : null;
  return { cohort, timeline: { weeks: [...weeks.entries()].sort(([a], [b]) => a - b).map(([, w]) => w), kafka, now: now() } satisfies Timeline };
}

/**
 * Adds each classmate missing from the demo course (no enrollment yet) with their whole history,
 * in one transaction per classmate: as that learner (row-level security lets only a learner's
 * own attempts and events be written). A second start finds them enrolled and adds nothing.
 */
async function seedClassmates(
  db: Database,
  input: { tenantId: string; courseId: string; instructorId: string; passwordHash: () => Promise<string> },
) {
  const found = await withTenant(db, input.tenantId, (tx) => demoTimeline(tx, input));
  if (!found) return;
  const { cohort, timeline } = found;
  for (const classmate of classmates) {
    const userId = await ensureUser(db, classmate, input.passwordHash);
    await db.insert(memberships).values({ tenantId: input.tenantId, userId, role: "learner" }).onConflictDoNothing();
    const enrolled = await db
      .select({ userId: enrollments.userId })
      .from(enrollments)
      .where(and(eq(enrollments.tenantId, input.tenantId), eq(enrollments.courseId, input.courseId), eq(enrollments.userId, userId)));
    if (enrolled.length > 0) continue;
    // Nothing in the future: a history is what already happened at the seed's clock.
    const history = classmate.history(timeline);
    const past = <T extends { at: Date }>(list: T[]) => list.filter((x) => x.at < timeline.now);
    const kafka = timeline.kafka;
    const sessions = kafka
      ? history.labSessions
          .filter((s) => s.startedAt >= kafka.opensAt && s.attempts.every((a) => a.at < timeline.now))
          .map((s, i) => ({
            ...s,
            // Derived from who and which, so a retried seed meets its own sandbox rows.
            id: `sb-${createHash("sha256").update(`${input.tenantId}:${userId}:${kafka.lab.slug}:${i}`).digest("hex").slice(0, 12)}`,
            lastActivityAt: plus(s.attempts.at(-1)?.at ?? s.startedAt, 0.05),
          }))
      : [];
    // Sandboxes are lab-runner's rows (the tenant role may only read them): written on the platform connection, ended as lab-runner ends them.
    if (kafka && sessions.length > 0) {
      await db
        .insert(labSandboxes)
        .values(
          sessions.map((s) => ({
            id: s.id,
            tenantId: input.tenantId,
            userId,
            labSlug: kafka.lab.slug,
            labVersion: kafka.lab.version,
            seed: randomBytes(16).toString("hex"),
            driver: "local",
            state: "ended" as const,
            endedReason: s.endedReason,
            createdAt: s.startedAt,
            expiresAt: plus(s.startedAt, 2),
            lastActivityAt: s.lastActivityAt,
            endedAt: s.endedReason === "idle" ? plus(s.lastActivityAt, 0.5) : s.lastActivityAt,
          })),
        )
        .onConflictDoNothing();
    }
    await withTenant(db, { tenantId: input.tenantId, userId }, async (tx) => {
      const scope = { tenantId: input.tenantId, courseId: input.courseId, userId };
      const events: LearningEventInput[] = [];
      const views = past(history.views);
      for (const { chapter, at, lessons } of past(history.completions)) {
        const done = chapter.lessons.slice(0, lessons ?? chapter.lessons.length);
        for (const [i, lesson] of done.entries()) {
          // One lesson every 35 minutes, each read for 20 before "Mark complete".
          const completedAt = plus(at, -(done.length - 1 - i) * (35 / 60));
          views.push({ lessonKey: lesson.key, at: plus(completedAt, -20 / 60) });
          await completeLesson(tx, { ...scope, lessonKey: lesson.key, contentHash: lesson.contentHash, completedAt });
          events.push({ ...scope, verb: "lesson_completed", lessonKey: lesson.key, occurredAt: completedAt });
        }
      }
      for (const session of sessions) {
        if (!kafka) break;
        const lab = { ...scope, lessonKey: kafka.lessonKey, labSlug: kafka.lab.slug };
        views.push({ lessonKey: kafka.lessonKey, at: plus(session.startedAt, -0.1) });
        events.push({ ...lab, verb: "lab_started", occurredAt: session.startedAt });
        for (const attempt of session.attempts) {
          const grade = labGrade(kafka.lab, attempt.failures);
          const saved = await recordAttempt(tx, {
            ...lab,
            sandboxId: session.id,
            labVersion: grade.labVersion,
            score: grade.score,
            maxScore: grade.maxScore,
            result: grade,
            createdAt: attempt.at,
          });
          const graded = { ...lab, attemptId: saved.id, score: grade.score, maxScore: grade.maxScore, occurredAt: attempt.at };
          events.push({ ...graded, verb: "lab_checked" });
          if (grade.score < grade.maxScore) continue;
          events.push({ ...graded, verb: "lab_passed" });
          // A full score completes the lab's lesson while its chapter is open, as the labs router does.
          if (kafka.chapterOpensAt <= attempt.at) {
            const { inserted } = await completeLesson(tx, { ...lab, contentHash: kafka.contentHash, completedAt: attempt.at });
            if (inserted) events.push({ ...scope, verb: "lesson_completed", lessonKey: kafka.lessonKey, occurredAt: attempt.at });
          }
        }
      }
      for (const view of views) events.push({ ...scope, verb: "lesson_viewed", lessonKey: view.lessonKey, occurredAt: view.at });
      // In time order, so the export's id order reads as the learner's story.
      events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      const last = events.filter((e) => e.verb === "lesson_viewed").at(-1);
      await tx.insert(enrollments).values({
        ...scope,
        // enroll() takes today's time; a classmate enrolled before the cohort began.
        createdAt: history.enrolledAt,
        lastLessonKey: last?.lessonKey ?? null,
        lastVisitedAt: last?.occurredAt ?? null,
      });
      await tx.insert(cohortMembers).values({ ...scope, cohortId: cohort.id, enrolledAt: history.enrolledAt, addedBy: input.instructorId });
      await recordEvents(tx, events);
      const extension = history.extension;
      if (extension && extension.grantedAt < timeline.now) {
        const itemKey = chapterItemKey(extension.chapter.number);
        const grant = { cohortId: cohort.id, userId, itemKey, days: extension.days, reason: extension.reason };
        const { row } = await insertExtension(tx, {
          tenantId: input.tenantId,
          ...grant,
          grantedBy: input.instructorId,
          createdAt: extension.grantedAt,
        });
        await appendAuditEntry(tx, {
          tenantId: input.tenantId,
          cohortId: cohort.id,
          actorId: input.instructorId,
          action: "extension.granted",
          detail: {
            extensionId: row?.id,
            learner: { id: userId, name: classmate.displayName },
            item: { key: itemKey, title: extension.chapter.title },
            days: extension.days,
            reason: extension.reason,
          },
          createdAt: extension.grantedAt,
        });
      }
    });
  }
}
