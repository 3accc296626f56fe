import type { Lab } from "@cookbook/content/labs";
import { readLabScript } from "@cookbook/content/labs/attempts";
import { Kafka, logLevel } from "kafkajs";
import type { SandboxDriver } from "../driver/sandbox-driver";
import { seedLab, type GradeTarget } from "../grader/index";

/**
 * Running a lab's attempts in a real sandbox, shared by labs.integration-test.ts and
 * `pnpm lab:test`: one sandbox serves every attempt, reset in between, which is far quicker than
 * provisioning again.
 */

export interface LabSandbox extends GradeTarget {
  driver: Pick<SandboxDriver, "status" | "exec">;
}

const minutes = (n: number) => n * 60_000;

async function until(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Stops what an attempt left running in the background (consumers a lab asks to keep running,
 * started with setsid so they outlive the script): every process whose working directory is in
 * the sandbox's workspace, except this shell's own process group. The sandbox's servers run in
 * the sandbox's root, not its workspace, so they are untouched. SIGTERM first, so consumers
 * leave their groups (a group with members cannot be deleted), SIGKILL after 10 s.
 */
const stopBackgroundScript = `
here="$(pwd -P)"
own="$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f3)"
pids=""
for dir in /proc/[0-9]*; do
  cwd="$(readlink "$dir/cwd" 2>/dev/null)" || continue
  case "$cwd" in "$here" | "$here"/*) ;; *) continue ;; esac
  group="$(sed 's/.*) //' "$dir/stat" 2>/dev/null | cut -d' ' -f3)" || continue
  [ -n "$group" ] && [ "$group" != "$own" ] && pids="$pids \${dir#/proc/}"
done
[ -z "$pids" ] && exit 0
echo "stopping$pids"
kill $pids 2>/dev/null || true
for _ in $(seq 1 100); do
  alive=""
  for pid in $pids; do grep -qs '^State:[[:space:]]*[^Z]' "/proc/$pid/status" && alive="$alive $pid"; done
  [ -z "$alive" ] && exit 0
  sleep 0.1
done
kill -9 $alive 2>/dev/null || true
`;

export async function stopBackgroundProcesses(sandbox: LabSandbox): Promise<void> {
  const stopped = await sandbox.driver.exec(sandbox.sandboxId, ["sh", "-c", stopBackgroundScript], { timeoutMs: 30_000 });
  if (stopped.exitCode !== 0) throw new Error(`stopping background processes failed: ${stopped.stderr || stopped.stdout}`);
}

/**
 * Deletes what a learner can have made (topics and groups, every HDFS path, every workspace
 * file), then seeds the lab again, so the next attempt starts where a new learner would.
 */
export async function resetLabSandbox(lab: Lab, sandbox: LabSandbox): Promise<void> {
  await stopBackgroundProcesses(sandbox);
  const status = await sandbox.driver.status(sandbox.sandboxId);
  if (!status) throw new Error(`sandbox ${sandbox.sandboxId} is gone`);
  const { kafkaBootstrapServers, webHdfsUrl } = status.endpoints;
  if (kafkaBootstrapServers) {
    const admin = new Kafka({ clientId: "lab-reset", brokers: [kafkaBootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith("__"));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      // Creating a topic of the same name fails while the deletion is still under way.
      await until("topic deletion", async () => !(await admin.listTopics()).some((t) => topics.includes(t)), 30_000);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      // A consumer killed without closing stays a member until its session times out; a group with members cannot be deleted.
      const hasMembers = async () => (await admin.describeGroups(groups)).groups.some((g) => g.members.length > 0);
      if (groups.length > 0) await until("groups without members", async () => !(await hasMembers()), 60_000);
      if (groups.length > 0) await admin.deleteGroups(groups);
    } finally {
      await admin.disconnect();
    }
  }
  if (webHdfsUrl) {
    const listing = (await (await fetch(`${webHdfsUrl}/?op=LISTSTATUS`)).json()) as { FileStatuses: { FileStatus: { pathSuffix: string }[] } };
    for (const entry of listing.FileStatuses.FileStatus) {
      const response = await fetch(`${webHdfsUrl}/${entry.pathSuffix}?op=DELETE&recursive=true`, { method: "DELETE" });
      if (response.status !== 200) throw new Error(`deleting /${entry.pathSuffix} from HDFS answered ${response.status}`);
    }
  }
  const cleared = await sandbox.driver.exec(sandbox.sandboxId, ["find", ".", "-mindepth", "1", "-delete"]);
  if (cleared.exitCode !== 0) throw new Error(`clearing the workspace failed: ${cleared.stderr}`);
  await seedLab(lab, sandbox);
}

export interface ScriptRun {
  /** Null when the script was killed (by its timeout). */
  exitCode: number | null;
  timedOut: boolean;
  seconds: number;
  output: string;
}

/**
 * How long one script may run. A pipeline lab's solution runs three Spark jobs in a row, and each
 * spark-submit takes one to two minutes while other sandboxes load the 2-core host.
 */
export const labScriptTimeoutMs = minutes(8);

/** Runs one of the lab's scripts in the sandbox's workspace with bash, as a learner's shell would. */
export async function runLabScript(lab: Lab, sandbox: LabSandbox, script: string): Promise<ScriptRun> {
  const started = Date.now();
  const result = await sandbox.driver.exec(sandbox.sandboxId, ["bash", "-c", readLabScript(lab.slug, script)], { timeoutMs: labScriptTimeoutMs });
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    seconds: (Date.now() - started) / 1000,
    output: `${result.stdout}\n${result.stderr}`,
  };
}
