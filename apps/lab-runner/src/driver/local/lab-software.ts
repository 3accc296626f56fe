import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";

const manifestSchema = z.object({
  kafkaVersion: z.string(),
  hadoopVersion: z.string(),
  hadoopStreamingVersion: z.string(),
  sparkVersion: z.string(),
  javaHome: z.string(),
});

/** Where the installed software lives; see scripts/install-lab-software.sh for the layout. */
export interface LabSoftware {
  versions: { kafka: string; hadoop: string; spark: string };
  java: string;
  javaHome: string;
  kafkaLib: string;
  hadoopLib: string;
  /** Hadoop Streaming's jar, in hadoopLib: what `hadoop jar "$HADOOP_STREAMING_JAR"` runs. */
  hadoopStreamingJar: string;
  sparkKafkaLib: string;
  sparkVenvBin: string;
  sparkHome: string;
}

/** Where the installer put the software and which Java runs it (lab-runner's config: LAB_CACHE_DIR, LAB_JAVA_HOME). */
export interface LabSoftwareLocation {
  cacheDir: string;
  /** Overrides the Java the installer recorded in its manifest. */
  javaHome?: string;
}

const loaded = new Map<string, LabSoftware>();

/** Fails with the command to run instead of letting a JVM die on an empty classpath later. */
export function labSoftware({ cacheDir: labCacheDir, javaHome: labJavaHomeOverride }: LabSoftwareLocation): LabSoftware {
  const key = `${labCacheDir}\0${labJavaHomeOverride ?? ""}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const manifestPath = path.join(labCacheDir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new Error(`lab software is not installed in ${labCacheDir}: run apps/lab-runner/scripts/install-lab-software.sh`);
  }
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(manifestPath, "utf8")));
  // A manifest from an older installer lacks what newer software added (Hadoop Streaming, say).
  if (!parsed.success)
    throw new Error(`lab software in ${labCacheDir} is from an older installer: rerun apps/lab-runner/scripts/install-lab-software.sh`);
  const manifest = parsed.data;
  const javaHome = labJavaHomeOverride ?? manifest.javaHome;
  const venv = path.join(labCacheDir, "spark-venv");
  const software: LabSoftware = {
    versions: { kafka: manifest.kafkaVersion, hadoop: manifest.hadoopVersion, spark: manifest.sparkVersion },
    java: path.join(javaHome, "bin/java"),
    javaHome,
    kafkaLib: path.join(labCacheDir, "kafka/lib"),
    hadoopLib: path.join(labCacheDir, "hadoop/lib"),
    hadoopStreamingJar: path.join(labCacheDir, `hadoop/lib/hadoop-streaming-${manifest.hadoopStreamingVersion}.jar`),
    sparkKafkaLib: path.join(labCacheDir, "spark-kafka/lib"),
    sparkVenvBin: path.join(venv, "bin"),
    sparkHome: findPysparkHome(venv),
  };
  for (const required of [
    software.java,
    software.kafkaLib,
    software.hadoopLib,
    software.hadoopStreamingJar,
    software.sparkKafkaLib,
    software.sparkHome,
  ]) {
    if (!existsSync(required)) throw new Error(`lab software incomplete, missing ${required}: rerun the installer`);
  }
  loaded.set(key, software);
  return software;
}

/** pyspark's package directory is a full SPARK_HOME (bin/, jars/); its path depends on the Python version. */
function findPysparkHome(venv: string): string {
  const libDir = path.join(venv, "lib");
  const python = existsSync(libDir) ? readdirSync(libDir).find((name) => name.startsWith("python")) : undefined;
  return path.join(libDir, python ?? "python3", "site-packages/pyspark");
}

/** The jars spark-submit needs (with --jars) for Structured Streaming's Kafka source. */
export function sparkKafkaJars(software: LabSoftware): string[] {
  return readdirSync(software.sparkKafkaLib)
    .filter((name) => name.endsWith(".jar"))
    .map((name) => path.join(software.sparkKafkaLib, name));
}
