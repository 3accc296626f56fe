import { createHash } from "node:crypto";
import type { V1Namespace } from "@kubernetes/client-node";
import { sandboxSpecSchema, type SandboxSpec } from "../sandbox-driver";

/** Everything the driver creates carries it; list() and the informers select on it. */
export const managedBy = { key: "app.kubernetes.io/managed-by", value: "cookbook-lab-runner" } as const;
export const managedBySelector = `${managedBy.key}=${managedBy.value}`;
export const fieldManager = "cookbook-lab-runner";

export const labelKeys = {
  sandboxId: "cookbook.dev/sandbox-id",
  tenant: "cookbook.dev/tenant",
  user: "cookbook.dev/user",
  lab: "cookbook.dev/lab",
  /** On namespaces: which install (config installationId) owns the sandbox, when installs share a cluster. */
  installation: "cookbook.dev/installation",
  /** Which sandbox workload a pod or Service belongs to (kafka, namenode, ...). */
  workload: "cookbook.dev/workload",
} as const;

export const annotationKeys = {
  expiresAt: "cookbook.dev/expires-at",
  /** The spec as given, so list() after a restart returns exactly what was provisioned. */
  spec: "cookbook.dev/spec",
} as const;

const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A label value for an arbitrary id: as is when Kubernetes accepts it, else a stable hash (label
 * values are at most 63 characters of a restricted alphabet). The exact value stays in the spec
 * annotation; labels only need to be equal for equal ids, for selection.
 */
export function labelValue(raw: string): string {
  if (raw.length <= 63 && labelValuePattern.test(raw)) return raw;
  return `sha256-${createHash("sha256").update(raw).digest("hex").slice(0, 56)}`;
}

export function namespaceName(prefix: string, sandboxId: string): string {
  return `${prefix}${sandboxId}`;
}

/** The labels every object of a sandbox carries (the namespace adds PodSecurity on top). */
export function sandboxLabels(spec: SandboxSpec): Record<string, string> {
  const labels: Record<string, string> = { [managedBy.key]: managedBy.value, [labelKeys.sandboxId]: spec.sandboxId };
  if (spec.owner) {
    labels[labelKeys.tenant] = labelValue(spec.owner.tenantId);
    labels[labelKeys.user] = labelValue(spec.owner.userId);
    labels[labelKeys.lab] = labelValue(spec.owner.labSlug);
  }
  return labels;
}

export function sandboxAnnotations(spec: SandboxSpec): Record<string, string> {
  return {
    [annotationKeys.spec]: JSON.stringify(spec),
    ...(spec.expiresAt ? { [annotationKeys.expiresAt]: spec.expiresAt } : {}),
  };
}

/** Selects the namespaces of one installation's sandboxes (list, reaper, informer). */
export function installationNamespaceSelector(installationId: string): string {
  return `${managedBySelector},${labelKeys.installation}=${installationId}`;
}

/** The spec a namespace was provisioned with; null for a namespace that is not a sandbox of this installation. */
export function specOf(namespace: V1Namespace, installationId: string): SandboxSpec | null {
  const text = namespace.metadata?.annotations?.[annotationKeys.spec];
  const labels = namespace.metadata?.labels;
  if (!text || labels?.[managedBy.key] !== managedBy.value || labels?.[labelKeys.installation] !== installationId) return null;
  try {
    const parsed = sandboxSpecSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** When the namespace may be deleted whatever Postgres says; null when it has no expiry. */
export function expiryOf(namespace: V1Namespace): Date | null {
  const text = namespace.metadata?.annotations?.[annotationKeys.expiresAt];
  const time = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(time) ? null : new Date(time);
}

export function isTerminating(namespace: V1Namespace): boolean {
  return Boolean(namespace.metadata?.deletionTimestamp) || namespace.status?.phase === "Terminating";
}
