import { generateDataset, type Lab } from "@cookbook/content/labs";
import { KafkaConnection } from "./kafka-connection";
import type { GradeTarget } from "./lab-grade";
import { paymentFeed } from "./payment-feed";
import { seededRecordMessages, usesSeededRecords } from "./seeded-records";
import { seededTopicMessages } from "./seeded-topics";

/** Writes stdin to the file named by $1 (relative to the workspace), creating its directory. */
const writeFileScript = 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"';

export interface SeededLab {
  /** Where the dataset went and its size; null for a lab without one. */
  dataset: { file: string; bytes: number } | null;
  /** Messages published per seeded topic. */
  topics: Record<string, number>;
}

/**
 * Seeds a learner's sandbox for a lab, through the driver and the sandbox's endpoints so it
 * works for any driver: the dataset (generated from the seed) goes into the workspace through
 * exec with stdin, and every seeded topic is created and filled from the broker's side. A topic
 * that already holds its messages is left alone, so seeding again changes nothing.
 */
export async function seedLab(lab: Lab, target: GradeTarget): Promise<SeededLab> {
  const seeded: SeededLab = { dataset: null, topics: {} };
  if (lab.dataset) {
    const dataset = generateDataset(lab.dataset, target.seed);
    const result = await target.driver.exec(target.sandboxId, ["/bin/sh", "-c", writeFileScript, "seed-lab", dataset.file], {
      stdin: dataset.content,
      timeoutMs: 60_000,
    });
    if (result.exitCode !== 0) {
      throw new Error(`seeding lab ${lab.slug} into sandbox ${target.sandboxId} failed: ${result.timedOut ? "timed out" : result.stderr.trim()}`);
    }
    seeded.dataset = { file: dataset.file, bytes: Buffer.byteLength(dataset.content) };
  }
  if (lab.seededTopics?.length) {
    const status = await target.driver.status(target.sandboxId);
    const bootstrap = status?.endpoints.kafkaBootstrapServers;
    if (!bootstrap) throw new Error(`seeding lab ${lab.slug}: sandbox ${target.sandboxId} has no Kafka endpoint`);
    const kafka = new KafkaConnection(bootstrap, "lab-seeder");
    try {
      for (const topic of lab.seededTopics) {
        // A Lambda lab's payment feed goes on from the dataset's payments (payment-feed.ts).
        if (topic.continuesDataset && lab.dataset?.kind === "card-payments") {
          seeded.topics[topic.topic] = await kafka.publishOnce(topic.topic, topic.partitions, paymentFeed(topic, lab.dataset, target.seed).messages);
          continue;
        }
        // Delivery-semantics topics (copies, poison, aborted transactions) come from seeded-records.ts.
        const records = usesSeededRecords(topic) ? seededRecordMessages(topic, target.seed) : undefined;
        seeded.topics[topic.topic] = records?.some((m) => m.transaction !== undefined)
          ? await kafka.publishTransactionsOnce(topic.topic, topic.partitions, records)
          : await kafka.publishOnce(topic.topic, topic.partitions, records ?? seededTopicMessages(topic, target.seed));
      }
    } finally {
      await kafka.close();
    }
  }
  return seeded;
}
