import { randomUUID } from "node:crypto";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { SandboxUnavailable, summariseError } from "./check-failure";

/** Consumer groups the grader creates to read a topic; left out of what learners are told exists. */
export const graderGroupPrefix = "lab-grader-";

/** Reading stops here: a learner who produced millions of messages must not stall grading. */
const maxMessagesRead = 20_000;

export interface TopicMessage {
  partition: number;
  offset: string;
  value: Buffer | null;
}

export interface PartitionRange {
  partition: number;
  /** First offset still in the log. */
  low: number;
  /** Offset the next message will get (the log end). */
  high: number;
}

/**
 * One grading run's connection to the sandbox's broker, opened on first use and shared by its
 * Kafka checks. The admin client never auto-creates topics (kafkajs sets that for admins), so
 * looking at a missing topic does not create it.
 */
export class KafkaConnection {
  private readonly kafka: Kafka;
  private admin: Promise<Admin> | undefined;

  constructor(bootstrapServers: string) {
    this.kafka = new Kafka({
      clientId: "lab-grader",
      brokers: [bootstrapServers],
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { retries: 2, initialRetryTime: 200 },
      logLevel: logLevel.NOTHING,
    });
  }

  async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    this.admin ??= this.connectAdmin();
    return use(await this.admin);
  }

  async topicExists(topic: string): Promise<boolean> {
    return this.withAdmin(async (admin) => (await admin.listTopics()).includes(topic));
  }

  /** Topics a learner made (no internal ones), for "did you mean" feedback. */
  async learnerTopics(): Promise<string[]> {
    return this.withAdmin(async (admin) => (await admin.listTopics()).filter((topic) => !topic.startsWith("__")).sort());
  }

  async partitionRanges(topic: string): Promise<PartitionRange[]> {
    return this.withAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(topic))
        .map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }))
        .sort((a, b) => a.partition - b.partition),
    );
  }

  /**
   * Every message currently in the topic (up to a cap), read by a throwaway consumer group that
   * starts at the beginning, never commits, and is deleted afterwards, so the learner's own
   * groups and offsets are untouched.
   */
  async readMessages(topic: string, ranges: readonly PartitionRange[], signal: AbortSignal): Promise<TopicMessage[]> {
    const pending = new Map(ranges.filter((r) => r.high > r.low).map((r) => [r.partition, r.high]));
    if (pending.size === 0) return [];
    const groupId = `${graderGroupPrefix}${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      retry: { retries: 2 },
    });
    const messages: TopicMessage[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => resolve();
        signal.addEventListener("abort", onAbort, { once: true });
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              messages.push({ partition, offset: message.offset, value: message.value });
              const end = pending.get(partition);
              if (end !== undefined && Number(message.offset) + 1 >= end) pending.delete(partition);
              if (pending.size === 0 || messages.length >= maxMessagesRead) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await this.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    }
    return messages;
  }

  async close(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  private async connectAdmin(): Promise<Admin> {
    const admin = this.kafka.admin({ retry: { retries: 2 } });
    try {
      await admin.connect();
      return admin;
    } catch (error) {
      throw new SandboxUnavailable(`Could not reach Kafka in your sandbox (${summariseError(error)}).`);
    }
  }
}
