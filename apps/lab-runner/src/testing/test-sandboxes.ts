import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LocalSandboxDriver, type LocalDriverOptions } from "../driver/local/local-driver";
import { localDriverConfig } from "../service/config";
import { isProcessAlive } from "../driver/local/process-tree";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cacheDir = path.resolve(appDir, "../../.cache");

/** The installed lab software, where the installer below put it (it reads the same LAB_CACHE_DIR). */
export const testLabSoftware = localDriverConfig(process.env).software;

/** Idempotent and quick once installed; the first run on a machine downloads ~1 GB. */
export function installLabSoftware(): void {
  execFileSync("bash", [path.join(appDir, "scripts/install-lab-software.sh")], { stdio: "inherit" });
}

/**
 * A local driver with its own base dir per test file and process, so a crashed earlier run can
 * never be mistaken for this one's sandboxes; `sweep` reaps what killed runs left behind.
 */
export function testDriver(name: string, options: Omit<LocalDriverOptions, "baseDir" | "software"> = {}) {
  const baseDir = path.join(cacheDir, `sandboxes-test-${process.pid}-${name}`);
  const driver = new LocalSandboxDriver({ ...options, baseDir, software: testLabSoftware });
  return {
    driver,
    baseDir,
    async destroyAll() {
      for (const spec of await driver.list()) await driver.destroy(spec.sandboxId);
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

/** Destroys the sandboxes of test runs whose process is gone (killed before their afterAll). */
export async function sweepKilledRuns(): Promise<void> {
  for (const name of readdirSync(cacheDir)) {
    const pid = Number(/^sandboxes-test-(\d+)/.exec(name)?.[1]);
    if (!pid || isProcessAlive(pid)) continue;
    const stale = new LocalSandboxDriver({ baseDir: path.join(cacheDir, name), software: testLabSoftware });
    for (const spec of await stale.list()) await stale.destroy(spec.sandboxId);
    rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
}
export { processesUnder } from "../driver/local/process-tree";
