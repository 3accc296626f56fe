import { afterAll, beforeAll } from "vitest";
import { installLabSoftware, sweepKilledRuns, testDriver } from "../../testing/test-sandboxes";
import { describeSandboxDriverConformance } from "../sandbox-driver.conformance";

// A Kafka-only sandbox: one JVM is enough to hold the local driver to the contract.
const sandboxes = testDriver("conformance");

beforeAll(async () => {
  installLabSoftware();
  await sweepKilledRuns();
}, 1_200_000);

afterAll(() => sandboxes.destroyAll(), 120_000);

describeSandboxDriverConformance("local (child processes in a network namespace)", () => sandboxes.driver, {
  exec: true,
  services: ["kafka"],
  provisionTimeoutMs: 240_000,
});
