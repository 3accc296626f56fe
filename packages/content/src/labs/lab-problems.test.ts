import { describe, expect, it } from "vitest";
import { editions, loadEdition } from "../editions";
import { lessonsOf } from "../lessons";
import { attemptProblems } from "./attempts";
import { labs } from "./catalog";
import type { Lab } from "./lab-model";
import { isWorkspacePath, labProblems, type EditionLessons } from "./lab-problems";

const editionLessons: EditionLessons[] = editions.map((edition) => ({
  id: edition.id,
  lessonKeys: new Set(lessonsOf(loadEdition(edition.id)).map((lesson) => lesson.key)),
}));
const fakeEditions: EditionLessons[] = [
  { id: "old", lessonKeys: new Set(["20.1.2-example", "21.5-how-to-produce-and-consume-messages"]) },
  { id: "new", lessonKeys: new Set(["20.1.2-example", "21.5-how-to-produce-and-consume-messages"]) },
];

function validLab(): Lab {
  return {
    slug: "demo-lab",
    version: 1,
    title: "Demo",
    lessonKey: "20.1.2-example",
    services: ["kafka", "hdfs", "spark"],
    summary: "A demo.",
    dataset: { kind: "sensor-readings", file: "data/readings.csv", days: 1, intervalSeconds: 600 },
    steps: [
      {
        id: "make-topic",
        title: "Make a topic",
        instructions: "Do it.",
        hints: [],
        points: 1,
        checks: [{ kind: "kafka-topic", topic: "readings", partitions: 3 }],
      },
      {
        id: "averages",
        title: "Averages",
        instructions: "Do it.",
        hints: ["Think."],
        points: 2,
        checks: [{ kind: "spark-output", path: "/out", format: "csv", expected: "daily-averages", tolerance: 0.01 }],
      },
    ],
  };
}

/** A deep copy changed by `edit`, typed loosely so tests can break the schema on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: the point is to write what the schema forbids.
function withChange(edit: (lab: any) => void): unknown {
  const lab = structuredClone(validLab());
  edit(lab);
  return lab;
}

describe("labProblems", () => {
  it("finds nothing wrong with the shipped labs in either edition", () => {
    expect(labProblems(labs, editionLessons)).toEqual([]);
  });

  it("accepts a minimal valid lab", () => {
    expect(labProblems([validLab()], fakeEditions)).toEqual([]);
  });

  it("names the lab and the step of a duplicate step id", () => {
    const lab = withChange((l) => (l.steps[1].id = "make-topic"));
    expect(labProblems([lab], fakeEditions)).toEqual(["lab demo-lab, step make-topic: duplicate step id"]);
  });

  it("rejects a lesson key that an edition lacks", () => {
    const lab = withChange((l) => (l.lessonKey = "99.1-no-such-lesson"));
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab: lesson 99.1-no-such-lesson does not exist in edition old",
      "lab demo-lab: lesson 99.1-no-such-lesson does not exist in edition new",
    ]);
    const onlyNew = [fakeEditions[0] as EditionLessons, { id: "new", lessonKeys: new Set(["99.1-no-such-lesson"]) }];
    expect(labProblems([lab], onlyNew)).toEqual(["lab demo-lab: lesson 99.1-no-such-lesson does not exist in edition old"]);
  });

  it("rejects a spark-output check naming an unknown computation", () => {
    const lab = withChange((l) => (l.steps[1].checks[0].expected = "weekly-averages"));
    expect(labProblems([lab], fakeEditions)).toEqual([
      'lab demo-lab, step averages, check 1 (spark-output): unknown computation "weekly-averages" (known: daily-averages, minute-averages, hourly-averages)',
    ]);
  });

  it("rejects a partition column the computation does not know", () => {
    const byDay = withChange((l) => Object.assign(l.steps[1].checks[0], { expected: "hourly-averages", format: "parquet", partitionedBy: "day" }));
    expect(labProblems([byDay], fakeEditions)).toEqual([]);
    const byHour = withChange((l) => Object.assign(l.steps[1].checks[0], { format: "parquet", partitionedBy: "hour" }));
    expect(labProblems([byHour], fakeEditions)).toEqual([
      'lab demo-lab, step averages, check 1 (spark-output): "daily-averages" cannot be partitioned by hour: the grader does not know the hour of its keys',
    ]);
  });

  it("rejects dataset files outside the workspace", () => {
    for (const file of ["../secrets.csv", "/etc/passwd", "data/../../x.csv", "~/x.csv"]) {
      const lab = withChange((l) => (l.dataset.file = file));
      expect(labProblems([lab], fakeEditions)).toEqual([
        `lab demo-lab: dataset file ${file} must be a relative path inside the workspace (no leading /, no ..)`,
      ]);
    }
  });

  it("reports schema errors with the step and check they are in", () => {
    const lab = withChange((l) => {
      l.steps[0].id = "Make Topic";
      l.steps[0].checks[0].partitions = 0;
      l.steps[1].checks = [];
    });
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab, step Make Topic: id: step id must be kebab-case (a-z, 0-9, single dashes)",
      "lab demo-lab, step Make Topic, check 1 (kafka-topic): partitions: Too small: expected number to be >=1",
      "lab demo-lab, step averages: checks: a step needs at least one check",
    ]);
  });

  it("reports an unknown check kind and an unknown field", () => {
    const lab = withChange((l) => {
      l.steps[0].checks[0] = { kind: "kafka-topics", topic: "readings" };
      l.steps[1].checks[0].tolerence = 0.1;
    });
    const problems = labProblems([lab], fakeEditions);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^lab demo-lab, step make-topic, check 1 \(kafka-topics\): kind: /);
    expect(problems[1]).toMatch(/^lab demo-lab, step averages, check 1 \(spark-output\): .*tolerence/);
  });

  it("names a lab without a slug by its position", () => {
    const lab = withChange((l) => delete l.slug);
    expect(labProblems([validLab(), lab], [])).toEqual(["lab #2: slug: Invalid input: expected string, received undefined"]);
  });

  it("rejects checks needing a service the lab does not start", () => {
    const lab = withChange((l) => (l.services = ["hdfs", "spark"]));
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 1 (kafka-topic): needs the kafka service, which the lab does not list",
    ]);
  });

  it("rejects feedback templates with unknown placeholders", () => {
    const lab = withChange((l) => (l.steps[0].checks[0].feedback = { fail: "{detail} Try {command}." }));
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 1 (kafka-topic): feedback template uses {command}; known placeholders: {detail}, {description}",
    ]);
  });

  it("rejects checks nobody can pass or that need a dataset the lab lacks", () => {
    const tooMany = withChange((l) =>
      l.steps[0].checks.push({ kind: "kafka-messages", topic: "readings", minCount: 145, shape: {}, matchesDataset: true }),
    );
    expect(labProblems([tooMany], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 2 (kafka-messages): minCount 145 is more than the dataset's readings, so nobody can pass",
    ]);
    const noDataset = withChange((l) => {
      delete l.dataset;
      l.steps[0].checks.push({ kind: "hdfs-path", path: "/data/x.csv", content: "dataset", blockSize: 1024, minBlocks: 1 });
    });
    expect(labProblems([noDataset], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 2 (hdfs-path): compares with the learner's dataset, but the lab has no dataset",
      "lab demo-lab, step averages, check 1 (spark-output): the grader computes the expected output from the dataset, but the lab has no dataset",
    ]);
    const tooManyBlocks = withChange((l) =>
      l.steps[0].checks.push({ kind: "hdfs-path", path: "/data/x.csv", content: "dataset", blockSize: 1024 * 1024, minBlocks: 2 }),
    );
    expect(labProblems([tooManyBlocks], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 2 (hdfs-path): minBlocks 2 is more than the dataset's 1 blocks",
    ]);
  });

  it("rejects relative HDFS paths", () => {
    const lab = withChange((l) => {
      l.steps[0].checks.push({ kind: "hdfs-path", path: "data/x.csv" });
      l.steps[1].checks[0].path = "../out";
    });
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 2 (hdfs-path): path data/x.csv must be an absolute HDFS path without . or .. segments",
      "lab demo-lab, step averages, check 1 (spark-output): path ../out must be an absolute HDFS path",
    ]);
  });

  it("rejects two labs with one slug", () => {
    expect(labProblems([validLab(), validLab()], fakeEditions)).toEqual(["lab demo-lab: the slug is used by 2 labs"]);
  });

  it("accepts several labs on one lesson", () => {
    const second = withChange((l) => (l.slug = "demo-lab-two"));
    expect(labProblems([validLab(), second], fakeEditions)).toEqual([]);
  });
});

describe("isWorkspacePath", () => {
  it("accepts plain relative paths only", () => {
    expect(isWorkspacePath("data/sensor-readings.csv")).toBe(true);
    expect(isWorkspacePath("out")).toBe(true);
    for (const bad of ["", "/abs", "./data", "a//b", "a/../b", "..", "~/x", "a\\..\\b"]) expect(isWorkspacePath(bad), bad).toBe(false);
  });
});

describe("attemptProblems", () => {
  it("finds a solution and at least two wrong attempts, all existing, for every shipped lab", () => {
    expect(attemptProblems(labs)).toEqual([]);
  });

  it("reports a lab without attempts", () => {
    expect(attemptProblems([...labs, validLab()])).toEqual(["lab demo-lab: no reference solution and wrong attempts in src/labs/attempts.ts"]);
  });

  it("reports a step that no wrong attempt fails", () => {
    const kafka = labs.find((lab) => lab.slug === "kafka-sensor-readings");
    if (!kafka) throw new Error("kafka lab missing");
    const extra = { ...kafka.steps[0], id: "untested-step" } as Lab["steps"][number];
    expect(attemptProblems(labs.map((lab) => (lab === kafka ? { ...kafka, steps: [...kafka.steps, extra] } : lab)))).toEqual([
      "lab kafka-sensor-readings: step untested-step is failed by no wrong attempt; add one that shows what the step refuses",
    ]);
  });
});
