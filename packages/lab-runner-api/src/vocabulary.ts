import * as z from "zod";

/*
 * The words of labs, defined once for the database schema, lab-runner and the web app: a new
 * state, end reason or service is added here, and the compiler then names every place (enum,
 * message table, UI) that has to know about it.
 */

/** A sandbox row's lifecycle in `lab_sandboxes` (the database enum `lab_sandbox_state`). */
export const sandboxLifecycleStates = ["provisioning", "running", "failed", "ended"] as const;
export type SandboxLifecycleState = (typeof sandboxLifecycleStates)[number];

/** States in which a sandbox holds resources and counts toward the limits. */
export const liveSandboxStates = ["provisioning", "running"] as const satisfies readonly SandboxLifecycleState[];
export type LiveSandboxState = (typeof liveSandboxStates)[number];
export const isLiveSandboxState = (state: SandboxLifecycleState): state is LiveSandboxState =>
  (liveSandboxStates as readonly string[]).includes(state);

/** Why a sandbox ended (the database enum `lab_sandbox_end_reason`). */
export const sandboxEndReasons = ["stopped", "expired", "idle", "failed", "lost"] as const;
export type SandboxEndReason = (typeof sandboxEndReasons)[number];

/** What a learner reads about a sandbox that ended for each reason. */
export const sandboxEndMessages: Record<SandboxEndReason, string> = {
  stopped: "This lab was stopped.",
  expired: "This lab reached its time limit and was removed.",
  idle: "This lab was removed after it had been idle for a while.",
  failed: "This lab could not be started.",
  lost: "This lab was lost when the lab service restarted.",
};

/** What a learner reads while a sandbox is provisioning and cannot be used yet. */
export const sandboxStartingMessage = "The lab is still starting.";

/** The services a sandbox can run. */
export const serviceNames = ["kafka", "hdfs", "spark"] as const;
export type ServiceName = (typeof serviceNames)[number];

/** How a service is named to a learner. */
export const serviceTitles: Record<ServiceName, string> = { kafka: "Kafka", hdfs: "HDFS", spark: "Spark" };
/** A service's title; an unknown name (from an older or newer lab-runner) is shown as it is. */
export const serviceTitle = (name: string): string => (name in serviceTitles ? serviceTitles[name as ServiceName] : name);

/** One service's state in a running sandbox, as a driver reports it. */
export const serviceStates = ["starting", "ready", "failed", "stopped"] as const;
export type ServiceState = (typeof serviceStates)[number];

/** Sandbox ids become directory names, namespace names and DNS labels, hence the strict shape. */
export const sandboxIdSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, {
  error: "Not a sandbox id (a lowercase DNS label of at most 40 characters).",
});

/** A zod error as one line a caller can show: `path: message; …` (no values, no stack). */
export function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}
