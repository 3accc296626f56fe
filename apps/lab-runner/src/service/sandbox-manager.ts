import { randomBytes } from "node:crypto";
import type { Lab } from "@cookbook/content/labs";
import type { SandboxView, StartSandboxInput } from "@cookbook/lab-runner-api/contract";
import { isLiveSandboxState, sandboxEndMessages, sandboxStartingMessage, serviceTitles } from "@cookbook/lab-runner-api/vocabulary";
import type { SandboxDriver, ServiceName, SandboxStatus } from "../driver/sandbox-driver";
import { gradeLab, seedLab, type LabGrade } from "../grader/index";
import type { SandboxPolicy } from "./config";
import { LabRunnerFailure } from "./errors";
import type { Logger } from "@cookbook/lab-runner-api/logging";
import type { LabRunnerMetrics } from "./observability/metrics";
import { LimitError, type SandboxRow } from "@cookbook/db/queries/sandboxes";
import { RunningJobs } from "./running-jobs";
import type { SandboxStore } from "./sandbox-store";

export interface SandboxManagerOptions {
  store: SandboxStore;
  driver: SandboxDriver;
  /** Recorded on each row, so a replica reconciles only the sandboxes its kind of driver owns. */
  driverName: string;
  policy: SandboxPolicy;
  findLab: (slug: string) => Lab | undefined;
  /** Each line about one sandbox goes through a child of it carrying `sandboxId`. */
  logger: Logger;
  metrics: Pick<LabRunnerMetrics, "provisionSeconds" | "checkSeconds" | "reaperActions">;
  /** Every deadline (TTL, idle) and timestamp is read from here; tests move it instead of sleeping. */
  clock?: () => Date;
}

/**
 * The lifecycle of learners' sandboxes: limits and state in Postgres, the work in a driver.
 * Postgres says which sandboxes should exist; the driver says which do; `reconcile` and `reap`
 * bring the second in line with the first.
 */
export class SandboxManager {
  /** Provisions this process is running, so a second start does not start a second one. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly jobs: RunningJobs;

  constructor(private readonly options: SandboxManagerOptions) {
    this.jobs = new RunningJobs(options.driver);
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private logFor(sandboxId: string): Logger {
    return this.options.logger.child({ sandboxId });
  }

  async start(input: StartSandboxInput): Promise<{ sandbox: SandboxView; created: boolean }> {
    const lab = this.lab(input.labSlug);
    const { store, policy, driverName } = this.options;
    let claimed: { row: SandboxRow; created: boolean };
    try {
      claimed = await store.claim(
        { ...input, id: `sb-${randomBytes(6).toString("hex")}`, labVersion: lab.version, seed: randomBytes(16).toString("hex"), driver: driverName },
        policy,
        this.now(),
      );
    } catch (error) {
      if (error instanceof LimitError) throw new LabRunnerFailure(error.code, error.message);
      throw error;
    }
    const { row, created } = claimed;
    await store.touch(row, this.now());
    // A second start doubles as "restart services": provisioning again revives what was killed.
    if (created || (row.state === "running" && (await this.hasStoppedService(row.id)))) this.provisionInBackground(row, lab);
    return { sandbox: await this.view(row.id), created };
  }

  /** The sandbox as the learner should see it; a live sandbox past its deadline is reaped first. */
  async view(sandboxId: string): Promise<SandboxView> {
    let row = await this.row(sandboxId);
    const due = isLive(row) ? this.reasonDue(row) : null;
    if (due) {
      // Looked at between the reaper's rounds: a job that runs now still keeps it.
      const kept = due === "idle" && (await this.keepIfBusy(row, this.now()));
      if (!kept) await this.reapOne(row);
      row = await this.row(sandboxId);
    }
    const status = isLive(row) ? await this.options.driver.status(row.id) : null;
    return this.toView(row, status);
  }

  async check(sandboxId: string): Promise<{ sandbox: SandboxView; grade: LabGrade }> {
    const before = await this.view(sandboxId);
    if (before.state === "provisioning")
      throw new LabRunnerFailure("SANDBOX_NOT_RUNNING", "The lab is still starting; check your work once it is ready.");
    const row = await this.row(sandboxId);
    if (!isLive(row))
      throw new LabRunnerFailure("SANDBOX_NOT_RUNNING", `${sandboxEndMessages[row.endedReason ?? "stopped"]} Start the lab again to continue.`);
    await this.options.store.touch(row, this.now());
    const lab = this.lab(row.labSlug);
    const timer = this.options.metrics.checkSeconds.startTimer({ lab: lab.slug });
    const grade = await gradeLab(lab, { driver: this.options.driver, sandboxId: row.id, seed: row.seed }, { clock: () => this.now() }).catch(
      (error: unknown) => {
        timer({ outcome: "error" });
        throw error;
      },
    );
    const seconds = timer({ outcome: "graded" });
    this.logFor(row.id).info({ lab: lab.slug, score: grade.score, durationMs: Math.round(seconds * 1000) }, "checked");
    return { sandbox: await this.view(row.id), grade };
  }

  /** Idempotent: stopping an ended sandbox returns it as it is. */
  async stop(sandboxId: string): Promise<SandboxView> {
    const row = await this.row(sandboxId);
    if (await this.options.store.end(row, "stopped", null, this.now())) await this.options.driver.destroy(row.id);
    return this.view(row.id);
  }

  /** Records activity (terminal input), so an open terminal keeps its sandbox. */
  async touch(sandboxId: string): Promise<void> {
    // Terminal input names the sandbox by id alone; an unknown id has nothing to keep alive.
    const row = await this.options.store.getAcrossTenants(sandboxId);
    if (row) await this.options.store.touch(row, this.now());
  }

  /** Whether `sandboxId` may take terminal input now; null when it may, else why not. */
  async unavailableReason(sandboxId: string): Promise<string | null> {
    const view = await this.view(sandboxId).catch(() => null);
    if (!view) return "No such sandbox.";
    if (view.state === "running") return null;
    if (view.state === "provisioning") return sandboxStartingMessage;
    return sandboxEndMessages[view.endedReason ?? "stopped"];
  }

  /**
   * Ends and destroys every live sandbox past its TTL or idle deadline; returns how many. First,
   * a sandbox with a job running (running-jobs.ts) counts as used now, so idleness starts when
   * its last job ends; the TTL holds regardless.
   */
  async reap(now = this.now()): Promise<number> {
    const live = await this.options.store.listLiveAcrossTenants(this.options.driverName);
    this.jobs.retainOnly(live.map((row) => row.id));
    for (const row of live) if (row.state === "running") await this.keepIfBusy(row, now);
    const due = await this.options.store.listDueAcrossTenants(this.options.driverName, this.options.policy, now);
    let reaped = 0;
    for (const row of due) if (await this.reapOne(row, now)) reaped += 1;
    return reaped;
  }

  /**
   * Run when lab-runner starts: adopts sandboxes that are still alive (restarting services that
   * died meanwhile), resumes interrupted starts, ends sandboxes that vanished, and destroys what
   * the driver still runs but Postgres no longer wants (nothing orphaned survives a restart).
   */
  async reconcile(): Promise<{ adopted: number; resumed: number; lost: number; orphans: number }> {
    const { store, driver, driverName } = this.options;
    const rows = await store.listLiveAcrossTenants(driverName);
    const wanted = new Set(rows.map((row) => row.id));
    let orphans = 0;
    for (const spec of await driver.list()) {
      if (wanted.has(spec.sandboxId) || this.inFlight.has(spec.sandboxId)) continue;
      await driver.destroy(spec.sandboxId);
      this.logFor(spec.sandboxId).info("reconcile: destroyed an orphan");
      this.options.metrics.reaperActions.inc({ reason: "orphan" });
      orphans += 1;
    }
    let adopted = 0;
    let resumed = 0;
    let lost = 0;
    for (const row of rows) {
      const lab = this.options.findLab(row.labSlug);
      const status = await driver.status(row.id);
      if (!lab || (row.state === "running" && !status)) {
        if (
          await store.end(row, "lost", lab ? "Its services were gone after a restart of the lab service." : "Its lab no longer exists.", this.now())
        ) {
          await driver.destroy(row.id);
          this.logFor(row.id).info("reconcile: lost");
          this.options.metrics.reaperActions.inc({ reason: "lost" });
          lost += 1;
        }
        continue;
      }
      if (row.state === "provisioning") resumed += 1;
      else adopted += 1;
      this.provisionInBackground(row, lab);
    }
    return { adopted, resumed, lost, orphans };
  }

  /** Resolves when every provisioning this process started has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private provisionInBackground(row: SandboxRow, lab: Lab): void {
    if (this.inFlight.has(row.id)) return;
    const log = this.logFor(row.id);
    const timer = this.options.metrics.provisionSeconds.startTimer({ lab: lab.slug });
    const work = this.provision(row, lab, log)
      .then((outcome) => {
        const seconds = timer({ outcome });
        log.info({ lab: lab.slug, outcome, durationMs: Math.round(seconds * 1000) }, "provisioned");
      })
      .catch(async (error: unknown) => {
        timer({ outcome: "failed" });
        log.error({ err: error }, "provisioning failed");
        if (await this.options.store.end(row, "failed", "The lab could not be set up. Please try again.", this.now()))
          await this.options.driver.destroy(row.id);
      })
      .finally(() => this.inFlight.delete(row.id));
    this.inFlight.set(row.id, work);
  }

  private async provision(row: SandboxRow, lab: Lab, log: Logger): Promise<"running" | "failed"> {
    const { driver, store } = this.options;
    const status = await driver.provision({
      sandboxId: row.id,
      services: [...lab.services],
      seed: row.seed,
      owner: { tenantId: row.tenantId, userId: row.userId, labSlug: row.labSlug },
      expiresAt: row.expiresAt.toISOString(),
    });
    const failed = Object.entries(status.services).flatMap(([service, s]) =>
      s?.state === "failed" ? [`${serviceTitles[service as ServiceName]} failed to start: ${s.reason}`] : [],
    );
    if (failed.length > 0) {
      log.warn({ failures: failed }, "services failed to start");
      if (await store.end(row, "failed", failed.join("; "), this.now())) await driver.destroy(row.id);
      return "failed";
    }
    if (row.state === "provisioning") await seedLab(lab, { driver, sandboxId: row.id, seed: row.seed });
    await store.markRunning(row);
    // Stopped while starting: the stop found nothing to destroy yet, so clean up here.
    const now = await store.getAcrossTenants(row.id);
    if (now && !isLive(now)) await driver.destroy(row.id);
    return "running";
  }

  private async hasStoppedService(sandboxId: string): Promise<boolean> {
    const status = await this.options.driver.status(sandboxId);
    return !status || Object.values(status.services).some((s) => s?.state === "failed" || s?.state === "stopped");
  }

  /** Whether a job runs in the sandbox; if so it is touched, as terminal input would. */
  private async keepIfBusy(row: SandboxRow, now: Date): Promise<boolean> {
    const job = await this.jobs.find(row.id, now).catch((error: unknown) => {
      this.logFor(row.id).warn({ err: error }, "could not tell whether a job runs");
      return null;
    });
    if (!job) return false;
    await this.options.store.touch(row, now);
    this.logFor(row.id).debug({ job }, "kept: a job is running");
    return true;
  }

  private async reapOne(row: SandboxRow, now = this.now()): Promise<boolean> {
    const reason = this.reasonDue(row, now);
    if (!reason) return false;
    if (!(await this.options.store.end(row, reason, null, now))) return false;
    await this.options.driver.destroy(row.id);
    this.logFor(row.id).info({ reason }, "reaped");
    this.options.metrics.reaperActions.inc({ reason });
    return true;
  }

  private reasonDue(row: SandboxRow, now = this.now()): "expired" | "idle" | null {
    if (row.expiresAt <= now) return "expired";
    if (row.lastActivityAt.getTime() + this.options.policy.idleMs <= now.getTime()) return "idle";
    return null;
  }

  private lab(slug: string): Lab {
    const lab = this.options.findLab(slug);
    if (!lab) throw new LabRunnerFailure("UNKNOWN_LAB", `There is no lab called "${slug}".`);
    return lab;
  }

  private async row(sandboxId: string): Promise<SandboxRow> {
    const row = await this.options.store.getAcrossTenants(sandboxId);
    if (!row) throw new LabRunnerFailure("SANDBOX_NOT_FOUND", "No such lab sandbox.");
    return row;
  }

  private toView(row: SandboxRow, status: SandboxStatus | null): SandboxView {
    const idleExpiresAt = new Date(row.lastActivityAt.getTime() + this.options.policy.idleMs);
    const services: SandboxView["services"] = {};
    for (const service of this.options.findLab(row.labSlug)?.services ?? []) {
      const s = status?.services[service];
      services[service] = !isLive(row)
        ? { state: "stopped" }
        : !s
          ? { state: "starting" }
          : s.state === "failed"
            ? { state: "failed", reason: s.reason, logTail: s.logTail }
            : { state: s.state };
    }
    return {
      id: row.id,
      tenantId: row.tenantId,
      userId: row.userId,
      labSlug: row.labSlug,
      labVersion: row.labVersion,
      state: row.state,
      endedReason: row.endedReason,
      failure: row.failure ?? (row.endedReason ? sandboxEndMessages[row.endedReason] : null),
      services,
      createdAt: row.createdAt.toISOString(),
      endsAt: new Date(Math.min(row.expiresAt.getTime(), idleExpiresAt.getTime())).toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      idleExpiresAt: idleExpiresAt.toISOString(),
    };
  }
}

function isLive(row: SandboxRow): boolean {
  return isLiveSandboxState(row.state);
}
