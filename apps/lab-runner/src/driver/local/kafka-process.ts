import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { runCommand } from "./run-command";
import { servicePorts, type SandboxContext, type ServiceLauncher } from "./service-launcher";
import { serverEnv, smallJvmOptions } from "./jvm";
import { spawnDetached } from "./process-tree";
import { inSandboxNetwork } from "./sandbox-network";

const { broker, controller } = servicePorts.kafka;

export function kafkaBootstrap(ctx: SandboxContext): string {
  return `${ctx.network.address}:${broker}`;
}

const serverProperties = (ctx: SandboxContext) => {
  return `# Single-node KRaft broker+controller of one sandbox, on the sandbox's own address.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controller}
listeners=PLAINTEXT://${ctx.network.address}:${broker},CONTROLLER://127.0.0.1:${controller}
advertised.listeners=PLAINTEXT://${ctx.network.address}:${broker}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${ctx.layout.kafkaData}
# One node: every internal topic must live with replication factor 1.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer internal partitions and threads: each costs memory and start-up time in a 256m heap.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
share.coordinator.state.topic.num.partitions=3
num.partitions=1
num.network.threads=2
num.io.threads=2
background.threads=2
num.replica.fetchers=1
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=8388608
# Labs run consumer groups one after another; the default 3 s delay only makes them wait.
group.initial.rebalance.delay.ms=0
`;
};

const log4j2Properties = `# Broker logs go to stdout, which the driver appends to logs/kafka.log.
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = warn
`;

/** CLI tools print only warnings (to stderr), so stdout is exactly what the learner asked for. */
export const kafkaToolsLog4j2Properties = `status = warn
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = STDERR
`;

function kafkaJavaArgs(ctx: SandboxContext, mainClass: string, args: string[]): string[] {
  return [
    ...smallJvmOptions("256m", ctx.layout.tmp),
    `-Dlog4j2.configurationFile=${path.join(ctx.layout.kafkaConf, "log4j2.properties")}`,
    "-cp",
    path.join(ctx.software.kafkaLib, "*"),
    mainClass,
    ...args,
  ];
}

/**
 * Kafka's cluster ids are 16 random bytes in URL-safe base64; generating it here saves one JVM
 * start. Like Kafka's Uuid.randomUuid, reject ids starting with "-": the CLI would read a flag.
 */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

export const kafkaLauncher: ServiceLauncher = {
  service: "kafka",
  roles: ["broker"],

  async prepare(ctx) {
    mkdirSync(ctx.layout.kafkaConf, { recursive: true });
    const properties = path.join(ctx.layout.kafkaConf, "server.properties");
    writeFileSync(properties, serverProperties(ctx));
    writeFileSync(path.join(ctx.layout.kafkaConf, "log4j2.properties"), log4j2Properties);
    writeFileSync(path.join(ctx.layout.kafkaConf, "tools-log4j2.properties"), kafkaToolsLog4j2Properties);
    if (existsSync(path.join(ctx.layout.kafkaData, "meta.properties"))) return;
    const format = await runCommand(
      [ctx.software.java, ...kafkaJavaArgs(ctx, "kafka.tools.StorageTool", ["format", "--standalone", "-t", randomClusterId(), "-c", properties])],
      { cwd: ctx.layout.root, env: serverEnv(ctx.software), timeoutMs: 60_000 },
    );
    if (format.exitCode !== 0) throw new Error(`kafka storage format failed: ${format.stderr || format.stdout}`);
  },

  start(ctx) {
    const logFile = path.join(ctx.layout.logs, "kafka.log");
    const args = kafkaJavaArgs(ctx, "kafka.Kafka", [path.join(ctx.layout.kafkaConf, "server.properties")]);
    const server = spawnDetached(inSandboxNetwork(ctx.network, [ctx.software.java, ...args]), {
      cwd: ctx.layout.root,
      env: serverEnv(ctx.software),
      logFile,
    });
    return [{ ...server, role: "broker", logFile }];
  },

  probe: (ctx) => kafkaAnswers(kafkaBootstrap(ctx)),

  logFiles: (ctx) => [path.join(ctx.layout.logs, "kafka.log")],
};

/**
 * A short-lived admin that gives up quickly: lab-runner's own questions to a sandbox's broker
 * (is it up, which groups have members), where no answer means "no".
 */
async function askBroker<T>(bootstrap: string, clientId: string, timeoutMs: number, ask: (admin: Admin) => Promise<T>, otherwise: T): Promise<T> {
  const admin = new Kafka({
    clientId,
    brokers: [bootstrap],
    connectionTimeout: timeoutMs,
    requestTimeout: 2 * timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    return await ask(admin);
  } catch {
    return otherwise;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Kafka is ready when a kafkajs admin connects and lists topics (the bench's by-hand runs use it too). */
export function kafkaAnswers(bootstrap: string): Promise<boolean> {
  return askBroker(bootstrap, "lab-runner-probe", 1000, async (admin) => Boolean(await admin.listTopics()), false);
}

/**
 * The consumer groups with members now (a consumer that runs); none when the broker does not
 * answer, which has no consumer to keep the sandbox for.
 */
export function activeConsumerGroups(bootstrap: string): Promise<string[]> {
  return askBroker(
    bootstrap,
    "lab-runner-activity",
    3000,
    async (admin) => {
      const groupIds = (await admin.listGroups()).groups.map((group) => group.groupId);
      if (groupIds.length === 0) return [];
      const { groups } = await admin.describeGroups(groupIds);
      return groups.filter((group) => group.members.length > 0).map((group) => group.groupId);
    },
    [],
  );
}
