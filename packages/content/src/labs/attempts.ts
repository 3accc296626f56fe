import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Lab } from "./lab-model";

/**
 * The reference solution and the known-wrong attempts of every lab (scripts in
 * packages/content/labs/<slug>/), and what grading each must produce. Node only: it reads files.
 */

export interface WrongAttempt {
  /** File name in packages/content/labs/<slug>/. */
  script: string;
  /** Exactly these steps fail (all others pass), each with feedback containing the given text. */
  failingSteps: Record<string, string>;
}

export interface LabAttempts {
  solution: string;
  wrong: WrongAttempt[];
}

export const labAttempts: Record<string, LabAttempts> = {
  "kafka-sensor-readings": {
    solution: "solution.sh",
    wrong: [
      { script: "wrong-one-partition.sh", failingSteps: { "create-topic": "has 1 partition; this step asks for 3" } },
      { script: "wrong-string-values.sh", failingSteps: { "produce-readings": 'field "value" is a string' } },
      { script: "wrong-csv-lines.sh", failingSteps: { "produce-readings": "is not JSON" } },
      { script: "wrong-no-group.sh", failingSteps: { "consume-with-group": "has not committed any offset" } },
      {
        script: "wrong-consume-empty-topic.sh",
        failingSteps: { "produce-readings": "has no messages yet", "consume-with-group": "this step asks for at least 96" },
      },
    ],
  },
  "hdfs-blocks-and-replication": {
    solution: "solution.sh",
    wrong: [
      { script: "wrong-default-block-size.sh", failingSteps: { "small-blocks": "block size of 128 MiB; this step asks for 1 MiB" } },
      { script: "wrong-setrep-then-reput.sh", failingSteps: { "set-replication": "replication factor 1; this step asks for 2" } },
      {
        script: "wrong-truncated-file.sh",
        failingSteps: { "put-file": "differs from your dataset", "small-blocks": "has 1 block; this step asks for at least 4" },
      },
    ],
  },
  "spark-daily-averages": {
    solution: "solution.sh",
    wrong: [
      { script: "wrong-sums.sh", failingSteps: { "daily-averages": "the average of your readings that day is" } },
      { script: "wrong-hour-key.sh", failingSteps: { "minute-averages": "expected 4320 rows" } },
    ],
  },
};

const labsDir = fileURLToPath(new URL("../../labs/", import.meta.url));

export function labScriptPath(slug: string, script: string): string {
  return `${labsDir}${slug}/${script}`;
}

export function readLabScript(slug: string, script: string): string {
  return readFileSync(labScriptPath(slug, script), "utf8");
}

/** Labs without a solution and two wrong attempts, missing scripts, or attempts naming steps a lab lacks. */
export function attemptProblems(labs: readonly Lab[]): string[] {
  const problems: string[] = [];
  for (const lab of labs) {
    const attempts = labAttempts[lab.slug];
    if (!attempts) {
      problems.push(`lab ${lab.slug}: no reference solution and wrong attempts in src/labs/attempts.ts`);
      continue;
    }
    if (attempts.wrong.length < 2) problems.push(`lab ${lab.slug}: needs at least 2 known-wrong attempts, has ${attempts.wrong.length}`);
    for (const script of [attempts.solution, ...attempts.wrong.map((w) => w.script)]) {
      if (!existsSync(labScriptPath(lab.slug, script))) problems.push(`lab ${lab.slug}: script labs/${lab.slug}/${script} does not exist`);
    }
    const stepIds = new Set(lab.steps.map((step) => step.id));
    for (const wrong of attempts.wrong) {
      const failing = Object.keys(wrong.failingSteps);
      if (failing.length === 0) problems.push(`lab ${lab.slug}: wrong attempt ${wrong.script} lists no failing step`);
      for (const stepId of failing) {
        if (!stepIds.has(stepId)) problems.push(`lab ${lab.slug}: wrong attempt ${wrong.script} names unknown step ${stepId}`);
      }
    }
  }
  for (const slug of Object.keys(labAttempts)) {
    if (!labs.some((lab) => lab.slug === slug)) problems.push(`src/labs/attempts.ts: attempts for unknown lab ${slug}`);
  }
  return problems;
}
