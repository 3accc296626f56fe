import type { KubernetesObject, V1ConfigMap, V1Container, V1EnvVar, V1Pod, V1Probe, V1Service } from "@kubernetes/client-node";
import type { SandboxEndpoints, SandboxSpec, ServiceName } from "../sandbox-driver";
import type { KubernetesDriverConfig, WorkloadName } from "./kubernetes-config";
import { sandboxServiceAccount } from "./namespace-manifests";
import { labelKeys, sandboxLabels } from "./sandbox-identity";

/** Pure builders of a sandbox's pods, Services and Hadoop client config. */

/** Which pods make up each lab service; the toolbox (terminal, exec) is always there. */
export const workloadsOf: Record<ServiceName, readonly WorkloadName[]> = {
  kafka: ["kafka"],
  hdfs: ["namenode", "datanode"],
  spark: ["spark"],
};
export const toolboxPod = "toolbox";

const ports = {
  kafka: 9092,
  kafkaController: 9093,
  namenodeRpc: 8020,
  namenodeHttp: 9870,
  datanodeHttp: 9864,
  datanodeData: 9866,
  sparkConnect: 15002,
};

/** Fully qualified, so an address works from the sandbox's pods and from lab-runner's namespace alike. */
const host = (service: string, namespace: string, config: KubernetesDriverConfig) => `${service}.${namespace}.svc.${config.clusterDomain}`;

export function sandboxEndpoints(spec: SandboxSpec, namespace: string, config: KubernetesDriverConfig): SandboxEndpoints {
  return {
    ...(spec.services.includes("kafka") ? { kafkaBootstrapServers: `${host("kafka", namespace, config)}:${ports.kafka}` } : {}),
    ...(spec.services.includes("hdfs")
      ? {
          hdfsUri: `hdfs://${host("namenode", namespace, config)}:${ports.namenodeRpc}`,
          webHdfsUrl: `http://${host("namenode", namespace, config)}:${ports.namenodeHttp}/webhdfs/v1`,
        }
      : {}),
  };
}

/** One list of Hadoop properties for the servers (as env, read by the image's starter) and the toolbox (as files). */
function hadoopProperties(namespace: string, config: KubernetesDriverConfig) {
  return {
    "core-site.xml": {
      "fs.defaultFS": `hdfs://${host("namenode", namespace, config)}:${ports.namenodeRpc}`,
      "hadoop.tmp.dir": "/tmp/hadoop",
      // Spark tasks' HDFS calls carry their application and task into the NameNode's audit log.
      "hadoop.caller.context.enabled": "true",
      // One MapReduce job, one connection to the NameNode, even through a quiet map phase (as the local driver's).
      "ipc.client.connection.maxidletime": "600000",
    },
    "hdfs-site.xml": {
      "dfs.namenode.name.dir": "/data/dfs/name",
      "dfs.datanode.data.dir": "/data/dfs/data",
      "dfs.namenode.rpc-bind-host": "0.0.0.0",
      "dfs.namenode.http-bind-host": "0.0.0.0",
      // DataNodes register with their pod IP, which has no reverse DNS entry.
      "dfs.namenode.datanode.registration.ip-hostname-check": "false",
      "dfs.webhdfs.enabled": "true",
      "dfs.replication": "1",
      "dfs.namenode.fs-limits.min-block-size": "1024",
      "dfs.permissions.enabled": "false",
      "dfs.namenode.safemode.extension": "0",
      "dfs.namenode.safemode.min.datanodes": "0",
      "dfs.heartbeat.interval": "1",
      "dfs.blockreport.initialDelay": "0",
      // The audit log names each call's connection by its port: how the grader tells a job's calls from hdfs dfs'.
      "dfs.namenode.audit.log.with.remote.port": "true",
    },
    // `mapred streaming` in the toolbox runs MapReduce's local job runner, in a JVM of the toolbox's heap.
    "mapred-site.xml": {
      "mapreduce.framework.name": "local",
      "mapreduce.task.io.sort.mb": "32",
    },
  };
}

function siteXml(properties: Record<string, string>): string {
  const escapeXml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = Object.entries(properties).map(
    ([name, value]) => `  <property><name>${escapeXml(name)}</name><value>${escapeXml(value)}</value></property>`,
  );
  return `<?xml version="1.0"?>\n<configuration>\n${body.join("\n")}\n</configuration>\n`;
}

export function hadoopConfigMapManifest(namespace: string, spec: SandboxSpec, config: KubernetesDriverConfig): V1ConfigMap & KubernetesObject {
  const files = hadoopProperties(namespace, config);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "hadoop-conf", namespace, labels: sandboxLabels(spec) },
    data: Object.fromEntries(Object.entries(files).map(([file, properties]) => [file, siteXml(properties)])),
  };
}

/** apache/hadoop's starter turns `HDFS-SITE.XML_<name>=<value>` variables into its config files. */
function hadoopServerEnv(namespace: string, config: KubernetesDriverConfig): V1EnvVar[] {
  return Object.entries(hadoopProperties(namespace, config)).flatMap(([file, properties]) =>
    Object.entries(properties).map(([name, value]) => ({ name: `${file.toUpperCase()}_${name}`, value })),
  );
}

interface ContainerPlan {
  command?: string[];
  args?: string[];
  env: V1EnvVar[];
  ports: Array<{ name: string; containerPort: number }>;
  readinessProbe?: V1Probe;
  mounts: Record<string, string>;
  workingDir?: string;
}

const tcpProbe = (port: number): V1Probe => ({ tcpSocket: { port }, periodSeconds: 5, failureThreshold: 3 });
const httpProbe = (port: number, path = "/"): V1Probe => ({ httpGet: { port, path }, periodSeconds: 5, failureThreshold: 3 });

function containerPlans(spec: SandboxSpec, namespace: string, config: KubernetesDriverConfig): Record<WorkloadName, ContainerPlan> {
  const { workloads } = config;
  const endpoints = sandboxEndpoints(spec, namespace, config);
  const hadoopEnv = hadoopServerEnv(namespace, config);
  const toolboxEnv: V1EnvVar[] = [
    { name: "HOME", value: "/workspace" },
    { name: "TMPDIR", value: "/tmp" },
    { name: "LANG", value: "C.UTF-8" },
    { name: "LAB_SANDBOX_ID", value: spec.sandboxId },
    { name: "PATH", value: "/opt/kafka/bin:/opt/hadoop/bin:/opt/spark/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    { name: "HADOOP_CONF_DIR", value: "/etc/lab/hadoop" },
    { name: "SPARK_HOME", value: "/opt/spark" },
    { name: "JAVA_TOOL_OPTIONS", value: `-Xmx${workloads.toolbox.heap}` },
    ...(endpoints.kafkaBootstrapServers ? [{ name: "KAFKA_BOOTSTRAP_SERVERS", value: endpoints.kafkaBootstrapServers }] : []),
    ...(endpoints.hdfsUri ? [{ name: "HDFS_URI", value: endpoints.hdfsUri }] : []),
    ...(endpoints.webHdfsUrl ? [{ name: "WEBHDFS_URL", value: endpoints.webHdfsUrl }] : []),
    ...(spec.services.includes("spark") ? [{ name: "SPARK_REMOTE", value: `sc://${host("spark", namespace, config)}:${ports.sparkConnect}` }] : []),
  ];
  return {
    kafka: {
      // apache/kafka turns KAFKA_* variables into server.properties: a single-node KRaft broker+controller.
      env: [
        { name: "KAFKA_NODE_ID", value: "1" },
        { name: "KAFKA_PROCESS_ROLES", value: "broker,controller" },
        { name: "KAFKA_LISTENERS", value: `PLAINTEXT://:${ports.kafka},CONTROLLER://:${ports.kafkaController}` },
        { name: "KAFKA_ADVERTISED_LISTENERS", value: `PLAINTEXT://${host("kafka", namespace, config)}:${ports.kafka}` },
        { name: "KAFKA_CONTROLLER_LISTENER_NAMES", value: "CONTROLLER" },
        { name: "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", value: "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT" },
        { name: "KAFKA_CONTROLLER_QUORUM_VOTERS", value: `1@localhost:${ports.kafkaController}` },
        { name: "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", value: "1" },
        { name: "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", value: "1" },
        { name: "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", value: "1" },
        { name: "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", value: "0" },
        { name: "KAFKA_LOG_DIRS", value: "/data/kafka" },
        { name: "KAFKA_HEAP_OPTS", value: `-Xmx${workloads.kafka.heap} -Xms${workloads.kafka.heap}` },
      ],
      ports: [{ name: "kafka", containerPort: ports.kafka }],
      readinessProbe: tcpProbe(ports.kafka),
      mounts: { data: "/data", tmp: "/tmp" },
    },
    namenode: {
      command: ["hdfs", "namenode"],
      // The starter formats the name directory when this path does not exist yet (first start).
      env: [...hadoopEnv, { name: "ENSURE_NAMENODE_DIR", value: "/data/dfs/name" }, { name: "HADOOP_HEAPSIZE_MAX", value: workloads.namenode.heap }],
      ports: [
        { name: "rpc", containerPort: ports.namenodeRpc },
        { name: "http", containerPort: ports.namenodeHttp },
      ],
      readinessProbe: httpProbe(ports.namenodeHttp),
      mounts: { data: "/data", tmp: "/tmp" },
    },
    datanode: {
      command: ["hdfs", "datanode"],
      env: [...hadoopEnv, { name: "HADOOP_HEAPSIZE_MAX", value: workloads.datanode.heap }],
      ports: [
        { name: "http", containerPort: ports.datanodeHttp },
        { name: "data", containerPort: ports.datanodeData },
      ],
      readinessProbe: httpProbe(ports.datanodeHttp),
      mounts: { data: "/data", tmp: "/tmp" },
    },
    spark: {
      // Spark Connect is built into Spark 4; SPARK_NO_DAEMONIZE keeps it in the foreground.
      command: ["/opt/spark/sbin/start-connect-server.sh"],
      args: ["--master", "local[2]", "--driver-memory", workloads.spark.heap, "--conf", `spark.connect.grpc.binding.port=${ports.sparkConnect}`],
      env: [
        { name: "SPARK_NO_DAEMONIZE", value: "1" },
        { name: "SPARK_LOG_DIR", value: "/tmp/spark-logs" },
        { name: "HOME", value: "/tmp" },
      ],
      ports: [{ name: "connect", containerPort: ports.sparkConnect }],
      readinessProbe: tcpProbe(ports.sparkConnect),
      mounts: { tmp: "/tmp" },
    },
    toolbox: {
      // Idles; learners' shells and the grader's commands arrive through exec.
      command: ["sleep", "infinity"],
      env: toolboxEnv,
      ports: [],
      mounts: { workspace: "/workspace", tmp: "/tmp", ...(spec.services.includes("hdfs") ? { "hadoop-conf": "/etc/lab/hadoop" } : {}) },
      workingDir: "/workspace",
    },
  };
}

function container(name: WorkloadName, plan: ContainerPlan, config: KubernetesDriverConfig): V1Container {
  const { image, resources } = config.workloads[name];
  return {
    name,
    image,
    ...(plan.command ? { command: plan.command } : {}),
    ...(plan.args ? { args: plan.args } : {}),
    ...(plan.workingDir ? { workingDir: plan.workingDir } : {}),
    env: plan.env,
    ports: plan.ports.map((port) => ({ ...port, protocol: "TCP" })),
    ...(plan.readinessProbe ? { readinessProbe: plan.readinessProbe } : {}),
    resources: {
      requests: { cpu: resources.cpuRequest, memory: resources.memory, "ephemeral-storage": "256Mi" },
      limits: { cpu: resources.cpuLimit, memory: resources.memory, "ephemeral-storage": resources.ephemeralStorage },
    },
    volumeMounts: Object.entries(plan.mounts).map(([volume, mountPath]) => ({ name: volume, mountPath })),
    // A crash's last log lines land in the pod status, so status() can show them without pods/log rights.
    terminationMessagePolicy: "FallbackToLogsOnError",
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, runAsUser: config.workloads[name].uid },
  };
}

export function podManifest(name: WorkloadName, spec: SandboxSpec, namespace: string, config: KubernetesDriverConfig): V1Pod & KubernetesObject {
  const plan = containerPlans(spec, namespace, config)[name];
  const { uid } = config.workloads[name];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { ...sandboxLabels(spec), [labelKeys.workload]: name } },
    spec: {
      serviceAccountName: sandboxServiceAccount,
      automountServiceAccountToken: false,
      // A Service called kafka would otherwise inject KAFKA_PORT, which apache/kafka reads as config.
      enableServiceLinks: false,
      restartPolicy: "Always",
      terminationGracePeriodSeconds: config.terminationGracePeriodSeconds,
      securityContext: { runAsNonRoot: true, runAsUser: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } },
      containers: [container(name, plan, config)],
      volumes: Object.keys(plan.mounts).map((volume) =>
        volume === "hadoop-conf" ? { name: volume, configMap: { name: "hadoop-conf" } } : { name: volume, emptyDir: { sizeLimit: "1Gi" } },
      ),
    },
  };
}

export function serviceManifest(
  name: WorkloadName,
  spec: SandboxSpec,
  namespace: string,
  config: KubernetesDriverConfig,
): V1Service & KubernetesObject {
  const plan = containerPlans(spec, namespace, config)[name];
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: { ...sandboxLabels(spec), [labelKeys.workload]: name } },
    spec: {
      type: "ClusterIP",
      selector: { [labelKeys.sandboxId]: spec.sandboxId, [labelKeys.workload]: name },
      ports: plan.ports.map((port) => ({ name: port.name, port: port.containerPort, targetPort: port.containerPort, protocol: "TCP" })),
    },
  };
}

/** The pods a spec asks for, toolbox last (it is only useful once the rest exists). */
export function workloadNames(spec: SandboxSpec): WorkloadName[] {
  return [...new Set(spec.services.flatMap((service) => workloadsOf[service])), toolboxPod];
}
