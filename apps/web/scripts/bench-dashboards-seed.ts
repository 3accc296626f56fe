/**
 * The data of `pnpm bench:dashboards` (see bench-dashboards.ts): one organisation with 20
 * cohorts × 50 learners and as many self-paced learners (the CSV of 1,000 learners is the
 * self-paced scope's), their completions, lab sandboxes and graded attempts, learning events,
 * extensions and schedule overrides, over the last 12 weeks. Written as the owner role with
 * bulk `INSERT … SELECT` (rows made here travel as one JSON parameter per chunk and are
 * unpacked by jsonb_to_recordset; completions and events are multiplied out in SQL), so the
 * whole seed takes seconds, not minutes. Deterministic: the same seed string gives the same data.
 */
import { describeCheck, type Check, type Lab, labs, seededRandom, type SeededRandom } from "@cookbook/content/labs";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { randomUUID } from "node:crypto";
import type pg from "pg";

export const benchShape = { cohorts: 20, learnersPerCohort: 50, selfPaced: 1000, instructors: 20, weeks: 12 } as const;

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const minuteMs = 60_000;

export interface BenchLesson {
  key: string;
  contentHash: string;
  chapterNumber: number;
}

export interface SeededOrg {
  tenantId: string;
  courseId: string;
  versionId: string;
  ownerId: string;
  /** cohortInstructorIds[i] teaches cohortIds[i]. */
  cohortIds: string[];
  cohortInstructorIds: string[];
  /** Learners of each cohort, in the order of cohortIds. */
  cohortLearnerIds: string[][];
  selfPacedLearnerIds: string[];
  /** Learners with at least one lab attempt: the per-learner page has something to show for them. */
  learnersWithAttempts: { userId: string; cohortIndex: number | null }[];
  seedMs: number;
  counts: Record<string, number>;
}

/** What one learner did: lessons completed in book order, over [startAt, lastActiveAt]. */
interface LearnerActivity {
  userId: string;
  completed: number;
  startAt: Date;
  lastActiveAt: Date;
}

const firstNames = ["Ada", "Bo", "Chen", "Dara", "Emil", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kira", "Luis", "Mira", "Nils", "Oona", "Priya"];
const lastNames = [
  "Andersen",
  "Bauer",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "García",
  "Huber",
  "Ito",
  "Jansen",
  "Kowalski",
  "López",
  "Müller",
  "Nowak",
];
const timeZones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Europe/London"];

/** Inserts `rows` (objects keyed by column name) into `table` with one statement per chunk. */
async function insertRows(client: pg.Client, table: string, columns: Record<string, string>, rows: readonly Record<string, unknown>[]) {
  const names = Object.keys(columns);
  const record = names.map((name) => `${name} ${columns[name]}`).join(", ");
  const chunk = 5000;
  for (let i = 0; i < rows.length; i += chunk) {
    await client.query(`insert into ${table} (${names.join(", ")}) select ${names.join(", ")} from jsonb_to_recordset($1::jsonb) as x(${record})`, [
      JSON.stringify(rows.slice(i, i + chunk)),
    ]);
  }
}

/**
 * Runs a bulk load with the big tables' foreign keys and secondary indexes set aside and put
 * back after, as pg_dump's restores do: one validating join per key and one sort per index
 * instead of a trigger call and an index insertion per row (the difference between seconds
 * and minutes on a busy 2-core machine). The definitions come from the catalogue, so the
 * schema afterwards is exactly the migrated one. Primary keys stay (they check the data).
 */
async function withBulkLoad(client: pg.Client, tables: readonly string[], load: () => Promise<void>) {
  const { rows: keys } = await client.query<{ tbl: string; name: string; def: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
     from pg_constraint where contype = 'f' and conrelid::regclass::text = any($1)`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes
     where schemaname = 'public' and tablename = any($1) and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))`,
    [tables],
  );
  for (const key of keys) await client.query(`alter table ${key.tbl} drop constraint ${client.escapeIdentifier(key.name)}`);
  for (const index of indexes) await client.query(`drop index ${client.escapeIdentifier(index.name)}`);
  await load();
  for (const index of indexes) await client.query(index.def);
  for (const key of keys) await client.query(`alter table ${key.tbl} add constraint ${client.escapeIdentifier(key.name)} ${key.def}`);
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A learner's progress: a fraction of where the schedule is (most keep up, some lag, a few
 * never start), and when they were last active (most this week, some long ago: the inactive).
 */
function activityOf(rng: SeededRandom, userId: string, startAt: Date, scheduleFraction: number, lessonCount: number, now: Date): LearnerActivity {
  const roll = rng.next();
  const pace = roll < 0.08 ? 0 : roll < 0.25 ? 0.3 + rng.next() * 0.4 : 0.8 + rng.next() * 0.35;
  const completed = Math.min(lessonCount, Math.round(lessonCount * Math.min(1, scheduleFraction * pace)));
  const idle = rng.next();
  const daysAgo = idle < 0.7 ? rng.next() * 3 : idle < 0.9 ? 4 + rng.next() * 6 : 11 + rng.next() * 30;
  const lastActiveAt = new Date(Math.max(startAt.getTime() + dayMs, now.getTime() - daysAgo * dayMs));
  return { userId, completed, startAt, lastActiveAt };
}

/** A failed check's feedback, as the grader words it (numbers and names vary), and its stable finding code. */
function failureOf(rng: SeededRandom, check: Check): { feedback: string; finding: string } {
  const n = rng.int(1, 95);
  switch (check.kind) {
    case "kafka-topic":
      return rng.next() < 0.6
        ? { feedback: `Topic ${check.topic} does not exist. Create it with kafka-topics.sh --create.`, finding: "kafka-topic.missing" }
        : {
            feedback: `Topic ${check.topic} has ${rng.int(1, 2)} partitions; this step asks for ${check.partitions ?? 3}.`,
            finding: "kafka-topic.partitions",
          };
    case "kafka-messages":
      return rng.next() < 0.5
        ? { feedback: `Topic ${check.topic} holds ${n} messages; this step asks for at least 96.`, finding: "kafka-messages.too-few" }
        : { feedback: `Message ${n} of ${check.topic} is not JSON: "reading-${n}".`, finding: "kafka-messages.not-json" };
    case "kafka-consumer-group":
      return rng.next() < 0.65
        ? {
            feedback: `Consumer group ${check.group} has committed no offsets for topic ${check.topic}.`,
            finding: "kafka-consumer-group.no-committed-offsets",
          }
        : {
            feedback: `Consumer group ${check.group} has committed offsets for ${n} of 96 messages in topic ${check.topic}.`,
            finding: "kafka-consumer-group.behind",
          };
    case "hdfs-path":
      return rng.next() < 0.5
        ? { feedback: `HDFS path ${check.path} does not exist.`, finding: "hdfs-path.missing" }
        : { feedback: `${check.path} has replication ${rng.int(1, 3)}; this step asks for a different one.`, finding: "hdfs-path.replication" };
    case "spark-output":
      return rng.next() < 0.4
        ? {
            feedback: `HDFS says ${check.path}/part-00000.csv was written by a client that is not a Spark task.`,
            finding: "spark-output.not-written-by-spark",
          }
        : {
            feedback: `For 2016-05-${String(rng.int(1, 28)).padStart(2, "0")} your output has ${n}.${rng.int(0, 9)}; the average of your readings that day is 21.${rng.int(100, 999)}.`,
            finding: "spark-output.wrong-values",
          };
    case "consumed-messages":
      return { feedback: `${check.file} holds none of the 48 messages of topic ${check.topic}.`, finding: "consumed-messages.none-consumed" };
    case "command":
      return { feedback: `The command exited with status ${rng.int(1, 2)}.`, finding: "command.failed" };
    default:
      // The demo's dashboards need a few failure patterns per kind, not every kind's wording.
      return { feedback: `The ${check.kind} check failed (${n}).`, finding: `${check.kind}.failed` };
  }
}

/**
 * One learner's attempts at one lab: every step has the attempt at which this learner first
 * gets it right (consume-with-group and the Spark steps later than the rest); each attempt is
 * graded against that, so scores rise, failures repeat for a while and most end at full score.
 * Attempts before `findingsSince` carry no finding code (graded before the grader had them).
 */
function labAttemptsOf(rng: SeededRandom, lab: Lab, firstAt: Date, now: Date, findingsSince: Date) {
  const gives = rng.next() < 0.12;
  const passAt = lab.steps.map((step) => {
    const hard = step.id === "consume-with-group" || step.id === "daily-averages" || step.id === "small-blocks";
    const mean = hard ? 7 : 2;
    return Math.floor(-Math.log(1 - rng.next()) * mean);
  });
  const last = Math.max(...passAt);
  // A learner who gives up stops before the last step passes; some re-check after passing.
  const count = gives ? Math.max(1, last) : last + 1 + (rng.next() < 0.2 ? rng.int(1, 3) : 0);
  const attempts = [];
  let at = firstAt.getTime();
  for (let j = 0; j < count; j++) {
    const steps = lab.steps.map((step, s) => {
      const passed = j >= (passAt[s] ?? 0);
      return {
        stepId: step.id,
        title: step.title,
        passed,
        earned: passed ? step.points : 0,
        points: step.points,
        checks: step.checks.map((check) => {
          const timedOut = !passed && rng.next() < 0.03;
          const failure = passed ? null : failureOf(rng, check);
          const feedback = passed
            ? `${describeCheck(check)}: as asked.`
            : timedOut
              ? "The check did not finish within 30 s."
              : (failure?.feedback ?? "");
          const withFinding = at >= findingsSince.getTime() && failure && !timedOut;
          return {
            kind: check.kind,
            description: describeCheck(check),
            passed,
            feedback,
            timedOut,
            ...(withFinding ? { finding: failure.finding } : {}),
          };
        }),
        hints: passed ? [] : step.hints.slice(0, 1),
      };
    });
    const score = steps.reduce((sum, s) => sum + s.earned, 0);
    const maxScore = steps.reduce((sum, s) => sum + s.points, 0);
    attempts.push({
      createdAt: new Date(Math.min(at, now.getTime() - minuteMs)),
      score,
      maxScore,
      result: { labSlug: lab.slug, labVersion: lab.version, score, maxScore, steps },
    });
    at += rng.int(2, 40) * minuteMs;
  }
  return attempts;
}

export async function seedBenchOrg(
  client: pg.Client,
  input: { courseId: string; versionId: string; lessons: BenchLesson[]; now: Date; log: (line: string) => void },
): Promise<SeededOrg> {
  const started = performance.now();
  let lap = started;
  const step = (what: string) => {
    const at = performance.now();
    input.log(`seed: ${what} in ${((at - lap) / 1000).toFixed(1)} s`);
    lap = at;
  };
  const { courseId, versionId, lessons, now } = input;
  const rng = seededRandom("bench-dashboards");
  const tenantId = randomUUID();
  const ownerId = "bench-owner";
  const origin = new Date(now.getTime() - benchShape.weeks * 7 * dayMs);

  await client.query("begin");
  const users: Record<string, unknown>[] = [{ id: ownerId, email: "owner@bench.test", display_name: "Olga Owner", password_hash: "!" }];
  const memberships: Record<string, unknown>[] = [{ tenant_id: tenantId, user_id: ownerId, role: "owner", created_at: origin }];
  const person = (id: string, email: string, role: string, i: number) => {
    users.push({ id, email, display_name: `${firstNames[i % firstNames.length]} ${lastNames[(i * 7) % lastNames.length]} ${i}`, password_hash: "!" });
    memberships.push({ tenant_id: tenantId, user_id: id, role, created_at: origin });
  };
  const cohortInstructorIds = Array.from({ length: benchShape.instructors }, (_, i) => `bench-instructor-${i}`);
  for (const [i, id] of cohortInstructorIds.entries()) person(id, `instructor${i}@bench.test`, "instructor", i);

  const cohortIds = Array.from({ length: benchShape.cohorts }, () => randomUUID());
  const cohortRows = [];
  const cohortStarts: Date[] = [];
  for (let c = 0; c < benchShape.cohorts; c++) {
    // Cohorts started between 12 and ~6 weeks ago, two chapters a week: the older ones are near the end.
    const start = new Date(origin.getTime() + c * 2 * dayMs);
    cohortStarts.push(start);
    const rule: PacingRule = {
      mode: "fixed",
      chaptersPerWeek: 2,
      weekday: "mon",
      time: "09:00",
      dueAfterDays: 7,
      skipWeekends: c % 4 === 0,
      blackouts: [],
    };
    const closes = c % 7 === 3;
    cohortRows.push({
      id: cohortIds[c],
      tenant_id: tenantId,
      course_id: courseId,
      course_version_id: versionId,
      name: `Bench cohort ${String(c + 1).padStart(2, "0")}`,
      start_date: isoDay(start),
      end_date: isoDay(new Date(start.getTime() + 120 * dayMs)),
      time_zone: timeZones[c % timeZones.length],
      seat_limit: c % 5 === 0 ? null : 50 + (c % 3) * 5,
      rule,
      late_policy: closes ? "close_after" : "accept_late",
      close_after_days: closes ? 14 : null,
      at_risk_overdue_items: c % 6 === 1 ? 3 : 2,
      at_risk_inactive_days: c % 6 === 2 ? 10 : 7,
      at_risk_step_failures: 3,
      created_by: ownerId,
      created_at: start,
    });
  }

  const activities: LearnerActivity[] = [];
  const cohortLearnerIds: string[][] = [];
  const cohortMembers: Record<string, unknown>[] = [];
  const cohortOf = new Map<string, number>();
  let n = 0;
  for (let c = 0; c < benchShape.cohorts; c++) {
    const start = cohortStarts[c] ?? origin;
    const scheduleFraction = Math.min(1, ((now.getTime() - start.getTime()) / (7 * dayMs)) * (2 / 28));
    const ids: string[] = [];
    for (let i = 0; i < benchShape.learnersPerCohort; i++, n++) {
      const id = `bench-learner-${n}`;
      person(id, `learner${n}@bench.test`, "learner", n);
      ids.push(id);
      cohortOf.set(id, c);
      cohortMembers.push({
        tenant_id: tenantId,
        cohort_id: cohortIds[c],
        course_id: courseId,
        user_id: id,
        enrolled_at: start,
        added_by: cohortInstructorIds[c],
      });
      activities.push(activityOf(rng, id, start, scheduleFraction, lessons.length, now));
    }
    cohortLearnerIds.push(ids);
  }
  const selfPacedLearnerIds: string[] = [];
  for (let i = 0; i < benchShape.selfPaced; i++, n++) {
    const id = `bench-learner-${n}`;
    person(id, `learner${n}@bench.test`, "learner", n);
    selfPacedLearnerIds.push(id);
    // Self-paced learners enrol any time in the 12 weeks and go at their own pace.
    const start = new Date(origin.getTime() + rng.next() * (now.getTime() - origin.getTime() - 2 * dayMs));
    activities.push(activityOf(rng, id, start, 0.3 + rng.next() * 0.7, lessons.length, now));
  }

  await insertRows(client, "users", { id: "text", email: "text", display_name: "text", password_hash: "text" }, users);
  await client.query("insert into tenants (id, slug, name, created_at) values ($1, 'bench', 'Bench Data Academy', $2)", [tenantId, origin]);
  await insertRows(client, "memberships", { tenant_id: "uuid", user_id: "text", role: "role", created_at: "timestamptz" }, memberships);
  await client.query("insert into tenant_courses (tenant_id, course_id, enabled_by, created_at) values ($1, $2, $3, $4)", [
    tenantId,
    courseId,
    ownerId,
    origin,
  ]);
  await insertRows(
    client,
    "cohorts",
    {
      id: "uuid",
      tenant_id: "uuid",
      course_id: "uuid",
      course_version_id: "uuid",
      name: "text",
      start_date: "date",
      end_date: "date",
      time_zone: "text",
      seat_limit: "int",
      rule: "jsonb",
      late_policy: "late_policy",
      close_after_days: "int",
      at_risk_overdue_items: "int",
      at_risk_inactive_days: "int",
      at_risk_step_failures: "int",
      created_by: "text",
      created_at: "timestamptz",
    },
    cohortRows,
  );
  await insertRows(
    client,
    "cohort_instructors",
    { tenant_id: "uuid", cohort_id: "uuid", user_id: "text", created_at: "timestamptz" },
    cohortIds.map((id, c) => ({ tenant_id: tenantId, cohort_id: id, user_id: cohortInstructorIds[c], created_at: cohortStarts[c] })),
  );
  await insertRows(
    client,
    "cohort_members",
    { tenant_id: "uuid", cohort_id: "uuid", course_id: "uuid", user_id: "text", enrolled_at: "timestamptz", added_by: "text" },
    cohortMembers,
  );

  // Overrides on every third cohort (a chapter and a lab moved by hand); extensions for ~5% of cohort learners, some revoked.
  const overrides = cohortIds.flatMap((id, c) =>
    c % 3 === 0
      ? [
          {
            tenant_id: tenantId,
            cohort_id: id,
            item_key: "chapter:5",
            opens_day: 14,
            opens_time: "09:00",
            due_day: 28,
            due_time: "17:00",
            updated_by: ownerId,
          },
          {
            tenant_id: tenantId,
            cohort_id: id,
            item_key: "lab:kafka-sensor-readings",
            opens_day: 70,
            opens_time: "09:00",
            due_day: 84,
            due_time: "23:00",
            updated_by: ownerId,
          },
        ]
      : [],
  );
  await insertRows(
    client,
    "cohort_schedule_overrides",
    {
      tenant_id: "uuid",
      cohort_id: "uuid",
      item_key: "text",
      opens_day: "int",
      opens_time: "text",
      due_day: "int",
      due_time: "text",
      updated_by: "text",
    },
    overrides,
  );
  const itemKeys = [null, "chapter:3", "chapter:8", "chapter:12", ...labs.map((lab) => `lab:${lab.slug}`)];
  const extensions = cohortMembers
    .filter(() => rng.next() < 0.05)
    .map((m) => {
      const c = cohortOf.get(m.user_id as string) ?? 0;
      const grantedAt = new Date((cohortStarts[c] ?? origin).getTime() + rng.int(7, 40) * dayMs);
      const revoked = rng.next() < 0.2;
      return {
        id: randomUUID(),
        tenant_id: tenantId,
        cohort_id: m.cohort_id,
        user_id: m.user_id,
        item_key: itemKeys[rng.int(0, itemKeys.length - 1)],
        days: rng.int(2, 10),
        reason: rng.next() < 0.5 ? "Ill for a week" : "Travelling for work",
        granted_by: cohortInstructorIds[c],
        created_at: grantedAt,
        revoked_at: revoked ? new Date(grantedAt.getTime() + dayMs) : null,
        revoked_by: revoked ? cohortInstructorIds[c] : null,
      };
    });
  await insertRows(
    client,
    "cohort_extensions",
    {
      id: "uuid",
      tenant_id: "uuid",
      cohort_id: "uuid",
      user_id: "text",
      item_key: "text",
      days: "int",
      reason: "text",
      granted_by: "text",
      created_at: "timestamptz",
      revoked_at: "timestamptz",
      revoked_by: "text",
    },
    extensions,
  );
  step("people, cohorts, members, overrides, extensions");

  // Completions in book order, spread over each learner's active span, multiplied out in SQL.
  await client.query("create temp table bench_lessons (ord int, key text, content_hash text) on commit drop");
  await client.query("create temp table bench_activity (user_id text, completed int, start_at timestamptz, last_at timestamptz) on commit drop");
  await insertRows(
    client,
    "bench_lessons",
    { ord: "int", key: "text", content_hash: "text" },
    lessons.map((l, ord) => ({ ord, key: l.key, content_hash: l.contentHash })),
  );
  await insertRows(
    client,
    "bench_activity",
    { user_id: "text", completed: "int", start_at: "timestamptz", last_at: "timestamptz" },
    activities.map((a) => ({ user_id: a.userId, completed: a.completed, start_at: a.startAt, last_at: a.lastActiveAt })),
  );
  await client.query(
    `insert into enrollments (tenant_id, course_id, user_id, last_lesson_key, last_visited_at, created_at)
     select $1, $2, a.user_id, l.key, case when a.completed > 0 then a.last_at end, a.start_at
     from bench_activity a left join bench_lessons l on l.ord = a.completed - 1`,
    [tenantId, courseId],
  );
  // Labs: a learner who got within eight lessons of a lab's lesson has worked on it.
  const lessonOrd = new Map(lessons.map((l, ord) => [l.key, ord]));
  const findingsSince = new Date(now.getTime() - 6 * 7 * dayMs);
  const sandboxes: Record<string, unknown>[] = [];
  const attempts: Record<string, unknown>[] = [];
  const learnersWithAttempts: SeededOrg["learnersWithAttempts"] = [];
  let sandboxNumber = 0;
  for (const a of activities) {
    let any = false;
    for (const lab of labs) {
      const ord = lessonOrd.get(lab.lessonKey);
      if (ord === undefined || a.completed < ord - 8) continue;
      const span = a.lastActiveAt.getTime() - a.startAt.getTime();
      const firstAt = new Date(a.startAt.getTime() + span * Math.min(1, (ord + 1) / Math.max(a.completed, 1)) - rng.int(1, 20) * hourMs);
      const graded = labAttemptsOf(rng, lab, new Date(Math.max(firstAt.getTime(), a.startAt.getTime())), now, findingsSince);
      // A fresh sandbox every few checks (they expire after two hours); the last one of a few learners runs now.
      let sandboxId = "";
      graded.forEach((attempt, j) => {
        if (j % 5 === 0) {
          sandboxId = `bench-sb-${sandboxNumber++}`;
          const createdAt = new Date(attempt.createdAt.getTime() - rng.int(3, 15) * minuteMs);
          const lastOfSandbox = graded[Math.min(j + 4, graded.length - 1)]?.createdAt ?? attempt.createdAt;
          const running = j + 5 >= graded.length && rng.next() < 0.01;
          sandboxes.push({
            id: sandboxId,
            tenant_id: tenantId,
            user_id: a.userId,
            lab_slug: lab.slug,
            lab_version: lab.version,
            seed: `seed-${sandboxId}`,
            driver: "local",
            state: running ? "running" : "ended",
            ended_reason: running ? null : rng.next() < 0.6 ? "idle" : "stopped",
            created_at: createdAt,
            expires_at: new Date(createdAt.getTime() + 2 * hourMs),
            last_activity_at: lastOfSandbox,
            ended_at: running ? null : new Date(lastOfSandbox.getTime() + rng.int(1, 30) * minuteMs),
          });
        }
        attempts.push({
          id: randomUUID(),
          tenant_id: tenantId,
          user_id: a.userId,
          course_id: courseId,
          lesson_key: lab.lessonKey,
          sandbox_id: sandboxId,
          lab_slug: lab.slug,
          lab_version: lab.version,
          score: attempt.score,
          max_score: attempt.maxScore,
          result: attempt.result,
          created_at: attempt.createdAt,
        });
      });
      any ||= graded.length > 0;
    }
    if (any) learnersWithAttempts.push({ userId: a.userId, cohortIndex: cohortOf.get(a.userId) ?? null });
  }
  step("lab attempts graded (in memory)");

  await withBulkLoad(client, ["lesson_completions", "lab_sandboxes", "lab_attempts", "learning_events"], async () => {
    await client.query(
      `insert into lesson_completions (tenant_id, course_id, user_id, lesson_key, content_hash, completed_at)
       select $1, $2, a.user_id, l.key, l.content_hash,
              greatest(a.start_at, a.start_at + (a.last_at - a.start_at) * ((l.ord + 1)::float8 / a.completed) - random() * interval '3 hours')
       from bench_activity a join bench_lessons l on l.ord < a.completed`,
      [tenantId, courseId],
    );
    step("enrollments and lesson completions");

    await insertRows(
      client,
      "lab_sandboxes",
      {
        id: "text",
        tenant_id: "uuid",
        user_id: "text",
        lab_slug: "text",
        lab_version: "int",
        seed: "text",
        driver: "text",
        state: "lab_sandbox_state",
        ended_reason: "lab_sandbox_end_reason",
        created_at: "timestamptz",
        expires_at: "timestamptz",
        last_activity_at: "timestamptz",
        ended_at: "timestamptz",
      },
      sandboxes,
    );
    await insertRows(
      client,
      "lab_attempts",
      {
        id: "uuid",
        tenant_id: "uuid",
        user_id: "text",
        course_id: "uuid",
        lesson_key: "text",
        sandbox_id: "text",
        lab_slug: "text",
        lab_version: "int",
        score: "int",
        max_score: "int",
        result: "jsonb",
        created_at: "timestamptz",
      },
      attempts,
    );
    step("lab sandboxes and attempts");

    // Events derived from the rows above, as the writes would have emitted them: views (one or
    // two before each completion, one of the next lesson), completions, lab starts, checks, passes.
    const events =
      "insert into learning_events (tenant_id, user_id, course_id, verb, lesson_key, lab_slug, attempt_id, score, max_score, occurred_at)";
    await client.query(
      `${events}
       select c.tenant_id, c.user_id, c.course_id, 'lesson_viewed'::learning_event_verb, c.lesson_key, null::text, null::uuid, null::int, null::int, c.completed_at - random() * interval '2 hours'
       from lesson_completions c cross join lateral generate_series(1, 1 + round(random() * 1.4)::int) where c.tenant_id = $1
       union all
       select $1, a.user_id, $2, 'lesson_viewed'::learning_event_verb, l.key, null, null, null, null, a.last_at
       from bench_activity a join bench_lessons l on l.ord = a.completed
       union all
       select c.tenant_id, c.user_id, c.course_id, 'lesson_completed'::learning_event_verb, c.lesson_key, null, null, null, null, c.completed_at
       from lesson_completions c where c.tenant_id = $1`,
      [tenantId, courseId],
    );
    await client.query(
      `${events}
       select s.tenant_id, s.user_id, $2, 'lab_started'::learning_event_verb, l.lesson_key, s.lab_slug, null::uuid, null::int, null::int, s.created_at
       from lab_sandboxes s join (select distinct lab_slug, lesson_key from lab_attempts where tenant_id = $1) l using (lab_slug) where s.tenant_id = $1
       union all
       select tenant_id, user_id, course_id, 'lab_checked'::learning_event_verb, lesson_key, lab_slug, id, score, max_score, created_at from lab_attempts where tenant_id = $1
       union all
       select distinct on (user_id, lab_slug) tenant_id, user_id, course_id, 'lab_passed'::learning_event_verb, lesson_key, lab_slug, id, score, max_score, created_at
       from lab_attempts where tenant_id = $1 and score = max_score order by user_id, lab_slug, created_at`,
      [tenantId, courseId],
    );
    step("learning events");
  });
  step("indexes and foreign keys back");
  await client.query("commit");
  // The events and completions went in as a few bulk statements, so the rollups' triggers left a
  // dead row version per row in one transaction; on a live system every event is its own transaction
  // and page pruning reclaims them as it goes. Compacting them gives the rollups their live size.
  await client.query("vacuum full learning_event_weeks, learner_part_progress");
  // Statistics and the visibility map, as autovacuum would have them on a live system.
  await client.query("vacuum analyze");
  step("vacuum analyze");

  const tables = [
    "users",
    "memberships",
    "cohorts",
    "cohort_members",
    "cohort_extensions",
    "cohort_schedule_overrides",
    "enrollments",
    "lesson_completions",
    "lab_sandboxes",
    "lab_attempts",
    "learning_events",
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  const cohortUsers = cohortLearnerIds.flat();
  const { rows: split } = await client.query<{ completions: string; attempts: string; events: string }>(
    `select (select count(*) from lesson_completions where user_id = any($1)) as completions,
            (select count(*) from lab_attempts where user_id = any($1)) as attempts,
            (select count(*) from learning_events where user_id = any($1)) as events`,
    [cohortUsers],
  );
  counts["lesson_completions (cohort learners)"] = Number(split[0]?.completions ?? 0);
  counts["lab_attempts (cohort learners)"] = Number(split[0]?.attempts ?? 0);
  counts["learning_events (cohort learners)"] = Number(split[0]?.events ?? 0);
  return {
    tenantId,
    courseId,
    versionId,
    ownerId,
    cohortIds,
    cohortInstructorIds,
    cohortLearnerIds,
    selfPacedLearnerIds,
    learnersWithAttempts,
    seedMs: Math.round(performance.now() - started),
    counts,
  };
}
