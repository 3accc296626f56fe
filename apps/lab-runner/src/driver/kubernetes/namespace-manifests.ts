import type { KubernetesObject, V1LimitRange, V1Namespace, V1NetworkPolicy, V1ResourceQuota, V1ServiceAccount } from "@kubernetes/client-node";
import type { SandboxSpec } from "../sandbox-driver";
import type { KubernetesDriverConfig } from "./kubernetes-config";
import { labelKeys, sandboxAnnotations, sandboxLabels } from "./sandbox-identity";

/** Pure builders of the namespace and its guard rails: what a sandbox may use and reach. */

export const sandboxServiceAccount = "sandbox";

const meta = (name: string, namespace: string, spec: SandboxSpec) => ({ name, namespace, labels: sandboxLabels(spec) });

export function namespaceManifest(name: string, spec: SandboxSpec, config: KubernetesDriverConfig): V1Namespace & KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...sandboxLabels(spec),
        // Ownership: list(), the reaper and reconcile's orphans see only this installation's namespaces.
        [labelKeys.installation]: config.installationId,
        // Admission refuses any pod that is not `restricted`, whoever creates it.
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
      annotations: sandboxAnnotations(spec),
    },
  };
}

export function resourceQuotaManifest(namespace: string, spec: SandboxSpec, config: KubernetesDriverConfig): V1ResourceQuota & KubernetesObject {
  const { quota } = config;
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: meta("sandbox-budget", namespace, spec),
    spec: {
      hard: {
        "requests.memory": quota.memory,
        "limits.memory": quota.memory,
        "requests.cpu": quota.cpuRequests,
        "limits.cpu": quota.cpu,
        "requests.ephemeral-storage": quota.ephemeralStorage,
        "limits.ephemeral-storage": quota.ephemeralStorage,
        pods: String(quota.pods),
        services: "8",
        // No way out of the cluster network and no storage that outlives the sandbox.
        "services.nodeports": "0",
        "services.loadbalancers": "0",
        persistentvolumeclaims: "0",
      },
    },
  };
}

/** Defaults for any container without its own figures, so the quota never rejects one for lack of them. */
export function limitRangeManifest(namespace: string, spec: SandboxSpec, config: KubernetesDriverConfig): V1LimitRange & KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: meta("sandbox-defaults", namespace, spec),
    spec: {
      limits: [
        {
          type: "Container",
          _default: { memory: "256Mi", cpu: "500m", "ephemeral-storage": "1Gi" },
          defaultRequest: { memory: "256Mi", cpu: "50m", "ephemeral-storage": "256Mi" },
          max: { memory: config.quota.memory, cpu: config.quota.cpu },
        },
      ],
    },
  };
}

/**
 * Default deny in both directions, then three openings: pods of the sandbox talk to each other,
 * resolve names, and lab-runner (graders, terminal) reaches them. Nothing else, in particular
 * not the Kubernetes API or other sandboxes.
 */
export function networkPolicyManifests(
  namespace: string,
  spec: SandboxSpec,
  config: KubernetesDriverConfig,
): Array<V1NetworkPolicy & KubernetesObject> {
  const policy = (name: string, body: V1NetworkPolicy["spec"]): V1NetworkPolicy & KubernetesObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(name, namespace, spec),
    spec: body,
  });
  const everyPod = {};
  return [
    policy("default-deny", { podSelector: everyPod, policyTypes: ["Ingress", "Egress"] }),
    policy("allow-within-sandbox", {
      podSelector: everyPod,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ _from: [{ podSelector: everyPod }] }],
      egress: [{ to: [{ podSelector: everyPod }] }],
    }),
    // Port-only on purpose: node-local DNS caches listen on link-local addresses no selector matches.
    policy("allow-dns-egress", {
      podSelector: everyPod,
      policyTypes: ["Egress"],
      egress: [
        {
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    policy("allow-from-lab-runner", {
      podSelector: everyPod,
      policyTypes: ["Ingress"],
      ingress: [
        {
          _from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": config.labRunner.namespace } },
              podSelector: { matchLabels: config.labRunner.podLabels },
            },
          ],
        },
      ],
    }),
  ];
}

/** The sandbox's pods run as this account, which holds no token and no role. */
export function serviceAccountManifest(namespace: string, spec: SandboxSpec): V1ServiceAccount & KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: meta(sandboxServiceAccount, namespace, spec),
    automountServiceAccountToken: false,
  };
}
