import { createHash } from "node:crypto";
import { saleCurrencies, viewingEvents, type SeededRecordKind, type SeededTopic, type ViewingEvent } from "@cookbook/content/labs";

/**
 * The records of a seeded topic that takes part in a delivery-semantics lab (GPS positions,
 * engine misfires, card payments or sensor readings), that a view is derived from (shop
 * sales) or that a trending job counts (play events), with the redelivered copies, torn records and aborted transactions the topic's
 * definition asks for. Every value is drawn from a SHA-256 of the sandbox's seed, which never
 * enters the sandbox: only a consumer knows them.
 */

/** Absent for a record to deliver; a redelivered copy of one; a torn record; one of an aborted transaction. */
export type SeededRole = "duplicate" | "poison" | "aborted";

export interface SeededRecordMessage {
  partition: number;
  /** The text published: a JSON object, or for a poison record a torn one. */
  value: string;
  role?: SeededRole;
  /** Transactional topics: which transaction (in publishing order) the message belongs to. */
  transaction?: number;
  /** Aborted transactions are rolled back by the seeder; the others are committed. */
  abortTransaction?: boolean;
  /** What the record is known by (its timestamp, a payment's id) and its values; absent for poison. */
  key?: string;
  fingerprint?: string;
}

/** What a line or message says, reduced to what the grader compares: the record's key and values. */
export interface ParsedRecord {
  key: string;
  fingerprint: string;
}

const baseMs = Date.UTC(2016, 4, 1);
const pad = (n: number) => String(n).padStart(2, "0");

function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** An unsigned 32-bit number drawn from the topic's secret, for record i and one purpose. */
function draw(secret: string, i: number, what: string): number {
  return createHash("sha256").update(`${secret}\u0000${what}\u0000${i}`).digest().readUInt32BE(0);
}

const e5 = (n: number) => Math.round(n * 100_000);
/** A "shop-sale" topic's sales come from this many shops, <sensor>-1 … <sensor>-4. */
const shopsPerTopic = 4;
const otherCurrencies = saleCurrencies.filter((currency) => currency !== "EUR");
const cents = (n: number) => Math.round(n * 100);

/** The kinds drawn here record by record; play events come minute by minute from datasets/viewing-events.ts. */
type DrawnKind = Exclude<SeededRecordKind, "viewing-event">;

/** One record of the kind, as a JSON object and its key and values. */
function makeRecord(kind: DrawnKind, source: string, secret: string, i: number, timestamp: string): Record<string, unknown> {
  switch (kind) {
    case "gps-position":
      return {
        vehicle: source,
        timestamp,
        lat: (5_230_000 + (draw(secret, i, "lat") % 30_000)) / 100_000,
        lon: (1_320_000 + (draw(secret, i, "lon") % 40_000)) / 100_000,
      };
    case "engine-misfire":
      return { engine: source, timestamp, cylinder: 1 + (draw(secret, i, "cylinder") % 6), rpm: 800 + (draw(secret, i, "rpm") % 4000) };
    case "card-payment":
      return {
        card: source,
        id: `tx-${draw(secret, i, "id").toString(16).padStart(8, "0")}`,
        timestamp,
        amount: (100 + (draw(secret, i, "amount") % 20_000)) / 100,
      };
    case "sensor-reading":
      return { sensor: source, timestamp, value: (1500 + (draw(secret, i, "value") % 1500)) / 100 };
    case "shop-sale":
      return {
        shop: `${source}-${1 + (draw(secret, i, "shop") % shopsPerTopic)}`,
        id: `s-${draw(secret, i, "id").toString(16).padStart(8, "0")}`,
        timestamp,
        amount: (100 + (draw(secret, i, "amount") % 20_000)) / 100,
        // Half of the sales in euros, the rest in the other currencies.
        currency: draw(secret, i, "currency") % 2 === 0 ? "EUR" : otherCurrencies[draw(secret, i, "other") % otherCurrencies.length],
      };
  }
}

/**
 * A record's key and values in any form the learner may have kept it (any field order, extra
 * fields, numbers as strings): null when the text is not such a record of the kind.
 */
export function parseRecord(kind: SeededRecordKind, text: string): ParsedRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const r = parsed as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN);
  const ok = (...values: number[]) => values.every(Number.isFinite);
  const timestamp = typeof r.timestamp === "string" ? r.timestamp : undefined;
  switch (kind) {
    case "gps-position": {
      const lat = num(r.lat);
      const lon = num(r.lon);
      return timestamp && ok(lat, lon) ? { key: timestamp, fingerprint: `${e5(lat)}|${e5(lon)}` } : null;
    }
    case "engine-misfire": {
      const cylinder = num(r.cylinder);
      const rpm = num(r.rpm);
      return timestamp && ok(cylinder, rpm) ? { key: timestamp, fingerprint: `${cylinder}|${rpm}` } : null;
    }
    case "card-payment": {
      const amount = num(r.amount);
      return typeof r.id === "string" && ok(amount) ? { key: r.id, fingerprint: `${cents(amount)}` } : null;
    }
    case "sensor-reading": {
      const value = num(r.value);
      return timestamp && ok(value) ? { key: timestamp, fingerprint: `${cents(value)}` } : null;
    }
    case "shop-sale": {
      const amount = num(r.amount);
      return typeof r.id === "string" && typeof r.shop === "string" && typeof r.currency === "string" && ok(amount)
        ? { key: r.id, fingerprint: `${r.shop}|${cents(amount)}|${r.currency}` }
        : null;
    }
    case "viewing-event":
      return timestamp && typeof r.user === "string" && typeof r.title === "string" ? { key: `${timestamp}|${r.user}`, fingerprint: r.title } : null;
  }
}

/** What a seeded topic's values are drawn from: nothing in the sandbox knows it. */
const recordsSecret = (seeded: SeededTopic, seed: string) =>
  createHash("sha256").update(`seeded-records\u0000${seeded.topic}\u0000${seed}`).digest("hex");

/**
 * A "viewing-event" topic's play events, minute by minute (datasets/viewing-events.ts), in
 * publishing order: what the grader counts a learner's top titles per window against.
 */
export const seededViewingEvents = (seeded: SeededTopic, seed: string): ViewingEvent[] =>
  viewingEvents({ messages: seeded.messages }, recordsSecret(seeded, seed));

/** Whether a seeded topic needs this module rather than the plain sensor readings of seeded-topics.ts. */
export const usesSeededRecords = (seeded: SeededTopic) =>
  (seeded.record !== undefined && seeded.record !== "sensor-reading") ||
  seeded.duplicates !== undefined ||
  seeded.poison !== undefined ||
  seeded.abortedTransactions !== undefined;

/**
 * Every message of the seeded topic in publishing order. Record i goes to partition i mod the
 * partition count. A duplicate follows its original two rounds later on the same partition, as a
 * producer's retry would put it; a poison record (a record cut off mid-write) follows the first
 * third of partition 0; with aborted transactions the records are published in committed
 * transactions with aborted ones of two records in between.
 */
export function seededRecordMessages(seeded: SeededTopic, seed: string): SeededRecordMessage[] {
  const kind = seeded.record ?? "sensor-reading";
  if (kind === "viewing-event") {
    return seededViewingEvents(seeded, seed).map(({ user, title, timestamp }, i) => ({
      partition: i % seeded.partitions,
      value: JSON.stringify({ country: seeded.sensor, user, title, timestamp }),
      key: `${timestamp}|${user}`,
      fingerprint: title,
    }));
  }
  const secret = recordsSecret(seeded, seed);
  const interval = Math.floor(86_400 / (seeded.messages + 10));
  let counter = 0;
  const next = (i: number): SeededRecordMessage & { key: string; fingerprint: string } => {
    const n = counter++;
    const jitter = draw(secret, n, "jitter") % Math.max(1, Math.floor(interval / 2));
    const record = makeRecord(kind, seeded.sensor, secret, n, formatTimestamp(baseMs + (i * interval + jitter) * 1000));
    const value = JSON.stringify(record);
    const parsed = parseRecord(kind, value);
    if (!parsed) throw new Error(`seeded record ${value} does not parse`);
    return { partition: i % seeded.partitions, value, ...parsed };
  };
  const originals = Array.from({ length: seeded.messages }, (_, i) => next(i));
  const out: SeededRecordMessage[] = [...originals];
  // Redelivered copies: spread evenly over the records, each inserted after the record two rounds on.
  const copies = Math.min(seeded.duplicates ?? 0, originals.length);
  for (let k = copies - 1; k >= 0; k--) {
    const j = Math.floor(((k + 0.5) * originals.length) / copies);
    const original = originals[j];
    if (!original) continue;
    const after = originals[Math.min(originals.length - 1, j + 2 * seeded.partitions)] ?? original;
    const at = out.indexOf(after) + 1;
    out.splice(at, 0, { ...original, role: "duplicate" });
  }
  for (let q = 0; q < (seeded.poison ?? 0); q++) {
    const target = Math.floor(((q + 1) * originals.length) / ((seeded.poison ?? 0) + 2));
    const anchor = originals.filter((m) => m.partition === 0)[Math.floor(target / seeded.partitions)] ?? originals[0];
    if (!anchor) continue;
    const torn = next(target);
    const value = torn.value.slice(0, Math.max(10, Math.floor(torn.value.length * 0.6)));
    out.splice(out.indexOf(anchor) + 1, 0, { partition: anchor.partition, value, role: "poison" });
  }
  const aborted = seeded.abortedTransactions ?? 0;
  if (aborted === 0) return out;
  const transactional: SeededRecordMessage[] = [];
  const chunk = Math.ceil(out.length / (aborted + 1));
  for (let t = 0; t <= aborted; t++) {
    for (const message of out.slice(t * chunk, (t + 1) * chunk)) transactional.push({ ...message, transaction: 2 * t });
    if (t === aborted) break;
    for (let r = 0; r < 2; r++) {
      const record = next(t * chunk + r);
      transactional.push({ ...record, partition: (t + r) % seeded.partitions, role: "aborted", transaction: 2 * t + 1, abortTransaction: true });
    }
  }
  return transactional;
}
