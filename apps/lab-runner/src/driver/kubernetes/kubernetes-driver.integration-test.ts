import pino from "pino";
import { labs, type Lab } from "@cookbook/content/labs";
import { labSandboxes } from "@cookbook/db/schema";
import { makeTenant, makeUser, testDatabase } from "@cookbook/db/testing/factories";
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LabRunnerFailure } from "../../service/errors";
import { startLabRunnerServer } from "../../service/server";
import { SandboxConflictError, type SandboxSpec } from "../sandbox-driver";
import { describeSandboxDriverConformance } from "../sandbox-driver.conformance";
import { apiFailure } from "./api-errors";
import { KubernetesSandboxDriver } from "./kubernetes-driver";
import { fieldManager, labelKeys, managedBySelector } from "./sandbox-identity";
import { sandboxManifestPhases } from "./sandbox-manifests";
import { kubectlWithWarnings, labRunnerNamespace, renderManifests, startTestCluster, type TestCluster } from "./test-cluster";

/**
 * The Kubernetes driver against a real kube-apiserver (infra/control-plane), acting as lab-runner's
 * ServiceAccount with the RBAC from infra/k8s. KWOK marks pods Ready; no container ever runs, so
 * these tests prove what the API server accepts, stores and deletes, not what the images do.
 */

let cluster: TestCluster;
let driver: KubernetesSandboxDriver;
let admin: CoreV1Api;
const drivers: KubernetesSandboxDriver[] = [];

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();
const fullSpec = (sandboxId: string): SandboxSpec => ({
  sandboxId,
  services: ["kafka", "hdfs", "spark"],
  seed: "seed-1",
  // A user id that is no valid label value, to prove it is hashed rather than refused.
  owner: { tenantId: "0b6c3c4e-0000-4000-8000-000000000001", userId: "user@example.test/with spaces", labSlug: "kafka-first-topic" },
  expiresAt: hourFromNow(),
});

function newDriver(installationId = cluster.driverConfig.installationId): KubernetesSandboxDriver {
  const created = new KubernetesSandboxDriver({ config: { ...cluster.driverConfig, installationId }, kubeConfig: cluster.asLabRunner() });
  drivers.push(created);
  return created;
}

/** uid and resourceVersion of every object in a sandbox namespace, as the admin sees them. */
async function snapshot(namespace: string): Promise<Record<string, string>> {
  const objects = KubernetesObjectApi.makeApiClient(cluster.admin);
  const kinds: Array<[string, string]> = [
    ["v1", "Namespace"],
    ["v1", "ResourceQuota"],
    ["v1", "LimitRange"],
    ["networking.k8s.io/v1", "NetworkPolicy"],
    ["v1", "ServiceAccount"],
    ["v1", "ConfigMap"],
    ["v1", "Service"],
    ["v1", "Pod"],
  ];
  const entries: Array<[string, string]> = [];
  for (const [apiVersion, kind] of kinds) {
    const items =
      kind === "Namespace"
        ? [await admin.readNamespace({ name: namespace })]
        : (await objects.list(apiVersion, kind, namespace)).items.filter((item) => item.metadata?.labels?.[labelKeys.sandboxId] !== undefined);
    for (const item of items) entries.push([`${kind}/${item.metadata?.name}`, `${item.metadata?.uid}@${item.metadata?.resourceVersion}`]);
  }
  return Object.fromEntries(entries.sort());
}

async function namespaceGone(name: string): Promise<boolean> {
  try {
    await admin.readNamespace({ name });
    return false;
  } catch (error) {
    return apiFailure(error)?.code === 404;
  }
}

beforeAll(async () => {
  cluster = await startTestCluster("driver");
  admin = cluster.admin.makeApiClient(CoreV1Api);
  driver = newDriver();
}, 900_000);

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await cluster?.stop();
}, 60_000);

describe("deployment manifests (infra/k8s)", () => {
  it("render with kustomize and pass a server-side dry run, pod templates restricted-clean", () => {
    const result = kubectlWithWarnings(cluster.controlPlane, ["apply", "--dry-run=server", "-f", "-"], renderManifests());
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/deployment.apps\/web .*\(server dry run\)/);
    expect(result.output).toMatch(/clusterrole.rbac.authorization.k8s.io\/cookbook-lab-runner .*\(server dry run\)/);
    expect(result.output).not.toMatch(/would violate PodSecurity/);
  });
});

describe("lab-runner's RBAC: enough and no more", () => {
  const can = async (attributes: { verb: string; resource: string; group?: string; namespace?: string; subresource?: string }) => {
    const review = await cluster
      .asLabRunner()
      .makeApiClient(AuthorizationV1Api)
      .createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { ...attributes, group: attributes.group ?? "" } } } });
    return review.status?.allowed ?? false;
  };

  it("allows what the driver does", async () => {
    for (const verb of ["create", "patch", "delete", "list", "watch", "get"]) expect(await can({ verb, resource: "namespaces" }), verb).toBe(true);
    expect(await can({ verb: "create", resource: "pods", subresource: "exec", namespace: "lab-x" })).toBe(true);
    expect(await can({ verb: "patch", resource: "networkpolicies", group: "networking.k8s.io", namespace: "lab-x" })).toBe(true);
  });

  it("refuses secrets, RBAC objects, nodes, controllers and reading objects it only writes", async () => {
    const refused = [
      { verb: "list", resource: "secrets" },
      { verb: "get", resource: "secrets", namespace: labRunnerNamespace },
      { verb: "create", resource: "secrets", namespace: "lab-x" },
      { verb: "create", resource: "clusterroles", group: "rbac.authorization.k8s.io" },
      { verb: "create", resource: "rolebindings", group: "rbac.authorization.k8s.io", namespace: "lab-x" },
      { verb: "list", resource: "nodes" },
      { verb: "create", resource: "deployments", group: "apps", namespace: "lab-x" },
      { verb: "get", resource: "configmaps", namespace: "kube-system" },
      { verb: "create", resource: "serviceaccounts", subresource: "token", namespace: "lab-x" },
      { verb: "get", resource: "pods", subresource: "log", namespace: "lab-x" },
      { verb: "update", resource: "pods", namespace: "lab-x" },
    ];
    for (const attributes of refused) expect(await can(attributes), JSON.stringify(attributes)).toBe(false);
    // And for real, not only as a review: the API server answers 403.
    const core = cluster.asLabRunner().makeApiClient(CoreV1Api);
    await expect(core.listSecretForAllNamespaces()).rejects.toMatchObject({ code: 403 });
    const rbac = cluster.asLabRunner().makeApiClient(RbacAuthorizationV1Api);
    await expect(
      rbac.createClusterRole({ body: { metadata: { name: "escalate" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } }),
    ).rejects.toMatchObject({ code: 403 });
  });
});

describe("a sandbox on the cluster", () => {
  const spec = fullSpec("sb-full");
  const namespace = "lab-sb-full";

  it("provisions objects that pass validation and restricted admission, and reports them ready", async () => {
    const status = await driver.provision(spec);
    expect(status.services).toEqual({ kafka: { state: "ready" }, hdfs: { state: "ready" }, spark: { state: "ready" } });
    expect(status.endpoints).toEqual({
      kafkaBootstrapServers: `kafka.${namespace}.svc.cluster.local:9092`,
      hdfsUri: `hdfs://namenode.${namespace}.svc.cluster.local:8020`,
      webHdfsUrl: `http://namenode.${namespace}.svc.cluster.local:9870/webhdfs/v1`,
    });
    const ns = await admin.readNamespace({ name: namespace });
    expect(ns.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "cookbook-lab-runner",
      "cookbook.dev/sandbox-id": "sb-full",
      "cookbook.dev/tenant": spec.owner?.tenantId,
      "cookbook.dev/user": expect.stringMatching(/^sha256-[0-9a-f]{56}$/),
      "cookbook.dev/lab": "kafka-first-topic",
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    expect(ns.metadata?.annotations?.["cookbook.dev/expires-at"]).toBe(spec.expiresAt);
    const pods = await admin.listNamespacedPod({ namespace });
    expect(pods.items.map((p) => p.metadata?.name).sort()).toEqual(["datanode", "kafka", "namenode", "spark", "toolbox"]);
    for (const pod of pods.items) {
      expect(pod.spec).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false, serviceAccountName: "sandbox" });
      expect(pod.spec?.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(pod.spec?.containers[0]?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
    const kafka = pods.items.find((p) => p.metadata?.name === "kafka");
    expect(kafka?.spec?.containers[0]?.env).toContainEqual({ name: "KAFKA_HEAP_OPTS", value: "-Xmx256m -Xms256m" });
    // The budget: the quota's hard limit and the five pods' requests fill exactly 1.5 GiB.
    const quota = await admin.readNamespacedResourceQuota({ name: "sandbox-budget", namespace });
    expect(quota.spec?.hard?.["limits.memory"]).toBe("1536Mi");
    await expect
      .poll(async () => (await admin.readNamespacedResourceQuota({ name: "sandbox-budget", namespace })).status?.used?.["limits.memory"])
      .toBe("1536Mi");
    const policies = await cluster.admin.makeApiClient(NetworkingV1Api).listNamespacedNetworkPolicy({ namespace });
    expect(policies.items.map((p) => p.metadata?.name).sort()).toEqual([
      "allow-dns-egress",
      "allow-from-lab-runner",
      "allow-within-sandbox",
      "default-deny",
    ]);
    const fromRunner = policies.items.find((p) => p.metadata?.name === "allow-from-lab-runner");
    expect(fromRunner?.spec?.ingress?.[0]?._from?.[0]).toEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cookbook" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "lab-runner" } },
    });
    const account = await admin.readNamespacedServiceAccount({ name: "sandbox", namespace });
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it("is guarded by PodSecurity restricted and the quota, whoever creates pods there", async () => {
    const privileged = {
      metadata: { name: "intruder" },
      spec: { containers: [{ name: "x", image: "busybox", securityContext: { privileged: true } }] },
    };
    await expect(admin.createNamespacedPod({ namespace, body: privileged })).rejects.toSatisfy((error) => {
      const failure = apiFailure(error);
      return failure?.code === 403 && /violates PodSecurity "restricted:latest"/.test(failure.message);
    });
    const compliant = {
      metadata: { name: "extra" },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
        containers: [{ name: "x", image: "busybox", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
      },
    };
    await expect(admin.createNamespacedPod({ namespace, body: compliant })).rejects.toSatisfy((error) => {
      const failure = apiFailure(error);
      return failure?.code === 403 && /exceeded quota: sandbox-budget/.test(failure.message);
    });
  });

  it("answers status from its informer, and list from the cluster", async () => {
    expect(await driver.status("sb-full")).toMatchObject({ sandboxId: "sb-full", services: { kafka: { state: "ready" }, hdfs: { state: "ready" } } });
    expect(await driver.list()).toContainEqual(spec);
  });

  it("provisions a second time without creating or changing anything", async () => {
    const before = await snapshot(namespace);
    expect(Object.keys(before)).toHaveLength(1 + 1 + 1 + 4 + 1 + 1 + 4 + 5);
    const again = await newDriver().provision(spec);
    expect(again.services.kafka).toEqual({ state: "ready" });
    expect(await snapshot(namespace)).toEqual(before);
  });

  it("reaches exec through the API server with the ServiceAccount's rights (no kubelet here to run it)", async () => {
    // 403 would mean RBAC is missing; KWOK's node has no kubelet, so the API server fails further on.
    await expect(driver.exec("sb-full", ["true"])).rejects.toThrow(/Unexpected server response: 5\d\d/);
  });

  it("destroys everything by deleting the namespace, idempotently", async () => {
    await driver.destroy("sb-full");
    expect((await driver.list()).map((s) => s.sandboxId)).not.toContain("sb-full");
    expect(await driver.status("sb-full")).toBeNull();
    await driver.destroy("sb-full");
    await expect.poll(() => namespaceGone(namespace), { timeout: 60_000, interval: 500 }).toBe(true);
    const leftovers = await admin.listPodForAllNamespaces({ labelSelector: `${labelKeys.sandboxId}=sb-full` });
    expect(leftovers.items).toEqual([]);
    await driver.destroy("sb-full");
  }, 90_000);
});

// The contract's cases that need no running container: KWOK's pods never run one, so exec's are left out.
describeSandboxDriverConformance("kubernetes (KWOK, no container runs)", () => newDriver(), { exec: false, services: ["kafka"] });

describe("convergence after a lab-runner restart", () => {
  it("completes a sandbox whose provisioning stopped half-way, keeping what already exists", async () => {
    const spec = fullSpec("sb-crashed");
    // What a lab-runner killed after its first requests leaves: namespace and guard rails, no pods.
    const asRunner = KubernetesObjectApi.makeApiClient(cluster.asLabRunner());
    const [namespacePhase = [], guardRails = []] = sandboxManifestPhases(spec, cluster.driverConfig);
    const apply = (object: KubernetesObject) => asRunner.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
    for (const object of namespacePhase) await apply(object);
    for (const object of guardRails.slice(0, 3)) await apply(object);
    const partial = await snapshot("lab-sb-crashed");
    expect(Object.keys(partial).some((key) => key.startsWith("Pod/"))).toBe(false);

    const restarted = newDriver();
    expect((await restarted.list()).map((s) => s.sandboxId)).toContain("sb-crashed");
    expect((await restarted.status("sb-crashed"))?.services.kafka).toEqual({ state: "stopped" });
    const status = await restarted.provision(spec);
    expect(status.services).toEqual({ kafka: { state: "ready" }, hdfs: { state: "ready" }, spark: { state: "ready" } });
    const complete = await snapshot("lab-sb-crashed");
    expect(Object.keys(complete)).toHaveLength(18);
    // Objects created before the crash are the same objects (same uid), not re-created ones.
    for (const [key, version] of Object.entries(partial)) expect(complete[key]?.split("@")[0], key).toBe(version.split("@")[0]);
    await restarted.destroy("sb-crashed");
  });
});

describe("the driver's own reaper", () => {
  it("deletes exactly the namespaces whose expires-at has passed", async () => {
    const now = Date.now();
    const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    const specs: SandboxSpec[] = [
      { sandboxId: "sb-expired-1", services: ["kafka"], expiresAt: at(-60_000) },
      { sandboxId: "sb-expired-2", services: ["kafka"], expiresAt: at(-1) },
      { sandboxId: "sb-current", services: ["kafka"], expiresAt: at(60_000) },
      { sandboxId: "sb-no-expiry", services: ["kafka"] },
    ];
    await Promise.all(specs.map((s) => driver.provision(s)));
    const reaped = await driver.reapExpired(new Date(now));
    expect(reaped.sort()).toEqual(["sb-expired-1", "sb-expired-2"]);
    const remaining = (await driver.list()).map((s) => s.sandboxId);
    expect(remaining).toEqual(expect.arrayContaining(["sb-current", "sb-no-expiry"]));
    expect(remaining).not.toContain("sb-expired-1");
    expect(await driver.reapExpired(new Date(now))).toEqual([]);
    await Promise.all(["sb-current", "sb-no-expiry"].map((id) => driver.destroy(id)));
  });
});

describe("two installations sharing a cluster", () => {
  it("each list, reap and reconcile only their own namespaces", async () => {
    const [a, b] = [newDriver("install-a"), newDriver("install-b")];
    const expired = new Date(Date.now() - 60_000).toISOString();
    await a.provision({ sandboxId: "sb-install-a", services: ["kafka"], expiresAt: expired });
    await b.provision({ sandboxId: "sb-install-b", services: ["kafka"], expiresAt: expired });
    expect((await a.list()).map((s) => s.sandboxId)).toEqual(["sb-install-a"]);
    expect((await b.list()).map((s) => s.sandboxId)).toEqual(["sb-install-b"]);
    expect(await a.status("sb-install-b")).toBeNull();
    // Same name, other install's namespace: refused, not taken over.
    await expect(a.provision({ sandboxId: "sb-install-b", services: ["kafka"], expiresAt: expired })).rejects.toBeInstanceOf(SandboxConflictError);

    expect(await a.reapExpired()).toEqual(["sb-install-a"]);
    expect((await b.list()).map((s) => s.sandboxId)).toEqual(["sb-install-b"]);

    // A's lab-runner starting on an empty database: everything A runs is an orphan, B's is not A's.
    await a.provision({ sandboxId: "sb-install-a-2", services: ["kafka"] });
    const { db, close } = testDatabase();
    const server = await startLabRunnerServer({
      db,
      driver: a,
      driverName: "kubernetes",
      secret: "s".repeat(40),
      policy: { ttlMs: 3_600_000, idleMs: 1_800_000, perLearner: 1, perTenant: 3 },
      findLab: () => undefined,
      logger: pino({ level: "silent" }),
    });
    try {
      expect(await a.list()).toEqual([]);
      expect((await b.list()).map((s) => s.sandboxId)).toEqual(["sb-install-b"]);
      expect(await namespaceGone("lab-sb-install-b")).toBe(false);
    } finally {
      await server.close();
      await close();
    }
    await b.destroy("sb-install-b");
  }, 120_000);
});

describe("limits with two lab-runner replicas on this driver", () => {
  it("never lets a learner or a tenant over its limit when starts race across replicas", async () => {
    const { db, close } = testDatabase();
    const kafkaLab = labs.find((lab) => lab.services.length === 1 && lab.services[0] === "kafka") as Lab;
    const otherLab = labs.find((lab) => lab.slug !== kafkaLab.slug) as Lab;
    // Nothing to seed: seeding execs into the toolbox and publishes to the broker, which KWOK's pods cannot run.
    const withoutSeed = (lab: Lab): Lab => ({ ...lab, dataset: undefined, seededTopics: undefined });
    const findLab = (slug: string) => [kafkaLab, otherLab].map(withoutSeed).find((lab) => lab.slug === slug);
    const policy = { ttlMs: 3_600_000, idleMs: 1_800_000, perLearner: 1, perTenant: 3 };
    const driverName = `kubernetes-test-${process.pid}`;
    const startReplica = () =>
      startLabRunnerServer({ db, driver: newDriver(), driverName, secret: "s".repeat(40), policy, findLab, logger: pino({ level: "silent" }) });
    const [replicaA, replicaB] = await Promise.all([startReplica(), startReplica()]);
    const replicas = [replicaA, replicaB];
    try {
      const owner = await makeUser(db, "owner");
      const tenant = await makeTenant(db, owner.id);
      const learners = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser(db, "racer")));
      // Every learner asks for two labs at once, alternately through each replica: 10 racing starts.
      const attempts = learners.flatMap((user, i) =>
        [kafkaLab, otherLab].map((lab, j) =>
          ((i + j) % 2 === 0 ? replicaA : replicaB).manager.start({ tenantId: tenant.id, userId: user.id, labSlug: lab.slug }),
        ),
      );
      const results = await Promise.allSettled(attempts);
      const created = results.flatMap((r) => (r.status === "fulfilled" && r.value.created ? [r.value.sandbox] : []));
      const refusals = results.flatMap((r) => (r.status === "rejected" ? [r.reason as LabRunnerFailure] : []));
      expect(created).toHaveLength(3);
      expect(new Set(created.map((s) => s.userId)).size).toBe(3);
      expect(refusals).toHaveLength(7);
      for (const refusal of refusals) expect(["LEARNER_LIMIT", "TENANT_LIMIT"]).toContain(refusal.code);

      await Promise.all(replicas.map((r) => r.manager.settled()));
      const rows = await db.select().from(labSandboxes).where(eq(labSandboxes.tenantId, tenant.id));
      expect(rows.map((row) => row.state)).toEqual(["running", "running", "running"]);
      // The cluster agrees: three namespaces for this tenant, one per learner who got a sandbox.
      const namespaces = await admin.listNamespace({ labelSelector: `${managedBySelector},${labelKeys.tenant}=${tenant.id}` });
      expect(namespaces.items.map((ns) => ns.metadata?.labels?.[labelKeys.sandboxId]).sort()).toEqual(rows.map((row) => row.id).sort());
      for (const row of rows) await replicaA.manager.stop(row.id);
      expect((await newDriver().list()).filter((s) => s.owner?.tenantId === tenant.id)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await close();
    }
  }, 120_000);
});
