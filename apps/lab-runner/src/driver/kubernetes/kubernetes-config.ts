import { createEnv } from "@t3-oss/env-core";
import * as z from "zod";

/** CPU and memory of one container, in Kubernetes quantity syntax. */
export interface ContainerResources {
  cpuRequest: string;
  cpuLimit: string;
  /** Requests equal limits for memory: a sandbox that does not fit should not be scheduled at all. */
  memory: string;
  ephemeralStorage: string;
}

export interface WorkloadConfig {
  image: string;
  /** The image's own numeric user: runAsNonRoot can only be verified with a numeric uid. */
  uid: number;
  resources: ContainerResources;
  /** JVM heap (-Xmx) for the JVM workloads; sized to leave room for metaspace and direct buffers. */
  heap: string;
}

export type WorkloadName = "kafka" | "namenode" | "datanode" | "spark" | "toolbox";

export interface KubernetesDriverConfig {
  /**
   * Labels every sandbox namespace; list(), the reaper and the informers see only namespaces
   * carrying it, so installs that share a cluster never take each other's for orphans.
   */
  installationId: string;
  /** Sandbox namespaces are `<prefix><sandboxId>`; the prefix keeps them apart from everything else. */
  namespacePrefix: string;
  clusterDomain: string;
  /** Path of a kubeconfig; unset means in-cluster service account, else ~/.kube/config (loadFromDefault). */
  kubeconfigPath?: string;
  /** Where lab-runner's pods run, so the sandboxes' NetworkPolicy lets exactly them in. */
  labRunner: { namespace: string; podLabels: Record<string, string> };
  workloads: Record<WorkloadName, WorkloadConfig>;
  /** Budget of the whole namespace (ResourceQuota); the sum of the workloads must fit in it. */
  quota: { memory: string; cpu: string; cpuRequests: string; pods: number; ephemeralStorage: string };
  /** How long provision waits for pods to turn Ready (image pulls on a cold node take a while). */
  readyTimeoutMs: number;
  /** Short: nothing in a sandbox needs a clean shutdown, and namespace deletion waits for it. */
  terminationGracePeriodSeconds: number;
}

/** A Kubernetes label value: at most 63 characters, alphanumeric at both ends, `-_.` inside. */
export const installationIdSchema = z
  .string()
  .max(63)
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "a Kubernetes label value (at most 63 of A-Z a-z 0-9 - _ ., alphanumeric at both ends)");

const quantity = z.string().regex(/^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G)?$/, "a Kubernetes quantity such as 512Mi or 250m");
const labelPairs = z
  .string()
  .regex(/^[\w./-]+=[\w.-]+(,[\w./-]+=[\w.-]+)*$/, "comma-separated key=value labels")
  .transform((text) => Object.fromEntries(text.split(",").map((pair) => pair.split("=") as [string, string])));

/**
 * The Kubernetes driver's configuration from the environment (LAB_K8S_*, LAB_INSTALLATION_ID),
 * with defaults sized so the five containers of a full sandbox fit in 1.5 GiB. Parsed once,
 * passed to the driver. The installation id defaults to one the caller derives (config.ts: from
 * the database, which is what makes two installs two).
 */
export function kubernetesDriverConfig(source: NodeJS.ProcessEnv, defaultInstallationId: string): KubernetesDriverConfig {
  const env = createEnv({
    server: {
      LAB_INSTALLATION_ID: installationIdSchema.default(defaultInstallationId),
      LAB_K8S_KUBECONFIG: z.string().min(1).optional(),
      LAB_K8S_NAMESPACE_PREFIX: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,20}$/)
        .default("lab-"),
      LAB_K8S_CLUSTER_DOMAIN: z.string().default("cluster.local"),
      LAB_K8S_RUNNER_NAMESPACE: z.string().default("cookbook"),
      LAB_K8S_RUNNER_POD_LABELS: labelPairs.default({ "app.kubernetes.io/name": "lab-runner" }),
      LAB_K8S_KAFKA_IMAGE: z.string().default("apache/kafka:4.1.0"),
      LAB_K8S_HADOOP_IMAGE: z.string().default("apache/hadoop:3.4.1"),
      LAB_K8S_SPARK_IMAGE: z.string().default("apache/spark:4.0.1"),
      /** Built from infra/k8s/toolbox/Dockerfile (official images only); push it and set this. */
      LAB_K8S_TOOLBOX_IMAGE: z.string().default("cookbook/lab-toolbox:0.1.0"),
      LAB_K8S_KAFKA_MEMORY: quantity.default("384Mi"),
      LAB_K8S_KAFKA_HEAP: quantity.default("256m"),
      LAB_K8S_NAMENODE_MEMORY: quantity.default("256Mi"),
      LAB_K8S_NAMENODE_HEAP: quantity.default("160m"),
      LAB_K8S_DATANODE_MEMORY: quantity.default("192Mi"),
      LAB_K8S_DATANODE_HEAP: quantity.default("96m"),
      LAB_K8S_SPARK_MEMORY: quantity.default("384Mi"),
      LAB_K8S_SPARK_HEAP: quantity.default("256m"),
      LAB_K8S_TOOLBOX_MEMORY: quantity.default("320Mi"),
      LAB_K8S_TOOLBOX_HEAP: quantity.default("192m"),
      LAB_K8S_SANDBOX_MEMORY: quantity.default("1536Mi"),
      LAB_K8S_SANDBOX_CPU: quantity.default("5"),
      LAB_K8S_SANDBOX_CPU_REQUESTS: quantity.default("1"),
      LAB_K8S_READY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
  });
  const resources = (memory: string, cpuRequest: string): ContainerResources => ({ memory, cpuRequest, cpuLimit: "1", ephemeralStorage: "1Gi" });
  return {
    installationId: env.LAB_INSTALLATION_ID,
    namespacePrefix: env.LAB_K8S_NAMESPACE_PREFIX,
    clusterDomain: env.LAB_K8S_CLUSTER_DOMAIN,
    kubeconfigPath: env.LAB_K8S_KUBECONFIG,
    labRunner: { namespace: env.LAB_K8S_RUNNER_NAMESPACE, podLabels: env.LAB_K8S_RUNNER_POD_LABELS },
    // uids: apache/kafka and apache/hadoop run as 1000, apache/spark as 185 ("spark").
    workloads: {
      kafka: { image: env.LAB_K8S_KAFKA_IMAGE, uid: 1000, heap: env.LAB_K8S_KAFKA_HEAP, resources: resources(env.LAB_K8S_KAFKA_MEMORY, "100m") },
      namenode: {
        image: env.LAB_K8S_HADOOP_IMAGE,
        uid: 1000,
        heap: env.LAB_K8S_NAMENODE_HEAP,
        resources: resources(env.LAB_K8S_NAMENODE_MEMORY, "50m"),
      },
      datanode: {
        image: env.LAB_K8S_HADOOP_IMAGE,
        uid: 1000,
        heap: env.LAB_K8S_DATANODE_HEAP,
        resources: resources(env.LAB_K8S_DATANODE_MEMORY, "50m"),
      },
      spark: { image: env.LAB_K8S_SPARK_IMAGE, uid: 185, heap: env.LAB_K8S_SPARK_HEAP, resources: resources(env.LAB_K8S_SPARK_MEMORY, "100m") },
      toolbox: {
        image: env.LAB_K8S_TOOLBOX_IMAGE,
        uid: 185,
        heap: env.LAB_K8S_TOOLBOX_HEAP,
        resources: resources(env.LAB_K8S_TOOLBOX_MEMORY, "50m"),
      },
    },
    quota: {
      memory: env.LAB_K8S_SANDBOX_MEMORY,
      cpu: env.LAB_K8S_SANDBOX_CPU,
      cpuRequests: env.LAB_K8S_SANDBOX_CPU_REQUESTS,
      // Five pods at most, plus room for a replacement while a failed one is being deleted.
      pods: 8,
      ephemeralStorage: "6Gi",
    },
    readyTimeoutMs: env.LAB_K8S_READY_TIMEOUT_SECONDS * 1000,
    terminationGracePeriodSeconds: 2,
  };
}
