import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** The last lines of a server log, for the "failed" status a learner or operator sees. */
export function logTail(file: string, lines = 40): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return "";
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 16 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    // Hadoop logs its whole classpath on one line; a tail is for reading, so long lines are cut.
    return buffer
      .toString("utf8")
      .split("\n")
      .slice(-lines)
      .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
      .join("\n");
  } finally {
    closeSync(fd);
  }
}
