import type { V1Pod } from "@kubernetes/client-node";
import type { ServiceStatus } from "../sandbox-driver";

/** Waiting reasons that will not fix themselves without someone changing the spec or the image. */
const hopeless = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
  "CrashLoopBackOff",
]);

function podFailure(pod: V1Pod): { reason: string; logTail: string } | null {
  const name = pod.metadata?.name ?? "pod";
  if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded") {
    const terminated = pod.status.containerStatuses?.find((c) => c.state?.terminated)?.state?.terminated;
    const why = pod.status.reason ?? terminated?.reason ?? pod.status.phase;
    return { reason: `${name} ${why}${pod.status.message ? `: ${pod.status.message}` : ""}`, logTail: terminated?.message ?? "" };
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && hopeless.has(waiting.reason)) {
      // FallbackToLogsOnError puts the crashed run's last lines in lastState.terminated.message.
      return {
        reason: `${name}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ""}`,
        logTail: status.lastState?.terminated?.message ?? "",
      };
    }
  }
  return null;
}

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/**
 * One lab service's state from the pods that make it up (Kafka: one; HDFS: NameNode + DataNode).
 * A missing or deleted pod is `stopped` unless this process is still creating it (`provisioning`).
 */
export function serviceStatusOf(pods: ReadonlyArray<V1Pod | undefined>, provisioning: boolean): ServiceStatus {
  const failures = pods.flatMap((pod) => (pod ? [podFailure(pod)] : [])).filter((f) => f !== null);
  if (failures.length > 0)
    return { state: "failed", reason: failures.map((f) => f.reason).join("; "), logTail: failures.map((f) => f.logTail).join("\n") };
  if (pods.some((pod) => !pod || pod.metadata?.deletionTimestamp)) return provisioning ? { state: "starting" } : { state: "stopped" };
  return pods.every((pod) => pod && isReady(pod)) ? { state: "ready" } : { state: "starting" };
}

/** Why a pod that never turned Ready is still not ready, for a timeout's message. */
export function notReadyReason(pod: V1Pod | undefined): string {
  if (!pod) return "pod missing";
  const condition = pod.status?.conditions?.find((c) => c.status !== "True" && (c.reason || c.message));
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  return [
    pod.status?.phase ?? "Pending",
    condition && `${condition.type}: ${condition.reason ?? ""} ${condition.message ?? ""}`.trim(),
    waiting?.reason,
  ]
    .filter(Boolean)
    .join(", ");
}
