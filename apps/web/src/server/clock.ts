import { readFileSync, statSync } from "node:fs";

/**
 * The one clock the server's time-dependent logic reads (invitation expiry, cohort schedules,
 * deadlines, ...), so tests move time instead of sleeping: in-process tests with `setClock`,
 * end-to-end tests of a running server with the file named by `COOKBOOK_CLOCK_OFFSET_FILE`.
 */
let current: () => Date = () => new Date();

export const now = (): Date => current();

/** Tests only: `setClock(() => new Date(...))`; `setClock(() => new Date())` goes back to real time. */
export function setClock(clock: () => Date): void {
  current = clock;
}

/**
 * A server started by the end-to-end harness reads its clock as real time plus the number of
 * milliseconds in that file (re-read whenever it changes), so a test can move a running
 * server's time. Production never sets the variable; without it this does nothing.
 */
function offsetFileClock(file: string): () => Date {
  let seen = { mtimeMs: -1, size: -1 };
  let offsetMs = 0;
  return () => {
    try {
      const stat = statSync(file);
      if (stat.mtimeMs !== seen.mtimeMs || stat.size !== seen.size) {
        seen = { mtimeMs: stat.mtimeMs, size: stat.size };
        const parsed = Number(readFileSync(file, "utf8").trim() || "0");
        offsetMs = Number.isFinite(parsed) ? parsed : 0;
      }
    } catch {
      offsetMs = 0;
    }
    return new Date(Date.now() + offsetMs);
  };
}

const offsetFile = process.env.COOKBOOK_CLOCK_OFFSET_FILE;
if (offsetFile) current = offsetFileClock(offsetFile);
