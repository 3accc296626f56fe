import { generateDataset, type Lab } from "@cookbook/content/labs";
import type { GradeTarget } from "./lab-grade";

/** Writes stdin to the file named by $1 (relative to the workspace), creating its directory. */
const writeFileScript = 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"';

/**
 * Writes the learner's dataset (generated from the seed) into the sandbox's workspace through
 * driver.exec with stdin, so it works for any driver. Labs without a dataset need nothing.
 * Returns where the file went and its size.
 */
export async function seedLab(lab: Lab, target: GradeTarget): Promise<{ file: string; bytes: number } | null> {
  if (!lab.dataset) return null;
  const dataset = generateDataset(lab.dataset, target.seed);
  const result = await target.driver.exec(target.sandboxId, ["/bin/sh", "-c", writeFileScript, "seed-lab", dataset.file], {
    stdin: dataset.content,
    timeoutMs: 60_000,
  });
  if (result.exitCode !== 0) {
    throw new Error(`seeding lab ${lab.slug} into sandbox ${target.sandboxId} failed: ${result.timedOut ? "timed out" : result.stderr.trim()}`);
  }
  return { file: dataset.file, bytes: Buffer.byteLength(dataset.content) };
}
