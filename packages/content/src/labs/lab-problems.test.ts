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
      'lab demo-lab, step averages, check 1 (spark-output): unknown computation "weekly-averages" (known: daily-averages, minute-averages, hourly-averages, readings-by-sensor, hourly-averages-by-sensor, latest-hour-by-sensor, card-totals)',
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

  it("asks a result per sensor for the name of the dataset's sensor", () => {
    const unnamed = withChange((l) => Object.assign(l.steps[1].checks[0], { expected: "hourly-averages-by-sensor" }));
    expect(labProblems([unnamed], fakeEditions)).toEqual([
      'lab demo-lab, step averages, check 1 (spark-output): "hourly-averages-by-sensor" is a result per sensor: the lab\'s sensor-readings dataset must name its sensor',
    ]);
    const named = withChange((l) => {
      Object.assign(l.steps[1].checks[0], { expected: "hourly-averages-by-sensor" });
      l.dataset.sensor = "hall-a";
    });
    expect(labProblems([named], fakeEditions)).toEqual([]);
  });

  it("asks a MapReduce output for a key<TAB>value result and a job log inside the workspace", () => {
    const mapreduce = (check: object) =>
      withChange((l) => (l.steps[1].checks[0] = { kind: "mapreduce-output", path: "/out", input: "/in", tolerance: 0.01, ...check }));
    expect(labProblems([mapreduce({ expected: "daily-averages", jobLog: "job.log", minReduceTasks: 3 })], fakeEditions)).toEqual([]);
    expect(labProblems([mapreduce({ expected: "hourly-averages-by-sensor", jobLog: "../job.log" })], fakeEditions)).toEqual([
      'lab demo-lab, step averages, check 1 (mapreduce-output): "hourly-averages-by-sensor" is a result per sensor; a MapReduce output here is key<TAB>value lines',
      "lab demo-lab, step averages, check 1 (mapreduce-output): jobLog ../job.log must be a relative path inside the workspace (no leading /, no ..)",
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

  it("rejects top-N checks over anything but seeded viewing events, a live one with too little time or a second one on its input", () => {
    const events = { topic: "viewing-events", partitions: 3, sensor: "de", messages: 720, record: "viewing-event" };
    const windows = { kind: "kafka-top-n-windows", topic: "trending-now", from: "viewing-events", top: 3, windowSeconds: 60, maxDelaySeconds: 30 };
    const live = {
      kind: "kafka-live-top-n",
      topic: "trending-now",
      input: "viewing-events",
      top: 3,
      windowSeconds: 60,
      maxDelaySeconds: 30,
      withinSeconds: 60,
      timeoutMs: 90_000,
    };
    const sound = withChange((l) => {
      l.seededTopics = [events];
      l.steps[0].checks.push(windows, live);
    });
    expect(labProblems([sound], fakeEditions)).toEqual([]);
    const lab = withChange((l) => {
      l.seededTopics = [
        { ...events, messages: 100, duplicates: 2 },
        { topic: "hall-b", partitions: 1, sensor: "hall-b", messages: 10 },
      ];
      l.steps[0].checks.push({ ...windows, from: "hall-b" }, { ...live, topic: "hall-b", timeoutMs: 70_000 }, live);
    });
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab: seeded topic viewing-events needs at least 300 viewing events",
      "lab demo-lab: seeded topic viewing-events of viewing events takes no duplicates, poison, abortedTransactions or continuesDataset",
      'lab demo-lab, step make-topic, check 2 (kafka-top-n-windows): from hall-b must be one of the lab\'s seededTopics of "viewing-event" records',
      "lab demo-lab, step make-topic, check 3 (kafka-live-top-n): topic hall-b is seeded by lab-runner; the learner's output must go to a topic of their own",
      "lab demo-lab, step make-topic, check 3 (kafka-live-top-n): timeoutMs must be at least 80000 (withinSeconds plus 20 s)",
      "lab demo-lab, step make-topic, check 3 (kafka-live-top-n): 2 live checks publish into topic viewing-events; a lab may have one",
      "lab demo-lab, step make-topic, check 4 (kafka-live-top-n): 2 live checks publish into topic viewing-events; a lab may have one",
    ]);
  });

  it("rejects window averages without a named sensor, and a live one with too little time, writing its input or sharing it", () => {
    const averages = { kind: "kafka-window-averages", topic: "averages", windowSeconds: 60, maxDelaySeconds: 120, tolerance: 0.01 };
    const live = { ...averages, kind: "kafka-live-window-averages", input: "readings", withinSeconds: 90, timeoutMs: 110_000 };
    const sound = withChange((l) => {
      l.dataset.sensor = "hall-a";
      l.steps[0].checks.push(averages, live);
    });
    expect(labProblems([sound], fakeEditions)).toEqual([]);
    const lab = withChange((l) => {
      l.steps[0].checks.push(averages, { ...live, topic: "readings", timeoutMs: 100_000 });
      const { tolerance, ...window } = live;
      l.steps[1].checks.push({ ...window, kind: "kafka-live-top-n", top: 3 });
    });
    expect(labProblems([lab], fakeEditions)).toEqual([
      "lab demo-lab, step make-topic, check 2 (kafka-window-averages): compares with the learner's readings: the lab needs a sensor-readings dataset that names its sensor",
      "lab demo-lab, step make-topic, check 3 (kafka-live-window-averages): input and topic are both readings: the job reads one topic and writes another",
      "lab demo-lab, step make-topic, check 3 (kafka-live-window-averages): timeoutMs must be at least 110000 (withinSeconds plus 20 s)",
      "lab demo-lab, step make-topic, check 3 (kafka-live-window-averages): 2 live checks publish into topic readings; a lab may have one",
      'lab demo-lab, step averages, check 2 (kafka-live-top-n): input readings must be one of the lab\'s seededTopics of "viewing-event" records',
      "lab demo-lab, step averages, check 2 (kafka-live-top-n): 2 live checks publish into topic readings; a lab may have one",
    ]);
  });

  it("rejects a kafka-view over anything but seeded sales, or into a seeded topic", () => {
    const lab = withChange((l) => {
      l.seededTopics = [
        { topic: "sales", partitions: 3, sensor: "kiosk", messages: 60, record: "shop-sale" },
        { topic: "hall-b", partitions: 1, sensor: "hall-b", messages: 10 },
      ];
      l.steps[0].checks.push(
        { kind: "kafka-view", topic: "revenue", from: "sales", view: "revenue-per-shop" },
        { kind: "kafka-view", topic: "revenue", from: "hall-b", view: "revenue-per-shop" },
        { kind: "kafka-view", topic: "hall-b", from: "sales", view: "revenue-per-shop-unconverted" },
      );
    });
    expect(labProblems([lab], fakeEditions)).toEqual([
      'lab demo-lab, step make-topic, check 3 (kafka-view): from hall-b must be one of the lab\'s seededTopics of "shop-sale" records: the view is computed from sales',
      "lab demo-lab, step make-topic, check 4 (kafka-view): topic hall-b is seeded by lab-runner; the learner's view must go to a topic of their own",
    ]);
  });

  it("rejects a payment feed without card payments, Lambda views over another topic, and a serving query with too little time", () => {
    const feed = { topic: "payments", partitions: 2, sensor: "card-9417", messages: 24, record: "card-payment", continuesDataset: { overlap: 12 } };
    const serving = { kind: "serving-query", argv: ["python3", "serve.py"], topic: "payments", withinSeconds: 45, timeoutMs: 90_000 };
    const sound = withChange((l) => {
      l.dataset = { kind: "card-payments", file: "data/payments.csv", cards: 6, days: 7, payments: 280 };
      l.seededTopics = [feed];
      l.steps[1].checks = [
        { kind: "spark-output", path: "/out", format: "csv", expected: "card-totals", tolerance: 0.005 },
        { kind: "speed-view", file: "speed-view.json", topic: "payments" },
        serving,
      ];
    });
    expect(labProblems([sound], fakeEditions)).toEqual([]);
    const lab = withChange((l) => {
      l.seededTopics = [feed, { topic: "hall-b", partitions: 1, sensor: "hall-b", messages: 10 }];
      l.steps[0].checks.push(
        { kind: "speed-view", file: "/tmp/view.json", topic: "hall-b" },
        { ...serving, timeoutMs: 60_000 },
        { ...serving, topic: "hall-b" },
      );
      l.steps[1].checks[0].expected = "card-totals";
    });
    expect(labProblems([lab], fakeEditions)).toEqual([
      'lab demo-lab: seeded topic payments continues the dataset: it needs a card-payments dataset and record "card-payment"',
      "lab demo-lab, step make-topic, check 2 (speed-view): file /tmp/view.json must be a relative path inside the workspace (no leading /, no ..)",
      "lab demo-lab, step make-topic, check 2 (speed-view): topic hall-b must be one of the lab's seededTopics that continues its dataset: the view covers its payments since the cut-off",
      "lab demo-lab, step make-topic, check 3 (serving-query): timeoutMs must be at least 85000 (withinSeconds, 20 s for a run of the query, and 20 s)",
      "lab demo-lab, step make-topic, check 4 (serving-query): topic hall-b must be one of the lab's seededTopics that continues its dataset: the answer merges it with the batch view",
      'lab demo-lab, step averages, check 1 (spark-output): "card-totals" is not computed over a sensor-readings dataset',
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
