import type { SandboxDriver } from "../driver/sandbox-driver";

/** The learner's programs above this share of one core, over the window below, are a running job. */
export const busyCpuShare = 0.05;
export const cpuWindowMs = 60_000;
const shortestCpuWindowMs = 10_000;

interface CpuSample {
  atMs: number;
  cpuSeconds: number;
}

/**
 * What keeps a sandbox busy though nobody types or checks (job-aware expiry): a Spark application
 * running, the learner's programs above 5% of a core over the last minute, or a consumer group
 * of the sandbox's Kafka with active members, as the driver reports them. The CPU share compares
 * with a sample taken a minute before, so the reaper asks about every live sandbox on each round.
 */
export class RunningJobs {
  private readonly samples = new Map<string, CpuSample[]>();

  constructor(private readonly driver: Pick<SandboxDriver, "activity">) {}

  /** What runs in the sandbox, in words for the log; null when nothing does (or nothing can tell). */
  async find(sandboxId: string, now: Date): Promise<string | null> {
    const activity = await this.driver.activity?.(sandboxId);
    if (!activity) return null;
    // Sampled on every call, whatever else runs, so a minute-old sample is there when it matters.
    const share = this.cpuShare(sandboxId, activity.learnerCpuSeconds, now.getTime());
    const spark = activity.runningSparkApplications;
    if (spark > 0) return spark === 1 ? "a Spark application is running" : `${spark} Spark applications are running`;
    if (share !== null && share > busyCpuShare) return `the learner's programs used ${Math.round(share * 100)}% of a core over the last minute`;
    const groups = activity.activeConsumerGroups;
    if (groups.length > 0)
      return `consumer group${groups.length > 1 ? "s" : ""} ${groups.join(", ")} ${groups.length > 1 ? "have" : "has"} active members`;
    return null;
  }

  /** Drops what is kept about sandboxes that are no longer live. */
  retainOnly(liveSandboxIds: readonly string[]): void {
    const live = new Set(liveSandboxIds);
    for (const sandboxId of this.samples.keys()) if (!live.has(sandboxId)) this.samples.delete(sandboxId);
  }

  /**
   * CPU seconds per second since the newest sample at least a window old (the oldest one, when
   * lab-runner has not watched that long); null with no sample 10 s old to compare with. The sum
   * drops when a program ends whose parent is not the learner's (the terminal closed): that
   * stretch counts as no use.
   */
  private cpuShare(sandboxId: string, cpuSeconds: number, nowMs: number): number | null {
    const kept = (this.samples.get(sandboxId) ?? []).filter((sample) => sample.atMs < nowMs && nowMs - sample.atMs <= 2 * cpuWindowMs);
    const reference = kept.filter((sample) => nowMs - sample.atMs >= cpuWindowMs).at(-1) ?? kept[0];
    this.samples.set(sandboxId, [...kept, { atMs: nowMs, cpuSeconds }]);
    // Over a few seconds, a grader's command would read as the learner's job.
    if (!reference || nowMs - reference.atMs < shortestCpuWindowMs) return null;
    return Math.max(0, cpuSeconds - reference.cpuSeconds) / ((nowMs - reference.atMs) / 1000);
  }
}
