import { seededRandom, showCatalogue, topTitles, type TitleViews, type WindowViews } from "@cookbook/content/labs";
import type { TopicMessage } from "../kafka-connection";
import { formatEventTime, parseInstant } from "../live-injection";
import { failed, passed, plural, quote, type CheckVerdict, type Finding } from "./verdict";

/**
 * "Trending Now" as a job writes it: per tumbling window of event time, the most viewed titles.
 * A message is either one window's whole list, {"window_start": …, "top": [{"title": …,
 * "views": …}, …]} (most viewed first), or one rank of it, {"window_start": …, "rank": 1,
 * "title": …, "views": …}. The window's start may also be Spark's {"window": {"start": …}}, and
 * "count" may stand for "views". A job may write a window again whenever its counts change; the
 * latest message about a window (or a rank of it) is what the window shows, as a key-value store
 * downstream would keep it.
 */
type TrendingUpdate = { windowStartMs: number; top: TitleViews[] } | { windowStartMs: number; rank: number; entry: TitleViews };

/** A window's list as written: a rank nobody wrote yet is a hole. */
export type WrittenTop = readonly (TitleViews | undefined)[];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function titleViews(value: unknown): TitleViews | undefined {
  if (!isObject(value) || typeof value.title !== "string") return undefined;
  const views = wholeNumber(value.views ?? value.count);
  return views === undefined ? undefined : { title: value.title, views };
}

export function parseTrendingMessage(text: string): TrendingUpdate | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(record)) return undefined;
  const windowStartMs = parseInstant(record.window_start ?? record.windowStart ?? (isObject(record.window) ? record.window.start : undefined));
  if (windowStartMs === undefined) return undefined;
  if (Array.isArray(record.top)) {
    const top = record.top.map(titleViews);
    return top.every((entry) => entry !== undefined) ? { windowStartMs, top: top as TitleViews[] } : undefined;
  }
  const rank = wholeNumber(record.rank);
  const entry = titleViews(record);
  return rank !== undefined && rank >= 1 && entry ? { windowStartMs, rank, entry } : undefined;
}

/** What an output topic says about each window (its latest list), and the messages in no shape the lab accepts. */
export interface TrendingOutput {
  windows: Map<number, WrittenTop>;
  unreadable: TopicMessage[];
}

/** Messages in the order they were written: by the producer's timestamp, then within their partition. */
const writtenOrder = (a: TopicMessage, b: TopicMessage) =>
  (Number(a.timestamp) || 0) - (Number(b.timestamp) || 0) || a.partition - b.partition || Number(a.offset) - Number(b.offset);

export function latestTopPerWindow(messages: readonly TopicMessage[]): TrendingOutput {
  const windows = new Map<number, WrittenTop>();
  const unreadable: TopicMessage[] = [];
  for (const message of [...messages].sort(writtenOrder)) {
    const update = parseTrendingMessage(message.value?.toString("utf8") ?? "");
    if (!update) unreadable.push(message);
    else if ("top" in update) windows.set(update.windowStartMs, update.top);
    else {
      const list = [...(windows.get(update.windowStartMs) ?? [])];
      list[update.rank - 1] = update.entry;
      windows.set(update.windowStartMs, list);
    }
  }
  return { windows, unreadable };
}

const windowName = (startMs: number) => `the window starting ${formatEventTime(startMs)}`;
const entry = (t: TitleViews) => `"${t.title}" (${plural(t.views, "view")})`;

/**
 * What is wrong with the list a job wrote for one window, or undefined when its first `n` are the
 * window's own `n` most viewed titles with their views, most viewed first. Counts are judged
 * before order and order before membership, so the finding names the cause: a count that runs on
 * across windows, then a ranking that is not by views.
 */
export function windowProblem(window: WindowViews, written: WrittenTop | undefined, n: number): Finding | undefined {
  const name = windowName(window.startMs);
  if (!written) return { finding: "window-missing", detail: `No message is about ${name}.` };
  const expected = topTitles(window.views, n);
  const listed = written.slice(0, n);
  const entries = listed.filter((e): e is TitleViews => e !== undefined);
  if (entries.length < expected.length) {
    return {
      finding: "too-few",
      detail: `Your latest top for ${name} lists ${plural(entries.length, "title")}; the step asks for the ${n} most viewed, most viewed first.`,
    };
  }
  for (const e of entries) {
    const actual = window.views.get(e.title) ?? 0;
    if (e.views === actual) continue;
    const watched = actual === 0 ? "nobody watched it" : `it was watched ${plural(actual, "time")}`;
    const detail =
      e.views > actual
        ? `Your top for ${name} gives "${e.title}" ${plural(e.views, "view")}, but ${watched} in that window: are you counting across windows (over all time) instead of per window?`
        : `Your top for ${name} gives "${e.title}" only ${plural(e.views, "view")}, but it was watched ${plural(actual, "time")} in that window: some of its views were not counted.`;
    return { finding: "wrong-count", detail };
  }
  for (let i = 1; i < entries.length; i++) {
    const before = entries[i - 1];
    const after = entries[i];
    if (before && after && after.views > before.views) {
      return {
        finding: "wrong-order",
        detail: `Your top for ${name} lists ${entry(before)} before ${entry(after)}: rank the titles by their views, most viewed first.`,
      };
    }
  }
  const missing = expected.find((e) => !entries.some((w) => w.title === e.title));
  const last = entries.at(-1);
  if (missing && last) {
    return {
      finding: "missing-title",
      detail: `${entry(missing)} is missing from your top for ${name}, though it was watched more often than ${entry(last)}: a window's top lists its most viewed titles, most viewed first.`,
    };
  }
  return undefined;
}

/** Windows a job must have written by now: those that ended at least `maxDelaySeconds` before the latest event, so even a watermarked job closed them. */
export function closedWindows(windows: readonly WindowViews[], latestEventMs: number, windowSeconds: number, maxDelaySeconds: number): WindowViews[] {
  return windows.filter((w) => w.startMs + (windowSeconds + maxDelaySeconds) * 1000 <= latestEventMs);
}

function unreadableNote(output: TrendingOutput): string {
  const [first] = output.unreadable;
  if (!first) return "";
  const text = first.value === null ? "(no value)" : quote(first.value.toString("utf8"));
  return ` ${plural(output.unreadable.length, "message")} ${output.unreadable.length === 1 ? "is" : "are"} not JSON with a window_start and a top list (or a rank, title and views), e.g. partition ${first.partition}, offset ${first.offset}: ${text}.`;
}

/** "the window starting 2026-12-03 05:40:00", "the windows starting …, … and 5 more": the windows an output is about. */
function windowList(starts: readonly number[]): string {
  const sorted = [...starts].sort((a, b) => a - b).map(formatEventTime);
  if (sorted.length === 1) return `the window starting ${sorted[0]}`;
  const shown =
    sorted.length <= 3 ? `${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)}` : `${sorted.slice(0, 2).join(", ")} and ${sorted.length - 2} more`;
  return `the windows starting ${shown}`;
}

const eventTimeAdvice = "Window each event by its own timestamp field (event time), not by when your job reads it (processing time).";

export interface HistoryJudgement {
  topic: string;
  from: string;
  top: number;
  /** The closed windows of the seeded history, with the views of every title in each. */
  windows: readonly WindowViews[];
  output: TrendingOutput;
}

/** Every closed window of the history must show its own top `top` in the output topic. */
export function evaluateTrendingHistory(j: HistoryJudgement): CheckVerdict {
  const first = j.windows[0];
  const last = j.windows.at(-1);
  if (!first || !last) return failed("no-windows", `Topic ${j.from} has no closed window to judge.`);
  const span = `those starting ${formatEventTime(first.startMs)} to ${formatEventTime(last.startMs)}`;
  const missing = j.windows.filter((w) => !j.output.windows.has(w.startMs));
  if (missing.length === j.windows.length) {
    if (j.output.windows.size === 0) {
      return failed("unreadable", `No message in topic ${j.topic} is a window's top list.${unreadableNote(j.output)}`);
    }
    return failed(
      "windows-missing",
      `None of the ${j.windows.length} windows of topic ${j.from} (${span}) has a message in topic ${j.topic}; your messages are about ${windowList([...j.output.windows.keys()])}. Read ${j.from} from its first offset, and window every event by its own timestamp field (event time), not by when your job reads it.${unreadableNote(j.output)}`,
    );
  }
  const problems = j.windows.map((w) => windowProblem(w, j.output.windows.get(w.startMs), j.top)).filter((p): p is Finding => p !== undefined);
  const [problem] = problems;
  if (problem) {
    const how = problems.length === j.windows.length ? `All ${j.windows.length}` : `${problems.length} of the ${j.windows.length}`;
    const others = problems.length > 1 ? ` (${how} windows are wrong or missing.)` : "";
    return failed(problem.finding, `${problem.detail}${others}${unreadableNote(j.output)}`);
  }
  return passed(`Topic ${j.topic} holds the right top ${j.top} of all ${j.windows.length} closed windows of topic ${j.from} (${span}).`);
}

/** What the grader publishes into the job's input topic for one live check, and what it must do to the output. */
export interface LiveProbe {
  burstTitle: string;
  windowStartMs: number;
  /** The views of every title in the probe's window: the burst and a few catalogue titles, all counts distinct. */
  window: WindowViews;
  /** The one view of the burst title after the window, which moves a watermark past the window's end. */
  closingMs: number;
  /** The JSON records to publish, in event-time order, the closing view last. */
  records: string[];
}

export interface LiveProbeSpec {
  /** Fresh per grading: names the burst title and draws every count, user and second. */
  nonce: string;
  windowStartMs: number;
  windowSeconds: number;
  maxDelaySeconds: number;
  /** The input topic's records name their country (its seeded topic's `sensor`). */
  country: string;
}

/**
 * A burst of 8 to 11 views of a title nobody knew before grading, and views of three catalogue
 * titles with distinct smaller counts (the last is 1), all inside one window nothing else is in:
 * the window's top three are the burst and the next two, in that order, with those counts. A
 * catalogue title's views over all time are many more, so a count over all time cannot match.
 */
export function buildLiveProbe(spec: LiveProbeSpec): LiveProbe {
  const random = seededRandom(`live-top-n\u0000${spec.nonce}`);
  const burstTitle = `Probe ${spec.nonce}: The Series`;
  const burst = random.int(8, 11);
  const second = random.int(4, burst - 2);
  const third = random.int(2, second - 1);
  let views: Map<string, number>;
  do {
    const catalogue = [...showCatalogue];
    const pick = () => catalogue.splice(random.int(0, catalogue.length - 1), 1)[0] ?? showCatalogue[0];
    views = new Map([
      [burstTitle, burst],
      [pick(), second],
      [pick(), third],
      [pick(), 1],
    ]);
    // Drawn again while the titles' alphabetical order (either way) would be the ranking: a job that sorts by title must not pass.
  } while (rankedAlphabetically(views));
  const record = (title: string, ms: number) =>
    JSON.stringify({ country: spec.country, user: `user-${random.int(10_000, 99_999)}`, title, timestamp: formatEventTime(ms) });
  const plays = [...views]
    .flatMap(([title, count]) =>
      Array.from({ length: count }, () => ({ title, ms: spec.windowStartMs + random.int(0, spec.windowSeconds - 1) * 1000 })),
    )
    .sort((a, b) => a.ms - b.ms);
  const closingMs = spec.windowStartMs + (spec.windowSeconds + spec.maxDelaySeconds + 5) * 1000;
  return {
    burstTitle,
    windowStartMs: spec.windowStartMs,
    window: { startMs: spec.windowStartMs, views },
    closingMs,
    records: [...plays.map((p) => record(p.title, p.ms)), record(burstTitle, closingMs)],
  };
}

function rankedAlphabetically(views: ReadonlyMap<string, number>): boolean {
  const ranked = topTitles(views, views.size).map((t) => t.title);
  // By code point, as most programs sort strings.
  const alphabetical = [...ranked].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const same = (order: string[]) => order.every((title, i) => title === ranked[i]);
  return same(alphabetical) || same([...alphabetical].reverse());
}

function describeProbe(probe: LiveProbe): string {
  const counts = topTitles(probe.window.views, probe.window.views.size).map(
    (t, i) => `${i === 0 ? plural(t.views, "view") : t.views} of "${t.title}"`,
  );
  return `${counts.slice(0, -1).join(", ")} and ${counts.at(-1)}, with event times in ${windowName(probe.windowStartMs)}, then one view at ${formatEventTime(probe.closingMs)} to move a watermark past it`;
}

export interface LiveJudgement {
  topic: string;
  input: string;
  top: number;
  withinSeconds: number;
}

/** Judges what the output topic got since the probe was published (the job's effect so far). */
export function evaluateLiveTopN(probe: LiveProbe, j: LiveJudgement, messages: readonly TopicMessage[]): CheckVerdict {
  const published = `The grader published ${describeProbe(probe)}, to topic ${j.input}.`;
  if (messages.length === 0) {
    return failed(
      "no-new-output",
      `No new message in topic ${j.topic} within ${j.withinSeconds} s. ${published} Is your streaming job still running? A job that read ${j.input} once and stopped cannot show what is trending now.`,
    );
  }
  const output = latestTopPerWindow(messages);
  const written = output.windows.get(probe.windowStartMs);
  if (!written) {
    const about = output.windows.size > 0 ? `, about ${windowList([...output.windows.keys()])}` : "";
    return failed(
      "window-missing",
      `Your job wrote ${plural(messages.length, "new message")} to topic ${j.topic} within ${j.withinSeconds} s${about}, but none about ${windowName(probe.windowStartMs)}. ${published} ${eventTimeAdvice}${unreadableNote(output)}`,
    );
  }
  const problem = windowProblem(probe.window, written, j.top);
  if (problem) {
    const first = written[0];
    const notFirst = first?.title === probe.burstTitle ? "" : ` The burst is not first${first ? `: your top starts with ${entry(first)}` : ""}.`;
    return failed(problem.finding, `${published}${notFirst} ${problem.detail} (The grader watched topic ${j.topic} for ${j.withinSeconds} s.)`);
  }
  const shown = topTitles(probe.window.views, j.top).map(entry).join(", ");
  return passed(`Your running job put the grader's burst on top of ${windowName(probe.windowStartMs)} in topic ${j.topic}: ${shown}.`);
}
