import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SandboxContext, ServiceLauncher } from "./service-launcher";
import { execEnv } from "./exec-env";
import { hdfsUri } from "./hdfs-process";
import { runCommand } from "./run-command";

/**
 * Spark keeps no server in a local sandbox: jobs run in local mode through spark-submit, so an
 * idle sandbox does not pay for a 512m driver. "Ready" therefore means the software answers
 * and the sandbox's spark-defaults.conf (pointing at its own HDFS) is in place.
 */
function sparkDefaults(ctx: SandboxContext): string {
  const lines = [
    "spark.master local[2]",
    "spark.driver.memory 512m",
    "spark.driver.host 127.0.0.1",
    "spark.driver.bindAddress 127.0.0.1",
    // The UI would be one more port per running job; labs read results, not the UI.
    "spark.ui.enabled false",
    "spark.sql.shuffle.partitions 4",
    `spark.sql.warehouse.dir file://${ctx.layout.sparkWarehouse}`,
    `spark.driver.extraJavaOptions -XX:+UseSerialGC -Djava.io.tmpdir=${ctx.layout.tmp}`,
  ];
  // The caller context tags each task's HDFS calls in the NameNode's audit log (see hdfs-process.ts).
  if (ctx.services.includes("hdfs")) lines.push(`spark.hadoop.fs.defaultFS ${hdfsUri(ctx)}`, "spark.hadoop.hadoop.caller.context.enabled true");
  return `${lines.join("\n")}\n`;
}

/** Spark's INFO chatter would bury a learner's own output on stderr. */
const log4j2Properties = `rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
`;

const sparkVersionTimeoutMs = 60_000;

export const sparkLauncher: ServiceLauncher = {
  service: "spark",
  roles: [],

  async prepare(ctx) {
    for (const dir of [ctx.layout.sparkConf, ctx.layout.sparkWarehouse, ctx.layout.sparkLocal]) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(ctx.layout.sparkConf, "spark-defaults.conf"), sparkDefaults(ctx));
    writeFileSync(path.join(ctx.layout.sparkConf, "log4j2.properties"), log4j2Properties);
    const check = await runCommand(["spark-submit", "--version"], {
      cwd: ctx.layout.workspace,
      env: execEnv(ctx),
      timeoutMs: sparkVersionTimeoutMs,
    });
    // Its first stderr line is a JVM warning; a probe that ran out of time must not read as Spark failing with it.
    if (check.timedOut) throw new Error(`spark-submit --version did not answer within ${sparkVersionTimeoutMs / 1000} s (the machine is busy?)`);
    if (check.exitCode !== 0) throw new Error(`spark-submit --version failed: ${check.stderr || check.stdout}`);
  },

  start: () => [],

  probe: async (ctx) =>
    existsSync(path.join(ctx.layout.sparkConf, "spark-defaults.conf")) && existsSync(path.join(ctx.software.sparkHome, "bin/spark-submit")),

  logFiles: () => [],
};
