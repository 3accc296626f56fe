import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubernetesDriverConfig } from "./kubernetes-config";
import { serviceStatusOf } from "./pod-status";
import { namespaceManifest } from "./namespace-manifests";
import { labelValue, sandboxLabels, specOf } from "./sandbox-identity";
import { sandboxManifestPhases } from "./sandbox-manifests";

const config = kubernetesDriverConfig({}, "install-a");
const mebibytes = (quantity: string) => Number(quantity.replace(/Mi$/, ""));

describe("sandbox manifests", () => {
  it("apply in order: namespace, guard rails, then pods", () => {
    const phases = sandboxManifestPhases({ sandboxId: "sb-1", services: ["kafka", "hdfs"] }, config);
    expect(phases.map((phase) => phase.map((o) => o.kind))).toEqual([
      ["Namespace"],
      [
        "ResourceQuota",
        "LimitRange",
        "NetworkPolicy",
        "NetworkPolicy",
        "NetworkPolicy",
        "NetworkPolicy",
        "ServiceAccount",
        "ConfigMap",
        "Service",
        "Service",
        "Service",
      ],
      ["Pod", "Pod", "Pod", "Pod"],
    ]);
  });

  it("size the full sandbox's containers to exactly the namespace's memory budget", () => {
    const pods = sandboxManifestPhases({ sandboxId: "sb-1", services: ["kafka", "hdfs", "spark"] }, config)[2] as V1Pod[];
    const memory = pods.flatMap((pod) => pod.spec?.containers ?? []).reduce((sum, c) => sum + mebibytes(String(c.resources?.limits?.memory)), 0);
    expect(memory).toBe(mebibytes(config.quota.memory));
  });

  it("take images and heaps from the configuration", () => {
    const custom = kubernetesDriverConfig({ LAB_K8S_KAFKA_IMAGE: "registry.example/kafka:4.1.0", LAB_K8S_KAFKA_HEAP: "300m" }, "install-a");
    const [kafka] = sandboxManifestPhases({ sandboxId: "sb-1", services: ["kafka"] }, custom)[2] as V1Pod[];
    expect(kafka?.spec?.containers[0]?.image).toBe("registry.example/kafka:4.1.0");
    expect(kafka?.spec?.containers[0]?.env).toContainEqual({ name: "KAFKA_HEAP_OPTS", value: "-Xmx300m -Xms300m" });
  });
});

describe("labels", () => {
  it("keep valid ids and hash the rest into valid label values", () => {
    expect(labelValue("0b6c3c4e-0000-4000-8000-000000000001")).toBe("0b6c3c4e-0000-4000-8000-000000000001");
    expect(labelValue("a@b c")).toMatch(/^sha256-[0-9a-f]{56}$/);
    expect(labelValue("x".repeat(64))).toHaveLength(63);
    expect(sandboxLabels({ sandboxId: "sb-1", services: ["kafka"], owner: { tenantId: "t", userId: "u", labSlug: "l" } })).toMatchObject({
      "cookbook.dev/tenant": "t",
      "cookbook.dev/user": "u",
      "cookbook.dev/lab": "l",
    });
  });
});

describe("installation ownership", () => {
  const spec = { sandboxId: "sb-1", services: ["kafka" as const] };
  it("labels the namespace with the installation id, LAB_INSTALLATION_ID over the derived default", () => {
    expect(namespaceManifest("lab-sb-1", spec, config).metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "cookbook-lab-runner",
      "cookbook.dev/installation": "install-a",
    });
    const named = kubernetesDriverConfig({ LAB_INSTALLATION_ID: "eu-prod" }, "install-a");
    expect(namespaceManifest("lab-sb-1", spec, named).metadata?.labels?.["cookbook.dev/installation"]).toBe("eu-prod");
    expect(() => kubernetesDriverConfig({ LAB_INSTALLATION_ID: "not a label" }, "install-a")).toThrow();
  });

  it("reads a sandbox back only from a namespace of the same installation", () => {
    const namespace = namespaceManifest("lab-sb-1", spec, config);
    expect(specOf(namespace, "install-a")).toEqual(spec);
    expect(specOf(namespace, "install-b")).toBeNull();
    const unlabelled = { ...namespace, metadata: { ...namespace.metadata, labels: sandboxLabels(spec) } };
    expect(specOf(unlabelled, "install-a")).toBeNull();
  });
});

describe("service status from pods", () => {
  const pod = (status: V1Pod["status"]): V1Pod => ({ metadata: { name: "kafka" }, status });
  const ready = pod({ phase: "Running", conditions: [{ type: "Ready", status: "True" }] });
  it("maps pod conditions to starting, ready, failed and stopped", () => {
    expect(serviceStatusOf([ready], false)).toEqual({ state: "ready" });
    expect(serviceStatusOf([ready, pod({ phase: "Pending" })], false)).toEqual({ state: "starting" });
    expect(serviceStatusOf([undefined], true)).toEqual({ state: "starting" });
    expect(serviceStatusOf([undefined], false)).toEqual({ state: "stopped" });
    const crashing = pod({
      phase: "Running",
      containerStatuses: [
        {
          name: "kafka",
          image: "i",
          imageID: "",
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 1, message: "boom" } },
        },
      ],
    });
    expect(serviceStatusOf([crashing], false)).toMatchObject({ state: "failed", reason: "kafka: CrashLoopBackOff", logTail: "boom" });
    expect(serviceStatusOf([pod({ phase: "Failed", reason: "Evicted" })], false)).toMatchObject({ state: "failed", reason: "kafka Evicted" });
  });
});
