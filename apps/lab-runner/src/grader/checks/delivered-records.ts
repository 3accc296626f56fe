import type { SeededTopic } from "@cookbook/content/labs";
import { parseRecord, type SeededRecordMessage } from "../seeded-records";
import { failedWith, passed, plural, quote, type CheckVerdict, type Finding } from "./verdict";

/** One thing the learner's result holds: a line of their file or a message of their topic. */
export interface DeliveredItem {
  text: string;
  /** "line 12", "partition 0, offset 5": where it is, for feedback. */
  where: string;
  /** Topics only: whether the message was written in a transaction. */
  inTransaction?: boolean;
}

export interface DeliveryJudgement {
  /** "positions.jsonl", "topic ledger": the result, as feedback names it. */
  what: string;
  /** "file" for a consumer's store in the workspace, "topic" for a consume-transform-produce output. */
  medium: "file" | "topic";
  seeded: SeededTopic;
  /** The seeded topic's messages in publishing order (seededRecordMessages). */
  messages: readonly SeededRecordMessage[];
  items: readonly DeliveredItem[];
  /** Every record counted must have been written in a transaction. */
  requireTransactions?: boolean;
}

const times = (n: number) => (n === 2 ? "twice" : `${n} times`);

function listKeys(keys: readonly string[], max = 3): string {
  const shown = keys.slice(0, max).join(", ");
  return keys.length > max ? `${shown} and ${keys.length - max} more` : shown;
}

/** Where the poison record sits: its partition and (for a topic without transactions) its offset. */
function poisonPlaces(messages: readonly SeededRecordMessage[]): { partition: number; offset: number; after: Set<string> }[] {
  const places: { partition: number; offset: number; after: Set<string> }[] = [];
  const offsets = new Map<number, number>();
  for (const message of messages) {
    const offset = offsets.get(message.partition) ?? 0;
    offsets.set(message.partition, offset + 1);
    if (message.role === "poison") places.push({ partition: message.partition, offset, after: new Set() });
    else if (message.key !== undefined && !message.role) {
      for (const place of places) if (place.partition === message.partition) place.after.add(message.key);
    }
  }
  return places;
}

/**
 * Judges what the learner's consumer kept against the seeded topic: each record to deliver is
 * there exactly once (by its key) with its values, and no record of an aborted transaction and
 * no poison record is. Feedback names the records at fault and the delivery mistake behind them.
 */
export function evaluateDelivered(j: DeliveryJudgement): CheckVerdict {
  const kind = j.seeded.record ?? "sensor-reading";
  const originals = j.messages.filter((m) => !m.role && m.key !== undefined);
  const byKey = new Map(originals.map((m) => [m.key as string, m]));
  const abortedByKey = new Map(j.messages.filter((m) => m.role === "aborted" && m.key !== undefined).map((m) => [m.key as string, m]));
  const poisons = j.messages.filter((m) => m.role === "poison").map((m) => m.value.trim());
  const redelivered = new Set(j.messages.filter((m) => m.role === "duplicate").map((m) => m.key));

  const counts = new Map<string, number>();
  const wrongValues: { key: string; where: string }[] = [];
  const leaked: { key: string; where: string }[] = [];
  const poisoned: string[] = [];
  const outsideTransactions: string[] = [];
  let strangers = 0;
  let firstStranger: DeliveredItem | undefined;
  for (const item of j.items) {
    const text = item.text.trim();
    if (text === "") continue;
    if (poisons.includes(text)) {
      poisoned.push(item.where);
      continue;
    }
    const record = parseRecord(kind, text);
    const aborted = record ? abortedByKey.get(record.key) : undefined;
    if (record && aborted) {
      leaked.push({ key: record.key, where: item.where });
      continue;
    }
    const expected = record ? byKey.get(record.key) : undefined;
    if (!record || !expected) {
      strangers++;
      firstStranger ??= item;
      continue;
    }
    counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
    if (record.fingerprint !== expected.fingerprint) wrongValues.push({ key: record.key, where: item.where });
    if (j.requireTransactions && item.inTransaction !== true) outsideTransactions.push(item.where);
  }

  const strangerNote = firstStranger
    ? ` (${plural(strangers, j.medium === "file" ? "line" : "message")} ${strangers === 1 ? "is" : "are"} no record of topic ${j.seeded.topic}, e.g. ${firstStranger.where}: ${quote(firstStranger.text)}.)`
    : "";
  const total = originals.length;
  const present = originals.filter((m) => counts.has(m.key as string));
  const findings: Finding[] = [];

  if (present.length === 0 && leaked.length === 0) {
    const example = originals[0] ? ` One of them: ${originals[0].value}` : "";
    return {
      passed: false,
      finding: "none-delivered",
      detail: `${j.what} holds none of the ${plural(total, "record")} of topic ${j.seeded.topic}.${example}${strangerNote} They are only in Kafka: a consumer has to read the topic from its first offset.`,
    };
  }
  if (leaked.length > 0) {
    const keys = [...new Set(leaked.map((l) => l.key))];
    findings.push({
      finding: "aborted-leaked",
      detail: `${plural(keys.length, "record")} of transactions that were aborted leaked into ${j.what}: ${listKeys(keys)} (${leaked[0]?.where}). Their producer rolled them back; they never happened. A consumer with the default isolation.level=read_uncommitted (kafka-console-consumer.sh, KafkaConsumer) still hands them out: read topic ${j.seeded.topic} with isolation.level=read_committed.`,
    });
  }
  if (poisoned.length > 0) {
    findings.push({
      finding: "poison-processed",
      detail: `${j.what} holds the poison record (${poisoned[0]}), a record cut off mid-write that is no event at all: it must be dropped, not stored.`,
    });
  }
  const repeated = [...counts.entries()].filter(([, n]) => n > 1);
  if (repeated.length > 0) {
    const examples = repeated.slice(0, 3).map(([key, n]) => `${key} ${times(n)}`);
    const more = repeated.length > 3 ? ` and ${repeated.length - 3} more` : "";
    const fromTopic = repeated.every(([key]) => redelivered.has(key));
    const why = fromTopic
      ? `The topic itself holds these records twice, as a producer's retry redelivers a record it could not confirm: with at least once, copies arrive. Keep one entry per ${kind === "card-payment" ? "id" : "timestamp"}: store each record under its key, so that a copy overwrites its original instead of adding a line.`
      : j.medium === "file"
        ? "They were processed again after a restart: a consumer that commits its offsets after processing (or every few seconds, as auto-commit does) reads everything since its last commit once more after a crash. For at most once, commit a record's offset before you process it."
        : "They were written more than once: without a transaction, a consume-transform-produce app that restarts writes what it produced since its last offset commit again. Write the output and the consumer's offsets in one transaction.";
    findings.push({
      finding: "duplicates",
      detail: `${plural(repeated.length, "record")} ${repeated.length === 1 ? "is" : "are"} in ${j.what} more than once: ${examples.join(", ")}${more}. ${why}`,
    });
  }
  if (present.length < total) {
    const missing = originals.filter((m) => !counts.has(m.key as string));
    const keys = missing.map((m) => m.key as string);
    const missingKeys = new Set(keys);
    const stuck = poisonPlaces(j.messages).find((place) => place.after.size > 0 && [...place.after].every((k) => missingKeys.has(k)));
    const why = stuck
      ? ` None of the records after the poison record on partition ${stuck.partition} (offset ${stuck.offset}) is there: a consumer that commits after processing crashes on it, and after every restart its committed offset brings it back to the same record, so it never gets past. Commit the offset before you process the record: the restarted consumer starts after it, and the poison record is lost (at most once).`
      : ` Read every partition of topic ${j.seeded.topic} to its end.`;
    findings.push({
      finding: "missing",
      detail: `${j.what} holds ${present.length} of the ${plural(total, "record")} of topic ${j.seeded.topic}; missing: ${listKeys(keys)}.${why}`,
    });
  }
  if (wrongValues.length > 0) {
    const [first] = wrongValues;
    const original = first ? byKey.get(first.key) : undefined;
    findings.push({
      finding: "wrong-values",
      detail: `${plural(wrongValues.length, "record")} in ${j.what} ${wrongValues.length === 1 ? "has" : "have"} other values than in topic ${j.seeded.topic}: ${first?.where} (${first?.key}) should be ${original?.value}. Store the values as the topic holds them.`,
    });
  }
  if (outsideTransactions.length > 0) {
    findings.push({
      finding: "not-transactional",
      detail: `${plural(outsideTransactions.length, "record")} in ${j.what} ${outsideTransactions.length === 1 ? "was" : "were"} not written in a transaction (e.g. ${outsideTransactions[0]}). A plain producer's writes and the consumer's offset commit succeed or fail apart, so a crash between them loses or repeats payments. Produce with a transactional producer (transactional_id) and commit the consumer's offsets inside the transaction (send_offsets_to_transaction).`,
    });
  }
  const failure = failedWith(findings);
  if (failure) return { ...failure, detail: failure.detail + strangerNote };
  const notes: string[] = [];
  if (redelivered.size > 0) notes.push(`the topic's ${plural(redelivered.size, "redelivered copy", "redelivered copies")} stored once`);
  if (poisons.length > 0) notes.push("without the poison record");
  if (abortedByKey.size > 0) notes.push(`none of the ${plural(abortedByKey.size, "record")} of aborted transactions`);
  if (j.requireTransactions) notes.push("all written in transactions");
  const extra = notes.length > 0 ? ` (${notes.join(", ")})` : "";
  return passed(`${j.what} holds each of the ${plural(total, "record")} of topic ${j.seeded.topic} exactly once${extra}.${strangerNote}`);
}
