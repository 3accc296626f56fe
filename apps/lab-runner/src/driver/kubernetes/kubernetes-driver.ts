import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject, type V1Namespace } from "@kubernetes/client-node";
import { PerKeyLock } from "../per-key-lock";
import {
  sameSpec,
  SandboxConflictError,
  SandboxNotFoundError,
  sandboxIdSchema,
  sandboxSpecSchema,
  type ExecOptions,
  type ExecResult,
  type SandboxDriver,
  type SandboxSpec,
  type SandboxStatus,
  type ServiceName,
  type ServiceStatus,
  type ShellOptions,
  type ShellSession,
} from "../sandbox-driver";
import { isNotFound, withRetries } from "./api-errors";
import type { KubernetesDriverConfig, WorkloadName } from "./kubernetes-config";
import { execInPod, openPodShell, type ExecTarget } from "./pod-exec";
import { notReadyReason, serviceStatusOf } from "./pod-status";
import { expiryOf, fieldManager, installationNamespaceSelector, isTerminating, namespaceName, specOf } from "./sandbox-identity";
import { sandboxManifestPhases } from "./sandbox-manifests";
import { SandboxWatch } from "./sandbox-watch";
import { sandboxEndpoints, toolboxPod, workloadsOf } from "./workload-manifests";

export interface KubernetesDriverOptions {
  config: KubernetesDriverConfig;
  /** Default: config.kubeconfigPath, else in-cluster service account or ~/.kube/config. */
  kubeConfig?: KubeConfig;
  log?: (line: string) => void;
}

export function loadKubeConfig(config: KubernetesDriverConfig): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (config.kubeconfigPath) kubeConfig.loadFromFile(config.kubeconfigPath);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

/**
 * One namespace per sandbox, built from the official apache/* images. The cluster is the source
 * of truth: every object is labelled, the spec rides on the namespace, so a restarted lab-runner
 * (or another replica) sees exactly what exists. Provisioning is server-side apply of the whole
 * desired state, so repeating it after a crash converges and repeating it when complete changes
 * nothing. Pods are bare (no Deployments): a sandbox lives two hours, and a pod that dies is
 * reported as failed and replaced by the next provision, as the lab-runner's "start again" does.
 */
export class KubernetesSandboxDriver implements SandboxDriver {
  readonly kubeConfig: KubeConfig;
  private readonly config: KubernetesDriverConfig;
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  private readonly watch: SandboxWatch;
  private readonly lock = new PerKeyLock();
  /** Sandboxes this process is provisioning: their missing pods are "starting", not "stopped". */
  private readonly provisioning = new Set<string>();
  /** Readiness timeouts this process saw, per sandbox and service (lost on restart, like the local driver's phases). */
  private readonly timeouts = new Map<string, Partial<Record<ServiceName, string>>>();

  constructor(options: KubernetesDriverOptions) {
    this.config = options.config;
    this.kubeConfig = options.kubeConfig ?? loadKubeConfig(options.config);
    this.objects = KubernetesObjectApi.makeApiClient(this.kubeConfig);
    this.core = this.kubeConfig.makeApiClient(CoreV1Api);
    this.watch = new SandboxWatch(this.kubeConfig, options.config.installationId, options.log);
  }

  provision(input: SandboxSpec): Promise<SandboxStatus> {
    const spec = sandboxSpecSchema.parse(input);
    return this.lock.run(spec.sandboxId, () => this.provisionLocked(spec));
  }

  async status(sandboxId: string): Promise<SandboxStatus | null> {
    await this.watch.start();
    const namespace = this.watch.namespace(this.namespaceOf(sandboxId));
    const spec = namespace && !isTerminating(namespace) ? this.specOf(namespace) : null;
    return spec ? this.describe(spec) : null;
  }

  async exec(sandboxId: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return execInPod(this.kubeConfig, await this.toolboxOf(sandboxId), argv, options);
  }

  async openShell(sandboxId: string, options: ShellOptions): Promise<ShellSession> {
    return openPodShell(this.kubeConfig, await this.toolboxOf(sandboxId), options);
  }

  /**
   * Deleting the namespace deletes everything in it (the namespace controller's job). Not behind
   * the per-sandbox lock: a stop must not wait for a provision's readiness timeout; the
   * provision notices the namespace going and gives up.
   */
  async destroy(sandboxId: string): Promise<void> {
    const name = this.namespaceOf(sandboxIdSchema.parse(sandboxId));
    this.timeouts.delete(sandboxId);
    try {
      await withRetries(() => this.core.deleteNamespace({ name, propagationPolicy: "Background" }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.untilWatchSeesDeletion(name);
  }

  /**
   * status() answers from the informer, which hears of a deletion a moment after the API server
   * took it: wait for it, so that a status after destroy says null (the conformance suite's case).
   */
  private async untilWatchSeesDeletion(name: string): Promise<void> {
    await this.watch.start();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const namespace = this.watch.namespace(name);
      if (!namespace || isTerminating(namespace)) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      await this.watch.nextChange(Math.min(remaining, 1000));
    }
  }

  /**
   * This installation's sandboxes that exist on the cluster, read from the API server (not the
   * cache): reconcile's ground truth. Namespaces of other installs sharing the cluster (other
   * installation label) or outside the prefix are not listed, so they are never orphans here.
   */
  async list(): Promise<SandboxSpec[]> {
    const namespaces = await this.listNamespaces();
    return namespaces.flatMap((namespace) => {
      const spec = isTerminating(namespace) ? null : this.specOf(namespace);
      return spec ? [spec] : [];
    });
  }

  /**
   * Deletes the sandboxes whose expires-at annotation has passed, whatever Postgres says: the
   * safety net for a lost row or a lab-runner that was down at the deadline. Returns their ids.
   */
  async reapExpired(now = new Date()): Promise<string[]> {
    const expired = (await this.listNamespaces()).flatMap((namespace) => {
      const spec = this.specOf(namespace);
      const expiry = expiryOf(namespace);
      return spec && expiry && expiry <= now && !isTerminating(namespace) ? [spec.sandboxId] : [];
    });
    await Promise.all(expired.map((sandboxId) => this.destroy(sandboxId)));
    return expired;
  }

  /** Stops the informers (tests, shutdown); sandboxes keep running. */
  close(): Promise<void> {
    return this.watch.stop();
  }

  /** A sandbox's spec if the namespace is one of this installation's, else null. */
  private specOf(namespace: V1Namespace): SandboxSpec | null {
    return specOf(namespace, this.config.installationId);
  }

  private namespaceOf(sandboxId: string): string {
    return namespaceName(this.config.namespacePrefix, sandboxId);
  }

  private async provisionLocked(spec: SandboxSpec): Promise<SandboxStatus> {
    await this.watch.start();
    const name = this.namespaceOf(spec.sandboxId);
    // Live read, not the cache: the namespace may have been created a moment ago by another replica.
    const existing = await this.readNamespace(name);
    if (existing && isTerminating(existing)) throw new Error(`sandbox ${spec.sandboxId} is being destroyed`);
    const recorded = existing ? this.specOf(existing) : null;
    // Another installation's namespace of that name (or no sandbox's at all) is never taken over.
    if (existing && !recorded) throw new SandboxConflictError(spec.sandboxId);
    if (recorded && !sameSpec(recorded, spec)) throw new SandboxConflictError(spec.sandboxId);
    this.provisioning.add(spec.sandboxId);
    this.timeouts.delete(spec.sandboxId);
    try {
      const phases = sandboxManifestPhases(spec, this.config);
      for (const [index, phase] of phases.entries()) {
        if (index === phases.length - 1) await this.removeEndedPods(name);
        await Promise.all(phase.map((object) => this.apply(object)));
      }
      await this.waitUntilSettled(spec);
    } finally {
      this.provisioning.delete(spec.sandboxId);
    }
    return this.describe(spec);
  }

  private apply(object: KubernetesObject): Promise<KubernetesObject> {
    // force: the driver owns these objects; a hand edit is overridden by the desired state.
    return withRetries(() => this.objects.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply));
  }

  /** Pods that ended (evicted, crashed for good) cannot be restarted in place: delete so apply recreates them. */
  private async removeEndedPods(namespace: string): Promise<void> {
    const ended = this.watch.podsIn(namespace).filter((pod) => pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded");
    await Promise.all(
      ended.map(async (pod) => {
        const name = pod.metadata?.name ?? "";
        try {
          await withRetries(() => this.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }));
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }),
    );
    const deadline = Date.now() + 60_000;
    while (ended.some((pod) => this.watch.podsIn(namespace).some((p) => p.metadata?.uid === pod.metadata?.uid)) && Date.now() < deadline) {
      await this.watch.nextChange(1000);
    }
  }

  /** Waits, on informer events, until every pod is ready or failed, or the timeout; records what timed out. */
  private async waitUntilSettled(spec: SandboxSpec): Promise<void> {
    const deadline = Date.now() + this.config.readyTimeoutMs;
    const name = this.namespaceOf(spec.sandboxId);
    let seen = false;
    for (;;) {
      const namespace = this.watch.namespace(name);
      // Destroyed meanwhile (a stop during start): nothing left to wait for.
      if ((seen && !namespace) || (namespace && isTerminating(namespace))) return;
      seen ||= namespace !== undefined;
      const statuses = this.serviceStatuses(spec, true);
      const toolbox = serviceStatusOf([this.pod(spec, "toolbox")], true);
      const all = [...Object.values(statuses), toolbox];
      if (all.every((s) => s.state === "ready") || all.some((s) => s.state === "failed")) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await this.watch.nextChange(Math.min(remaining, 5000));
    }
    const reasons: Partial<Record<ServiceName, string>> = {};
    const seconds = Math.round(this.config.readyTimeoutMs / 1000);
    const toolbox = this.pod(spec, "toolbox");
    const toolboxReady = serviceStatusOf([toolbox], false).state === "ready";
    for (const service of spec.services) {
      const pods = workloadsOf[service].map((workload) => this.pod(spec, workload));
      if (serviceStatusOf(pods, false).state === "ready" && toolboxReady) continue;
      const waiting =
        serviceStatusOf(pods, false).state === "ready"
          ? [`toolbox: ${notReadyReason(toolbox)}`]
          : pods.map((pod, i) => `${workloadsOf[service][i]}: ${notReadyReason(pod)}`);
      reasons[service] = `not ready after ${seconds} s (${waiting.join("; ")})`;
    }
    this.timeouts.set(spec.sandboxId, reasons);
  }

  private pod(spec: SandboxSpec, workload: WorkloadName) {
    return this.watch.podsIn(this.namespaceOf(spec.sandboxId)).find((pod) => pod.metadata?.name === workload);
  }

  private serviceStatuses(spec: SandboxSpec, provisioning: boolean): Partial<Record<ServiceName, ServiceStatus>> {
    const timedOut = this.timeouts.get(spec.sandboxId) ?? {};
    const statuses: Partial<Record<ServiceName, ServiceStatus>> = {};
    for (const service of new Set(spec.services)) {
      const reason = timedOut[service];
      statuses[service] = reason
        ? { state: "failed", reason, logTail: "" }
        : serviceStatusOf(
            workloadsOf[service].map((workload) => this.pod(spec, workload)),
            provisioning,
          );
    }
    return statuses;
  }

  private describe(spec: SandboxSpec): SandboxStatus {
    const namespace = this.namespaceOf(spec.sandboxId);
    return {
      sandboxId: spec.sandboxId,
      spec,
      services: this.serviceStatuses(spec, this.provisioning.has(spec.sandboxId)),
      endpoints: sandboxEndpoints(spec, namespace, this.config),
    };
  }

  private async toolboxOf(sandboxId: string): Promise<ExecTarget> {
    await this.watch.start();
    const name = this.namespaceOf(sandboxIdSchema.parse(sandboxId));
    const namespace = this.watch.namespace(name) ?? (await this.readNamespace(name));
    if (!namespace || isTerminating(namespace) || !this.specOf(namespace)) throw new SandboxNotFoundError(sandboxId);
    return { namespace: name, pod: toolboxPod, container: toolboxPod };
  }

  private async readNamespace(name: string): Promise<V1Namespace | null> {
    try {
      return await withRetries(() => this.core.readNamespace({ name }));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** This installation's sandbox namespaces: both labels, and the name this driver would give the sandbox. */
  private async listNamespaces(): Promise<V1Namespace[]> {
    const namespaces: V1Namespace[] = [];
    const labelSelector = installationNamespaceSelector(this.config.installationId);
    let next: string | undefined;
    do {
      const page = await withRetries(() => this.core.listNamespace({ labelSelector, limit: 500, _continue: next }));
      namespaces.push(...page.items);
      next = page.metadata?._continue || undefined;
    } while (next);
    return namespaces.filter((namespace) => {
      const spec = this.specOf(namespace);
      return spec !== null && namespace.metadata?.name === this.namespaceOf(spec.sandboxId);
    });
  }
}
