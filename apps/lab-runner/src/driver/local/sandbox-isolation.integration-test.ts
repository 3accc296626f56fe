import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SandboxStatus, ShellSession } from "../sandbox-driver";
import { installLabSoftware, sweepKilledRuns, testDriver } from "../../testing/test-sandboxes";
import { kafkaAnswers } from "./kafka-process";
import { processesUnder } from "./process-tree";
import { sandboxLayout } from "./sandbox-layout";
import { readSandboxState } from "./sandbox-state";

/**
 * The attack of the hardening issue, from a real terminal (pty → nsenter → bubblewrap → bash,
 * as lab-runner's WebSocket gets it): a learner's shell must not reach the platform's database,
 * its web and lab-runner ports, anything else listening on the host, or another sandbox; it must
 * reach its own services, and lab-runner must reach them too.
 */
const minutes = (n: number) => n * 60_000;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");
const sandboxes = testDriver("isolation");
const { driver } = sandboxes;
const databasePort = Number(new URL(inject("databaseUrl")).port);
/** Stand-ins for web and lab-runner (both bind 127.0.0.1), and for any service bound to every address. */
const listeners: net.Server[] = [];
let loopbackPort = 0;
let wildcardPort = 0;
let a: SandboxStatus;
let b: SandboxStatus;

function listen(host: string): Promise<number> {
  const server = net.createServer((socket) => socket.end("platform\n"));
  listeners.push(server);
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}

const networkOf = (sandboxId: string) => {
  const state = readSandboxState(sandboxLayout(path.join(sandboxes.baseDir, sandboxId)).stateFile);
  if (!state) throw new Error(`no state for ${sandboxId}`);
  return state.network;
};

/** Types a script into the shell and returns what it printed up to an end marker. */
async function typeInto(shell: ShellSession, output: () => string, script: string, timeoutMs = 120_000): Promise<string> {
  const marker = `END-${Math.random().toString(36).slice(2)}`;
  const from = output().length;
  shell.write(`${script}\necho ${marker.slice(0, 4)}""${marker.slice(4)}\n`);
  const deadline = Date.now() + timeoutMs;
  while (!output().slice(from).includes(marker)) {
    if (Date.now() > deadline) throw new Error(`no ${marker} in:\n${output().slice(from)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return output().slice(from);
}

async function openTerminal(sandboxId: string) {
  const shell = await driver.openShell(sandboxId, { cols: 200, rows: 50 });
  let text = "";
  shell.onData((data) => {
    text += data;
  });
  return { shell, output: () => text };
}

const probe = (host: string, port: number) =>
  `if timeout 3 bash -c 'exec 3<>/dev/tcp/${host}/${port}' 2>/dev/null; then echo "OPEN ${host}:${port}"; else echo "CLOSED ${host}:${port}"; fi`;

beforeAll(async () => {
  installLabSoftware();
  await sweepKilledRuns();
  loopbackPort = await listen("127.0.0.1");
  wildcardPort = await listen("0.0.0.0");
  [a, b] = await Promise.all([
    driver.provision({ sandboxId: "learner-a", services: ["kafka"], seed: "a" }),
    driver.provision({ sandboxId: "learner-b", services: ["kafka"], seed: "b" }),
  ]);
}, minutes(20));

afterAll(async () => {
  for (const server of listeners) server.close();
  await sandboxes.destroyAll();
}, minutes(2));

describe("a sandbox's network", () => {
  it("gives each sandbox its own address, which lab-runner reaches to grade", async () => {
    expect(a.services.kafka).toEqual({ state: "ready" });
    expect(b.services.kafka).toEqual({ state: "ready" });
    expect(networkOf("learner-a").address).not.toBe(networkOf("learner-b").address);
    expect(await kafkaAnswers(a.endpoints.kafkaBootstrapServers ?? "")).toBe(true);
    expect(await kafkaAnswers(b.endpoints.kafkaBootstrapServers ?? "")).toBe(true);
  });

  it(
    "keeps the platform and the other sandbox out of reach of the terminal, and its own Kafka in reach",
    async () => {
      const own = networkOf("learner-a");
      const other = networkOf("learner-b");
      const { shell, output } = await openTerminal("learner-a");
      try {
        const printed = await typeInto(
          shell,
          output,
          [
            probe("127.0.0.1", databasePort),
            probe("127.0.0.1", loopbackPort),
            probe("localhost", loopbackPort),
            // The host's end of the sandbox's own link: what the firewall guards.
            probe(own.hostAddress, databasePort),
            probe(own.hostAddress, wildcardPort),
            probe(other.address, 9092),
            probe(other.hostAddress, wildcardPort),
            probe(own.address, 9092),
          ].join("\n"),
        );
        for (const [host, port] of [
          ["127.0.0.1", databasePort],
          ["127.0.0.1", loopbackPort],
          ["localhost", loopbackPort],
          [own.hostAddress, databasePort],
          [own.hostAddress, wildcardPort],
          [other.address, 9092],
          [other.hostAddress, wildcardPort],
        ] as const) {
          expect(printed).toContain(`CLOSED ${host}:${port}`);
        }
        expect(printed).toContain(`OPEN ${own.address}:9092`);
        // Its own Kafka through the CLI, as a learner works.
        const created = await typeInto(
          shell,
          output,
          'kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic readings --partitions 3 && echo CREATED-OK',
        );
        expect(created).toContain("CREATED-OK");
      } finally {
        shell.kill();
      }
    },
    minutes(3),
  );

  it(
    "keeps the seed out of the terminal: not in its environment, and the sandbox's state file is not there",
    async () => {
      const { shell, output } = await openTerminal("learner-a");
      const stateFile = sandboxLayout(path.join(sandboxes.baseDir, "learner-a")).stateFile;
      try {
        const printed = await typeInto(shell, output, [`env | grep -c LAB_SEED`, `cat ${stateFile} || echo "no state file"`].join("\n"));
        expect(printed).toContain("no state file");
        expect(printed).not.toContain('"seed"');
        expect(printed).toMatch(/^0\r?$/m);
      } finally {
        shell.kill();
      }
    },
    minutes(1),
  );

  it(
    "runs a learner's program for the grader (exec asLearner) as the terminal runs its shell: the learner's uid, no state file",
    async () => {
      const stateFile = sandboxLayout(path.join(sandboxes.baseDir, "learner-a")).stateFile;
      const script = `id -u; cat ${stateFile} 2>/dev/null || echo "no state file"; ${probe("127.0.0.1", databasePort)}`;
      const confined = await driver.exec("learner-a", ["bash", "-c", script], { asLearner: true });
      expect(confined.stdout).toMatch(/^1000$/m);
      expect(confined.stdout).toContain("no state file");
      expect(confined.stdout).not.toContain('"seed"');
      expect(confined.stdout).toContain(`CLOSED 127.0.0.1:${databasePort}`);
      // Lab-runner's own commands (seeding, say) keep its rights.
      expect((await driver.exec("learner-a", ["cat", stateFile])).stdout).toContain('"seed"');
    },
    minutes(1),
  );

  it(
    "fails the attack of the probe: psql as superuser from the terminal",
    async () => {
      const { shell, output } = await openTerminal("learner-a");
      try {
        const printed = await typeInto(
          shell,
          output,
          [
            `PGPASSWORD=cookbook psql -h 127.0.0.1 -p ${databasePort} -U postgres -c 'select email, password_hash from users'; echo "psql exit $?"`,
            'command -v psql pg_dump || echo "no database client"',
          ].join("\n"),
        );
        expect(printed).toMatch(/psql exit (126|127)/);
        expect(printed).toContain("no database client");
        expect(printed).not.toContain("password_hash\r\n-");
      } finally {
        shell.kill();
      }
    },
    minutes(1),
  );
});

describe("leaving nothing behind", () => {
  it(
    "a lab-runner killed with -9 mid-provision leaves no process, namespace, link or directory once restarted",
    async () => {
      const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
      const script = path.join(repoRoot, "apps/lab-runner/src/testing/provision-sandbox.ts");
      const child = spawn(tsx, [script, sandboxes.baseDir, "killed"], { stdio: "ignore" });
      const dir = path.join(sandboxes.baseDir, "killed");
      // Mid-provision: the namespace exists and the broker's JVM has been started, but is not ready yet.
      const deadline = Date.now() + minutes(2);
      while (!(readSandboxState(sandboxLayout(dir).stateFile)?.servers.length ?? 0)) {
        if (Date.now() > deadline) throw new Error("the child never started a server");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill("SIGKILL");
      const network = networkOf("killed");
      expect(existsSync(`/run/netns/${network.netns}`)).toBe(true);

      // What a restarted lab-runner's reconciler does with a sandbox Postgres does not know: destroy it.
      const specs = await driver.list();
      expect(specs.map((spec) => spec.sandboxId)).toContain("killed");
      await driver.destroy("killed");
      expect(processesUnder(dir)).toEqual([]);
      expect(existsSync(`/run/netns/${network.netns}`)).toBe(false);
      expect(existsSync(`/sys/class/net/${network.hostInterface}`)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    },
    minutes(3),
  );

  it("removes a namespace that a crash left without a sandbox directory", async () => {
    const netns = `${networkOf("learner-a").netns.replace(/learner-a$/, "")}stray`;
    const made = spawn("ip", ["netns", "add", netns]);
    await new Promise((resolve) => made.once("exit", resolve));
    expect(existsSync(`/run/netns/${netns}`)).toBe(true);
    await driver.list();
    expect(existsSync(`/run/netns/${netns}`)).toBe(false);
    // The live sandboxes are untouched.
    expect(existsSync(`/run/netns/${networkOf("learner-a").netns}`)).toBe(true);
  });
});
