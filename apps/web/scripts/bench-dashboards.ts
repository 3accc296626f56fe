/**
 * `pnpm bench:dashboards`: how fast the dashboards answer on the bench data (issue 11, "Speed").
 *   1. a throw-away embedded PostgreSQL (own data directory and port, removed at the end),
 *      migrated, the cookbook published, one organisation seeded (bench-dashboards-seed.ts);
 *   2. p50/p95 over BENCH_CALLS calls (default 50, after a few warm-up calls) of each dashboard
 *      through the real tRPC stack: a lucia session cookie, createContext and createCaller per
 *      call, as a request does; the gradebook CSV through its route handler, body read to the end;
 *   3. a same-run baseline (orgs.current, the cheapest procedure with a session) so figures from
 *      a busy shared machine can be compared as ratios;
 *   4. EXPLAIN (ANALYZE, BUFFERS) of the statements each dashboard runs (captured from the pg
 *      driver during one call), slowest first: time, sequential scans of the big tables, the
 *      plan nodes that dominate.
 * Progress goes to stderr; the tables go to stdout. Not part of the test suite; stops by itself.
 */
import { publishCookbook } from "@cookbook/db/cookbook-catalogue";
import { openDatabase, type OpenDatabase } from "@cookbook/db/database";
import { embeddedDataDir } from "@cookbook/db/embedded";
import { freePort } from "@cookbook/db/testing/free-port";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { z } from "zod";
import { now } from "../src/server/clock";
import { benchShape, seedBenchOrg, type BenchLesson, type SeededOrg } from "./bench-dashboards-seed";

const config = z
  .object({
    BENCH_CALLS: z.coerce.number().int().min(1).default(50),
    BENCH_WARMUP: z.coerce.number().int().min(0).default(5),
    /** Comma-separated call names (or prefixes: "gradebook.") to measure alone, beside the baseline; all by default. */
    BENCH_ONLY: z
      .string()
      .optional()
      .transform(
        (v) =>
          v
            ?.split(",")
            .map((name) => name.trim())
            .filter((name) => name.length > 0) ?? [],
      ),
  })
  .parse(process.env);

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "../..");
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

let database: OpenDatabase | undefined;
let dataDir: string | undefined;
let stopping: Promise<void> | undefined;

/** Stops the server and removes its data; once, whether the run ends, fails or is interrupted. */
function stopDatabase(): Promise<void> {
  stopping ??= (async () => {
    await database?.close().catch((error: unknown) => log(`stopping PostgreSQL: ${String(error)}`));
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}.secrets.json`, { force: true });
    }
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping PostgreSQL`);
    void stopDatabase().finally(() => process.exit(130));
  });
}

/** A loopback port of this run's own, never the platform's default one (54329). */
async function benchPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 54329) return port;
  }
}

/**
 * The platform's own start-up path (openDatabase: embedded server on 127.0.0.1, migrations),
 * pointed at a data directory and port of this run; an external DATABASE_URL is ignored so
 * the bench never writes into a real database.
 */
async function startDatabase(): Promise<OpenDatabase> {
  for (const name of ["DATABASE_URL", "DATABASE_URL_WEB", "DATABASE_URL_LAB_RUNNER"]) delete process.env[name];
  const requested = path.join(repoRoot, ".cache", `pg-bench-dashboards-${process.pid}`);
  // The directory the server will really use (a stand-in when running as root), known before it starts so it is removed at the end.
  dataDir = embeddedDataDir(requested);
  rmSync(dataDir, { recursive: true, force: true });
  process.env.EMBEDDED_PG_DIR = requested;
  process.env.EMBEDDED_PG_PORT = String(await benchPort());
  database = await openDatabase();
  return database;
}

/** Publishes the cookbook and reads the current version's lessons in book order. */
async function prepareCatalogue(opened: OpenDatabase, client: pg.Client): Promise<{ courseId: string; versionId: string; lessons: BenchLesson[] }> {
  const published = await publishCookbook(opened.db);
  const current = published.at(-1);
  if (!current) throw new Error("no cookbook edition was published");
  const { rows: versions } = await client.query<{ id: string }>(
    "select id from course_versions where course_id = $1 order by sequence desc limit 1",
    [current.courseId],
  );
  const versionId = versions[0]?.id;
  if (!versionId) throw new Error("the cookbook has no version");
  const { rows } = await client.query<{ key: string; content_hash: string; chapter_number: number }>(
    "select key, content_hash, chapter_number from lessons where course_version_id = $1 order by position",
    [versionId],
  );
  return {
    courseId: current.courseId,
    versionId,
    lessons: rows.map((r) => ({ key: r.key, contentHash: r.content_hash, chapterNumber: r.chapter_number })),
  };
}

async function seed(opened: OpenDatabase): Promise<SeededOrg> {
  const client = new pg.Client({ connectionString: opened.urls.owner });
  await client.connect();
  try {
    const catalogue = await prepareCatalogue(opened, client);
    return await seedBenchOrg(client, { ...catalogue, now: now(), log });
  } finally {
    await client.end();
  }
}

/** The targets of the issue (p95 for the procedures, every call for the CSV); null: measured, no target. */
const targets: Record<string, number | null> = {
  "gradebook.cohort": 150,
  "gradebook.learner": null,
  "gradebook.atRisk": null,
  "insights.labFailures": null,
  "insights.organisation": 300,
  "gradebook.csv (1,000 learners)": 2000,
  "orgs.current (baseline)": null,
};

/** Tables big enough that a sequential scan of them is worth a look. */
const bigTables = ["lesson_completions", "lab_attempts", "learning_events", "lab_sandboxes", "enrollments", "users", "memberships", "cohort_members"];

/** One statement the pg driver sent, with whether it ran inside withTenant (as cookbook_tenant). */
interface Captured {
  text: string;
  values: unknown[];
  tenant: boolean;
}

/**
 * Records what every pg client sends while `capturing` is set (the web app's pool and lucia's
 * share pg's Client), so the dashboards' real statements can be EXPLAINed without copying
 * their SQL here. A client is "in the tenant" from `set local role cookbook_tenant` to the end
 * of its transaction.
 */
function captureStatements() {
  const captured: Captured[] = [];
  const inTenant = new WeakMap<object, boolean>();
  let capturing = false;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: object, ...args: unknown[]) {
    const [query, values] = args;
    const text = typeof query === "string" ? query : (query as { text?: string } | null)?.text;
    if (text) {
      if (/^set local role cookbook_tenant/i.test(text)) inTenant.set(this, true);
      if (/^(commit|rollback)/i.test(text)) inTenant.set(this, false);
      if (capturing) {
        const params = (query as { values?: unknown[] }).values ?? (Array.isArray(values) ? values : []);
        captured.push({ text, values: params, tenant: inTenant.get(this) ?? false });
      }
    }
    return original.apply(this, args);
  };
  return {
    async during(work: () => Promise<unknown>): Promise<Captured[]> {
      captured.length = 0;
      capturing = true;
      try {
        await work();
      } finally {
        capturing = false;
      }
      return [...captured];
    },
  };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Total Time"?: number;
  "Actual Loops"?: number;
  "Actual Rows"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

/** Plan nodes with the time spent in each one itself (its children's time taken off). */
function nodesOf(node: PlanNode, into: { label: string; selfMs: number; node: PlanNode }[] = []) {
  const total = (n: PlanNode) => (n["Actual Total Time"] ?? 0) * (n["Actual Loops"] ?? 1);
  const children = node.Plans ?? [];
  const selfMs = Math.max(0, total(node) - children.reduce((sum, child) => sum + total(child), 0));
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  into.push({ label: `${node["Node Type"]}${on}${using}`, selfMs, node });
  for (const child of children) nodesOf(child, into);
  return into;
}

/** EXPLAIN (ANALYZE, BUFFERS) of each read a call made, as the web role (inside the tenant when the call was), slowest first. */
async function explainAll(webUrl: string, scope: { tenantId: string; userId: string }, statements: readonly Captured[]) {
  const reads = statements.filter((s) => /^\s*(select|with)\b/i.test(s.text) && !/set_config\(/i.test(s.text));
  const client = new pg.Client({ connectionString: webUrl });
  await client.connect();
  const explained = [];
  try {
    for (const statement of reads) {
      await client.query("begin");
      try {
        if (statement.tenant) {
          await client.query("select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)", [scope.tenantId, scope.userId]);
          await client.query("set local role cookbook_tenant");
        }
        const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanNode; "Execution Time": number; "Planning Time": number }[] }>(
          `explain (analyze, buffers, format json) ${statement.text}`,
          statement.values,
        );
        const plan = rows[0]?.["QUERY PLAN"][0];
        if (!plan) continue;
        const nodes = nodesOf(plan.Plan);
        explained.push({
          sql: statement.text.replace(/\s+/g, " ").trim(),
          executionMs: plan["Execution Time"],
          planningMs: plan["Planning Time"],
          buffers: (plan.Plan["Shared Hit Blocks"] ?? 0) + (plan.Plan["Shared Read Blocks"] ?? 0),
          seqScans: nodes
            .filter((n) => n.node["Node Type"] === "Seq Scan" && bigTables.includes(n.node["Relation Name"] ?? ""))
            .map(
              (n) =>
                `${n.node["Relation Name"]} (${Math.round((n.node["Actual Rows"] ?? 0) * (n.node["Actual Loops"] ?? 1)).toLocaleString("en-GB")} rows kept)`,
            ),
          dominant: nodes
            .sort((a, b) => b.selfMs - a.selfMs)
            .slice(0, 3)
            .map((n) => `${n.label} ${n.selfMs.toFixed(1)} ms`),
        });
      } finally {
        await client.query("rollback");
      }
    }
  } finally {
    await client.end();
  }
  return explained.sort((a, b) => b.executionMs - a.executionMs);
}

/** Nearest-rank percentile of samples in milliseconds. */
function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** The gradebook CSV route handler, once it exists: GET with the owner's cookie, the body read to its end. */
async function csvRoute(): Promise<((req: Request) => Promise<Response>) | null> {
  const file = path.join(webDir, "src/app/api/export/gradebook.csv/route.ts");
  if (!existsSync(file)) return null;
  const route = (await import(pathToFileURL(file).href)) as { GET?: (req: Request) => Promise<Response> };
  return route.GET ?? null;
}

async function measure(opened: OpenDatabase, org: SeededOrg): Promise<void> {
  // The web modules read their configuration on first import: the web app's own role, as under the launcher.
  process.env.DATABASE_URL = opened.urls.web;
  process.env.LAB_RUNNER_URL = "http://127.0.0.1:9";
  process.env.LAB_RUNNER_SECRET = randomBytes(32).toString("hex");
  // The CSV route logs every request at info: hundreds of lines between the tables otherwise.
  process.env.LOG_LEVEL ??= "warn";
  const capture = captureStatements();
  const [{ createContext }, { createCaller }, { lucia }, web, { publicUrl }] = await Promise.all([
    import("../src/server/trpc/context"),
    import("../src/server/trpc/root"),
    import("../src/server/auth/lucia"),
    import("../src/server/db"),
    import("../src/env"),
  ]);
  const csv = await csvRoute();
  try {
    const cookieOf = async (userId: string) => {
      const session = await lucia.createSession(userId, { active_tenant_id: org.tenantId });
      return `${lucia.sessionCookieName}=${session.id}`;
    };
    /** A new request: its own context (the session validated again), as every HTTP call has. */
    const apiAs = async (cookie: string) => {
      const headers = new Headers({ cookie, "x-forwarded-for": "10.0.0.1" });
      return createCaller(await createContext({ headers, url: "http://localhost/", resHeaders: new Headers() }));
    };
    const owner = await cookieOf(org.ownerId);
    const instructors = await Promise.all(org.cohortInstructorIds.map(cookieOf));
    const withAttempts = org.learnersWithAttempts.filter((l) => l.cohortIndex !== null);
    const cohortCall = (i: number) => {
      const c = i % org.cohortIds.length;
      return { cookie: instructors[c] ?? owner, scope: { cohortId: org.cohortIds[c] ?? "" }, userId: org.cohortInstructorIds[c] ?? org.ownerId };
    };

    type Case = { name: string; userId: (i: number) => string; run: (i: number) => Promise<string> };
    const cases: Case[] = [
      {
        name: "orgs.current (baseline)",
        userId: () => org.ownerId,
        run: async () => `${(await (await apiAs(owner)).orgs.current()).role}`,
      },
      {
        name: "gradebook.cohort",
        userId: (i) => cohortCall(i).userId,
        run: async (i) => {
          const { cookie, scope } = cohortCall(i);
          const book = await (await apiAs(cookie)).gradebook.cohort({ scope });
          return `${book.rows.length} learners × ${book.columns.length} items`;
        },
      },
      {
        name: "gradebook.learner",
        userId: (i) => cohortCall(withAttempts[i % withAttempts.length]?.cohortIndex ?? 0).userId,
        run: async (i) => {
          const learner = withAttempts[i % withAttempts.length];
          const { cookie, scope } = cohortCall(learner?.cohortIndex ?? 0);
          const page = await (await apiAs(cookie)).gradebook.learner({ scope, userId: learner?.userId ?? "" });
          return `${page.timeline.events.length} timeline entries, ${page.attempts.length} attempts`;
        },
      },
      {
        name: "gradebook.atRisk",
        userId: (i) => cohortCall(i).userId,
        run: async (i) => {
          const { cookie, scope } = cohortCall(i);
          return `${(await (await apiAs(cookie)).gradebook.atRisk({ scope })).length} at risk`;
        },
      },
      {
        name: "insights.labFailures",
        userId: (i) => cohortCall(i).userId,
        run: async (i) => {
          const { cookie, scope } = cohortCall(i);
          const labs = await (await apiAs(cookie)).insights.labFailures({ scope });
          return `${labs.labs.length} labs, ${labs.learners} learners`;
        },
      },
      {
        name: "insights.organisation",
        userId: () => org.ownerId,
        run: async () => {
          const dashboard = await (await apiAs(owner)).insights.organisation();
          return `${dashboard.completionsPerWeek.length} weeks, ${dashboard.cohortSeats.length} cohorts`;
        },
      },
    ];
    if (csv) {
      const url = new URL(`/api/export/gradebook.csv?courseId=${org.courseId}&selfPaced=1`, publicUrl);
      cases.push({
        name: "gradebook.csv (1,000 learners)",
        userId: () => org.ownerId,
        run: async () => {
          const response = await csv(new Request(url, { headers: { cookie: owner, host: url.host, "x-forwarded-for": "10.0.0.1" } }));
          const body = await response.text();
          if (response.status !== 200) throw new Error(`the CSV route answered ${response.status}: ${body.slice(0, 300)}`);
          return `${body.split("\n").filter((line) => line.length > 0).length - 1} rows, ${Math.round(body.length / 1024)} KiB`;
        },
      });
    } else {
      log("no apps/web/src/app/api/export/gradebook.csv/route.ts yet: the CSV is not measured");
    }

    if (config.BENCH_ONLY.length > 0) {
      const kept = cases.filter((c) => c.name.startsWith("orgs.") || config.BENCH_ONLY.some((name) => c.name.startsWith(name)));
      cases.splice(0, cases.length, ...kept);
    }
    // What each answers, once, so a figure is known to be about real work.
    for (const c of cases) log(`${c.name}: ${await c.run(0)}`);
    // Round-robin, so a busy moment of the shared machine falls on every case alike.
    const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    for (let i = -config.BENCH_WARMUP; i < config.BENCH_CALLS; i++) {
      for (const c of cases) {
        const started = performance.now();
        await c.run(Math.max(i, 0) + 1);
        if (i >= 0) samples.get(c.name)?.push(performance.now() - started);
      }
      if (i >= 0 && (i + 1) % 10 === 0) log(`${i + 1} of ${config.BENCH_CALLS} rounds`);
    }

    const baseline = percentile(samples.get("orgs.current (baseline)") ?? [], 50);
    const rows = cases.map((c) => {
      const values = samples.get(c.name) ?? [];
      const target = targets[c.name] ?? null;
      const p95 = percentile(values, 95);
      const max = Math.max(...values);
      // The CSV's target holds for every download, so its worst call is what is compared.
      const judged = c.name.startsWith("gradebook.csv") ? max : p95;
      return [
        c.name,
        String(values.length),
        ms(percentile(values, 50)),
        ms(p95),
        ms(max),
        target === null ? "–" : `${c.name.startsWith("gradebook.csv") ? "every call" : "p95"} ≤ ${target} ms`,
        target === null ? "–" : judged <= target ? "yes" : "NO",
        `${(p95 / baseline).toFixed(1)}×`,
      ];
    });
    console.log(
      `\nThrough the tRPC stack (createContext + createCaller per call), ${config.BENCH_CALLS} calls each after ${config.BENCH_WARMUP} warm-up rounds, load ${os.loadavg()[0]?.toFixed(2)}:`,
    );
    console.log(table(["call", "n", "p50", "p95", "max", "target", "met", "p95 ÷ baseline p50"], rows));

    // The plans: one call of each dashboard, its statements EXPLAINed on the same data.
    console.log(
      "\nEXPLAIN (ANALYZE, BUFFERS) of the statements of one call each, slowest first (times from EXPLAIN, so a little above the real ones):",
    );
    for (const c of cases.filter((c) => !c.name.startsWith("orgs."))) {
      const statements = await capture.during(() => c.run(3));
      const explained = await explainAll(opened.urls.web, { tenantId: org.tenantId, userId: c.userId(3) }, statements);
      const total = explained.reduce((sum, e) => sum + e.executionMs, 0);
      console.log(`\n${c.name}: ${statements.length} statements sent, ${explained.length} reads, ${ms(total)} executing in all`);
      for (const e of explained.slice(0, 4)) {
        console.log(
          `  ${ms(e.executionMs)} (planning ${ms(e.planningMs)}, ${e.buffers.toLocaleString("en-GB")} buffers): ${e.sql.slice(0, 160)}${e.sql.length > 160 ? " …" : ""}`,
        );
        console.log(`    seq scans of big tables: ${e.seqScans.length ? e.seqScans.join(", ") : "none"}`);
        console.log(`    dominant nodes: ${e.dominant.join("; ")}`);
      }
    }
  } finally {
    await web.pool.end();
  }
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  log(`starting a throw-away PostgreSQL (load ${os.loadavg()[0]?.toFixed(2)} on ${os.cpus().length} cores)`);
  const opened = await startDatabase();
  log(`${opened.description}; publishing the cookbook, seeding`);
  const org = await seed(opened);
  console.log(
    `Seeded one organisation in ${(org.seedMs / 1000).toFixed(1)} s: ${benchShape.cohorts} cohorts × ${benchShape.learnersPerCohort} learners, ${benchShape.selfPaced} self-paced learners, ${benchShape.weeks} weeks`,
  );
  console.log(
    table(
      ["table", "rows"],
      Object.entries(org.counts).map(([name, rows]) => [name, rows.toLocaleString("en-GB")]),
    ),
  );
  await measure(opened, org);
  log(`done in ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
}

/** Fixed-width columns, enough for a terminal. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

try {
  await main();
} finally {
  await stopDatabase();
}
