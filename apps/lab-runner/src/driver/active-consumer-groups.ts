import { Kafka, logLevel } from "kafkajs";

/**
 * The consumer groups of a sandbox's Kafka that have members now (a consumer that runs); none
 * when the broker does not answer, which has no consumer to keep the sandbox for.
 */
export async function activeConsumerGroups(bootstrapServers: string): Promise<string[]> {
  const admin = new Kafka({
    clientId: "lab-runner-activity",
    brokers: [bootstrapServers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    const groupIds = (await admin.listGroups()).groups.map((group) => group.groupId);
    if (groupIds.length === 0) return [];
    const { groups } = await admin.describeGroups(groupIds);
    return groups.filter((group) => group.members.length > 0).map((group) => group.groupId);
  } catch {
    return [];
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
