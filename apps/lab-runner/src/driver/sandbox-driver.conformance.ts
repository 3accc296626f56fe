import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxConflictError, SandboxNotFoundError, type SandboxDriver, type SandboxSpec, type ServiceName } from "./sandbox-driver";

export interface ConformanceCapabilities {
  /** Whether exec'd commands really run; false on KWOK, whose pods have no kubelet behind them. */
  exec: boolean;
  /** The services of the suite's sandbox: the cheapest set the driver can make ready. */
  services: ServiceName[];
  /** For the cases that provision (a real Kafka takes its time on a busy machine). */
  provisionTimeoutMs?: number;
}

/**
 * The SandboxDriver contract (sandbox-driver.ts) as tests, registered once per driver: the fake,
 * local child processes, Kubernetes. Cases that need a command to really run are only registered
 * when the driver can run one, so a driver that cannot is never reported as passing them.
 * The cases share one sandbox and run in order; makeDriver is called in beforeAll, after the
 * caller's own setup (a cluster, installed software).
 */
export function describeSandboxDriverConformance(
  name: string,
  makeDriver: () => SandboxDriver | Promise<SandboxDriver>,
  capabilities: ConformanceCapabilities,
): void {
  const provisionTimeout = capabilities.provisionTimeoutMs ?? 60_000;
  // The pid keeps two runs sharing a cluster or a base dir from ever meeting.
  const idOf = (suffix: string) => `cf-${process.pid}-${suffix}`;
  const spec: SandboxSpec = { sandboxId: idOf("main"), services: capabilities.services, seed: "conformance-seed" };
  const unknown = idOf("unknown");

  describe(`SandboxDriver contract: ${name}`, () => {
    let driver: SandboxDriver;

    beforeAll(async () => {
      driver = await makeDriver();
    }, provisionTimeout);

    afterAll(async () => {
      await driver?.destroy(spec.sandboxId);
    }, provisionTimeout);

    it(
      "provisions a sandbox with every service ready; status and list report its spec",
      async () => {
        const status = await driver.provision(spec);
        const ready = Object.fromEntries(spec.services.map((service) => [service, { state: "ready" }]));
        expect(status).toMatchObject({ sandboxId: spec.sandboxId, spec: { sandboxId: spec.sandboxId, seed: spec.seed }, services: ready });
        expect(await driver.status(spec.sandboxId)).toMatchObject({ sandboxId: spec.sandboxId, services: ready });
        const listed = (await driver.list()).filter((s) => s.sandboxId === spec.sandboxId);
        expect(listed).toEqual([expect.objectContaining({ sandboxId: spec.sandboxId, seed: spec.seed, services: spec.services })]);
      },
      provisionTimeout,
    );

    it(
      "provisions the same spec again, its services in another order, as the same sandbox",
      async () => {
        const again = await driver.provision({ ...spec, services: [...spec.services].reverse() });
        expect(again.sandboxId).toBe(spec.sandboxId);
        expect(Object.values(again.services).every((s) => s.state === "ready")).toBe(true);
        expect((await driver.list()).filter((s) => s.sandboxId === spec.sandboxId)).toHaveLength(1);
      },
      provisionTimeout,
    );

    it("rejects a different spec under an existing id with SandboxConflictError, changing nothing", async () => {
      await expect(driver.provision({ ...spec, seed: "another-seed" })).rejects.toBeInstanceOf(SandboxConflictError);
      expect((await driver.status(spec.sandboxId))?.spec.seed).toBe(spec.seed);
    });

    it("answers status null for an unknown id", async () => {
      expect(await driver.status(unknown)).toBeNull();
    });

    it("rejects exec and openShell of an unknown id with SandboxNotFoundError", async () => {
      await expect(driver.exec(unknown, ["true"])).rejects.toBeInstanceOf(SandboxNotFoundError);
      await expect(driver.openShell(unknown, { cols: 80, rows: 24 })).rejects.toBeInstanceOf(SandboxNotFoundError);
    });

    if (capabilities.exec) {
      it("runs argv in the sandbox: exit code, stdout and stderr apart, stdin, extra env, and never the seed", async () => {
        const script = 'read -r line; echo "in=$line env=$CONFORMANCE_VAR"; echo "to stderr" >&2; exit 3';
        const result = await driver.exec(spec.sandboxId, ["sh", "-c", script], { stdin: "hello\n", env: { CONFORMANCE_VAR: "extra" } });
        expect(result).toEqual({ exitCode: 3, stdout: "in=hello env=extra\n", stderr: "to stderr\n", timedOut: false });
        const environment = await driver.exec(spec.sandboxId, ["env"]);
        expect(environment.stdout).not.toContain(spec.seed ?? "no seed");
        expect(await driver.exec(spec.sandboxId, ["true"])).toMatchObject({ exitCode: 0, timedOut: false });
      });

      it("kills a command that outlives its timeout: exitCode null, timedOut", async () => {
        const started = Date.now();
        const result = await driver.exec(spec.sandboxId, ["sh", "-c", "echo before; sleep 60"], { timeoutMs: 500 });
        expect(result).toMatchObject({ exitCode: null, timedOut: true, stdout: "before\n" });
        expect(Date.now() - started).toBeLessThan(10_000);
      });
    }

    it(
      "destroys a sandbox (status null, gone from list, exec not found); destroying it again or an unknown id is a no-op",
      async () => {
        await driver.destroy(spec.sandboxId);
        expect(await driver.status(spec.sandboxId)).toBeNull();
        expect((await driver.list()).map((s) => s.sandboxId)).not.toContain(spec.sandboxId);
        await expect(driver.exec(spec.sandboxId, ["true"])).rejects.toBeInstanceOf(SandboxNotFoundError);
        await expect(driver.destroy(spec.sandboxId)).resolves.toBeUndefined();
        await expect(driver.destroy(unknown)).resolves.toBeUndefined();
      },
      provisionTimeout,
    );
  });
}
