/**
 * The Kubernetes driver's figures against the test control plane (infra/control-plane: real
 * kube-apiserver + etcd + controllers, KWOK pods), acting as lab-runner's ServiceAccount:
 *   pnpm --filter @cookbook/lab-runner bench:k8s      (BENCH_SANDBOXES=200 by default)
 * Requests are counted on the client (every REST call, watch and exec upgrade the driver makes).
 */
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { KubernetesSandboxDriver } from "../src/driver/kubernetes/kubernetes-driver";
import { kubectl, startTestCluster, type TestCluster } from "../src/driver/kubernetes/test-cluster";
import type { SandboxSpec } from "../src/driver/sandbox-driver";

/** A KubeConfig that counts the requests it authenticates: the generated APIs call the first, watch and exec the second. */
class CountingKubeConfig extends KubeConfig {
  requests = 0;
  override async applySecurityAuthentication(...args: Parameters<KubeConfig["applySecurityAuthentication"]>) {
    this.requests += 1;
    return super.applySecurityAuthentication(...args);
  }
  override async applyToHTTPSOptions(...args: Parameters<KubeConfig["applyToHTTPSOptions"]>) {
    this.requests += 1;
    return super.applyToHTTPSOptions(...args);
  }
}

const total = Number(process.env.BENCH_SANDBOXES ?? 200);
const spec = (sandboxId: string): SandboxSpec => ({
  sandboxId,
  services: ["kafka", "hdfs", "spark"],
  seed: "bench",
  owner: { tenantId: "bench-tenant", userId: `user-${sandboxId}`, labSlug: "bench-lab" },
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
});

function countingDriver(cluster: TestCluster) {
  const kubeConfig = new CountingKubeConfig();
  kubeConfig.loadFromString(cluster.labRunnerKubeconfig);
  return { kubeConfig, driver: new KubernetesSandboxDriver({ config: cluster.driverConfig, kubeConfig }) };
}

async function measure<T>(kubeConfig: CountingKubeConfig, work: () => Promise<T>) {
  const before = kubeConfig.requests;
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, requests: kubeConfig.requests - before, result };
}

async function untilNamespacesGone(core: CoreV1Api, selector: string): Promise<number> {
  const started = performance.now();
  while ((await core.listNamespace({ labelSelector: selector })).items.length > 0) await new Promise((r) => setTimeout(r, 250));
  return performance.now() - started;
}

const row = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

const cluster = await startTestCluster("bench");
const drivers: KubernetesSandboxDriver[] = [];
try {
  // The fake node must not be the limit: 200 full sandboxes ask for 1000 pods and 300 GiB.
  const capacity = { pods: "2000", cpu: "512", memory: "1Ti", "ephemeral-storage": "10Ti" };
  kubectl(cluster.controlPlane, [
    "patch",
    "node",
    cluster.controlPlane.kwokNode ?? "kwok-node-0",
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status: { capacity, allocatable: capacity } }),
  ]);
  const admin = cluster.admin.makeApiClient(CoreV1Api);
  console.log(`Kubernetes driver benchmark, ${new Date().toISOString().slice(0, 10)}, control plane ready in ${cluster.controlPlane.startupMs} ms`);
  console.log(
    `one sandbox = kafka + hdfs + spark + toolbox: 18 objects (namespace, quota, LimitRange, 4 NetworkPolicies, ServiceAccount, ConfigMap, 4 Services, 5 pods)\n`,
  );

  const one = countingDriver(cluster);
  drivers.push(one.driver);
  const warm = await measure(one.kubeConfig, () => one.driver.provision(spec("bench-warmup")));
  row("first provision (informers' list+watch, API discovery)", `${warm.ms.toFixed(0)} ms, ${warm.requests} requests`);
  const fresh = await measure(one.kubeConfig, () => one.driver.provision(spec("bench-one")));
  row("provision one sandbox (applied and all pods Ready)", `${fresh.ms.toFixed(0)} ms, ${fresh.requests} requests`);
  const again = await measure(one.kubeConfig, () => one.driver.provision(spec("bench-one")));
  row("provision it again (no-op)", `${again.ms.toFixed(0)} ms, ${again.requests} requests`);
  const destroyed = await measure(one.kubeConfig, () => one.driver.destroy("bench-one"));
  row("destroy one sandbox (namespace deletion accepted)", `${destroyed.ms.toFixed(0)} ms, ${destroyed.requests} requests`);
  row(
    "  ... until the namespace is gone (namespace controller)",
    `${(destroyed.ms + (await untilNamespacesGone(admin, "cookbook.dev/sandbox-id=bench-one"))).toFixed(0)} ms`,
  );
  await one.driver.destroy("bench-warmup");

  const pair = [countingDriver(cluster), countingDriver(cluster)] as const;
  drivers.push(...pair.map((p) => p.driver));
  await Promise.all(pair.map((p) => p.driver.status("warm-up"))); // informers synced before the clock starts
  const before = pair.map((p) => p.kubeConfig.requests);
  const started = performance.now();
  const driverFor = (i: number) => (i % 2 === 0 ? pair[0] : pair[1]).driver;
  const statuses = await Promise.all(Array.from({ length: total }, (_, i) => driverFor(i).provision(spec(`bench-${i}`))));
  const elapsed = performance.now() - started;
  const requests = pair.reduce((sum, p, i) => sum + p.kubeConfig.requests - (before[i] ?? 0), 0);
  const ready = statuses.filter((s) => Object.values(s.services).every((service) => service?.state === "ready")).length;
  row(`${total} sandboxes provisioned concurrently by 2 driver instances`, `${(elapsed / 1000).toFixed(1)} s, ${ready}/${total} ready`);
  row(
    "  throughput",
    `${((total / elapsed) * 1000).toFixed(1)} sandboxes/s (${(((total * 18) / elapsed) * 1000).toFixed(0)} objects/s), ${requests} requests`,
  );
  const destroyStarted = performance.now();
  await Promise.all(Array.from({ length: total }, (_, i) => driverFor(i).destroy(`bench-${i}`)));
  const accepted = performance.now() - destroyStarted;
  const gone = await untilNamespacesGone(admin, "app.kubernetes.io/managed-by=cookbook-lab-runner");
  row(`destroy all ${total}`, `${accepted.toFixed(0)} ms accepted, ${((accepted + gone) / 1000).toFixed(1)} s until every namespace is gone`);
} finally {
  await Promise.all(drivers.map((d) => d.close()));
  await cluster.stop();
}
