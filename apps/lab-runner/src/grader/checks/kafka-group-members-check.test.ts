import type { KafkaGroupMembersCheck } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { evaluateGroupMembers, type GroupMember } from "./kafka-group-members-check";

const check: KafkaGroupMembersCheck = { kind: "kafka-group-members", group: "fleet-dashboard", topic: "vehicle-positions", minMembers: 2 };
const member = (id: string, partitions: number[] | null): GroupMember => ({
  memberId: `console-consumer-${id}-4889-87c8-5e4984f57c01`,
  clientId: "console-consumer",
  host: "/10.213.0.6",
  partitions,
});

describe("evaluateGroupMembers", () => {
  it("passes two running consumers that share all partitions, naming who has which", () => {
    const verdict = evaluateGroupMembers(check, { state: "Stable", members: [member("fce44269", [2, 3]), member("9a3dd191", [0, 1])] }, 4, []);
    expect(verdict).toEqual({
      passed: true,
      finding: "passed",
      detail:
        "Consumer group fleet-dashboard has 2 running consumers sharing the 4 partitions of topic vehicle-positions: console-consumer-fce44269: partitions 2 and 3; console-consumer-9a3dd191: partitions 0 and 1.",
    });
  });

  it("tells a missing group from one whose consumers have stopped", () => {
    const missing = evaluateGroupMembers(check, undefined, 4, ["console-consumer-31013"]);
    expect(missing).toMatchObject({ passed: false, finding: "no-group" });
    expect(missing.detail).toContain("does not exist: no consumer has joined it yet.");
    expect(missing.detail).toContain("Groups that exist: console-consumer-31013.");
    const stopped = evaluateGroupMembers(check, { state: "Empty", members: [] }, 4, ["fleet-dashboard"]);
    expect(stopped).toMatchObject({ passed: false, finding: "no-members" });
    expect(stopped.detail).toContain("exists but no consumer of it is running (state Empty)");
    expect(stopped.detail).toContain("--group fleet-dashboard > file &");
  });

  it("asks to check again while the group rebalances", () => {
    const verdict = evaluateGroupMembers(check, { state: "PreparingRebalance", members: [member("a", []), member("b", [])] }, 4, []);
    expect(verdict).toMatchObject({ passed: false, finding: "rebalancing" });
  });

  it("counts only consumers that own partitions of the topic", () => {
    const one = evaluateGroupMembers(check, { state: "Stable", members: [member("fce44269", [0, 1, 2, 3])] }, 4, []);
    expect(one).toMatchObject({ passed: false, finding: "too-few-members" });
    expect(one.detail).toBe(
      "Consumer group fleet-dashboard has 1 running consumer reading topic vehicle-positions (console-consumer-fce44269: partitions 0, 1, 2 and 3); this step asks for at least 2 that share its partitions. Start another consumer with the same --group and leave both running.",
    );
    const idle = evaluateGroupMembers(check, { state: "Stable", members: [member("a", [0, 1, 2, 3]), member("b", [])] }, 4, []);
    expect(idle.detail).toContain("1 other consumer of the group reads no partition of vehicle-positions");
  });

  it("finds partitions owned twice or by nobody", () => {
    const verdict = evaluateGroupMembers(check, { state: "Stable", members: [member("a", [0, 1]), member("b", [1])] }, 4, []);
    expect(verdict.finding).toBe("overlapping");
    expect(verdict.detail).toContain("Partition 1 of topic vehicle-positions is assigned to 2 consumers");
    expect(verdict.detail).toContain("Partitions 2 and 3 of topic vehicle-positions are assigned to no consumer of group fleet-dashboard");
  });
});
