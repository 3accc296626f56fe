import { LabRunnerError } from "@cookbook/lab-runner-api/client";
import { labRunner } from "./lab-runner";

/**
 * Asks lab-runner to stop each sandbox before its rows are deleted (lab-runner finds a sandbox
 * by its row). Never throws: a deletion must not depend on lab-runner being up. A sandbox it
 * could not stop loses its row with the deletion, and lab-runner destroys it as an orphan when
 * it next reconciles with its driver (at its start); the Kubernetes driver's own expiry reaper
 * also ends it at its TTL. Returns the ids that could not be stopped.
 */
export async function stopSandboxes(sandboxIds: string[]): Promise<string[]> {
  const results = await Promise.all(
    sandboxIds.map(async (id) => {
      try {
        await labRunner().stop(id);
        return null;
      } catch (error) {
        // lab-runner no longer knows it: there is nothing left to stop.
        if (error instanceof LabRunnerError && error.code === "SANDBOX_NOT_FOUND") return null;
        return id;
      }
    }),
  );
  return results.filter((id): id is string => id !== null);
}
