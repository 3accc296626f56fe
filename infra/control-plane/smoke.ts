/**
 * Smoke test of the control plane through the harness, driven with the real kubectl:
 * server-side dry run, PodSecurity enforcement, a ServiceAccount identity limited by RBAC,
 * namespace deletion finalized by the controller-manager, and no process left behind.
 * Run via ./smoke.sh (builds first). SMOKE_KWOK=0 skips KWOK.
 */
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startControlPlane } from "./harness";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = path.join(repoRoot, ".cache", "control-plane", `smoke-${process.pid}`);
const kubectlBin = process.env.KUBECTL ?? "kubectl";
const withKwok = process.env.SMOKE_KWOK !== "0";
const ns = "smoke-psa";

interface Result {
  code: number | null;
  out: string;
}

function kubectl(kubeconfig: string, args: string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(kubectlBin, [`--kubeconfig=${kubeconfig}`, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out: out.trim() }));
    child.stdin.end(input ?? "");
  });
}

function check(ok: boolean, what: string, detail = ""): void {
  if (!ok) throw new Error(`FAIL: ${what}${detail ? `\n${detail}` : ""}`);
  console.log(`ok   ${what}`);
}

async function poll(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<number> {
  const began = Date.now();
  while (!(await probe())) {
    if (Date.now() - began > timeoutMs) throw new Error(`FAIL: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - began;
}

/** Processes whose command line mentions the data dir: the supervisor and every component. */
function processesOf(dir: string): { pid: string; rssKiB: number; cmd: string }[] {
  let lines: string[] = [];
  try {
    lines = execFileSync("pgrep", ["-a", "-f", dir], { encoding: "utf8" }).trim().split("\n");
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return lines.map((line) => {
    const [pid = "", ...rest] = line.split(" ");
    const rss = execFileSync("ps", ["-o", "rss=", "-p", pid], { encoding: "utf8" }).trim();
    return { pid, rssKiB: Number(rss) || 0, cmd: rest.slice(0, 2).join(" ") };
  });
}

const restrictedPod = (name: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec:
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } }
`;

const privilegedPod = `
apiVersion: v1
kind: Pod
metadata: { name: privileged, namespace: ${ns} }
spec:
  containers:
  - name: main
    image: busybox:1.36
    securityContext: { privileged: true }
`;

// The identity the lab-runner will use: may manage pods in its namespace, nothing else.
const runnerRbac = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: runner, namespace: ${ns} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: pod-manager, namespace: ${ns} }
rules:
- { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "create", "delete"] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: runner-pod-manager, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-manager }
subjects:
- { kind: ServiceAccount, name: runner, namespace: ${ns} }
`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const cp = await startControlPlane({ dataDir, kwok: withKwok });
  const kc = cp.kubeconfigPath;
  try {
    console.log(`control plane at ${cp.server}: ready in ${cp.startupMs} ms (harness: ${Date.now() - t0} ms)`);
    console.log((await kubectl(kc, ["version"])).out);

    const dry = await kubectl(kc, ["create", "namespace", "x", "--dry-run=server"]);
    check(dry.code === 0 && dry.out.includes("server dry run"), "create namespace --dry-run=server", dry.out);
    check((await kubectl(kc, ["get", "namespace", "x"])).code !== 0, "dry run persisted nothing");

    const created = await kubectl(
      kc,
      ["apply", "-f", "-"],
      `
apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels: { pod-security.kubernetes.io/enforce: restricted }
`,
    );
    check(created.code === 0, `namespace ${ns} with enforce=restricted`, created.out);
    const saMs = await poll("default ServiceAccount", 30_000, async () => (await kubectl(kc, ["-n", ns, "get", "sa", "default"])).code === 0);
    console.log(`     default ServiceAccount appeared after ${saMs} ms`);

    const denied = await kubectl(kc, ["apply", "-f", "-"], privilegedPod);
    check(denied.code !== 0 && denied.out.includes("violates PodSecurity"), "privileged pod rejected by PodSecurity", denied.out);
    console.log(`     ${denied.out.split("\n")[0]}`);
    const accepted = await kubectl(kc, ["apply", "-f", "-"], restrictedPod("restricted"));
    check(accepted.code === 0, "restricted-compliant pod accepted", accepted.out);

    if (cp.kwokNode) {
      const ms = await poll("pod Running on the KWOK node", 60_000, async () => {
        const r = await kubectl(kc, ["-n", ns, "get", "pod", "restricted", "-o", "jsonpath={.status.phase}/{.spec.nodeName}"]);
        return r.out === `Running/${cp.kwokNode}`;
      });
      check(true, `pod scheduled to ${cp.kwokNode} and Running after ${ms} ms`);
    }

    // Act as a ServiceAccount: created with the admin identity, then a TokenRequest token.
    check((await kubectl(kc, ["apply", "-f", "-"], runnerRbac)).code === 0, "ServiceAccount + Role + RoleBinding");
    const saKubeconfig = path.join(dataDir, "runner.kubeconfig");
    writeFileSync(saKubeconfig, cp.kubeconfigForToken(await cp.serviceAccountToken(ns, "runner")));
    const whoami = await kubectl(saKubeconfig, ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
    check(whoami.out === `system:serviceaccount:${ns}:runner`, "token authenticates as the ServiceAccount", whoami.out);
    const pods = await kubectl(saKubeconfig, ["-n", ns, "get", "pods", "-o", "name"]);
    check(pods.code === 0 && pods.out.includes("pod/restricted"), "ServiceAccount may list pods in its namespace", pods.out);
    const secrets = await kubectl(saKubeconfig, ["-n", ns, "get", "secrets"]);
    check(secrets.code !== 0 && secrets.out.includes("Forbidden"), "ServiceAccount may not list secrets (RBAC)", secrets.out);
    const other = await kubectl(saKubeconfig, ["-n", "default", "get", "pods"]);
    check(other.code !== 0 && other.out.includes("Forbidden"), "ServiceAccount may not list pods in another namespace", other.out);

    const del = await kubectl(kc, ["delete", "namespace", ns, "--wait=false"]);
    check(del.code === 0, `delete namespace ${ns}`, del.out);
    const goneMs = await poll(`namespace ${ns} to disappear`, 90_000, async () => (await kubectl(kc, ["get", "namespace", ns])).code !== 0);
    check(true, `namespace finalized and gone after ${goneMs} ms`);

    const procs = processesOf(dataDir);
    const total = procs.reduce((sum, p) => sum + p.rssKiB, 0);
    for (const p of procs) console.log(`     RSS ${String(Math.round(p.rssKiB / 1024)).padStart(4)} MiB  ${p.cmd}`);
    console.log(`     RSS total ${Math.round(total / 1024)} MiB`);
  } finally {
    const t1 = Date.now();
    await cp.stop();
    console.log(`     stop() took ${Date.now() - t1} ms`);
  }
  await new Promise((r) => setTimeout(r, 500)); // let the kernel reap Pdeathsig'd children
  const left = processesOf(dataDir);
  check(left.length === 0, "no process left behind", left.map((p) => `${p.pid} ${p.cmd}`).join("\n"));
  console.log(`smoke: all checks passed in ${Date.now() - t0} ms`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
