import { windowLength, type SensorReading } from "@cookbook/content/labs";
import type { TopicMessage } from "../kafka-connection";
import { formatEventTime, parseInstant, windowBounds } from "../live-injection";
import { failed, passed, plural, quote, type CheckVerdict } from "./verdict";

/**
 * Windowed averages in a learner's output topic: each message one sensor's average over one
 * tumbling event-time window. Judged twice: against the learner's own readings (the job averaged
 * what was in the topic when it started), and against readings the grader publishes while it
 * checks (the job is still running). Both read messages the same way, defined here.
 */

/** One message of the output topic, with where it is for feedback. */
export interface OutputMessage {
  text: string;
  where: string;
}

export const outputMessage = (m: TopicMessage): OutputMessage => ({
  text: m.value?.toString("utf8") ?? "",
  where: `partition ${m.partition}, offset ${m.offset}`,
});

/** One message read as a window's average; a field it lacks (or that holds no instant or number) is undefined. */
export interface WindowAverage {
  message: OutputMessage;
  sensor: string | undefined;
  startMs: number | undefined;
  endMs: number | undefined;
  average: number | undefined;
}

/**
 * Where tools put the average: Spark names an unaliased avg("value") "avg(value)"; the window's
 * fields are windowBounds'. The lab's instructions list the same names.
 */
export const averageFields = ["average", "avg", "avg(value)", "value"] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Undefined when the message is not a JSON object. */
export function readWindowAverage(message: OutputMessage): WindowAverage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const averageField = averageFields.find((field) => typeof parsed[field] === "number");
  return {
    message,
    sensor: typeof parsed.sensor === "string" ? parsed.sensor : undefined,
    ...windowBounds(parsed),
    average: averageField === undefined ? undefined : (parsed[averageField] as number),
  };
}

/** A reading as windows see it: its event time and its value in hundredths. */
export interface TimedReading {
  ms: number;
  centi: number;
}

export interface WindowOfReadings {
  startMs: number;
  count: number;
  average: number;
}

/** The readings' averages per tumbling window of `windowSeconds` aligned to the epoch (as Spark's window()), in time order. */
export function averagesPerWindow(readings: readonly TimedReading[], windowSeconds: number): WindowOfReadings[] {
  const windowMs = windowSeconds * 1000;
  const windows = new Map<number, { sum: number; count: number }>();
  for (const reading of readings) {
    const startMs = Math.floor(reading.ms / windowMs) * windowMs;
    const window = windows.get(startMs) ?? { sum: 0, count: 0 };
    window.sum += reading.centi;
    window.count += 1;
    windows.set(startMs, window);
  }
  return [...windows].sort(([a], [b]) => a - b).map(([startMs, { sum, count }]) => ({ startMs, count, average: sum / count / 100 }));
}

export interface WindowAveragesSpec {
  /** The output topic, as feedback names it. */
  topic: string;
  windowSeconds: number;
  maxDelaySeconds: number;
  tolerance: number;
}

const shown = (average: number) => average.toFixed(2);
const fieldsWords = `its start in "window": {"start": …} (as Spark's to_json writes a window), "window_start" or "start", and the average in "average" (or "avg", "value")`;

function listed(items: readonly string[], max = 3): string {
  const first = items.slice(0, max).join(", ");
  return items.length > max ? `${first} and ${items.length - max} more` : first;
}

/** Why a sensor's messages cannot be judged per window (no window start, no average, the wrong length), or undefined. */
function unreadableWindows(of: string, mine: readonly WindowAverage[], spec: WindowAveragesSpec): CheckVerdict | undefined {
  const windowed = mine.filter((m) => m.startMs !== undefined);
  const [first] = mine;
  if (windowed.length === 0 && first) {
    return failed(
      "no-window",
      `None of the ${plural(mine.length, "message")} of ${of} in topic ${spec.topic} names a window, e.g. ${quote(first.message.text)}: an average over all time is not one per ${windowLength(spec.windowSeconds)} window. Write one message per sensor and window, ${fieldsWords}.`,
    );
  }
  const [windowedFirst] = windowed;
  if (windowedFirst && windowed.every((m) => m.average === undefined)) {
    return failed(
      "no-average",
      `None of the messages of ${of} in topic ${spec.topic} has a number in "average" (or "avg", "value"), e.g. ${quote(windowedFirst.message.text)}.`,
    );
  }
  const windowMs = spec.windowSeconds * 1000;
  const wrongLength = windowed.find((m) => m.startMs !== undefined && m.endMs !== undefined && m.endMs - m.startMs !== windowMs);
  if (wrongLength?.startMs !== undefined && wrongLength.endMs !== undefined) {
    return failed(
      "wrong-window-length",
      `The message at ${wrongLength.message.where} is for the window ${formatEventTime(wrongLength.startMs)} to ${formatEventTime(wrongLength.endMs)}, ${(wrongLength.endMs - wrongLength.startMs) / 1000} s long; this step asks for ${spec.windowSeconds}-second windows.`,
    );
  }
  return undefined;
}

/** The averages a sensor's messages give each window start (messages of another length left out). */
function averagesByStart(mine: readonly WindowAverage[], windowSeconds: number): Map<number, number[]> {
  const byStart = new Map<number, number[]>();
  for (const m of mine) {
    if (m.startMs === undefined || m.average === undefined) continue;
    if (m.endMs !== undefined && m.endMs - m.startMs !== windowSeconds * 1000) continue;
    byStart.set(m.startMs, [...(byStart.get(m.startMs) ?? []), m.average]);
  }
  return byStart;
}

/**
 * Judges the output topic against the learner's own readings: every window of them that a job
 * with a watermark of at most maxDelaySeconds has closed (it ends that long before the last
 * reading) must have a message with its average, and every window written must have one with the
 * right average. A window may be written several times (output mode update writes each change),
 * so one right message is enough; messages of other sensors and of windows without readings do
 * not count either way.
 */
export function evaluateWindowAverages(
  spec: WindowAveragesSpec,
  sensor: string,
  readings: readonly SensorReading[],
  messages: readonly OutputMessage[],
): CheckVerdict {
  const length = windowLength(spec.windowSeconds);
  if (messages.length === 0) {
    return failed(
      "no-messages",
      `Topic ${spec.topic} has no messages yet, so no average of sensor ${sensor} (your readings) for any ${length} window. Is your job running, and does it read its input from the first offset?`,
    );
  }
  const read = messages.map((m) => readWindowAverage(m));
  const mine = read.filter((m): m is WindowAverage => m?.sensor === sensor);
  if (mine.length === 0) return noAveragesOf(sensor, spec.topic, messages, read);
  const timed = readings.flatMap((r) => {
    const ms = parseInstant(r.timestamp);
    return ms === undefined ? [] : [{ ms, centi: r.centi }];
  });
  const expected = averagesPerWindow(timed, spec.windowSeconds);
  const lastMs = Math.max(...timed.map((r) => r.ms));
  const closedBy = lastMs - spec.maxDelaySeconds * 1000;
  const windowMs = spec.windowSeconds * 1000;
  const written = averagesByStart(mine, spec.windowSeconds);
  const matches = (w: WindowOfReadings) => written.get(w.startMs)?.some((a) => Math.abs(a - w.average) <= spec.tolerance) ?? false;
  const wrong = expected.filter((w) => written.has(w.startMs) && !matches(w));
  const closed = expected.filter((w) => w.startMs + windowMs <= closedBy);
  const missing = closed.filter((w) => !written.has(w.startMs));
  if (wrong.length === 0 && missing.length === 0) {
    const done = expected.filter(matches).length;
    const open =
      done === expected.length
        ? ""
        : `; the last ${expected.length - done} are still open (within ${spec.maxDelaySeconds} s of your last reading), which a watermark allows`;
    return passed(`Topic ${spec.topic} holds the averages of ${done} of the ${expected.length} ${length} windows of your readings${open}.`);
  }
  const unreadable = unreadableWindows(`sensor ${sensor}`, mine, spec);
  if (unreadable) return unreadable;
  const [firstReading, lastReading] = [readings[0], readings[readings.length - 1]];
  const ofReadings = new Set(expected.map((w) => w.startMs));
  const foreign = [...written.keys()].filter((start) => !ofReadings.has(start)).sort((a, b) => a - b);
  if (foreign.length === written.size && firstReading && lastReading) {
    return failed(
      "wrong-windows",
      `The averages of sensor ${sensor} in topic ${spec.topic} are for ${plural(foreign.length, "window")} starting ${listed(foreign.map(formatEventTime))}, which hold none of your readings (they run from ${firstReading.timestamp} to ${lastReading.timestamp}). Windows come from each reading's own "timestamp" (event time), not from the time your job processed it.`,
    );
  }
  const [example] = wrong;
  if (example) {
    const got = listed((written.get(example.startMs) ?? []).map(shown));
    return failed(
      "wrong-averages",
      `${plural(wrong.length, "window")} of sensor ${sensor} in topic ${spec.topic} ${wrong.length === 1 ? "has" : "have"} the wrong average. For the window starting ${formatEventTime(example.startMs)} your job wrote ${got}; the average of your ${plural(example.count, "reading")} in it is ${shown(example.average)}.`,
    );
  }
  const [gap] = missing;
  return failed(
    "missing-windows",
    `Topic ${spec.topic} has the averages of ${closed.length - missing.length} of the ${closed.length} ${length} windows of your readings that end at least ${spec.maxDelaySeconds} s before your last reading; ${plural(missing.length, "window")} ${missing.length === 1 ? "is" : "are"} missing, e.g. the one starting ${formatEventTime(gap?.startMs ?? 0)}.`,
  );
}

function noAveragesOf(sensor: string, topic: string, messages: readonly OutputMessage[], read: readonly (WindowAverage | undefined)[]): CheckVerdict {
  const notJson = messages.filter((_, i) => read[i] === undefined);
  const unnamed = read.filter((m): m is WindowAverage => m !== undefined && m.sensor === undefined);
  const sensors = [...new Set(read.flatMap((m) => (m?.sensor === undefined ? [] : [m.sensor])))].sort();
  const parts = [`Topic ${topic} holds ${plural(messages.length, "message")}, none of them an average of sensor ${sensor} (your readings).`];
  if (sensors.length > 0) {
    // The job works for what it read: most likely it never read the readings published before it started.
    parts.push(
      `It has averages of ${plural(sensors.length, "other sensor")}: ${listed(sensors)}. Does your job read its input from the first offset, where your readings are?`,
    );
  }
  const [firstUnnamed] = unnamed;
  if (firstUnnamed)
    parts.push(`${plural(unnamed.length, "message")} name${unnamed.length === 1 ? "s" : ""} no "sensor", e.g. ${quote(firstUnnamed.message.text)}.`);
  const [firstNotJson] = notJson;
  if (firstNotJson)
    parts.push(`${plural(notJson.length, "message")} ${notJson.length === 1 ? "is" : "are"} not a JSON object, e.g. ${quote(firstNotJson.text)}.`);
  return failed(notJson.length === messages.length ? "not-json" : "no-averages", parts.join(" "));
}

/** The records a live check publishes: a probe sensor's readings in one window W, and two after it. */
export interface LiveProbe {
  /** "probe-<nonce>": a sensor nobody has seen before this grading. */
  sensor: string;
  windowStartMs: number;
  /** Readings from W's first second to its last, whose average the job must write for W. */
  inWindow: TimedReading[];
  /**
   * One reading in the next window (a longer window would take it in), then one far enough on
   * that a watermark of at most maxDelaySeconds passes W's end, so a job that writes a window
   * once it is closed writes W.
   */
  later: TimedReading[];
}

const probeReadingsInWindow = 6;

/** A probe for window W; `randomInt(min, max)` draws an integer in [min, max), so nobody can know the values in advance. */
export function liveProbe(
  nonce: string,
  windowStartMs: number,
  spec: Pick<WindowAveragesSpec, "windowSeconds" | "maxDelaySeconds">,
  randomInt: (min: number, max: number) => number,
): LiveProbe {
  const windowMs = spec.windowSeconds * 1000;
  const centis = new Set<number>();
  // Distinct values, so no other statistic of them (a median, the last one) is their average too.
  while (centis.size < probeReadingsInWindow) centis.add(randomInt(1500, 3000));
  const inWindow = [...centis].map((centi, i) => ({
    ms: windowStartMs + Math.round((i * (spec.windowSeconds - 1)) / (probeReadingsInWindow - 1)) * 1000,
    centi,
  }));
  const average = [...centis].reduce((a, b) => a + b, 0) / probeReadingsInWindow;
  // Far from the window's average (at least 5 degrees), so averaging it in shows.
  const outlier = () => (average >= 2250 ? randomInt(1000, 1200) : randomInt(3300, 3500));
  const windowEndMs = windowStartMs + windowMs;
  return {
    sensor: `probe-${nonce}`,
    windowStartMs,
    inWindow,
    later: [
      { ms: windowEndMs + Math.floor(windowMs / 2), centi: outlier() },
      { ms: windowEndMs + spec.maxDelaySeconds * 1000 + windowMs, centi: outlier() },
    ],
  };
}

export const probeAverage = (probe: LiveProbe) => probe.inWindow.reduce((sum, r) => sum + r.centi, 0) / probe.inWindow.length / 100;

/** The probe as messages of the input topic, shaped like the learner's readings and keyed by the probe sensor. */
export function probeMessages(probe: LiveProbe): { key: string; value: string }[] {
  return [...probe.inWindow, ...probe.later].map((r) => ({
    key: probe.sensor,
    value: JSON.stringify({ sensor: probe.sensor, timestamp: formatEventTime(r.ms), value: r.centi / 100 }),
  }));
}

export interface LiveWindowSpec extends WindowAveragesSpec {
  /** The topic the grader published the probe to. */
  input: string;
  withinSeconds: number;
}

/**
 * Judges what the output topic got since the grader published the probe: some message must give
 * the probe sensor's window W the average of the probe's readings in it. Feedback says what the
 * job did instead: nothing (it is not running), other windows (processing time), no window at
 * all, or another number.
 */
export function evaluateLiveWindowAverage(
  probe: LiveProbe,
  messages: readonly OutputMessage[],
  spec: LiveWindowSpec,
  elapsedSeconds: number,
): CheckVerdict {
  const windowStart = formatEventTime(probe.windowStartMs);
  const windowEnd = formatEventTime(probe.windowStartMs + spec.windowSeconds * 1000);
  const published = `the grader published ${plural(probe.inWindow.length + probe.later.length, "reading")} of sensor ${probe.sensor} to topic ${spec.input}`;
  if (messages.length === 0) {
    return failed(
      "no-new-output",
      `No new message in topic ${spec.topic} within ${spec.withinSeconds} s after ${published}: is your streaming job still running? A batch job that ran once, or a job that has stopped, does not see new readings.`,
    );
  }
  const read = messages.map((m) => readWindowAverage(m));
  const mine = read.filter((m): m is WindowAverage => m?.sensor === probe.sensor);
  if (mine.length === 0) {
    const [example] = messages;
    return failed(
      "probe-missing",
      `Topic ${spec.topic} got ${plural(messages.length, "new message")} since ${published}, but none of them is an average of sensor ${probe.sensor} (the first: ${quote(example?.text ?? "")}). Does your job keep the "sensor" of every reading it averages?`,
    );
  }
  const expected = probeAverage(probe);
  const written = averagesByStart(mine, spec.windowSeconds).get(probe.windowStartMs);
  const readingsWords = `the grader's ${plural(probe.inWindow.length, "reading")} in it (${probe.inWindow.map((r) => shown(r.centi / 100)).join(", ")})`;
  const right = written?.find((a) => Math.abs(a - expected) <= spec.tolerance);
  if (right !== undefined) {
    return passed(
      `Your job wrote ${shown(right)} for sensor ${probe.sensor} in the window starting ${windowStart}, the average of ${readingsWords}, ${Math.round(elapsedSeconds)} s after ${published}.`,
    );
  }
  const unreadable = unreadableWindows(`sensor ${probe.sensor}`, mine, spec);
  if (unreadable) return unreadable;
  if (!written) {
    const starts = [...new Set(mine.flatMap((m) => (m.startMs === undefined ? [] : [m.startMs])))].sort((a, b) => a - b);
    return failed(
      "wrong-window",
      `Your job wrote averages of sensor ${probe.sensor} for windows starting ${listed(starts.map(formatEventTime))}, but not for the window from ${windowStart} to ${windowEnd}, where the "timestamp" of ${readingsWords} lies. Does it window by each reading's own timestamp (event time), not by the time it processed them?`,
    );
  }
  return failed(
    "wrong-average",
    `For sensor ${probe.sensor} in the window starting ${windowStart} your job wrote ${listed(written.map(shown))}; ${readingsWords} average ${shown(expected)}.`,
  );
}
