import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import { sandboxSpecSchema, serviceNames } from "../sandbox-driver";
import { sandboxNetworkSchema } from "./sandbox-network";

const stateSchema = z.object({
  spec: sandboxSpecSchema,
  network: sandboxNetworkSchema,
  /** Process-group leaders, so destroy and status work after a lab-runner restart. */
  servers: z.array(z.object({ service: z.enum(serviceNames), role: z.string(), pid: z.number(), logFile: z.string() })),
});
/** What the local driver keeps on disk per sandbox (its state file). */
export type LocalSandboxRecord = z.infer<typeof stateSchema>;

export function readSandboxState(file: string): LocalSandboxRecord | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  return stateSchema.parse(JSON.parse(text));
}

/** Write-then-rename, so a crash never leaves a torn state file behind. */
export function writeSandboxState(file: string, state: LocalSandboxRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}
