/**
 * Test harness for a real Kubernetes control plane on loopback (etcd + kube-apiserver +
 * kube-controller-manager + kube-scheduler, optionally KWOK), built by ./build.sh.
 *
 *   const cp = await startControlPlane({ dataDir: ".cache/cp-test-1" });
 *   // ... kubectl --kubeconfig cp.kubeconfigPath, or KubeConfig.loadFromString(cp.adminKubeconfig)
 *   const token = await cp.serviceAccountToken("ns", "lab-runner");
 *   const asRunner = cp.kubeconfigForToken(token); // same cluster, ServiceAccount identity
 *   await cp.stop();
 *
 * Node built-ins only, so any package's tests can import it without new dependencies.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const defaultBinDir = path.join(repoRoot, ".cache", "control-plane", "bin");

export interface ControlPlaneOptions {
  /** Owned by the control plane: wiped at start and removed by stop(). */
  dataDir: string;
  /** Start KWOK and one fake Node ("kwok-node-0") so pods get scheduled and turn Running. */
  kwok?: boolean;
  /** kube-apiserver port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Where build.sh put the binaries; default <repo>/.cache/control-plane/bin. */
  binDir?: string;
  startTimeoutMs?: number;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Path of the admin kubeconfig (client certificate in group system:masters). */
  kubeconfigPath: string;
  /** The same admin kubeconfig, as YAML text (e.g. for KubeConfig.loadFromString). */
  adminKubeconfig: string;
  /** PEM of the cluster CA, for clients configured by hand. */
  caPem: string;
  /** Name of the fake node when started with { kwok: true }. */
  kwokNode?: string;
  /** Milliseconds from spawn to ready (etcd, apiserver /readyz, default ServiceAccount). */
  startupMs: number;
  /** Issue a token for an existing ServiceAccount via the TokenRequest API (as admin). */
  serviceAccountToken(namespace: string, name: string, expirationSeconds?: number): Promise<string>;
  /** A kubeconfig (YAML text) that authenticates with a bearer token, e.g. a ServiceAccount's. */
  kubeconfigForToken(token: string): string;
  /** Raw admin REST call; returns status and parsed JSON body (or text). */
  adminRequest(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Stop every process and remove dataDir. Idempotent. */
  stop(): Promise<void>;
}

interface ReadyLine {
  server: string;
  adminKubeconfig: string;
  caFile: string;
  kwokNode?: string;
  startupMillis: number;
}

/** Run build.sh (a no-op when its stamp matches); call once from a global setup. */
export function buildControlPlane(opts: { kwok?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(opts.kwok === false ? { CONTROL_PLANE_NO_KWOK: "1" } : {}) };
    execFile("bash", [path.join(here, "build.sh")], { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`build.sh failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(),
    );
  });
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const dataDir = path.resolve(opts.dataDir);
  const binDir = opts.binDir ?? process.env.CONTROL_PLANE_BIN_DIR ?? defaultBinDir;
  const binary = path.join(binDir, "control-plane");
  if (!existsSync(binary)) throw new Error(`${binary} not found; run infra/control-plane/build.sh`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const args = ["up", `--data-dir=${dataDir}`, `--port=${opts.port ?? 0}`];
  // Two independent ways for the supervisor to notice we are gone: the stdin pipe hits EOF
  // when this process dies (even by SIGKILL), and its parent pid changes.
  args.push("--watch-stdin", `--parent-pid=${process.pid}`);
  if (opts.kwok) args.push(`--kwok=${path.join(binDir, "kwok")}`, `--kwok-stages=${path.join(here, "kwok")}`);

  const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"] });
  child.stdin?.on("error", () => {}); // EPIPE if it already died; `exited` reports that
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-8192);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      child.stdin?.end(); // graceful: the supervisor stops components in order, then etcd
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    })());

  let ready: ReadyLine;
  try {
    ready = await waitForReadyLine(child, exited, opts.startTimeoutMs ?? 120_000);
  } catch (err) {
    child.kill("SIGKILL"); // components die with it (Pdeathsig)
    await exited;
    const logs = componentLogTails(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`control plane failed to start: ${(err as Error).message}\n${stderrTail}\n${logs}`);
  }
  // A forgotten stop() must not keep the test runner alive; the pipe still closes on exit.
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket | null)?.unref();
  child.unref();

  const caPem = readFileSync(ready.caFile, "utf8");
  const pki = path.dirname(ready.caFile);
  const tls = { ca: caPem, cert: readFileSync(path.join(pki, "admin.crt")), key: readFileSync(path.join(pki, "admin.key")) };

  const adminRequest = (method: string, apiPath: string, body?: unknown) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(apiPath, ready.server),
        { method, ...tls, headers: payload ? { "content-type": "application/json" } : {} },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // /readyz and friends answer plain text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });

  const readyz = await adminRequest("GET", "/readyz");
  if (readyz.status !== 200) {
    await stop();
    throw new Error(`/readyz answered ${readyz.status}: ${String(readyz.body)}`);
  }

  return {
    server: ready.server,
    kubeconfigPath: ready.adminKubeconfig,
    adminKubeconfig: readFileSync(ready.adminKubeconfig, "utf8"),
    caPem,
    kwokNode: ready.kwokNode,
    startupMs: ready.startupMillis,
    adminRequest,
    async serviceAccountToken(namespace, name, expirationSeconds = 3600) {
      const res = await adminRequest(
        "POST",
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`,
        { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds } },
      );
      const token = (res.body as { status?: { token?: string } }).status?.token;
      if (res.status !== 201 || !token) throw new Error(`TokenRequest ${namespace}/${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return token;
    },
    kubeconfigForToken(token) {
      const ca = Buffer.from(caPem).toString("base64");
      return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: test",
        "  cluster:",
        `    server: ${ready.server}`,
        `    certificate-authority-data: ${ca}`,
        "users:",
        "- name: token",
        "  user:",
        `    token: ${token}`,
        "contexts:",
        "- name: test",
        "  context:",
        "    cluster: test",
        "    user: token",
        "current-context: test",
        "",
      ].join("\n");
    },
    stop,
  };
}

function waitForReadyLine(child: ChildProcess, exited: Promise<number | null>, timeoutMs: number): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`control-plane exited with code ${code} before it was ready`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as ReadyLine);
      } catch {
        reject(new Error(`unexpected output: ${buffered.slice(0, newline)}`));
      }
    });
  });
}

function componentLogTails(dataDir: string): string {
  const names = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"];
  return names
    .map((name) => path.join(dataDir, "logs", `${name}.log`))
    .filter((file) => existsSync(file))
    .map((file) => `--- ${path.basename(file)} (tail)\n${readFileSync(file, "utf8").slice(-3000)}`)
    .join("\n");
}
