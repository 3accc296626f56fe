import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import { buildControlPlane, startControlPlane, type ControlPlane } from "../../../../../infra/control-plane/harness";
import { kubernetesDriverConfig, type KubernetesDriverConfig } from "./kubernetes-config";

/**
 * For the driver's integration tests and benchmark: a real control plane (kube-apiserver, etcd,
 * controller-manager, scheduler, KWOK so pods turn Ready) with the platform's manifests from
 * infra/k8s applied as admin, and a kubeconfig that acts as lab-runner's ServiceAccount, so
 * everything the driver does is held to the RBAC the manifests grant.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");
export const manifestsDir = path.join(repoRoot, "infra/k8s/base");
export const labRunnerNamespace = "cookbook";

export function renderManifests(): string {
  return execFileSync("kubectl", ["kustomize", manifestsDir], { encoding: "utf8" });
}

/** kubectl against the test cluster as admin; returns stdout, throws on failure. */
export function kubectl(cluster: ControlPlane, args: string[], input?: string): string {
  return execFileSync("kubectl", ["--kubeconfig", cluster.kubeconfigPath, ...args], { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

/** Like kubectl() but keeps stderr, where PodSecurity and deprecation warnings are printed. */
export function kubectlWithWarnings(cluster: ControlPlane, args: string[], input?: string): { status: number; output: string } {
  try {
    const output = execFileSync("sh", ["-c", `kubectl --kubeconfig "$0" "$@" 2>&1`, cluster.kubeconfigPath, ...args], { input, encoding: "utf8" });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status?: number; stdout?: string };
    return { status: failed.status ?? 1, output: failed.stdout ?? "" };
  }
}

export interface TestCluster {
  controlPlane: ControlPlane;
  admin: KubeConfig;
  /** A fresh KubeConfig authenticated as lab-runner's ServiceAccount (one per driver instance). */
  asLabRunner(): KubeConfig;
  /** The same, as kubeconfig YAML (to load into a KubeConfig subclass). */
  labRunnerKubeconfig: string;
  driverConfig: KubernetesDriverConfig;
  stop(): Promise<void>;
}

export async function startTestCluster(name: string, env: NodeJS.ProcessEnv = {}): Promise<TestCluster> {
  await buildControlPlane();
  const controlPlane = await startControlPlane({ dataDir: path.join(repoRoot, ".cache", `cp-${name}-${process.pid}`), kwok: true });
  try {
    kubectl(controlPlane, ["apply", "--server-side", "--field-manager=cookbook-deploy", "-f", "-"], renderManifests());
    // The harness's KWOK node reports no ephemeral-storage, and every sandbox container requests some.
    const capacity = { "ephemeral-storage": "1Ti" };
    kubectl(controlPlane, [
      "patch",
      "node",
      controlPlane.kwokNode ?? "kwok-node-0",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status: { capacity, allocatable: capacity } }),
    ]);
    const token = await controlPlane.serviceAccountToken(labRunnerNamespace, "lab-runner");
    const runnerKubeconfig = controlPlane.kubeconfigForToken(token);
    const admin = new KubeConfig();
    admin.loadFromString(controlPlane.adminKubeconfig);
    return {
      controlPlane,
      admin,
      labRunnerKubeconfig: runnerKubeconfig,
      asLabRunner() {
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromString(runnerKubeconfig);
        return kubeConfig;
      },
      // Pods only ever turn Ready through KWOK here, within a second or two; fail fast otherwise.
      driverConfig: kubernetesDriverConfig({ LAB_K8S_READY_TIMEOUT_SECONDS: "60", ...env }, `test-${name}`),
      stop: () => controlPlane.stop(),
    };
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }
}
