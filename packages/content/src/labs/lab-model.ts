import * as z from "zod";

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
    /** An HDFS file the Spark application that wrote the output must have read (its tasks opened it). */
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
    /** Name of a grader computation over the learner's dataset, e.g. "daily-averages". */
    expected: z.string().min(1),
    /** Largest accepted absolute difference per value. */
    tolerance: z.number().min(0),
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

export const checkSchema = z.discriminatedUnion("kind", [
  kafkaTopicCheckSchema,
  kafkaMessagesCheckSchema,
  kafkaConsumerGroupCheckSchema,
  hdfsPathCheckSchema,
  sparkOutputCheckSchema,
  commandCheckSchema,
  consumedMessagesCheckSchema,
  kafkaKeyedMessagesCheckSchema,
  kafkaGroupMembersCheckSchema,
  deliveredRecordsCheckSchema,
  kafkaDeliveredRecordsCheckSchema,
]);

export const sensorReadingsDatasetSchema = z
  .object({
    kind: z.literal("sensor-readings"),
    /** Where the CSV lands, relative to the sandbox workspace (the learner's home). */
    file: z.string().min(1),
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

export const datasetSchema = z.discriminatedUnion("kind", [sensorReadingsDatasetSchema, vehiclePositionsDatasetSchema]);

/**
 * A topic lab-runner creates and fills when it seeds a sandbox. Its messages are another
 * sensor's readings drawn from the sandbox's seed, which the learner never sees, and they are
 * nowhere in the workspace: a result that lists them proves a consumer read the topic.
 */
export const seededRecordKinds = ["sensor-reading", "gps-position", "engine-misfire", "card-payment"] as const;

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
     * "engine-misfire" {engine,timestamp,cylinder,rpm}, "card-payment" {card,id,timestamp,amount}.
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
export type CommandCheck = z.infer<typeof commandCheckSchema>;
export type ConsumedMessagesCheck = z.infer<typeof consumedMessagesCheckSchema>;
export type KafkaKeyedMessagesCheck = z.infer<typeof kafkaKeyedMessagesCheckSchema>;
export type KafkaGroupMembersCheck = z.infer<typeof kafkaGroupMembersCheckSchema>;
export type DeliveredRecordsCheck = z.infer<typeof deliveredRecordsCheckSchema>;
export type KafkaDeliveredRecordsCheck = z.infer<typeof kafkaDeliveredRecordsCheckSchema>;
export type SeededRecordKind = (typeof seededRecordKinds)[number];
export type SeededTopic = z.infer<typeof seededTopicSchema>;
export type Check = z.infer<typeof checkSchema>;
export type CheckKind = Check["kind"];
export type JsonFieldType = (typeof jsonFieldTypes)[number];
export type SensorReadingsDataset = z.infer<typeof sensorReadingsDatasetSchema>;
export type VehiclePositionsDataset = z.infer<typeof vehiclePositionsDatasetSchema>;
export type Dataset = z.infer<typeof datasetSchema>;
export type LabStep = z.infer<typeof stepSchema>;
export type Lab = z.infer<typeof labSchema>;
