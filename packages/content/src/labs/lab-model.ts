import * as z from "zod";
import { kafkaViewNames } from "./kafka-views";

/**
 * A lab: typed data attached to a cookbook lesson. The grader in apps/lab-runner reads the
 * sandbox's real state for every check; nothing here knows how a sandbox is run.
 */

/** The services a sandbox can run. Mirrors lab-runner's driver enum on purpose: content imports nothing from apps. */
export const labServiceNames = ["kafka", "hdfs", "spark"] as const;
export type LabService = (typeof labServiceNames)[number];

const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const kebabCase = (what: string) => z.string().regex(kebab, `${what} must be kebab-case (a-z, 0-9, single dashes)`);

/** Placeholders a feedback template may use; {detail} is the grader's own finding. */
export const feedbackPlaceholders = ["detail", "description"] as const;

/**
 * Optional wording around the grader's finding, e.g. fail: "{detail} Create it with kafka-topics.sh --create."
 * Without a template the finding alone is the feedback.
 */
const feedbackTemplates = z
  .object({ pass: z.string().min(1).optional(), fail: z.string().min(1).optional() })
  .strict()
  .optional();

/** Every check may override the grader's default timeout (a Spark output or a slow command needs longer). */
const checkBase = {
  feedback: feedbackTemplates,
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
};

const kafkaTopicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, "a Kafka topic name: letters, digits, '.', '_', '-'");

export const kafkaTopicCheckSchema = z
  .object({
    kind: z.literal("kafka-topic"),
    topic: kafkaTopicName,
    partitions: z.number().int().min(1).optional(),
    /** Topic-level configs that must have exactly these values, e.g. { "retention.ms": "86400000" }. */
    configs: z.record(z.string().min(1), z.string()).optional(),
    ...checkBase,
  })
  .strict();

export const jsonFieldTypes = ["string", "number", "boolean"] as const;

export const kafkaMessagesCheckSchema = z
  .object({
    kind: z.literal("kafka-messages"),
    topic: kafkaTopicName,
    /** With matchesDataset: distinct readings of the learner's own dataset; otherwise messages of the right shape. */
    minCount: z.number().int().min(1),
    /** Every counted message is a JSON object with at least these fields of these types. */
    shape: z.record(z.string().min(1), z.enum(jsonFieldTypes)),
    /** Messages must be readings of THIS learner's dataset (timestamp + value), so a copied answer does not count. */
    matchesDataset: z.boolean().optional(),
    ...checkBase,
  })
  .strict();

export const kafkaConsumerGroupCheckSchema = z
  .object({
    kind: z.literal("kafka-consumer-group"),
    group: z.string().min(1).max(249),
    topic: kafkaTopicName,
    /** Sum of the group's committed offsets over the topic's partitions (messages it has consumed) must reach this. */
    minCommittedTotal: z.number().int().min(1).optional(),
    /** Every partition of the topic must have a committed offset at its end: the group has read it all. */
    requireAllPartitions: z.boolean().optional(),
    ...checkBase,
  })
  .strict();

export const hdfsPathCheckSchema = z
  .object({
    kind: z.literal("hdfs-path"),
    path: z.string().min(1),
    type: z.enum(["file", "directory"]).optional(),
    minSize: z.number().int().min(0).optional(),
    replication: z.number().int().min(1).optional(),
    blockSize: z.number().int().min(1).optional(),
    minBlocks: z.number().int().min(1).optional(),
    /** "dataset": the file holds exactly the learner's seeded dataset, byte for byte. */
    content: z.literal("dataset").optional(),
    ...checkBase,
  })
  .strict();

export const sparkOutputCheckSchema = z
  .object({
    kind: z.literal("spark-output"),
    /**
     * An HDFS directory of part files (absolute). Only HDFS: its NameNode records which files a
     * Spark task wrote, while anything in the workspace could have been written by hand.
     */
    path: z.string().min(1),
    /**
     * An HDFS file the Spark application that wrote the output must have read (its tasks opened
     * it), or a directory (an earlier step's Parquet) one of whose files they opened.
     */
    input: z.string().min(1).optional(),
    /** "parquet": Spark's columnar files (read with hyparquet); csv and json are text. */
    format: z.enum(["csv", "json", "parquet"]),
    /**
     * The output is partitioned by this column (`.partitionBy("day")`): its part files lie in
     * `day=2016-05-01/` directories, which give the column its value, and each row must be in the
     * directory of its own key's partition.
     */
    partitionedBy: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a column name")
      .optional(),
    /** Name of a grader computation over the learner's dataset (or, per sensor, every sensor of a pipeline), e.g. "daily-averages". */
    expected: z.string().min(1),
    /** Largest accepted absolute difference per value. */
    tolerance: z.number().min(0),
    ...checkBase,
  })
  .strict();

export const mapreduceOutputCheckSchema = z
  .object({
    kind: z.literal("mapreduce-output"),
    /**
     * An HDFS directory of part files (absolute) holding `key<TAB>value` lines, as a MapReduce
     * job's TextOutputFormat writes them. The NameNode's audit log must show the job wrote them:
     * each created in a reduce task attempt's directory and committed by the job, over the one
     * connection that read `input` and wrote the `_SUCCESS` marker.
     */
    path: z.string().min(1),
    /** An HDFS file the job must have read. */
    input: z.string().min(1),
    /** Name of a grader computation over the learner's dataset, e.g. "daily-averages". */
    expected: z.string().min(1),
    /** Largest accepted absolute difference per value. */
    tolerance: z.number().min(0),
    /** At least this many reduce tasks wrote part files (`-numReduceTasks`): the reduce phase in parallel. */
    minReduceTasks: z.number().int().min(1).max(16).optional(),
    /**
     * A workspace file the learner saved the job's console output in (`2>&1 | tee <file>`): it
     * must be the run that wrote `path`, and its counters must agree with the data. It only
     * corroborates the audit log, since the learner writes it.
     */
    jobLog: z.string().min(1).optional(),
    ...checkBase,
  })
  .strict();

export const commandCheckSchema = z
  .object({
    kind: z.literal("command"),
    /** Trusted argv run in the sandbox; its verdict must not rest on files the learner can edit. */
    argv: z.array(z.string().min(1)).min(1),
    expectExitCode: z.number().int().optional(),
    stdoutIncludes: z.string().min(1).optional(),
    ...checkBase,
  })
  .strict();

export const consumedMessagesCheckSchema = z
  .object({
    kind: z.literal("consumed-messages"),
    /** A file in the workspace where the learner's consumer wrote the messages it read, one per line. */
    file: z.string().min(1),
    /** One of the lab's seededTopics: its messages exist only in Kafka, so only a consumer that read them can list them. */
    topic: kafkaTopicName,
    ...checkBase,
  })
  .strict();

export const kafkaKeyedMessagesCheckSchema = z
  .object({
    kind: z.literal("kafka-keyed-messages"),
    topic: kafkaTopicName,
    /**
     * What the topic must show of the learner's vehicle-positions dataset, every message keyed by its vehicle:
     * "all-in-order": every position is there, each vehicle's on one partition, in timestamp order;
     * "latest-per-key": each vehicle's last message is its latest position (what compaction keeps).
     */
    expect: z.enum(["all-in-order", "latest-per-key"]),
    ...checkBase,
  })
  .strict();

export const kafkaGroupMembersCheckSchema = z
  .object({
    kind: z.literal("kafka-group-members"),
    group: z.string().min(1).max(249),
    topic: kafkaTopicName,
    /** Running consumers of the group that each own at least one partition of the topic. */
    minMembers: z.number().int().min(1),
    ...checkBase,
  })
  .strict();

export const deliveredRecordsCheckSchema = z
  .object({
    kind: z.literal("delivered-records"),
    /** A workspace file of JSON lines where the learner's consumer stored the records it processed. */
    file: z.string().min(1),
    /**
     * One of the lab's seededTopics: each of its records must be in the file exactly once (by its key:
     * the timestamp, or a payment's id), with its values, and none of its poison or aborted records.
     */
    topic: kafkaTopicName,
    ...checkBase,
  })
  .strict();

export const kafkaDeliveredRecordsCheckSchema = z
  .object({
    kind: z.literal("kafka-delivered-records"),
    /** The learner's output topic, read with isolation.level=read_committed. */
    topic: kafkaTopicName,
    /** The seededTopic the records come from: each committed record once, none of an aborted transaction. */
    from: kafkaTopicName,
    /** Every record counted must have been written in a (committed) transaction. */
    transactional: z.boolean().optional(),
    ...checkBase,
  })
  .strict();

export const kafkaViewCheckSchema = z
  .object({
    kind: z.literal("kafka-view"),
    /** The learner's view topic: each key's latest message (what compaction keeps) is that key's row. */
    topic: kafkaTopicName,
    /** The seededTopic of "shop-sale" records the view is derived from, all of them from its first offset. */
    from: kafkaTopicName,
    /** The grader's own computation of the view over every record of `from` (src/labs/kafka-views.ts). */
    view: z.enum(kafkaViewNames),
    ...checkBase,
  })
  .strict();

export const speedViewCheckSchema = z
  .object({
    kind: z.literal("speed-view"),
    /** A workspace file where the learner's speed layer keeps its view: one JSON object of per-card totals. */
    file: z.string().min(1),
    /** The lab's seededTopic that continues its card-payments dataset: the view covers its payments since the cut-off. */
    topic: kafkaTopicName,
    ...checkBase,
  })
  .strict();

/** How long one run of a learner's serving query may take before it counts as hanging. */
export const servingQueryRunSeconds = 20;

export const servingQueryCheckSchema = z
  .object({
    kind: z.literal("serving-query"),
    /**
     * The learner's serving query, run in the sandbox with the learner's own rights (it is their
     * program), printing one JSON object of per-card totals. Unlike a `command` check's, its
     * verdict rests on what only the work gives: the totals of payments that exist only in Kafka,
     * and of payments the grader publishes while it checks.
     */
    argv: z.array(z.string().min(1)).min(1),
    /** The lab's seededTopic that continues its card-payments dataset, where the grader publishes its own payments. */
    topic: kafkaTopicName,
    /** How long the answer has to show the grader's payments, from its first run. */
    withinSeconds: z.number().int().min(5).max(300),
    ...checkBase,
  })
  .strict();

export const kafkaTopNWindowsCheckSchema = z
  .object({
    kind: z.literal("kafka-top-n-windows"),
    /** The learner's output topic: per tumbling window, its `top` most viewed titles (the window's latest message counts). */
    topic: kafkaTopicName,
    /** The seededTopic of "viewing-event" records the windows are counted from. */
    from: kafkaTopicName,
    top: z.number().int().min(1).max(10),
    windowSeconds: z.number().int().min(1).max(3600),
    /**
     * The longest watermark delay the lab allows: windows that end less than this before the
     * topic's latest event may still be open in a job that emits a window once it is closed, so
     * they are not judged.
     */
    maxDelaySeconds: z.number().int().min(0).max(3600),
    ...checkBase,
  })
  .strict();

export const kafkaLiveTopNCheckSchema = z
  .object({
    kind: z.literal("kafka-live-top-n"),
    /** The learner's output topic, as for kafka-top-n-windows. */
    topic: kafkaTopicName,
    /** The seededTopic of "viewing-event" records the learner's running job reads: the grader publishes its burst there. */
    input: kafkaTopicName,
    top: z.number().int().min(1).max(10),
    windowSeconds: z.number().int().min(1).max(3600),
    /** After the burst the grader publishes one view this long (plus 5 s) after the window's end, to move a watermark past it. */
    maxDelaySeconds: z.number().int().min(0).max(3600),
    /** How long the job has, from the burst, to rank it first in the output. */
    withinSeconds: z.number().int().min(1).max(300),
    ...checkBase,
  })
  .strict();

/**
 * What both window-average checks read from a learner's output topic: JSON messages, each one
 * sensor's average over one tumbling event-time window (see lab-runner's checks/window-averages.ts
 * for the field names accepted).
 */
const windowAveragesSpec = {
  /** Tumbling windows of this length, aligned to the epoch like Spark's window(): a reading at t falls in [floor(t), floor(t) + length). */
  windowSeconds: z.number().int().min(10).max(86_400),
  /**
   * The longest watermark delay the lab allows: a job that writes a window once its watermark has
   * passed it may not have written the windows that end less than this before the latest reading.
   */
  maxDelaySeconds: z.number().int().min(0).max(3600),
  /** Largest accepted absolute difference of an average. */
  tolerance: z.number().min(0),
};

export const kafkaWindowAveragesCheckSchema = z
  .object({
    kind: z.literal("kafka-window-averages"),
    /** The learner's output topic: the average of every window of the dataset's readings, under the dataset's sensor name. */
    topic: kafkaTopicName,
    ...windowAveragesSpec,
    ...checkBase,
  })
  .strict();

export const kafkaLiveWindowAveragesCheckSchema = z
  .object({
    kind: z.literal("kafka-live-window-averages"),
    /** The learner's output topic, as for kafka-window-averages. */
    topic: kafkaTopicName,
    /** The topic the learner's running job reads: the grader publishes a probe sensor's readings there while it checks. */
    input: kafkaTopicName,
    ...windowAveragesSpec,
    /** How long the job has, from the grader's publishing, to write the probe window's average. */
    withinSeconds: z.number().int().min(1).max(300),
    ...checkBase,
  })
  .strict();

export const checkSchema = z.discriminatedUnion("kind", [
  kafkaTopicCheckSchema,
  kafkaMessagesCheckSchema,
  kafkaConsumerGroupCheckSchema,
  hdfsPathCheckSchema,
  sparkOutputCheckSchema,
  mapreduceOutputCheckSchema,
  commandCheckSchema,
  consumedMessagesCheckSchema,
  kafkaKeyedMessagesCheckSchema,
  kafkaGroupMembersCheckSchema,
  deliveredRecordsCheckSchema,
  kafkaDeliveredRecordsCheckSchema,
  kafkaTopNWindowsCheckSchema,
  kafkaLiveTopNCheckSchema,
  kafkaViewCheckSchema,
  speedViewCheckSchema,
  servingQueryCheckSchema,
  kafkaWindowAveragesCheckSchema,
  kafkaLiveWindowAveragesCheckSchema,
]);

export const sensorReadingsDatasetSchema = z
  .object({
    kind: z.literal("sensor-readings"),
    /** Where the CSV lands, relative to the sandbox workspace (the learner's home). */
    file: z.string().min(1),
    /**
     * The sensor's name, for a lab whose pipeline carries several sensors: the learner's messages
     * name it ("sensor"), kafka-messages with matchesDataset counts only messages that do, and
     * results per sensor list the dataset's readings under it.
     */
    sensor: kebabCase("sensor name").optional(),
    days: z.number().int().min(1).max(31),
    /** One reading roughly every this many seconds (each is jittered, never out of order). */
    intervalSeconds: z.number().int().min(1).max(86_400),
  })
  .strict();

export const vehiclePositionsDatasetSchema = z
  .object({
    kind: z.literal("vehicle-positions"),
    /** Where the CSV (timestamp,vehicle,lat,lon) lands, relative to the sandbox workspace. */
    file: z.string().min(1),
    /** Vans van-1 … van-N. */
    vehicles: z.number().int().min(1).max(26),
    positionsPerVehicle: z.number().int().min(1).max(1000),
    /** Each van reports about this often (jittered by less than half, never out of order). */
    intervalSeconds: z.number().int().min(1).max(3600),
  })
  .strict();

export const cardPaymentsDatasetSchema = z
  .object({
    kind: z.literal("card-payments"),
    /** Where the CSV (timestamp,id,card,amount) lands, relative to the sandbox workspace. */
    file: z.string().min(1),
    /** Cards with seed-drawn numbers, card-1000 … card-8999. */
    cards: z.number().int().min(1).max(20),
    /** The payments start at 2016-05-01 00:00:00 and end at the batch cut-off, this many days later. */
    days: z.number().int().min(1).max(31),
    payments: z.number().int().min(1).max(5000),
  })
  .strict();

export const datasetSchema = z.discriminatedUnion("kind", [sensorReadingsDatasetSchema, vehiclePositionsDatasetSchema, cardPaymentsDatasetSchema]);

/**
 * A topic lab-runner creates and fills when it seeds a sandbox. Its messages are another
 * sensor's readings drawn from the sandbox's seed, which the learner never sees, and they are
 * nowhere in the workspace: a result that lists them proves a consumer read the topic.
 */
export const seededRecordKinds = ["sensor-reading", "gps-position", "engine-misfire", "card-payment", "shop-sale", "viewing-event"] as const;

export const seededTopicSchema = z
  .object({
    topic: kafkaTopicName,
    partitions: z.number().int().min(1).max(12),
    /** Named in every message ("sensor"), so the learner can tell them from their own. */
    sensor: kebabCase("sensor name"),
    messages: z.number().int().min(1).max(1000),
    /**
     * What every message is (default "sensor-reading": {sensor,timestamp,value}). The others name
     * `sensor` as their vehicle, engine or card: "gps-position" {vehicle,timestamp,lat,lon},
     * "engine-misfire" {engine,timestamp,cylinder,rpm}, "card-payment" {card,id,timestamp,amount};
     * "shop-sale" {shop,id,timestamp,amount,currency} names its shops `sensor`-1 … `sensor`-4;
     * "viewing-event" {country,user,title,timestamp} (play events minute by minute, see
     * datasets/viewing-events.ts) names `sensor` as the country they were watched in.
     */
    record: z.enum(seededRecordKinds).optional(),
    /** This many messages are published a second time, later in their partition, as a producer's retry redelivers them. */
    duplicates: z.number().int().min(1).max(1000).optional(),
    /** This many extra records are torn (not JSON): a processor that parses them crashes. */
    poison: z.number().int().min(1).max(10).optional(),
    /**
     * The messages are published in committed transactions, and between them this many
     * transactions of two more records each are aborted: read_committed consumers never see those.
     */
    abortedTransactions: z.number().int().min(1).max(10).optional(),
    /**
     * The topic is the payment feed the lab's card-payments dataset was archived from, and goes on
     * past its cut-off: it still holds the dataset's last `overlap` payments (which the batch layer
     * has already), then `messages` payments after the cut-off by the dataset's cards and by the
     * new card `sensor`, keyed by card. Those exist only in Kafka.
     */
    continuesDataset: z
      .object({ overlap: z.number().int().min(1).max(100) })
      .strict()
      .optional(),
  })
  .strict();

export const stepSchema = z
  .object({
    id: kebabCase("step id"),
    title: z.string().min(1),
    instructions: z.string().min(1),
    hints: z.array(z.string().min(1)),
    points: z.number().int().min(1),
    checks: z.array(checkSchema).min(1, "a step needs at least one check"),
  })
  .strict();

export const labSchema = z
  .object({
    slug: kebabCase("slug"),
    /** Bumped whenever checks change, so stored attempts say which definition graded them. */
    version: z.number().int().min(1),
    title: z.string().min(1),
    lessonKey: z.string().regex(/^\d+(\.\d+)*-[a-z0-9-]+$/, "a lesson key like 21.5-how-to-produce-and-consume-messages"),
    services: z.array(z.enum(labServiceNames)).min(1),
    summary: z.string().min(1),
    dataset: datasetSchema.optional(),
    seededTopics: z.array(seededTopicSchema).optional(),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type KafkaTopicCheck = z.infer<typeof kafkaTopicCheckSchema>;
export type KafkaMessagesCheck = z.infer<typeof kafkaMessagesCheckSchema>;
export type KafkaConsumerGroupCheck = z.infer<typeof kafkaConsumerGroupCheckSchema>;
export type HdfsPathCheck = z.infer<typeof hdfsPathCheckSchema>;
export type SparkOutputCheck = z.infer<typeof sparkOutputCheckSchema>;
export type MapReduceOutputCheck = z.infer<typeof mapreduceOutputCheckSchema>;
export type CommandCheck = z.infer<typeof commandCheckSchema>;
export type ConsumedMessagesCheck = z.infer<typeof consumedMessagesCheckSchema>;
export type KafkaKeyedMessagesCheck = z.infer<typeof kafkaKeyedMessagesCheckSchema>;
export type KafkaGroupMembersCheck = z.infer<typeof kafkaGroupMembersCheckSchema>;
export type DeliveredRecordsCheck = z.infer<typeof deliveredRecordsCheckSchema>;
export type KafkaDeliveredRecordsCheck = z.infer<typeof kafkaDeliveredRecordsCheckSchema>;
export type KafkaTopNWindowsCheck = z.infer<typeof kafkaTopNWindowsCheckSchema>;
export type KafkaLiveTopNCheck = z.infer<typeof kafkaLiveTopNCheckSchema>;
export type KafkaViewCheck = z.infer<typeof kafkaViewCheckSchema>;
export type SpeedViewCheck = z.infer<typeof speedViewCheckSchema>;
export type ServingQueryCheck = z.infer<typeof servingQueryCheckSchema>;
export type KafkaWindowAveragesCheck = z.infer<typeof kafkaWindowAveragesCheckSchema>;
export type KafkaLiveWindowAveragesCheck = z.infer<typeof kafkaLiveWindowAveragesCheckSchema>;
export type SeededRecordKind = (typeof seededRecordKinds)[number];
export type SeededTopic = z.infer<typeof seededTopicSchema>;
export type Check = z.infer<typeof checkSchema>;
export type CheckKind = Check["kind"];
export type JsonFieldType = (typeof jsonFieldTypes)[number];
export type SensorReadingsDataset = z.infer<typeof sensorReadingsDatasetSchema>;
export type VehiclePositionsDataset = z.infer<typeof vehiclePositionsDatasetSchema>;
export type CardPaymentsDataset = z.infer<typeof cardPaymentsDatasetSchema>;
export type Dataset = z.infer<typeof datasetSchema>;
export type LabStep = z.infer<typeof stepSchema>;
export type Lab = z.infer<typeof labSchema>;
