import { expect, it } from "vitest";
import { describeSandboxDriverConformance } from "../driver/sandbox-driver.conformance";
import { FakeSandboxDriver } from "./fake-sandbox-driver";

describeSandboxDriverConformance("fake (in memory)", () => new FakeSandboxDriver(), { exec: true, services: ["kafka", "hdfs", "spark"] });

it("reports a service the test marks failed or stopped, and provision brings it back", async () => {
  const driver = new FakeSandboxDriver();
  await driver.provision({ sandboxId: "sb-crash", services: ["kafka", "hdfs"] });
  driver.setServiceStatus("sb-crash", "kafka", { state: "failed", reason: "broker exited (signal SIGKILL)", logTail: "" });
  driver.setServiceStatus("sb-crash", "hdfs", { state: "stopped" });
  expect((await driver.status("sb-crash"))?.services).toEqual({
    kafka: { state: "failed", reason: "broker exited (signal SIGKILL)", logTail: "" },
    hdfs: { state: "stopped" },
  });
  expect(() => driver.setServiceStatus("sb-crash", "spark", { state: "stopped" })).toThrow(/no spark/);
  expect((await driver.provision({ sandboxId: "sb-crash", services: ["hdfs", "kafka"] })).services).toEqual({
    kafka: { state: "ready" },
    hdfs: { state: "ready" },
  });
  await driver.destroy("sb-crash");
});
