import type { LabSoftware } from "./lab-software";

/**
 * Flags for the small JVMs of a sandbox: a single-threaded GC and C1-only JIT keep resident
 * memory and start-up CPU low on a shared 2-core host, which matters more for labs than peak
 * throughput.
 */
export function smallJvmOptions(heap: string, tmpDir: string): string[] {
  return [
    `-Xmx${heap}`,
    // A small initial heap keeps eden small, so the resident set grows only with real use.
    "-Xms32m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:ReservedCodeCacheSize=48m",
    "-XX:MaxMetaspaceSize=160m",
    "-Xss512k",
    `-Djava.io.tmpdir=${tmpDir}`,
    "-Djava.net.preferIPv4Stack=true",
  ];
}

/** What Hadoop's launcher adds on Java 17 (hadoop_finalize_jpms_opts in hadoop-functions.sh). */
export const hadoopJpmsOptions = [
  "-XX:+IgnoreUnrecognizedVMOptions",
  ...[
    "java.io",
    "java.lang",
    "java.lang.reflect",
    "java.math",
    "java.net",
    "java.text",
    "java.util",
    "java.util.concurrent",
    "java.util.zip",
    "sun.security.util",
    "sun.security.x509",
  ].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
  "--enable-native-access=ALL-UNNAMED",
];

/** The environment servers run with: nothing inherited from lab-runner except what Java needs. */
export function serverEnv(software: LabSoftware): Record<string, string> {
  return { PATH: `${software.javaHome}/bin:/usr/bin:/bin`, JAVA_HOME: software.javaHome, LANG: "C.UTF-8" };
}
