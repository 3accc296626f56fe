import type * as z from "zod";
import { findComputation, computationNames } from "./datasets/computations";
import { generateDataset } from "./datasets/lab-dataset";
import { feedbackPlaceholders, labSchema, type Check, type Dataset, type Lab, type LabService } from "./lab-model";

/** The lesson keys of one edition, to check that a lab is attached to a lesson every edition has. */
export interface EditionLessons {
  id: string;
  lessonKeys: ReadonlySet<string>;
}

/**
 * Everything wrong with a set of lab definitions, one message each naming the lab, the step and
 * the check ("lab kafka-sensor-readings, step create-topic, check 1 (kafka-topic): ..."). Empty
 * when every lab is sound. Runs the zod schema first, then the rules a schema cannot express.
 */
export function labProblems(definitions: readonly unknown[], editions: readonly EditionLessons[]): string[] {
  const problems: string[] = [];
  const slugs = new Map<string, number>();
  definitions.forEach((definition, index) => {
    const parsed = labSchema.safeParse(definition);
    const name = labName(definition, index);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `${name}${issueLocation(definition, issue)}: ${issue.message}`));
      return;
    }
    const lab = parsed.data;
    slugs.set(lab.slug, (slugs.get(lab.slug) ?? 0) + 1);
    problems.push(...semanticProblems(lab, editions).map((problem) => `${name}${problem}`));
  });
  for (const [slug, count] of slugs) if (count > 1) problems.push(`lab ${slug}: the slug is used by ${count} labs`);
  return problems;
}

function labName(definition: unknown, index: number): string {
  const slug = isRecord(definition) && typeof definition.slug === "string" ? definition.slug : undefined;
  return slug ? `lab ${slug}` : `lab #${index + 1}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** ", step create-topic, check 1 (kafka-topic): partitions" for a zod issue path. */
function issueLocation(definition: unknown, issue: z.core.$ZodIssue): string {
  const [first, stepIndex, third, checkIndex] = issue.path;
  let rest = issue.path;
  let where = "";
  if (first === "steps" && typeof stepIndex === "number") {
    const step = isRecord(definition) && Array.isArray(definition.steps) ? (definition.steps[stepIndex] as unknown) : undefined;
    where += `, ${stepName(step, stepIndex)}`;
    rest = issue.path.slice(2);
    if (third === "checks" && typeof checkIndex === "number") {
      const check = isRecord(step) && Array.isArray(step.checks) ? (step.checks[checkIndex] as unknown) : undefined;
      const kind = isRecord(check) && typeof check.kind === "string" ? ` (${check.kind})` : "";
      where += `, check ${checkIndex + 1}${kind}`;
      rest = issue.path.slice(4);
    }
  }
  return rest.length > 0 ? `${where}: ${rest.map(String).join(".")}` : where;
}

function stepName(step: unknown, index: number): string {
  return isRecord(step) && typeof step.id === "string" ? `step ${step.id}` : `step #${index + 1}`;
}

function semanticProblems(lab: Lab, editions: readonly EditionLessons[]): string[] {
  const problems: string[] = [];
  for (const edition of editions) {
    if (!edition.lessonKeys.has(lab.lessonKey)) problems.push(`: lesson ${lab.lessonKey} does not exist in edition ${edition.id}`);
  }
  if (new Set(lab.services).size !== lab.services.length) problems.push(": services lists a service twice");
  if (lab.dataset && !isWorkspacePath(lab.dataset.file)) {
    problems.push(`: dataset file ${lab.dataset.file} must be a relative path inside the workspace (no leading /, no ..)`);
  }
  const datasetBytes = lab.dataset ? datasetSize(lab.dataset) : undefined;
  const seen = new Set<string>();
  lab.steps.forEach((step) => {
    if (seen.has(step.id)) problems.push(`, step ${step.id}: duplicate step id`);
    seen.add(step.id);
    step.checks.forEach((check, i) => {
      const where = `, step ${step.id}, check ${i + 1} (${check.kind})`;
      problems.push(...checkProblems(check, lab, datasetBytes).map((problem) => `${where}: ${problem}`));
    });
  });
  return problems;
}

const servicesOf: Record<Check["kind"], (check: Check) => LabService[]> = {
  "kafka-topic": () => ["kafka"],
  "kafka-messages": () => ["kafka"],
  "kafka-consumer-group": () => ["kafka"],
  "hdfs-path": () => ["hdfs"],
  "spark-output": () => ["spark", "hdfs"],
  command: () => [],
  "consumed-messages": () => ["kafka"],
  "kafka-keyed-messages": () => ["kafka"],
  "kafka-group-members": () => ["kafka"],
  "delivered-records": () => ["kafka"],
  "kafka-delivered-records": () => ["kafka"],
};

function checkProblems(check: Check, lab: Lab, datasetBytes: number | undefined): string[] {
  const problems: string[] = [];
  for (const service of servicesOf[check.kind](check)) {
    if (!lab.services.includes(service)) problems.push(`needs the ${service} service, which the lab does not list`);
  }
  for (const template of [check.feedback?.pass, check.feedback?.fail]) {
    for (const [, name] of template?.matchAll(/\{(\w+)\}/g) ?? []) {
      if (!(feedbackPlaceholders as readonly string[]).includes(name ?? "")) {
        problems.push(`feedback template uses {${name}}; known placeholders: ${feedbackPlaceholders.map((p) => `{${p}}`).join(", ")}`);
      }
    }
  }
  const usesDataset = (check.kind === "kafka-messages" && check.matchesDataset) || (check.kind === "hdfs-path" && check.content === "dataset");
  if (usesDataset && !lab.dataset) problems.push("compares with the learner's dataset, but the lab has no dataset");
  switch (check.kind) {
    case "kafka-messages":
      if (check.matchesDataset && lab.dataset && check.minCount > generateDataset(lab.dataset, "validate").readings.length) {
        problems.push(`minCount ${check.minCount} is more than the dataset's readings, so nobody can pass`);
      }
      break;
    case "hdfs-path":
      if (!isHdfsPath(check.path)) problems.push(`path ${check.path} must be an absolute HDFS path without . or .. segments`);
      if (check.type === "directory" && (check.content || check.blockSize || check.minBlocks || check.replication)) {
        problems.push("content, blockSize, minBlocks and replication apply to files, not directories");
      }
      if (check.content === "dataset" && check.blockSize && check.minBlocks && datasetBytes !== undefined) {
        const blocks = Math.ceil(datasetBytes / check.blockSize);
        if (check.minBlocks > blocks) problems.push(`minBlocks ${check.minBlocks} is more than the dataset's ${blocks} blocks`);
      }
      break;
    case "spark-output":
      if (!findComputation(check.expected)) {
        problems.push(`unknown computation "${check.expected}" (known: ${computationNames.join(", ")})`);
      }
      if (!lab.dataset) problems.push("the grader computes the expected output from the dataset, but the lab has no dataset");
      if (!isHdfsPath(check.path)) problems.push(`path ${check.path} must be an absolute HDFS path`);
      if (check.input !== undefined && !isHdfsPath(check.input)) problems.push(`input ${check.input} must be an absolute HDFS path`);
      if (check.partitionedBy !== undefined && !findComputation(check.expected)?.partitions?.[check.partitionedBy]) {
        problems.push(
          `"${check.expected}" cannot be partitioned by ${check.partitionedBy}: the grader does not know the ${check.partitionedBy} of its keys`,
        );
      }
      break;
    case "kafka-keyed-messages":
      if (lab.dataset?.kind !== "vehicle-positions")
        problems.push("compares with the learner's vehicle positions, but the lab has no vehicle-positions dataset");
      break;
    case "consumed-messages":
      if (!isWorkspacePath(check.file)) problems.push(`file ${check.file} must be a relative path inside the workspace (no leading /, no ..)`);
      if (!lab.seededTopics?.some((seeded) => seeded.topic === check.topic)) {
        problems.push(`topic ${check.topic} is not one of the lab's seededTopics, so the grader has no messages to look for`);
      }
      break;
    case "delivered-records":
      if (!isWorkspacePath(check.file)) problems.push(`file ${check.file} must be a relative path inside the workspace (no leading /, no ..)`);
      if (!lab.seededTopics?.some((seeded) => seeded.topic === check.topic)) {
        problems.push(`topic ${check.topic} is not one of the lab's seededTopics, so the grader has no records to look for`);
      }
      break;
    case "kafka-delivered-records":
      if (!lab.seededTopics?.some((seeded) => seeded.topic === check.from)) {
        problems.push(`from ${check.from} is not one of the lab's seededTopics, so the grader has no records to look for`);
      }
      if (lab.seededTopics?.some((seeded) => seeded.topic === check.topic)) {
        problems.push(`topic ${check.topic} is seeded by lab-runner; the learner's output must go to a topic of their own`);
      }
      break;
    default:
      break;
  }
  return problems;
}

/** The sizes of a dataset do not depend on the seed (fixed-width lines), so any seed measures them. */
function datasetSize(dataset: Dataset): number {
  return new TextEncoder().encode(generateDataset(dataset, "validate").content).length;
}

/** "data/readings.csv": relative, and no segment that could climb out of the workspace. */
export function isWorkspacePath(path: string): boolean {
  if (path.startsWith("/") || path.startsWith("~") || path.includes("\\")) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

function isHdfsPath(path: string): boolean {
  if (!path.startsWith("/")) return false;
  if (path === "/") return true;
  return path
    .slice(1)
    .split("/")
    .every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
