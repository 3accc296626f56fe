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
    /** An HDFS directory of part files (absolute), or a directory in the workspace (relative). */
    path: z.string().min(1),
    storage: z.enum(["hdfs", "workspace"]),
    format: z.enum(["csv", "json"]),
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

export const checkSchema = z.discriminatedUnion("kind", [
  kafkaTopicCheckSchema,
  kafkaMessagesCheckSchema,
  kafkaConsumerGroupCheckSchema,
  hdfsPathCheckSchema,
  sparkOutputCheckSchema,
  commandCheckSchema,
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

export const datasetSchema = z.discriminatedUnion("kind", [sensorReadingsDatasetSchema]);

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
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type KafkaTopicCheck = z.infer<typeof kafkaTopicCheckSchema>;
export type KafkaMessagesCheck = z.infer<typeof kafkaMessagesCheckSchema>;
export type KafkaConsumerGroupCheck = z.infer<typeof kafkaConsumerGroupCheckSchema>;
export type HdfsPathCheck = z.infer<typeof hdfsPathCheckSchema>;
export type SparkOutputCheck = z.infer<typeof sparkOutputCheckSchema>;
export type CommandCheck = z.infer<typeof commandCheckSchema>;
export type Check = z.infer<typeof checkSchema>;
export type CheckKind = Check["kind"];
export type JsonFieldType = (typeof jsonFieldTypes)[number];
export type SensorReadingsDataset = z.infer<typeof sensorReadingsDatasetSchema>;
export type Dataset = z.infer<typeof datasetSchema>;
export type LabStep = z.infer<typeof stepSchema>;
export type Lab = z.infer<typeof labSchema>;
