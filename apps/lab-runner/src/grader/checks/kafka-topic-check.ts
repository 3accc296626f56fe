import type { KafkaTopicCheck } from "@cookbook/content/labs";
import type { ConfigResourceTypes } from "kafkajs";
import type { GradingSession } from "../check-context";
import type { KafkaConnection } from "../kafka-connection";
import { failed, failedWith, passed, plural, type CheckVerdict, type Finding } from "./verdict";

/** ConfigResourceTypes.TOPIC: kafkajs's CommonJS exports hide that enum from Node's ESM named imports. */
const topicResourceType = 2 as ConfigResourceTypes;

/** `finding` defaults to the name other kinds use for "the topic they read does not exist". */
export async function missingTopicVerdict(kafka: KafkaConnection, topic: string, finding = "topic-missing"): Promise<CheckVerdict> {
  const others = await kafka.learnerTopics();
  const existing = others.length > 0 ? ` Topics that exist: ${others.join(", ")}.` : " There are no topics yet.";
  return failed(finding, `Topic ${topic} does not exist yet.${existing}`);
}

/** The topic exists with the partition count and topic configs the step asks for. */
export async function checkKafkaTopic(check: KafkaTopicCheck, session: GradingSession): Promise<CheckVerdict> {
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic, "missing");
  const findings: Finding[] = [];
  const metadata = await kafka.withAdmin((admin) => admin.fetchTopicMetadata({ topics: [check.topic] }));
  const partitions = metadata.topics.find((t) => t.name === check.topic)?.partitions.length ?? 0;
  if (check.partitions !== undefined && partitions !== check.partitions) {
    findings.push({
      finding: "wrong-partitions",
      detail: `Topic ${check.topic} has ${plural(partitions, "partition")}; this step asks for ${check.partitions}.`,
    });
  }
  const wanted = Object.entries(check.configs ?? {});
  if (wanted.length > 0) {
    const described = await kafka.withAdmin((admin) =>
      admin.describeConfigs({
        resources: [{ type: topicResourceType, name: check.topic, configNames: wanted.map(([name]) => name) }],
        includeSynonyms: false,
      }),
    );
    const actual = new Map(described.resources[0]?.configEntries.map((entry) => [entry.configName, entry.configValue]));
    for (const [name, value] of wanted) {
      const current = actual.get(name);
      if (current !== value) {
        findings.push({
          finding: "wrong-config",
          detail: `Topic ${check.topic} has ${name}=${current ?? "(unset)"}; this step asks for ${name}=${value}.`,
        });
      }
    }
  }
  const failure = failedWith(findings);
  if (failure) return failure;
  const configs = wanted.length > 0 ? ` and ${wanted.map(([n, v]) => `${n}=${v}`).join(", ")}` : "";
  return passed(`Topic ${check.topic} exists with ${plural(partitions, "partition")}${configs}.`);
}
