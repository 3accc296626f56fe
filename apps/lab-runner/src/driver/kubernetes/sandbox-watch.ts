import {
  CoreV1Api,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ObjectCache,
  type V1Namespace,
  type V1Pod,
} from "@kubernetes/client-node";
import { installationNamespaceSelector, managedBySelector } from "./sandbox-identity";

type Cache<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * Informers on the driver's namespaces (selected by the managed-by and installation labels) and
 * pods (managed-by: they are only ever looked up by the namespace name of a sandbox), so status()
 * answers from memory and provision() waits for readiness without polling the API server.
 * An informer that loses its watch relists after a pause; `changed` wakes anyone waiting.
 */
export class SandboxWatch {
  private readonly namespaces: Cache<V1Namespace>;
  private readonly pods: Cache<V1Pod>;
  private readonly waiters = new Set<() => void>();
  private started: Promise<void> | undefined;
  private stopped = false;

  constructor(
    kubeConfig: KubeConfig,
    installationId: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const namespaceSelector = installationNamespaceSelector(installationId);
    this.namespaces = makeInformer(
      kubeConfig,
      "/api/v1/namespaces",
      () => core.listNamespace({ labelSelector: namespaceSelector }),
      namespaceSelector,
    );
    this.pods = makeInformer(kubeConfig, "/api/v1/pods", () => core.listPodForAllNamespaces({ labelSelector: managedBySelector }), managedBySelector);
    for (const informer of [this.namespaces, this.pods] as Array<Cache<KubernetesObject>>) {
      informer.on("change", () => this.wake());
      informer.on("error", (error: unknown) => {
        if (this.stopped) return;
        this.log(`watch failed, relisting in 1 s: ${error instanceof Error ? error.message : String(error)}`);
        setTimeout(() => void informer.start().catch(() => {}), 1000).unref();
      });
    }
  }

  /** Resolves once both caches hold a complete list; idempotent. */
  start(): Promise<void> {
    this.started ??= Promise.all([this.namespaces.start(), this.pods.start()]).then(() => undefined);
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.namespaces.stop(), this.pods.stop()]);
    this.wake();
  }

  namespace(name: string): V1Namespace | undefined {
    return this.namespaces.get(name);
  }

  podsIn(namespace: string): readonly V1Pod[] {
    return this.pods.list(namespace);
  }

  /** Resolves at the next change seen by either informer, or after `timeoutMs`. */
  nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
