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
  /** The message key; null for a message produced without one. */
  key?: Buffer | null;
  /** When the producer wrote it (epoch ms, as text), which orders a window's updates across partitions. */
  timestamp?: string;
}

export interface PartitionRange {
  partition: number;
  /** First offset still in the log. */
  low: number;
  /** Offset the next message will get (the log end). */
  high: number;
}

/**
 * Runs a group request again while the broker answers "not the coordinator" or "the coordinator
 * is loading": a broker that has just started, or moved a group, or meets its first group, says so
 * until it has loaded the offsets topic, which can take longer than the client's own retries.
 * Up to 10 s, then the error stands.
 */
async function whileCoordinatorMoves<T>(request: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await request();
    } catch (error) {
      const coordinatorMoving = /coordinator/i.test(
        `${(error as Error).message} ${(error as { originalError?: Error }).originalError?.message ?? ""}`,
      );
      if (!coordinatorMoving || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * One grading run's connection to the sandbox's broker, opened on first use and shared by its
 * Kafka checks. The admin client never auto-creates topics (kafkajs sets that for admins), so
 * looking at a missing topic does not create it.
 */
export class KafkaConnection {
  private readonly kafka: Kafka;
  private admin: Promise<Admin> | undefined;

  constructor(bootstrapServers: string, clientId = "lab-grader") {
    this.kafka = new Kafka({
      clientId,
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

  /** A group's committed offsets on a topic, asked again while the coordinator moves or loads. */
  async committedOffsets(groupId: string, topic: string) {
    return whileCoordinatorMoves(() => this.withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] })));
  }

  /**
   * Every message currently in the topic (up to a cap), read by a throwaway consumer group that
   * starts at the beginning, never commits, and is deleted afterwards, so the learner's own
   * groups and offsets are untouched. The first group a broker sees makes it create and load its
   * offsets topic ("the coordinator is loading"): such a read is tried again, as committedOffsets does.
   */
  async readMessages(topic: string, ranges: readonly PartitionRange[], signal: AbortSignal): Promise<TopicMessage[]> {
    return whileCoordinatorMoves(() => this.readMessagesOnce(topic, ranges, signal));
  }

  private async readMessagesOnce(topic: string, ranges: readonly PartitionRange[], signal: AbortSignal): Promise<TopicMessage[]> {
    const pending = new Map(ranges.filter((r) => r.high > r.low).map((r) => [r.partition, r.high]));
    if (pending.size === 0) return [];
    const { groupId, consumer } = this.throwawayConsumer();
    const messages: TopicMessage[] = [];
    // Removed when the read ends: a live check reads again every second on the same signal.
    let onAbort: (() => void) | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        onAbort = () => resolve();
        signal.addEventListener("abort", onAbort, { once: true });
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              messages.push({ partition, offset: message.offset, value: message.value, key: message.key, timestamp: message.timestamp });
              const end = pending.get(partition);
              if (end !== undefined && Number(message.offset) + 1 >= end) pending.delete(partition);
              if (pending.size === 0 || messages.length >= maxMessagesRead) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
      await consumer.disconnect().catch(() => undefined);
      await this.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    }
    return messages;
  }

  /**
   * Creates the topic and publishes the messages to their partitions, unless the topic already
   * holds at least that many (seeding twice adds nothing). Returns how many it published.
   */
  async publishOnce(topic: string, partitions: number, messages: readonly { partition: number; key?: string; value: string }[]): Promise<number> {
    if (await this.topicExists(topic)) {
      const held = (await this.partitionRanges(topic)).reduce((sum, r) => sum + (r.high - r.low), 0);
      if (held >= messages.length) return 0;
    } else {
      await this.withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }));
    }
    await this.publish(topic, messages);
    return messages.length;
  }

  /**
   * Publishes the messages to an existing topic, each to its partition if it names one, else by
   * its key (or spread when it has none), acknowledged by the broker before this returns.
   */
  async publish(topic: string, messages: readonly { partition?: number; key?: string; value: string }[]): Promise<void> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          value: m.value,
          ...(m.partition === undefined ? {} : { partition: m.partition }),
          ...(m.key === undefined ? {} : { key: m.key }),
        })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * Like publishOnce, for a topic whose messages belong to transactions (`transaction`, in
   * order): each transaction is produced by a transactional producer and committed, or aborted
   * when its messages say `abortTransaction`. The aborted records stay in the log, invisible to
   * read_committed consumers.
   */
  async publishTransactionsOnce(
    topic: string,
    partitions: number,
    messages: readonly { partition: number; value: string; transaction?: number; abortTransaction?: boolean }[],
  ): Promise<number> {
    if (await this.topicExists(topic)) {
      const held = (await this.partitionRanges(topic)).reduce((sum, r) => sum + (r.high - r.low), 0);
      if (held >= messages.length) return 0;
    } else {
      await this.withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }));
    }
    const producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      transactionalId: `lab-seeder-${topic}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const order = [...new Set(messages.map((m) => m.transaction ?? 0))];
      for (const id of order) {
        const batch = messages.filter((m) => (m.transaction ?? 0) === id);
        const transaction = await producer.transaction();
        try {
          await transaction.send({ topic, acks: -1, messages: batch.map((m) => ({ partition: m.partition, value: m.value })) });
        } catch (error) {
          await transaction.abort().catch(() => undefined);
          throw error;
        }
        if (batch.some((m) => m.abortTransaction)) await transaction.abort();
        else await transaction.commit();
      }
    } finally {
      await producer.disconnect();
    }
    return messages.length;
  }

  /**
   * Every record of the topic as a read_committed consumer sees it (up to a cap), with whether
   * it was written in a transaction. A partition counts as read when a fetched batch reaches its
   * end, control markers included; and reading stops when nothing more arrives for a few seconds
   * (a transaction the learner left open holds read_committed consumers back).
   */
  async readCommittedRecords(
    topic: string,
    ranges: readonly PartitionRange[],
    signal: AbortSignal,
  ): Promise<(TopicMessage & { inTransaction: boolean })[]> {
    const pending = new Map(ranges.filter((r) => r.high > r.low).map((r) => [r.partition, r.high]));
    if (pending.size === 0) return [];
    const { groupId, consumer } = this.throwawayConsumer();
    const messages: (TopicMessage & { inTransaction: boolean })[] = [];
    let idle: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const restartIdle = () => {
          clearTimeout(idle);
          idle = setTimeout(resolve, 8000);
        };
        restartIdle();
        signal.addEventListener("abort", () => resolve(), { once: true });
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          restartIdle();
          const end = pending.get(payload.partition);
          if (end !== undefined && Number(payload.lastOffset) + 1 >= end) pending.delete(payload.partition);
          if (pending.size === 0 || messages.length >= maxMessagesRead) resolve();
        });
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const context = (message as { batchContext?: { inTransaction?: boolean } }).batchContext;
              messages.push({
                partition,
                offset: message.offset,
                value: message.value,
                key: message.key,
                inTransaction: context?.inTransaction === true,
              });
            },
          })
          .catch(reject);
      });
    } finally {
      clearTimeout(idle);
      await consumer.disconnect().catch(() => undefined);
      await this.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    }
    return messages;
  }

  async close(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  /** A read_committed consumer in a group of its own, which the caller deletes when done. */
  private throwawayConsumer() {
    const groupId = `${graderGroupPrefix}${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      readUncommitted: false,
      retry: { retries: 2 },
    });
    return { groupId, consumer };
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
