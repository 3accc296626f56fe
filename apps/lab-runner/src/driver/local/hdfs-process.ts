import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { servicePorts, type SandboxContext, type ServiceLauncher } from "./service-launcher";
import { hadoopJpmsOptions, serverEnv, smallJvmOptions } from "./jvm";
import { runCommand } from "./run-command";
import { spawnDetached } from "./process-tree";
import { inSandboxNetwork } from "./sandbox-network";

const ports = servicePorts.hdfs;

/** The audit log's name in the NameNode's log directory (and so under its HTTP server's /logs/). */
export const hdfsAuditLog = "hdfs-audit.log";

export const hdfsUri = (ctx: SandboxContext) => `hdfs://${ctx.network.address}:${ports.namenodeRpc}`;
export const webHdfsUrl = (ctx: SandboxContext) => `http://${ctx.network.address}:${ports.namenodeHttp}/webhdfs/v1`;
/** The NameNode's HTTP server serves hadoop.log.dir under /logs/. */
export const hdfsAuditLogUrl = (ctx: SandboxContext) => `http://${ctx.network.address}:${ports.namenodeHttp}/logs/${hdfsAuditLog}`;

function siteXml(properties: Record<string, string | number | boolean>): string {
  const escapeXml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = Object.entries(properties)
    .map(([name, value]) => `  <property><name>${escapeXml(name)}</name><value>${escapeXml(String(value))}</value></property>`)
    .join("\n");
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

function coreSite(ctx: SandboxContext) {
  return siteXml({
    "fs.defaultFS": hdfsUri(ctx),
    "hadoop.tmp.dir": path.join(ctx.layout.tmp, "hadoop"),
    // Spark tasks tag their HDFS calls with their application and task, and the NameNode's audit
    // log records the tag: the grader's evidence that a Spark job (not hdfs dfs -put) wrote an output.
    "hadoop.caller.context.enabled": true,
    // A MapReduce job's calls share one connection to the NameNode, which the audit log names by
    // its port (below): the grader's evidence that one job read the input and wrote and committed
    // the output. Kept open for 10 minutes, so a map phase that does not call the NameNode for a
    // while (the default closes it after 10 s) does not split one job over two connections.
    "ipc.client.connection.maxidletime": 600_000,
  });
}

function hdfsSite(ctx: SandboxContext) {
  return siteXml({
    "dfs.namenode.name.dir": `file://${ctx.layout.hdfsName}`,
    "dfs.datanode.data.dir": `file://${ctx.layout.hdfsData}`,
    "dfs.namenode.rpc-address": `${ctx.network.address}:${ports.namenodeRpc}`,
    "dfs.namenode.http-address": `${ctx.network.address}:${ports.namenodeHttp}`,
    "dfs.datanode.address": `${ctx.network.address}:${ports.datanodeData}`,
    "dfs.datanode.http.address": `${ctx.network.address}:${ports.datanodeHttp}`,
    "dfs.datanode.ipc.address": `${ctx.network.address}:${ports.datanodeIpc}`,
    // WebHDFS redirects (CREATE/OPEN answer 307) must point at the sandbox's address too.
    "dfs.datanode.hostname": ctx.network.address,
    "dfs.namenode.datanode.registration.ip-hostname-check": false,
    "dfs.webhdfs.enabled": true,
    "dfs.replication": 1,
    // Labs demonstrate block splitting on kilobyte-sized files; must stay a multiple of the 512-byte checksum chunk.
    "dfs.namenode.fs-limits.min-block-size": 1024,
    // Learners are trusted and act as whichever user their shell is; permissions would only confuse WebHDFS checks.
    "dfs.permissions.enabled": false,
    // Leave safe mode at once and see the DataNode quickly: a sandbox should be usable within seconds.
    "dfs.namenode.safemode.extension": 0,
    "dfs.namenode.safemode.min.datanodes": 0,
    "dfs.heartbeat.interval": 1,
    "dfs.blockreport.initialDelay": 0,
    "dfs.namenode.handler.count": 4,
    "dfs.namenode.service.handler.count": 2,
    "dfs.datanode.handler.count": 2,
    // Each audit line names the client's port (callerContext=CLI,clientPort:49706): its connection.
    "dfs.namenode.audit.log.with.remote.port": true,
  });
}

/**
 * The terminal's MapReduce jobs (`hadoop jar`, `mapred streaming`) run with the local job
 * runner: the map and reduce tasks run inside the client's JVM against the sandbox's HDFS, and
 * no YARN is started. Its sort buffer is made to fit that small JVM (cli-wrappers.ts).
 */
function mapredSite(ctx: SandboxContext) {
  return siteXml({
    "mapreduce.framework.name": "local",
    // The local job runner's staging files stay on local disk; without this it uses the host's /tmp/hadoop.
    "mapreduce.jobtracker.staging.root.dir": path.join(ctx.layout.tmp, "hadoop/mapred/staging"),
    "mapreduce.task.io.sort.mb": 32,
  });
}

const log4jProperties = `# Server logs go to stdout/stderr, which the driver appends to logs/<role>.log.
hadoop.root.logger=INFO,console
log4j.rootLogger=\${hadoop.root.logger}
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR
# A MapReduce job's progress ("map 100% reduce 100%") and its counters, also for a CLI at WARN,
# without the local job runner's warning, for every task, that its metrics system already runs.
log4j.logger.org.apache.hadoop.mapreduce.Job=INFO
log4j.logger.org.apache.hadoop.metrics2.impl.MetricsSystemImpl=ERROR
`;

/**
 * The NameNode's own logging adds its audit log: one line per file system call, written by the
 * NameNode (never by the learner) and served by its HTTP server under /logs/, where the grader
 * reads it. Only the NameNode gets it: a CLI in the terminal cannot open a file in logs/.
 */
const namenodeLog4jProperties = `${log4jProperties}log4j.logger.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=INFO,audit
log4j.additivity.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=false
log4j.appender.audit=org.apache.log4j.FileAppender
log4j.appender.audit.File=\${hadoop.log.dir}/${hdfsAuditLog}
log4j.appender.audit.layout=org.apache.log4j.PatternLayout
log4j.appender.audit.layout.ConversionPattern=%m%n
`;

const namenodeLog4jFile = "namenode-log4j.properties";

/** JVM arguments shared by the servers and the hdfs/hadoop CLI wrappers. */
export function hadoopJavaArgs(ctx: SandboxContext, heap: string, rootLogger: string): string[] {
  return [
    ...smallJvmOptions(heap, ctx.layout.tmp),
    ...hadoopJpmsOptions,
    // Silences the "HADOOP_HOME is unset" lookup; nothing is read from there.
    `-Dhadoop.home.dir=${path.dirname(ctx.software.hadoopLib)}`,
    `-Dhadoop.log.dir=${ctx.layout.logs}`,
    `-Dhadoop.root.logger=${rootLogger}`,
    "-cp",
    // The install dir holds webapps/, which the HTTP servers look up as a classpath resource.
    [ctx.layout.hadoopConf, path.dirname(ctx.software.hadoopLib), path.join(ctx.software.hadoopLib, "*")].join(":"),
  ];
}

function startServer(ctx: SandboxContext, role: "namenode" | "datanode", mainClass: string) {
  const logFile = path.join(ctx.layout.logs, `${role}.log`);
  const logging = role === "namenode" ? [`-Dlog4j.configuration=file:${path.join(ctx.layout.hadoopConf, namenodeLog4jFile)}`] : [];
  const args = [...logging, ...hadoopJavaArgs(ctx, "256m", "INFO,console"), mainClass];
  return {
    ...spawnDetached(inSandboxNetwork(ctx.network, [ctx.software.java, ...args]), { cwd: ctx.layout.root, env: serverEnv(ctx.software), logFile }),
    role,
    logFile,
  };
}

interface FsNamesystemState {
  NumLiveDataNodes?: number;
  FSState?: string;
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

export const hdfsLauncher: ServiceLauncher = {
  service: "hdfs",
  roles: ["namenode", "datanode"],

  async prepare(ctx) {
    mkdirSync(ctx.layout.hadoopConf, { recursive: true });
    writeFileSync(path.join(ctx.layout.hadoopConf, "core-site.xml"), coreSite(ctx));
    writeFileSync(path.join(ctx.layout.hadoopConf, "hdfs-site.xml"), hdfsSite(ctx));
    writeFileSync(path.join(ctx.layout.hadoopConf, "mapred-site.xml"), mapredSite(ctx));
    writeFileSync(path.join(ctx.layout.hadoopConf, "log4j.properties"), log4jProperties);
    writeFileSync(path.join(ctx.layout.hadoopConf, namenodeLog4jFile), namenodeLog4jProperties);
    if (existsSync(path.join(ctx.layout.hdfsName, "current/VERSION"))) return;
    const format = await runCommand(
      [
        ctx.software.java,
        ...hadoopJavaArgs(ctx, "256m", "WARN,console"),
        "org.apache.hadoop.hdfs.server.namenode.NameNode",
        "-format",
        "-force",
        "-nonInteractive",
      ],
      { cwd: ctx.layout.root, env: serverEnv(ctx.software), timeoutMs: 60_000 },
    );
    if (format.exitCode !== 0) throw new Error(`namenode format failed: ${format.stderr || format.stdout}`);
  },

  start(ctx) {
    return [
      startServer(ctx, "namenode", "org.apache.hadoop.hdfs.server.namenode.NameNode"),
      startServer(ctx, "datanode", "org.apache.hadoop.hdfs.server.datanode.DataNode"),
    ];
  },

  /** Ready = WebHDFS answers, the NameNode left safe mode and at least one DataNode is live. */
  async probe(ctx) {
    try {
      await fetchJson(`${webHdfsUrl(ctx)}/?op=GETFILESTATUS`);
      const jmx = (await fetchJson(`http://${ctx.network.address}:${ports.namenodeHttp}/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState`)) as {
        beans?: FsNamesystemState[];
      };
      const state = jmx.beans?.[0];
      return (state?.NumLiveDataNodes ?? 0) >= 1 && state?.FSState === "Operational";
    } catch {
      return false;
    }
  },

  logFiles: (ctx) => [path.join(ctx.layout.logs, "namenode.log"), path.join(ctx.layout.logs, "datanode.log")],
};
