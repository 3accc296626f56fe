import type * as z from "zod";
import { findComputation, computationNames } from "./datasets/computations";
import { generateDataset } from "./datasets/lab-dataset";
import { minViewingEvents } from "./datasets/viewing-events";
import { feedbackPlaceholders, labSchema, servingQueryRunSeconds, type Check, type Dataset, type Lab, type LabService } from "./lab-model";

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
  for (const seeded of lab.seededTopics ?? []) {
    // Play events are laid out minute by minute (datasets/viewing-events.ts): three whole minutes at least, nothing else mixed in.
    if (seeded.record !== "viewing-event") continue;
    if (seeded.messages < minViewingEvents) problems.push(`: seeded topic ${seeded.topic} needs at least ${minViewingEvents} viewing events`);
    if (seeded.duplicates || seeded.poison || seeded.abortedTransactions || seeded.continuesDataset) {
      problems.push(`: seeded topic ${seeded.topic} of viewing events takes no duplicates, poison, abortedTransactions or continuesDataset`);
    }
  }
  for (const seeded of lab.seededTopics ?? []) {
    // The feed goes on from the dataset's payments: it needs them, and is made of payments itself.
    if (!seeded.continuesDataset) continue;
    if (lab.dataset?.kind !== "card-payments" || seeded.record !== "card-payment") {
      problems.push(`: seeded topic ${seeded.topic} continues the dataset: it needs a card-payments dataset and record "card-payment"`);
    } else if (seeded.continuesDataset.overlap > lab.dataset.payments) {
      problems.push(
        `: seeded topic ${seeded.topic} overlaps ${seeded.continuesDataset.overlap} payments, more than the dataset's ${lab.dataset.payments}`,
      );
    }
    if (seeded.duplicates || seeded.poison || seeded.abortedTransactions) {
      problems.push(`: seeded topic ${seeded.topic} continues the dataset and takes no duplicates, poison or abortedTransactions`);
    }
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
  "mapreduce-output": () => ["hdfs"],
  command: () => [],
  "consumed-messages": () => ["kafka"],
  "kafka-keyed-messages": () => ["kafka"],
  "kafka-group-members": () => ["kafka"],
  "delivered-records": () => ["kafka"],
  "kafka-delivered-records": () => ["kafka"],
  "kafka-top-n-windows": () => ["kafka"],
  "kafka-live-top-n": () => ["kafka"],
  "kafka-view": () => ["kafka"],
  "speed-view": () => ["kafka"],
  "serving-query": () => ["kafka"],
  "kafka-window-averages": () => ["kafka"],
  "kafka-live-window-averages": () => ["kafka"],
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
      if (lab.dataset && (findComputation(check.expected)?.datasetKind ?? "sensor-readings") !== lab.dataset.kind) {
        problems.push(`"${check.expected}" is not computed over a ${lab.dataset.kind} dataset`);
      }
      // Without the name, the learner's own readings would be missing from a result per sensor.
      if (findComputation(check.expected)?.sensorColumn && !(lab.dataset?.kind === "sensor-readings" && lab.dataset.sensor)) {
        problems.push(`"${check.expected}" is a result per sensor: the lab's sensor-readings dataset must name its sensor`);
      }
      break;
    case "mapreduce-output": {
      const computation = findComputation(check.expected);
      if (!computation) problems.push(`unknown computation "${check.expected}" (known: ${computationNames.join(", ")})`);
      // A key<TAB>value line has no room for a sensor column.
      if (computation?.sensorColumn) problems.push(`"${check.expected}" is a result per sensor; a MapReduce output here is key<TAB>value lines`);
      if (!lab.dataset) problems.push("the grader computes the expected output from the dataset, but the lab has no dataset");
      else if ((computation?.datasetKind ?? "sensor-readings") !== lab.dataset.kind) {
        problems.push(`"${check.expected}" is not computed over a ${lab.dataset.kind} dataset`);
      }
      if (!isHdfsPath(check.path)) problems.push(`path ${check.path} must be an absolute HDFS path`);
      if (!isHdfsPath(check.input)) problems.push(`input ${check.input} must be an absolute HDFS path`);
      if (check.jobLog !== undefined && !isWorkspacePath(check.jobLog)) {
        problems.push(`jobLog ${check.jobLog} must be a relative path inside the workspace (no leading /, no ..)`);
      }
      break;
    }
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
    case "kafka-view": {
      const from = lab.seededTopics?.find((seeded) => seeded.topic === check.from);
      if (from?.record !== "shop-sale") {
        problems.push(`from ${check.from} must be one of the lab's seededTopics of "shop-sale" records: the view is computed from sales`);
      }
      if (lab.seededTopics?.some((seeded) => seeded.topic === check.topic)) {
        problems.push(`topic ${check.topic} is seeded by lab-runner; the learner's view must go to a topic of their own`);
      }
      break;
    }
    case "kafka-top-n-windows":
      problems.push(...topNProblems(lab, check.topic, check.from, "from"));
      break;
    case "kafka-live-top-n": {
      problems.push(...topNProblems(lab, check.topic, check.input, "input"));
      // The grader waits withinSeconds for the job after publishing, and needs time to publish and read.
      const neededMs = check.withinSeconds * 1000 + liveMarginMs;
      if ((check.timeoutMs ?? 0) < neededMs) problems.push(`timeoutMs must be at least ${neededMs} (withinSeconds plus ${liveMarginMs / 1000} s)`);
      // Checks of a lab run at once: two bursts in one input topic would share its windows.
      const sameInput = lab.steps.flatMap((s) => s.checks).filter((c) => liveInputOf(c) === check.input);
      if (sameInput.length > 1) problems.push(`${sameInput.length} live checks publish into topic ${check.input}; a lab may have one`);
      break;
    }
    case "speed-view":
      if (!isWorkspacePath(check.file)) problems.push(`file ${check.file} must be a relative path inside the workspace (no leading /, no ..)`);
      if (!lab.seededTopics?.some((seeded) => seeded.topic === check.topic && seeded.continuesDataset)) {
        problems.push(
          `topic ${check.topic} must be one of the lab's seededTopics that continues its dataset: the view covers its payments since the cut-off`,
        );
      }
      break;
    case "serving-query": {
      if (!lab.seededTopics?.some((seeded) => seeded.topic === check.topic && seeded.continuesDataset)) {
        problems.push(
          `topic ${check.topic} must be one of the lab's seededTopics that continues its dataset: the answer merges it with the batch view`,
        );
      }
      // The answer is watched for withinSeconds, and the last look runs the learner's program (up to servingQueryRunSeconds).
      const neededMs = (check.withinSeconds + servingQueryRunSeconds) * 1000 + liveMarginMs;
      if ((check.timeoutMs ?? 0) < neededMs) {
        problems.push(
          `timeoutMs must be at least ${neededMs} (withinSeconds, ${servingQueryRunSeconds} s for a run of the query, and ${liveMarginMs / 1000} s)`,
        );
      }
      // Checks of a lab run at once: a second probe in the same feed would show up in the first one's answers.
      const sameInput = lab.steps.flatMap((s) => s.checks).filter((c) => liveInputOf(c) === check.topic);
      if (sameInput.length > 1) problems.push(`${sameInput.length} live checks publish into topic ${check.topic}; a lab may have one`);
      break;
    }
    case "kafka-window-averages":
      // The expected averages are the dataset's, and the learner's messages are told apart by its sensor name.
      if (lab.dataset?.kind !== "sensor-readings" || !lab.dataset.sensor) {
        problems.push("compares with the learner's readings: the lab needs a sensor-readings dataset that names its sensor");
      }
      break;
    case "kafka-live-window-averages": {
      if (check.input === check.topic) problems.push(`input and topic are both ${check.topic}: the job reads one topic and writes another`);
      if (lab.seededTopics?.some((seeded) => seeded.topic === check.topic)) {
        problems.push(`topic ${check.topic} is seeded by lab-runner; the learner's output must go to a topic of their own`);
      }
      const neededMs = check.withinSeconds * 1000 + liveMarginMs;
      if ((check.timeoutMs ?? 0) < neededMs) problems.push(`timeoutMs must be at least ${neededMs} (withinSeconds plus ${liveMarginMs / 1000} s)`);
      // Checks of a lab run at once: two probes in one input topic would move each other's watermark.
      const sameInput = lab.steps.flatMap((s) => s.checks).filter((c) => liveInputOf(c) === check.input);
      if (sameInput.length > 1) problems.push(`${sameInput.length} live checks publish into topic ${check.input}; a lab may have one`);
      break;
    }
    default:
      break;
  }
  return problems;
}

/** What a live check needs beyond withinSeconds: reading the input topic, publishing, the last look. */
const liveMarginMs = 20_000;

/** The topic a live check publishes into while it grades, for checks that do. */
function liveInputOf(check: Check): string | undefined {
  if (check.kind === "serving-query") return check.topic;
  return check.kind === "kafka-live-top-n" || check.kind === "kafka-live-window-averages" ? check.input : undefined;
}

/** Top-N checks count "viewing-event" records of a seeded topic into an output topic of the learner's own. */
function topNProblems(lab: Lab, topic: string, source: string, field: string): string[] {
  const problems: string[] = [];
  if (lab.seededTopics?.find((seeded) => seeded.topic === source)?.record !== "viewing-event") {
    problems.push(`${field} ${source} must be one of the lab's seededTopics of "viewing-event" records`);
  }
  if (lab.seededTopics?.some((seeded) => seeded.topic === topic)) {
    problems.push(`topic ${topic} is seeded by lab-runner; the learner's output must go to a topic of their own`);
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
