import { formatTimestamp } from "./event-time";
import { seededRandom, type SeededRandom } from "./seeded-random";

/**
 * Play events of a streaming service, the cookbook's "Trending Now" source (28.19): who watched
 * which title when. Drawn from a secret (lab-runner's SHA-256 of the seed), so only a consumer of
 * the topic knows them. Each minute has its own three hits, rotating from minute to minute, while
 * two evergreens are watched steadily in every minute without ever making a minute's top three,
 * and every title is watched in every minute: counted over the whole morning instead of per
 * minute, each title has more views than in any one minute.
 */
export interface ViewingEvent {
  /** Event time in epoch milliseconds (the timestamp below, as an instant). */
  ms: number;
  /** "2016-05-07 08:03:17", UTC, the labs' timestamp format. */
  timestamp: string;
  user: string;
  title: string;
}

/** The service's catalogue: made-up shows, so no learner knows their numbers from elsewhere. */
export const showCatalogue = [
  "The Last Lighthouse",
  "Crown of Ashes",
  "Midnight Diner Berlin",
  "Quantum Heist",
  "The Baker's Daughter",
  "Northern Frontier",
  "Code Black Harbor",
  "Glass Houses",
  "The Silent Orchard",
  "Wild Coast Rescue",
  // The evergreens: watched in every minute, never one of its hits.
  "Kitchen Wars",
  "The Long Commute",
] as const;

/** A minute has at most 84 events (15+14+13 hits, 2×7 evergreens, 7×4 others): this many make three whole minutes and more. */
export const minViewingEvents = 300;

const evergreens = showCatalogue.slice(-2);
const rotating = showCatalogue.slice(0, -2);

const minuteMs = 60_000;
const weekMs = 7 * 86_400_000;
/** A Saturday, 08:00: the morning the cookbook's author looked at his Trending Now row. */
const firstMorning = Date.UTC(2016, 4, 7, 8);

/**
 * How often each title is watched in one minute: three hits of distinct views (15 at most, 8 at
 * least, none of them a hit of the minute before), the evergreens 5 to 7 each, every other title
 * 1 to 4. Every title is watched at least once a minute, so a count that runs on across minutes
 * is larger than the minute's own; and the third hit beats every other title, so each minute's
 * top three is unambiguous.
 */
function minuteViews(random: SeededRandom, previousHits: readonly string[]): { views: Map<string, number>; hits: string[] } {
  const candidates = rotating.filter((title) => !previousHits.includes(title));
  const hits: string[] = [];
  while (hits.length < 3) {
    const [pick] = candidates.splice(random.int(0, candidates.length - 1), 1);
    if (pick) hits.push(pick);
  }
  const first = random.int(12, 15);
  const second = random.int(10, first - 1);
  const third = random.int(8, second - 1);
  const counts = [first, second, third];
  const views = new Map(hits.map((title, i) => [title, counts[i] ?? 0]));
  for (const title of evergreens) views.set(title, random.int(5, 7));
  for (const title of showCatalogue) if (!views.has(title)) views.set(title, random.int(1, 4));
  return { views, hits };
}

/**
 * `messages` play events, minute after minute from a secret-chosen Saturday morning, in time
 * order. The last minute may be cut short; every minute's latest event is at its 59th second, so
 * the minute before the last is closed even for a job whose watermark lags 30 s behind.
 */
export function viewingEvents(spec: { messages: number }, secret: string): ViewingEvent[] {
  const random = seededRandom(`viewing-events\u0000${secret}`);
  const start = firstMorning + random.int(0, 30) * weekMs;
  const users = Array.from({ length: 400 }, () => `user-${random.int(10_000, 99_999)}`);
  const events: ViewingEvent[] = [];
  let previousHits: string[] = [];
  for (let minute = 0; events.length < spec.messages; minute++) {
    const { views, hits } = minuteViews(random, previousHits);
    previousHits = hits;
    const plays = [...views].flatMap(([title, count]) => Array.from({ length: count }, () => title));
    const kept = plays.length <= spec.messages - events.length ? plays : shuffled(plays, random).slice(0, spec.messages - events.length);
    const seconds = kept.map(() => random.int(0, 59)).sort((a, b) => a - b);
    seconds[seconds.length - 1] = 59;
    shuffled(kept, random).forEach((title, i) => {
      const ms = start + minute * minuteMs + (seconds[i] ?? 0) * 1000;
      events.push({ ms, timestamp: formatTimestamp(ms), user: users[random.int(0, users.length - 1)] ?? "user-10000", title });
    });
  }
  return events;
}

function shuffled<T>(items: readonly T[], random: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export interface TitleViews {
  title: string;
  views: number;
}

/** One tumbling window of event time: when it starts and how often each title was watched in it. */
export interface WindowViews {
  startMs: number;
  views: ReadonlyMap<string, number>;
}

/** Events counted per tumbling window of `windowSeconds` and title, windows in time order. */
export function viewsPerWindow(events: readonly { ms: number; title: string }[], windowSeconds: number): WindowViews[] {
  const windowMs = windowSeconds * 1000;
  const windows = new Map<number, Map<string, number>>();
  for (const event of events) {
    const startMs = Math.floor(event.ms / windowMs) * windowMs;
    const views = windows.get(startMs) ?? new Map<string, number>();
    views.set(event.title, (views.get(event.title) ?? 0) + 1);
    windows.set(startMs, views);
  }
  return [...windows].sort(([a], [b]) => a - b).map(([startMs, views]) => ({ startMs, views }));
}

/** The `n` most viewed titles, most viewed first (ties by title, though the labs' data has none at the cut). */
export function topTitles(views: ReadonlyMap<string, number>, n: number): TitleViews[] {
  return [...views]
    .map(([title, count]) => ({ title, views: count }))
    .sort((a, b) => b.views - a.views || a.title.localeCompare(b.title))
    .slice(0, n);
}
