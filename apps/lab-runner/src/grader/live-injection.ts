import { randomBytes } from "node:crypto";
import type { CheckVerdict } from "./checks/verdict";
import type { KafkaConnection, TopicMessage } from "./kafka-connection";

/**
 * Live checks: while grading, the grader publishes records nobody could know in advance into the
 * topic a learner's running job reads, then watches where the job puts its answer until their
 * effect shows or the time is up. A batch job that ran once, or an answer written before grading,
 * cannot contain them. Shared by every lab whose step says "your job keeps running".
 */

/** A fresh token per grading, in the injected records (a sensor's or a title's name), so no earlier output or guess holds them. */
export const liveNonce = (): string => randomBytes(4).toString("hex");

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as the labs' datasets write event time: "2016-05-01 00:00:07", UTC. */
export function formatEventTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const wallClock = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?/;

/**
 * An instant as tools write it: "2026-12-03 05:40:00", ISO 8601 ("2026-12-03T05:40:00.000Z", as
 * Spark's to_json writes a window's start), or epoch seconds or milliseconds. A wall-clock time is
 * read as UTC, the sandbox's time zone; a zone suffix is ignored, since Spark writes the session's
 * own zone, which is UTC there too. Undefined for anything else.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== "string") return undefined;
  const m = wallClock.exec(value.trim());
  if (!m) return /^\d+(\.\d+)?$/.test(value.trim()) ? parseInstant(Number(value)) : undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number | undefined];
  const ms = Date.UTC(y, mo - 1, d, h, mi, Number.isFinite(s) ? s : 0);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The latest event time among JSON records that carry one in `field`; undefined when none does. */
export function latestEventTime(texts: Iterable<string>, field = "timestamp"): number | undefined {
  let latest: number | undefined;
  for (const text of texts) {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof record !== "object" || record === null) continue;
    const ms = parseInstant((record as Record<string, unknown>)[field]);
    if (ms !== undefined && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest;
}

/**
 * Where a live check's records go in event time: the first whole window that starts after both
 * the grader's now and every event already in the topic. No earlier record shares that window,
 * and no watermark the job has reached (it follows the latest event time seen) drops them as late,
 * however often the learner checks.
 */
export function liveWindowStart(nowMs: number, latestEventMs: number | undefined, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  const after = Math.max(nowMs, latestEventMs ?? Number.NEGATIVE_INFINITY);
  return (Math.floor(after / windowMs) + 1) * windowMs;
}

/** The latest event time in the topic's records, read by a throwaway consumer; undefined when the topic is empty. */
export async function topicLatestEventTime(
  kafka: KafkaConnection,
  topic: string,
  signal: AbortSignal,
  field = "timestamp",
): Promise<number | undefined> {
  const messages = await kafka.readMessages(topic, await kafka.partitionRanges(topic), signal);
  return latestEventTime(
    messages.map((m) => m.value?.toString("utf8") ?? ""),
    field,
  );
}

/**
 * The messages a topic gets from now on: it notes each partition's end when started, and read()
 * returns what was written after those ends. A topic that does not exist yet counts from its start.
 */
export class TopicTail {
  private constructor(
    private readonly kafka: KafkaConnection,
    readonly topic: string,
    private readonly ends: ReadonlyMap<number, number>,
  ) {}

  static async start(kafka: KafkaConnection, topic: string): Promise<TopicTail> {
    const ends = (await kafka.topicExists(topic)) ? (await kafka.partitionRanges(topic)).map((r) => [r.partition, r.high] as const) : [];
    return new TopicTail(kafka, topic, new Map(ends));
  }

  async read(signal: AbortSignal): Promise<TopicMessage[]> {
    if (!(await this.kafka.topicExists(this.topic))) return [];
    const since = (partition: number) => this.ends.get(partition) ?? 0;
    const ranges = await this.kafka.partitionRanges(this.topic);
    if (ranges.every((r) => r.high <= since(r.partition))) return [];
    const messages = await this.kafka.readMessages(this.topic, ranges, signal);
    return messages.filter((m) => Number(m.offset) >= since(m.partition));
  }
}

export interface ObserveOptions {
  /** How long the learner's job has to show the records' effect, from the first look. */
  withinMs: number;
  /** The grader's clock (injectable, so tests move it instead of waiting). */
  now: () => number;
  signal: AbortSignal;
  /** Pause between looks; default 1 s. */
  pollMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    // Removed when the pause ends: one listener per look would pile up on the check's signal.
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Looks (observe judges what the job has written so far) until a look passes or `withinMs` has
 * passed, and returns the last verdict: a pass, or what the last look found missing.
 */
export async function observeUntil(observe: () => Promise<CheckVerdict>, options: ObserveOptions): Promise<CheckVerdict> {
  const { withinMs, now, signal, pollMs = 1000, sleep = abortableSleep } = options;
  const deadline = now() + withinMs;
  for (;;) {
    const verdict = await observe();
    if (verdict.passed || signal.aborted || now() >= deadline) return verdict;
    await sleep(Math.min(pollMs, Math.max(0, deadline - now())), signal);
  }
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * The window a job's JSON output record is about, as tools write it: Spark's to_json of a window
 * column nests it ({"window":{"start":…,"end":…}}); hand-written jobs use flat names
 * (window_start, windowStart or start; likewise for the end). Undefined where there is none.
 */
export function windowBounds(record: Record<string, unknown>): { startMs: number | undefined; endMs: number | undefined } {
  const nested = asRecord(record.window) ?? {};
  return {
    startMs: parseInstant(nested.start ?? record.window_start ?? record.windowStart ?? record.start),
    endMs: parseInstant(nested.end ?? record.window_end ?? record.windowEnd ?? record.end),
  };
}
