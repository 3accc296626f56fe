import path from "node:path";
import { kafkaBootstrap } from "./kafka-process";
import { hdfsUri, webHdfsUrl } from "./hdfs-process";
import { sparkKafkaJars } from "./lab-software";
import type { SandboxContext } from "./service-launcher";

/**
 * The environment of every command exec'd in a sandbox: its CLI wrappers first on PATH, its
 * endpoints in well-known variables, HOME and TMPDIR inside the sandbox so tools (Ivy, pip,
 * shells) never write into lab-runner's home. Nothing of lab-runner's own environment leaks in.
 */
export function execEnv(ctx: SandboxContext): Record<string, string> {
  const { layout, software, services } = ctx;
  const env: Record<string, string> = {
    PATH: [layout.bin, software.sparkVenvBin, path.join(software.javaHome, "bin"), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: layout.workspace,
    TMPDIR: layout.tmp,
    JAVA_HOME: software.javaHome,
    LANG: "C.UTF-8",
    LAB_SANDBOX_ID: ctx.sandboxId,
  };
  if (services.includes("kafka")) env.KAFKA_BOOTSTRAP_SERVERS = kafkaBootstrap(ctx);
  if (services.includes("hdfs")) {
    env.HDFS_URI = hdfsUri(ctx);
    env.WEBHDFS_URL = webHdfsUrl(ctx);
    env.HADOOP_CONF_DIR = layout.hadoopConf;
    // For `hadoop jar "$HADOOP_STREAMING_JAR"`, where a cluster has share/hadoop/tools/lib/hadoop-streaming-*.jar.
    env.HADOOP_STREAMING_JAR = software.hadoopStreamingJar;
  }
  if (services.includes("spark")) {
    env.SPARK_HOME = software.sparkHome;
    env.SPARK_CONF_DIR = layout.sparkConf;
    env.PYSPARK_PYTHON = path.join(software.sparkVenvBin, "python");
    // Scratch space inside the sandbox (as an env var: spark.local.dir draws a warning on every job),
    // and the driver's address pinned to loopback instead of the host's first interface.
    env.SPARK_LOCAL_DIRS = layout.sparkLocal;
    env.SPARK_LOCAL_IP = "127.0.0.1";
    // For `spark-submit --jars "$SPARK_KAFKA_JARS"` in streaming labs.
    if (services.includes("kafka")) env.SPARK_KAFKA_JARS = sparkKafkaJars(software).join(",");
  }
  return env;
}
