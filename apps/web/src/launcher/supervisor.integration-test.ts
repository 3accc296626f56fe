import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "@cookbook/db/testing/free-port";
import { afterEach, describe, expect, it } from "vitest";
import type { RestartPolicy } from "./restart-policy";
import { Supervisor, type SupervisedChild } from "./supervisor";

// Real child processes and the real clock; delays shortened so the test takes seconds.
const policy: RestartPolicy = { initialDelayMs: 200, maxDelayMs: 1_000, stableAfterMs: 60_000, maxCrashes: 3, crashWindowMs: 60_000 };

/** A small HTTP service answering its name and pid; `exitAfterMs` makes it crash on its own after serving. */
function service(name: string, port: number, exitAfterMs?: number): SupervisedChild {
  const script = `
    require("node:http").createServer((req, res) => res.end(JSON.stringify({ name: ${JSON.stringify(name)}, pid: process.pid })))
      .listen(${port}, "127.0.0.1", () => { ${exitAfterMs ? `setTimeout(() => process.exit(3), ${exitAfterMs});` : ""} });`;
  return {
    name,
    spawn: () => spawn(process.execPath, ["-e", script], { stdio: "ignore" }),
    ready: async (child) => {
      for (let i = 0; i < 100; i += 1) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error("exited before serving");
        if (
          await get(port).then(
            () => true,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("no answer within 5 s");
    },
  };
}

const get = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.json() as Promise<{ name: string; pid: number }>);

async function started(spec: SupervisedChild): Promise<ChildProcess> {
  const child = spec.spawn();
  await spec.ready(child);
  return child;
}

let supervisor: Supervisor | null = null;
afterEach(async () => {
  await supervisor?.stop();
  supervisor = null;
});

describe("Supervisor with real child processes", () => {
  it("restarts a child killed with SIGKILL while the other keeps serving", async () => {
    const [runnerPort, webPort] = await Promise.all([freePort(), freePort()]);
    const lines: string[] = [];
    const gaveUp: string[] = [];
    supervisor = new Supervisor({ log: (l) => lines.push(l), onGiveUp: (m) => gaveUp.push(m), policy });
    const runner = service("lab-runner", runnerPort);
    const web = service("web app", webPort);
    supervisor.adopt(runner, await started(runner));
    supervisor.adopt(web, await started(web));
    const before = await get(runnerPort);

    process.kill(before.pid, "SIGKILL");
    // The web app answers every request while lab-runner is down and coming back.
    const webAnswers: string[] = [];
    let back: { pid: number } | null = null;
    const deadline = Date.now() + 10_000;
    while (!back && Date.now() < deadline) {
      webAnswers.push((await get(webPort)).name);
      back = await get(runnerPort).then(
        (r) => (r.pid !== before.pid ? r : null),
        () => null,
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(back, lines.join("\n")).not.toBeNull();
    expect(supervisor.current("lab-runner")?.pid).toBe(back?.pid);
    expect(webAnswers.length).toBeGreaterThan(1);
    expect(new Set(webAnswers)).toEqual(new Set(["web app"]));
    await expect
      .poll(() => lines)
      .toEqual([
        "lab-runner exited unexpectedly (signal SIGKILL); restarting it in 0.2 s (1 crash(es) within 60 s)",
        `lab-runner restarted (pid ${back?.pid})`,
      ]);
    expect(gaveUp).toEqual([]);
  });

  it("gives up, naming the child and its exit code, when it keeps crashing", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const gaveUp: string[] = [];
    supervisor = new Supervisor({ log: (l) => lines.push(l), onGiveUp: (m) => gaveUp.push(m), policy });
    const crashing = service("web app", port, 600);
    supervisor.adopt(crashing, await started(crashing));
    await expect
      .poll(() => gaveUp, { timeout: 10_000 })
      .toEqual(["web app exited unexpectedly (exit code 3); 3 crash(es) within 60 s, so it is not restarted again: stopping the platform"]);
    expect(lines.filter((l) => l.includes("restarting it in"))).toEqual([
      "web app exited unexpectedly (exit code 3); restarting it in 0.2 s (1 crash(es) within 60 s)",
      "web app exited unexpectedly (exit code 3); restarting it in 0.4 s (2 crash(es) within 60 s)",
    ]);
  });
});
