import type { KubernetesObject } from "@kubernetes/client-node";
import type { SandboxSpec } from "../sandbox-driver";
import type { KubernetesDriverConfig } from "./kubernetes-config";
import { limitRangeManifest, namespaceManifest, networkPolicyManifests, resourceQuotaManifest, serviceAccountManifest } from "./namespace-manifests";
import { namespaceName } from "./sandbox-identity";
import { hadoopConfigMapManifest, podManifest, serviceManifest, workloadNames } from "./workload-manifests";

/**
 * Everything one sandbox consists of, in the order it must be applied: the namespace; then its
 * guard rails and plumbing (the quota and LimitRange must exist before any pod is admitted, the
 * ServiceAccount before pods that name it); then the pods. Objects within a phase are independent.
 */
export function sandboxManifestPhases(spec: SandboxSpec, config: KubernetesDriverConfig): KubernetesObject[][] {
  const namespace = namespaceName(config.namespacePrefix, spec.sandboxId);
  const workloads = workloadNames(spec);
  return [
    [namespaceManifest(namespace, spec, config)],
    [
      resourceQuotaManifest(namespace, spec, config),
      limitRangeManifest(namespace, spec, config),
      ...networkPolicyManifests(namespace, spec, config),
      serviceAccountManifest(namespace, spec),
      ...(spec.services.includes("hdfs") ? [hadoopConfigMapManifest(namespace, spec, config)] : []),
      ...workloads.filter((name) => name !== "toolbox").map((name) => serviceManifest(name, spec, namespace, config)),
    ],
    workloads.map((name) => podManifest(name, spec, namespace, config)),
  ];
}
